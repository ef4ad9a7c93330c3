/**
 * `npm run bench`: what users feel of the library at every synth, build and test, measured on this
 * machine as medians of several runs with min and max. Not a test: figures, not pass/fail, though the
 * goals of issue 9 are printed beside them.
 *
 *   BENCH_RUNS=5 (runs per case), BENCH_SLOW_RUNS=3 (for builds, npm test and the naive synth),
 *   BENCH_SERVICE_RUNS=3 (for each count of the services workload),
 *   --update-readme writes the table between the bench markers of README.md.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SLOW_RUNS = Number(process.env.BENCH_SLOW_RUNS ?? 3);
const SERVICE_RUNS = Number(process.env.BENCH_SERVICE_RUNS ?? 3);
const MEASURE = path.join(__dirname, 'measure.js');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));

interface Sample { readonly seconds: number; readonly rssMiB?: number; readonly cpuSeconds?: number }
interface Stats { readonly median: number; readonly min: number; readonly max: number }
interface Case { readonly name: string; readonly time: Stats; readonly rss?: Stats; readonly cpu?: Stats; readonly note?: string }

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Runs `node <args>` with the peak-RSS probe preloaded. */
function runNode(args: string[], env: Record<string, string> = {}): Sample {
  const rssFile = path.join(TMP, 'rss');
  const cpuFile = path.join(TMP, 'cpu');
  fs.rmSync(rssFile, { force: true });
  fs.rmSync(cpuFile, { force: true });
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', MEASURE, ...args], {
    cwd: ROOT, env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile, BENCH_CPU_FILE: cpuFile }, encoding: 'utf8', maxBuffer: 1 << 28,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return { seconds, rssMiB: Number(fs.readFileSync(rssFile, 'utf8')) / 1024, cpuSeconds: Number(fs.readFileSync(cpuFile, 'utf8')) / 1000 };
}

function runShell(command: string): Sample {
  const start = process.hrtime.bigint();
  const result = spawnSync('bash', ['-c', command], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, CI: 'true' } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return { seconds };
}

function measure(name: string, runs: number, run: () => Sample, note?: string): Case {
  const samples = Array.from({ length: runs }, run);
  const c: Case = {
    name,
    time: stats(samples.map((s) => s.seconds)),
    rss: samples[0].rssMiB !== undefined ? stats(samples.map((s) => s.rssMiB!)) : undefined,
    cpu: samples[0].cpuSeconds !== undefined ? stats(samples.map((s) => s.cpuSeconds!)) : undefined,
    note,
  };
  console.error(`${name}: ${fmt(c.time, 's')}${c.rss ? `, ${fmt(c.rss, 'MiB', 0)}` : ''}`);
  return c;
}

