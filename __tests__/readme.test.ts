// The README's examples are claims too: its error messages must be the ones the library throws.
import * as fs from 'fs';
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
