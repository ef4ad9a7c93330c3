// `npm test`: the type-check, Jest (which runs the schema, CRD, policy-pack and package checks) and ESLint,
// each run even when an earlier one fails, then what ran and a closing line `N passed, N failed` that CI
// reads. Arguments go to Jest (`npm test -- __tests__/network.test.ts`). Exit code 1 when anything failed.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const env = { ...process.env, PATH: `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}` };
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'test-run-'));

interface Phase { readonly name: string; readonly detail: string; readonly passed: number; readonly failed: number }

function run(cmd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): number {
  const result = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...env, ...extraEnv } });
  if (result.error) console.error(`${cmd}: ${result.error.message}`);
  return result.status ?? 1;
}

function typecheck(): Phase {
  console.log('\n$ tsc -p __tests__/tsconfig.json');
  const ok = run('tsc', ['-p', '__tests__/tsconfig.json']) === 0;
  return { name: 'type-check', detail: `tsc (lib, tests, examples, scripts, main.ts) ${ok ? 'clean' : 'with errors'}`, passed: ok ? 1 : 0, failed: ok ? 0 : 1 };
}

function jest(args: string[]): Phase {
  const output = path.join(work, 'jest.json');
  console.log(`\n$ jest --ci ${args.join(' ')}`.trimEnd());
  const status = run('jest', ['--ci', '--json', `--outputFile=${output}`, ...args]);
  if (!fs.existsSync(output)) return { name: 'Jest', detail: `did not report (exit code ${status})`, passed: 0, failed: 1 };
  const r = JSON.parse(fs.readFileSync(output, 'utf8'));
  // A suite that fails outside its tests (a syntax error, a throwing import) has no failed test: count it.
  const brokenSuites = (r.testResults ?? []).filter((s: any) => s.status === 'failed' && (s.assertionResults ?? []).every((a: any) => a.status !== 'failed')).length;
  const failed = r.numFailedTests + brokenSuites + (status !== 0 && r.numFailedTests + brokenSuites === 0 ? 1 : 0);
  const skipped = r.numPendingTests + r.numTodoTests;
  return {
    name: 'Jest',
    detail: `${r.numTotalTests} tests in ${r.numTotalTestSuites} suites${skipped ? `, ${skipped} skipped` : ''}`,
    passed: r.numPassedTests,
    failed,
  };
}

function eslint(): Phase {
  // The project's own eslint task (projen), with a JSON report added.
  const tasks = JSON.parse(fs.readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks;
  const step = tasks.eslint.steps.find((s: any) => Array.isArray(s.execArgs));
  const [cmd, ...args] = (step.execArgs as string[]).filter((a) => a !== '$@');
  const output = path.join(work, 'eslint.json');
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const status = run(cmd, [...args, '--format', 'json', '--output-file', output], tasks.eslint.env ?? {});
  if (!fs.existsSync(output)) return { name: 'ESLint', detail: `did not report (exit code ${status})`, passed: 0, failed: 1 };
  const results: any[] = JSON.parse(fs.readFileSync(output, 'utf8'));
  let warnings = 0;
  for (const file of results) {
    warnings += file.warningCount;
    if (file.messages.length === 0) continue;
    console.log(path.relative(ROOT, file.filePath));
    for (const m of file.messages) console.log(`  ${m.line}:${m.column}  ${m.severity === 2 ? 'error  ' : 'warning'}  ${m.message}  ${m.ruleId ?? ''}`);
  }
  const failedFiles = results.filter((f) => f.errorCount > 0).length;
  const crashed = status !== 0 && failedFiles === 0 ? 1 : 0;
  return {
    name: 'ESLint',
    detail: `${results.length} files${warnings ? `, ${warnings} warnings` : ''}`,
    passed: results.length - failedFiles,
    failed: failedFiles + crashed,
  };
}

const phases = [typecheck(), jest(process.argv.slice(2)), eslint()];
fs.rmSync(work, { recursive: true, force: true });
const passed = phases.reduce((n, p) => n + p.passed, 0);
const failed = phases.reduce((n, p) => n + p.failed, 0);
console.log(`\nRan: ${phases.map((p) => `${p.name} ${p.detail}: ${p.passed} passed, ${p.failed} failed`).join(' · ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
