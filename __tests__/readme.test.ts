// The README's examples are claims too: its error messages must be the ones the library throws.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { MeshService, SecureEdge } from '../lib';
import { addonMesh } from './support/fixtures';

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const messageOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e: any) {
    return e.message;
  }
  throw new Error('no error thrown');
};

test('the README quotes the real error messages', () => {
  const subnet = { subnetId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s', subnetName: 's', addressPrefix: '10.0.0.0/24', virtualNetworkId: 'v', virtualNetworkName: 'v', virtualNetworkAddressSpace: ['10.0.0.0/16'] };
  const edge = messageOf(() => new SecureEdge(new TerraformStack(new App(), 'platform'), 'Edge', {
    resourceGroupName: 'rg',
    location: 'westeurope',
    subnet,
    backend: { gatewayHostName: 'apim.azure-api.net', privateIpAddresses: [], healthProbePath: '/status-0123456789abcdef' },
    minCapacity: 12,
    maxCapacity: 10,
  }));
  const service = messageOf(() => new MeshService(new TerraformStack(new App(), 'workloads'), 'Orders', { mesh: addonMesh, image: 'nginx:latest' }));
  expect(readme).toContain(edge);
  expect(readme).toContain(service);
});

test('the README starts with the quick start', () => {
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)![1];
  expect(firstBlock.split('\n').filter(Boolean).map((l) => l.split('#')[0].trim())).toEqual(['npm install', 'npm run synth', 'npm test']);
});

test('the README\'s main snippet synthesizes its three stacks and passes the policy pack', () => {
  const snippet = /```ts\n(import \{ App, TerraformStack \} from 'cdktf';[\s\S]*?)```/.exec(readme)![1];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-snippet-'));
  const lib = path.join(__dirname, '..', 'lib');
  const file = path.join(__dirname, '..', '.gen', `readme-snippet-${process.pid}.ts`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, snippet.replace("from 'cdktf-azure-gateway-mesh'", `from ${JSON.stringify(lib)}`));
  try {
    execFileSync(process.execPath, [require.resolve('tsx/cli'), file], { env: { ...process.env, CDKTF_OUTDIR: dir }, stdio: 'pipe' });
    expect(fs.readdirSync(path.join(dir, 'stacks')).sort()).toEqual(['foundation', 'platform', 'workloads']);
  } finally {
    fs.rmSync(file, { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
