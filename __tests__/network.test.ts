import { App, TerraformStack, Testing } from 'cdktf';
import { LockLevel, TieredNetwork } from '../lib';
import { expectValidStack, synthStack } from './support';

const placement = { resourceGroupName: 'rg-mesh', location: 'westeurope' };
const newStack = () => new TerraformStack(new App(), 'test');

describe('TieredNetwork', () => {
  test('defaults', () => {
    const stack = newStack();
    const network = new TieredNetwork(stack, 'Network', placement);
    expectValidStack(stack);
    const json = synthStack(stack);
    expect(json).toMatchSnapshot();
    expect(Testing.toHaveResourceWithProperties(JSON.stringify(json), 'azurerm_virtual_network', { address_space: ['10.0.0.0/16'] })).toBe(true);
    expect(Object.values(json.resource.azurerm_subnet).map((s: any) => s.address_prefixes[0])).toEqual(['10.0.1.0/24', '10.0.16.0/20', '10.0.0.0/24']);
    expect(network.computeSubnet.addressPrefix).toBe('10.0.16.0/20');
    expect(network.node.defaultChild).toBe(network.resource);
  });

  test('all options', () => {
    const stack = newStack();
    new TieredNetwork(stack, 'Network', {
      ...placement,
      name: 'vnet-prod',
      addressSpace: '172.16.0.0/16',
      edgeSubnetPrefix: '172.16.0.0/24',
      apiSubnetPrefix: '172.16.1.0/27',
      computeSubnetPrefix: '172.16.64.0/18',
      tags: { env: 'prod' },
      lock: { level: LockLevel.CAN_NOT_DELETE },
    });
    expectValidStack(stack);
    expect(synthStack(stack)).toMatchSnapshot();
  });

  test('fails when a subnet lies outside the address space', () => {
    expect(() => new TieredNetwork(newStack(), 'Network', { ...placement, apiSubnetPrefix: '10.1.0.0/24' }))
      .toThrow(/TieredNetwork at 'test\/Network': invalid 'apiSubnetPrefix': got "10.1.0.0\/24"; expected a block inside the VNet's address space 10.0.0.0\/16/);
  });

  test('fails when subnets overlap', () => {
    expect(() => new TieredNetwork(newStack(), 'Network', { ...placement, computeSubnetPrefix: '10.0.0.0/20' }))
      .toThrow(/invalid 'computeSubnetPrefix': got "10.0.0.0\/20"; expected a block that does not overlap 'edgeSubnetPrefix'/);
  });

  test('fails when a prefix is not a CIDR block', () => {
    expect(() => new TieredNetwork(newStack(), 'Network', { ...placement, addressSpace: '10.0.0.0' }))
      .toThrow(/invalid 'addressSpace': got "10.0.0.0"; expected an IPv4 CIDR block/);
  });

  test('fails when the name breaks Azure naming rules', () => {
    expect(() => new TieredNetwork(newStack(), 'Network', { ...placement, name: '-bad' }))
      .toThrow(/invalid 'name': got "-bad"; expected 2-64 characters/);
  });
});
