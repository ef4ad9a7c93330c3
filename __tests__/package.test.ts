// Proof that the published package installs clean and works: compile it with jsii, `npm pack` it,
// install the tarball into a fresh consumer project with a plain `npm install` (no --legacy-peer-deps),
// check `npm ls`, type-check the README's main snippet under `strict` and synthesize it there.
//
// Offline: the consumer resolves its peer dependencies by version range through a registry served by
// this test on 127.0.0.1, which offers the versions of this checkout's lock file; npm takes their
// tarballs from its cache (by integrity), where `npm ci` of this checkout left them.
import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';

const ROOT = path.join(__dirname, '..');
const PEERS = ['cdktf', 'constructs', '@cdktf/provider-azurerm', '@cdktf/provider-kubernetes', '@cdktf/provider-helm', '@cdktf/provider-time'];
const env = { ...process.env, npm_config_update_notifier: 'false' };
const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe', env });
const runAsync = async (cmd: string, args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}) => {
  // Asynchronous: the registry below answers from this process while npm runs.
  const { stdout, stderr } = await promisify(execFile)(cmd, args, { cwd, encoding: 'utf8', env: { ...env, ...extraEnv }, maxBuffer: 64 * 1024 * 1024 });
  return { stdout, stderr };
};

/** A registry with one version of each peer: the one in this checkout's lock file. */
function startRegistry(): Promise<http.Server> {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')).packages;
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    const entry = lock[`node_modules/${name}`];
    if (!PEERS.includes(name) || !entry) {
      res.statusCode = 404;
      res.end('{}');
      return;
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8'));
    const port = (server.address() as AddressInfo).port;
    const version = entry.version;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({
      'name': name,
      'dist-tags': { latest: version },
      'versions': {
        [version]: {
          name,
          version,
          dependencies: manifest.dependencies,
          peerDependencies: manifest.peerDependencies,
          bundleDependencies: manifest.bundleDependencies ?? manifest.bundledDependencies,
          // Not served: npm finds the tarball in its cache by this integrity.
          dist: { tarball: `http://127.0.0.1:${port}/${name}/-/${name.split('/').pop()}-${version}.tgz`, integrity: entry.integrity },
        },
      },
    }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The README's ```ts block that contains `marker`. */
function readmeSnippet(marker: string): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).find((code) => code.includes(marker));
  if (!block) throw new Error(`README.md has no \`\`\`ts block with ${marker}`);
  return block;
}

/** The README's team stack example, with the imports and the app it leaves out. */
function teamSnippet(): string {
  return [
    "import { App, TerraformStack } from 'cdktf';",
    "import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';",
    "import { ApiGovernance, HttpMethod, IstioMode, MeshConnection, MeshPeer, MeshPort, MeshService, UniqueName } from 'cdktf-azure-gateway-mesh';",
    "const app = new App({ outdir: 'team.out' });",
    readmeSnippet('fromClusterAttributes'),
    'app.synth();',
  ].join('\n');
}

describe('the npm package', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-'));
  let registry: http.Server | undefined;
  afterAll(async () => {
    if (registry) await new Promise((resolve) => registry!.close(resolve));
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('installs clean into a fresh project, and the README examples type-check (strict) and synthesize there', async () => {
    run('npx', ['jsii', '--silence-warnings=reserved-word'], ROOT);
    const tarball = path.join(work, run('npm', ['pack', '--silent', '--pack-destination', work], ROOT).trim().split('\n').pop()!);
    const files = run('tar', ['-tzf', tarball], work).split('\n');
    expect(files).toEqual(expect.arrayContaining(['package/build/index.js', 'package/build/index.d.ts', 'package/.jsii',
      'package/node_modules/elkjs/package.json', 'package/node_modules/ipaddr.js/package.json', 'package/node_modules/fast-xml-parser/package.json']));
    expect(files.filter((f) => /^package\/(lib|__tests__|examples)\//.test(f))).toEqual([]);

    // Peers are ranges, so a consumer's newer constructs or provider patch release satisfies them.
    const packed = JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json'], work));
    for (const peer of PEERS) expect(packed.peerDependencies[peer]).toMatch(/^\^\d+\.\d+\.\d+$/);

    const consumer = path.join(work, 'consumer');
    fs.mkdirSync(consumer);
    fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({
      name: 'consumer',
      version: '1.0.0',
      private: true,
      dependencies: Object.fromEntries([['cdktf-azure-gateway-mesh', `file:${tarball}`], ...PEERS.map((p) => [p, packed.peerDependencies[p]])]),
    }, null, 2));
    registry = await startRegistry();
    const registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
    const install = await runAsync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], consumer,
      { npm_config_registry: registryUrl });
    const installLog = `${install.stdout}\n${install.stderr}`;
    expect(installLog).not.toMatch(/ERESOLVE|peer dep|invalid/i);
    // Exit code 0 (execFile rejects otherwise): every dependency, peers included, is present and valid.
    const ls = await runAsync('npm', ['ls', '--all'], consumer, { npm_config_registry: registryUrl });
    expect(ls.stdout).not.toMatch(/UNMET|invalid/);
    // The library came from the tarball, not from this checkout.
    expect(fs.realpathSync(path.join(consumer, 'node_modules', 'cdktf-azure-gateway-mesh'))).toContain(consumer);

    // The README's snippet, as a user pastes it: strict type-check against the installed declarations.
    fs.writeFileSync(path.join(consumer, 'main.ts'), readmeSnippet('app.synth()'));
    fs.writeFileSync(path.join(consumer, 'team.ts'), teamSnippet());
    fs.writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs', moduleResolution: 'node', outDir: 'dist', types: [], skipLibCheck: true },
      files: ['main.ts', 'team.ts'],
    }, null, 2));
    await runAsync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], consumer);
    await runAsync(process.execPath, [path.join('dist', 'main.js')], consumer);
    const stacks = fs.readdirSync(path.join(consumer, 'cdktf.out', 'stacks')).sort();
    expect(stacks).toEqual(['foundation', 'platform', 'workloads']);
    const platformJson = JSON.parse(fs.readFileSync(path.join(consumer, 'cdktf.out', 'stacks', 'platform', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(platformJson.resource)).toEqual(expect.arrayContaining(['azurerm_application_gateway', 'azurerm_api_management', 'azurerm_kubernetes_cluster']));
    const workloadsJson = JSON.parse(fs.readFileSync(path.join(consumer, 'cdktf.out', 'stacks', 'workloads', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(workloadsJson.resource)).toEqual(expect.arrayContaining(['kubernetes_manifest', 'kubernetes_deployment_v1']));
    // The README's team stack example: importers only, so data sources and no remote state.
    await runAsync(process.execPath, [path.join('dist', 'team.js')], consumer);
    expect(fs.readdirSync(path.join(consumer, 'team.out', 'stacks'))).toEqual(['team-reviews']);
    const teamJson = JSON.parse(fs.readFileSync(path.join(consumer, 'team.out', 'stacks', 'team-reviews', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(teamJson.data).sort()).toEqual(['azurerm_api_management', 'azurerm_client_config', 'azurerm_kubernetes_cluster']);
    expect(Object.keys(teamJson.resource)).toEqual(expect.arrayContaining(['kubernetes_manifest', 'azurerm_api_management_api']));
  }, 600_000);
});
