// Jest setup file (setupFiles in .projenrc.ts): runs in every suite's module registry before the suite.
//
// cdktf captures a full stack trace (Error.stackTraceLimit = Number.MAX_SAFE_INTEGER) for every token,
// Lazy, dynamic block and provider output-reference object it creates, and reads `.stack` at once, which
// under Jest source-maps every frame: in a synth, about half of the CPU time. cdktf uses these traces only
// to decorate the message of a token that later fails to resolve ("Object creation stack: ...", and the
// "created at" of an Intrinsic given a function); the error itself, its type and the rest of its message
// are unchanged, and no test asserts on those traces (`grep -rn "creation stack" __tests__`). The synth
// bundle leaves them out the same way (scripts/bundle.js). Its callers look the export up at call time,
// `(0, stack_trace_1.captureStackTrace)()`, and accept an empty trace.
//
// A cdktf that moves or renames the module makes this require or the check below throw, failing every
// suite loudly rather than silently bringing the traces (and their cost) back.
// eslint-disable-next-line import/no-extraneous-dependencies, @typescript-eslint/no-require-imports
const stackTrace = require('cdktf/lib/tokens/private/stack-trace');

if (typeof stackTrace.captureStackTrace !== 'function') {
  throw new Error('__tests__/support/jest-setup.ts: cdktf/lib/tokens/private/stack-trace no longer exports captureStackTrace; update this file for this cdktf version.');
}
stackTrace.captureStackTrace = function captureStackTrace(): string[] {
  return [];
};
