// `npm test`: the type-check, Jest (which runs the schema, CRD, policy-pack and package checks) and ESLint,
// each run even when another one fails, then what ran and a closing line `N passed, N failed` that CI
// reads. Arguments go to Jest (`npm test -- __tests__/network.test.ts`). Exit code 1 when anything failed.
//
// The three run at once: they are separate processes, and Jest alone leaves CPU idle (its package and
// Terraform suites wait on npm, jsii and terraform, and its last suites run on one worker), which the
// type-check and ESLint fill. The type-check runs at a lower CPU priority, taking what Jest leaves; ESLint
// (about 30 s of CPU on one thread, the longest single-threaded step) at normal priority: at a lower one it
// got little CPU while Jest ran and was left running alone, on one core, after Jest. Jest's output is
// shown as it comes; the type-check's and ESLint's are kept and shown after it, each under its command,
// so the output reads as before.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const env = { ...process.env, PATH: `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}` };
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'test-run-'));
/** The CPU priority (niceness) of the type-check while Jest runs. */
const BACKGROUND_PRIORITY = 10;

interface Phase { readonly name: string; readonly detail: string; readonly passed: number; readonly failed: number }

interface Run { readonly status: number; readonly output: string; readonly seconds: number }

/**
 * Runs a command. `buffered`: its output is kept (returned as `output`) instead of shown. `background`: it
 * runs at BACKGROUND_PRIORITY.
 */
function run(cmd: string, args: string[], options: { extraEnv?: NodeJS.ProcessEnv; buffered?: boolean; background?: boolean } = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    // `nice` (not os.setPriority after the start: on Linux a priority is per thread, and node starts its
    // threads first); Windows has no `nice`, and there it runs at normal priority.
    const [file, argv] = options.background && process.platform !== 'win32' ? ['nice', ['-n', String(BACKGROUND_PRIORITY), cmd, ...args]] : [cmd, args];
    const child = spawn(file, argv, { cwd: ROOT, stdio: options.buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: { ...env, ...options.extraEnv } });
    if (options.buffered) {
      child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.stderr!.on('data', (chunk: Buffer) => chunks.push(chunk));
    }
    let error = '';
    child.on('error', (e) => {
      error = `${cmd}: ${e.message}\n`;
    });
    child.on('close', (code, signal) => {
      const output = Buffer.concat(chunks).toString('utf8') + (signal ? `${cmd}: killed by ${signal}\n` : '') + error;
      if (!options.buffered && output) process.stderr.write(output);
      resolve({ status: code ?? 1, output: options.buffered ? output : '', seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** A phase's result, and what it printed (shown after Jest, for the buffered ones). */
interface Outcome { readonly phase: Phase; readonly log: string; readonly seconds: number }

async function typecheck(): Promise<Outcome> {
  const { status, output, seconds } = await run('tsc', ['-p', '__tests__/tsconfig.json'], { buffered: true, background: true });
  const ok = status === 0;
  return {
    phase: { name: 'type-check', detail: `tsc (lib, tests, examples, scripts, main.ts) ${ok ? 'clean' : 'with errors'}`, passed: ok ? 1 : 0, failed: ok ? 0 : 1 },
    log: `\n$ tsc -p __tests__/tsconfig.json\n${output}`,
    seconds,
  };
}

async function jest(args: string[]): Promise<Outcome> {
  const output = path.join(work, 'jest.json');
  console.log(`\n$ jest --ci ${args.join(' ')}`.trimEnd());
  const { status, seconds } = await run('jest', ['--ci', '--json', `--outputFile=${output}`, ...args]);
  const outcome = (phase: Phase): Outcome => ({ phase, log: '', seconds });
  if (!fs.existsSync(output)) return outcome({ name: 'Jest', detail: `did not report (exit code ${status})`, passed: 0, failed: 1 });
  const r = JSON.parse(fs.readFileSync(output, 'utf8'));
  // A suite that fails outside its tests (a syntax error, a throwing import) has no failed test: count it.
  const brokenSuites = (r.testResults ?? []).filter((s: any) => s.status === 'failed' && (s.assertionResults ?? []).every((a: any) => a.status !== 'failed')).length;
  const failed = r.numFailedTests + brokenSuites + (status !== 0 && r.numFailedTests + brokenSuites === 0 ? 1 : 0);
  const skipped = r.numPendingTests + r.numTodoTests;
  return outcome({
    name: 'Jest',
    detail: `${r.numTotalTests} tests in ${r.numTotalTestSuites} suites${skipped ? `, ${skipped} skipped` : ''}`,
    passed: r.numPassedTests,
    failed,
  });
}

async function eslint(): Promise<Outcome> {
  // The project's own eslint task (projen), with a JSON report added.
  const tasks = JSON.parse(fs.readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks;
  const step = tasks.eslint.steps.find((s: any) => Array.isArray(s.execArgs));
  const [cmd, ...args] = (step.execArgs as string[]).filter((a) => a !== '$@');
  const output = path.join(work, 'eslint.json');
  const { status, output: printed, seconds } = await run(cmd, [...args, '--format', 'json', '--output-file', output], { extraEnv: tasks.eslint.env ?? {}, buffered: true });
  const log = [`\n$ ${cmd} ${args.join(' ')}\n${printed}`];
  const outcome = (phase: Phase): Outcome => ({ phase, log: log.join(''), seconds });
  if (!fs.existsSync(output)) return outcome({ name: 'ESLint', detail: `did not report (exit code ${status})`, passed: 0, failed: 1 });
  const results: any[] = JSON.parse(fs.readFileSync(output, 'utf8'));
  let warnings = 0;
  for (const file of results) {
    warnings += file.warningCount;
    if (file.messages.length === 0) continue;
    log.push(`${path.relative(ROOT, file.filePath)}\n`);
    for (const m of file.messages) log.push(`  ${m.line}:${m.column}  ${m.severity === 2 ? 'error  ' : 'warning'}  ${m.message}  ${m.ruleId ?? ''}\n`);
  }
  const failedFiles = results.filter((f) => f.errorCount > 0).length;
  const crashed = status !== 0 && failedFiles === 0 ? 1 : 0;
  return outcome({
    name: 'ESLint',
    detail: `${results.length} files${warnings ? `, ${warnings} warnings` : ''}`,
    passed: results.length - failedFiles,
    failed: failedFiles + crashed,
  });
}

async function main(): Promise<number> {
  const started = Date.now();
  const [checked, tested, linted] = await Promise.all([typecheck(), jest(process.argv.slice(2)), eslint()]);
  fs.rmSync(work, { recursive: true, force: true });
  process.stdout.write(checked.log + linted.log);
  const outcomes = [checked, tested, linted];
  const phases = outcomes.map((o) => o.phase);
  const passed = phases.reduce((n, p) => n + p.passed, 0);
  const failed = phases.reduce((n, p) => n + p.failed, 0);
  console.log(`\nTook ${((Date.now() - started) / 1000).toFixed(1)} s, the phases at once: ${outcomes.map((o) => `${o.phase.name} ${o.seconds.toFixed(1)} s`).join(', ')}`);
  console.log(`Ran: ${phases.map((p) => `${p.name} ${p.detail}: ${p.passed} passed, ${p.failed} failed`).join(' · ')}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
