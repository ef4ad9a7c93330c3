// How the synth path's JavaScript is bundled: by scripts/app.js (main.ts, the app of cdktf.json) and by
// the benchmark's services app (bench/run.ts), the same way, so the bench measures what users run.
//
// - Whitespace and syntax minified, identifiers kept: one small file parses fast, and class names stay
//   real, so errors name the constructs ("MeshService at 'services/Api'") without esbuild's keepNames,
//   whose __name() helper wraps every function and cost about 20% of a 1000-service synth.
// - cdktf's stack-trace capture is left out. cdktf records a full stack trace (Error.stackTraceLimit set to
//   MAX_SAFE_INTEGER) for every token and every provider output reference it creates, only to print it if
//   that token later fails to resolve; in a 1000-service synth that was half of the time and a third of
//   the memory. In the bundle those frames would point into one generated file, and scripts/app.js prints
//   only the error's message, so they would tell nobody anything. Errors keep their messages.
'use strict';
const path = require('path');

const STACK_TRACE_MODULE = /[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/;

/** Replaces cdktf's captureStackTrace with one that captures nothing (its callers accept an empty trace). */
const withoutTokenStackTraces = {
  name: 'cdktf-without-token-stack-traces',
  setup(build) {
    let replaced = false;
    build.onLoad({ filter: STACK_TRACE_MODULE }, () => {
      replaced = true;
      return { contents: "'use strict';\nexports.captureStackTrace = function captureStackTrace() { return []; };\n", loader: 'js' };
    });
    // A cdktf that moved the module would silently get its traces back: say so instead.
    build.onEnd((result) => {
      if (result.errors.length === 0 && !replaced) {
        result.errors.push({ text: 'scripts/bundle.js: cdktf/lib/tokens/private/stack-trace.js was not in the bundle; update STACK_TRACE_MODULE for this cdktf version.' });
      }
    });
  },
};

/**
 * Bundles `entry` into `outfile` (CommonJS for node 20). elkjs stays outside: only the diagram loads it.
 * Asynchronous: esbuild runs plugins only in its asynchronous API.
 * @param {string} entry
 * @param {string} outfile
 * @returns {Promise<void>}
 */
async function bundle(entry, outfile) {
  await require('esbuild').build({
    entryPoints: [path.resolve(entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minifyWhitespace: true,
    minifySyntax: true,
    external: ['elkjs'],
    logLevel: 'warning',
    plugins: [withoutTokenStackTraces],
  });
}

module.exports = { bundle, withoutTokenStackTraces };
