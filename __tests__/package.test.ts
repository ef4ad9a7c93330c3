// Proof that the published package works: compile it with jsii, `npm pack` it, install the tarball
// into a fresh consumer project beside its peer dependencies, and synthesize a small topology there
// from the package's public exports only.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, npm_config_update_notifier: 'false' } });

describe('the npm package', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('packs, installs into a fresh project and synthesizes from its public exports', () => {
    run('npx', ['jsii', '--silence-warnings=reserved-word'], ROOT);
    const tarball = path.join(work, run('npm', ['pack', '--silent', '--pack-destination', work], ROOT).trim().split('\n').pop()!);
    const files = run('tar', ['-tzf', tarball], work).split('\n');
    expect(files).toEqual(expect.arrayContaining(['package/build/index.js', 'package/build/index.d.ts', 'package/.jsii', 'package/node_modules/elkjs/package.json', 'package/node_modules/ipaddr.js/package.json']));
    expect(files.filter((f) => /^package\/(lib|__tests__|examples)\//.test(f))).toEqual([]);

    // The consumer: the tarball, and the peer dependencies taken from this checkout (offline, as symlinks).
    const peers = ['cdktf', 'constructs', '@cdktf/provider-azurerm', '@cdktf/provider-kubernetes', '@cdktf/provider-helm'];
    const consumer = path.join(work, 'consumer');
    fs.mkdirSync(consumer);
    fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({
      name: 'consumer',
      version: '1.0.0',
      private: true,
      dependencies: Object.fromEntries([['cdktf-azure-gateway-mesh', `file:${tarball}`], ...peers.map((p) => [p, `file:${path.join(ROOT, 'node_modules', p)}`])]),
    }, null, 2));
    // --legacy-peer-deps: the peers are given explicitly above (npm's peer placement fails on linked peers).
    run('npm', ['install', '--offline', '--legacy-peer-deps', '--no-audit', '--no-fund', '--ignore-scripts'], consumer);

    fs.writeFileSync(path.join(consumer, 'app.js'), `
      const { App, TerraformStack } = require('cdktf');
      const { AzurermProvider } = require('@cdktf/provider-azurerm/lib/provider');
      const { TieredNetwork, ApiGovernance, SecureEdge, MeshCluster, MeshService, MeshNamespace, MeshPort } = require('cdktf-azure-gateway-mesh');
      const app = new App({ outdir: 'out' });
      const platform = new TerraformStack(app, 'platform');
      new AzurermProvider(platform, 'azurerm', { features: [{}] });
      const placement = { resourceGroupName: 'rg-consumer', location: 'westeurope' };
      const network = new TieredNetwork(platform, 'Network', placement);
      const cluster = new MeshCluster(platform, 'Cluster', { ...placement, subnet: network.computeSubnet });
      const api = new ApiGovernance(platform, 'Api', { ...placement, name: 'apim-consumer', subnet: network.apiSubnet, publisherName: 'Consumer', publisherEmail: 'ops@consumer.example' });
      new SecureEdge(platform, 'Edge', { ...placement, subnet: network.edgeSubnet, backend: api, listeners: [{ id: 'web', hostNames: ['api.consumer.example'], certificateSecretId: 'https://kv-consumer.vault.azure.net/secrets/tls' }] });
      const workloads = new TerraformStack(app, 'workloads');
      new AzurermProvider(workloads, 'azurerm', { features: [{}] });
      const mesh = cluster.connect(workloads, 'Mesh');
      const svc = new MeshService(workloads, 'Hello', { mesh, image: 'mcr.microsoft.com/azuredocs/aks-helloworld:v1', ports: [MeshPort.http(8080)] });
      svc.exposeViaGateway();
      api.addApi('Hello', { path: 'hello', backend: svc, operations: [{ operationId: 'get', method: 'GET', urlTemplate: '/' }] });
      app.synth();
    `);
    run(process.execPath, ['app.js'], consumer);
    const stacks = fs.readdirSync(path.join(consumer, 'out', 'stacks')).sort();
    expect(stacks).toEqual(['platform', 'workloads']);
    const platformJson = JSON.parse(fs.readFileSync(path.join(consumer, 'out', 'stacks', 'platform', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(platformJson.resource)).toEqual(expect.arrayContaining(['azurerm_application_gateway', 'azurerm_api_management', 'azurerm_kubernetes_cluster']));
    // The library came from the tarball, not from this checkout.
    expect(fs.realpathSync(path.join(consumer, 'node_modules', 'cdktf-azure-gateway-mesh'))).toContain(consumer);
  }, 180_000);
});