function fmt(s: Stats, unit: string, digits = 2): string {
  return `${s.median.toFixed(digits)} ${unit} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

/** Bundles the benchmark's services app as scripts/app.js bundles main.ts (scripts/bundle.js, shared). */
async function compileServicesApp(): Promise<string> {
  const outfile = path.join(ROOT, '.app-bench', 'services-app.js');
  fs.rmSync(path.dirname(outfile), { recursive: true, force: true });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { bundle } = require('../scripts/bundle.js') as { bundle: (entry: string, outfile: string) => Promise<void> };
  await bundle(path.join(__dirname, 'services-app.ts'), outfile);
  return outfile;
}

async function main(): Promise<void> {
  const cases: Case[] = [];
  const outdir = (name: string) => ({ CDKTF_OUTDIR: path.join(TMP, name) });
  const servicesApp = await compileServicesApp();

  // 1. The main job's app process against the floor of loading cdktf, and against the naive way.
  const floor = measure('floor: node -e "require(\'cdktf\')"', RUNS, () => runNode(['-e', "require('cdktf')"]));
  runNode(['scripts/app.js'], outdir('warm')); // compile .app/ once, as any second synth finds it
  const app = measure('reference topology: app process (cdktf.json app: node scripts/app.js)', RUNS, () => runNode(['scripts/app.js'], outdir('app')));
  const naive = measure('naive: provider root imports + ts-node', SLOW_RUNS, () => runNode([
    require.resolve('ts-node/dist/bin.js'), '-P', '__tests__/tsconfig.json', '-e',
    ['azurerm', 'kubernetes', 'helm'].map((name) => `require('@cdktf/provider-${name}');`).join(' ') + " require('./main.ts')",
  ], outdir('naive')));
  const withDiagram = measure('main job with diagrams (node scripts/app.js --diagram, = npm run synth)', RUNS, () => runNode(['scripts/app.js', '--diagram'], outdir('diagram')));
  cases.push(floor, app, withDiagram, naive);

  // 2. Synth cost against the number of MeshServices, with the policy pack on (bench/services-app.ts).
  const perCount: Array<[number, Case]> = [];
  const loads: number[] = [];
  for (const count of [100, 500, 1000]) {
    loads.push(os.loadavg()[0]);
    const c = measure(`synth ${count} MeshServices, policy pack on`, SERVICE_RUNS, () => runNode([servicesApp, String(count)], outdir(`svc${count}`)));
    perCount.push([count, c]);
    cases.push(c);
  }

  // 3. Builds and tests, and the Terraform runs of the tests alone (5 stacks, each validated and planned).
  cases.push(measure('clean type-check build (jsii, from scratch)', SLOW_RUNS, () => runShell('rm -rf build .jsii tsconfig.tsbuildinfo && npx jsii --silence-warnings=reserved-word')));
  cases.push(measure('terraform validate + plan of every stack, both Istio modes (npx tsx bench/terraform-check.ts)', SLOW_RUNS,
    () => runShell('npx tsx bench/terraform-check.ts >/dev/null')));
  cases.push(measure('npm test', SLOW_RUNS, () => runShell('npm test --silent >/dev/null 2>&1')));

  const [[n1, c1], [n2, c2], [n3, c3]] = perCount;
  const slope = (a: [number, Case], b: [number, Case]) => (b[1].time.median - a[1].time.median) / (b[0] - a[0]) * 1000;
  const perService = { low: slope([n1, c1], [n2, c2]), high: slope([n2, c2], [n3, c3]) };
  const spread = (c: Case) => `${c.time.min.toFixed(2)}–${c.time.max.toFixed(2)} s`;
  const cpuSlope = (a: [number, Case], b: [number, Case]) => (b[1].cpu!.median - a[1].cpu!.median) / (b[0] - a[0]) * 1000;
  const perServiceCpu = { low: cpuSlope([n1, c1], [n2, c2]), high: cpuSlope([n2, c2], [n3, c3]) };
  const memPerService = ((c3.rss!.median - c2.rss!.median) / (n3 - n2)) * 1024;

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}, ${os.platform()} ${os.release()}; medians of ${RUNS} runs (${SERVICE_RUNS} for the services workload, ${SLOW_RUNS} for builds, npm test and the naive synth), min–max in brackets.`,
    '',
    '| case | wall time | CPU time (user + system) | peak RSS |',
    '| --- | --- | --- | --- |',
    ...cases.map((c) => `| ${c.name} | ${fmt(c.time, 's')} | ${c.cpu ? fmt(c.cpu, 's') : '–'} | ${c.rss ? fmt(c.rss, 'MiB', 0) : '–'} |`),
    '',
    `- The machine is shared: the floor (loading cdktf) took ${floor.time.median.toFixed(2)} s in this run, and every wall time above grows with the load; CPU times are less affected.`,
    `- App synth vs the cdktf-load floor: **${(app.time.median / floor.time.median).toFixed(2)}×** time (goal ≤ 3×), ${app.rss!.median.toFixed(0)} MiB (goal < 300 MiB).`,
    `- The naive way (root imports + ts-node) vs ours: **${(naive.time.median / app.time.median).toFixed(1)}×** the time, **${(naive.rss!.median / app.rss!.median).toFixed(1)}×** the memory.`,
    `- Cost per MeshService (the service workload: each service allowed from the previous one, every other one exposed through the gateway and published as an APIM API; the policy pack on): ${perService.low.toFixed(2)} ms (${n1}→${n2}), ${perService.high.toFixed(2)} ms (${n2}→${n3}): **${(perService.high / perService.low).toFixed(2)}×** (goal ≤ 1.3×); in CPU time ${perServiceCpu.low.toFixed(2)} ms and ${perServiceCpu.high.toFixed(2)} ms: **${(perServiceCpu.high / perServiceCpu.low).toFixed(2)}×**; ${memPerService.toFixed(0)} KiB of memory each (${n2}→${n3}).`,
    `- ${n3} services: **${c3.time.median.toFixed(2)} s** (spread ${spread(c3)}; goal ≤ 10 s), **${c3.rss!.median.toFixed(0)} MiB** (goal ≤ 800 MiB). 1-minute load average when each count started: ${loads.map((l) => l.toFixed(1)).join(', ')} on ${os.cpus().length} cores (the machine is shared: see the spread).`,
  ];
  const table = lines.join('\n');
  console.log(table);
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', 'latest.md'), table + '\n');
  if (process.argv.includes('--update-readme')) {
    const readme = path.join(ROOT, 'README.md');
    const text = fs.readFileSync(readme, 'utf8');
    const updated = text.replace(/(<!-- bench:start -->\n)[\s\S]*?(<!-- bench:end -->)/, `$1${table}\n$2`);
    if (updated === text && !text.includes(table)) throw new Error('README.md has no <!-- bench:start --> / <!-- bench:end --> markers');
    fs.writeFileSync(readme, updated);
  }
  fs.rmSync(TMP, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
