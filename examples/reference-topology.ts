import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { TieredNetwork } from '../lib';

/** Builds the reference topology's stacks in `scope` (an App). */
export function buildReferenceTopology(scope: Construct): TerraformStack[] {
  const platform = new TerraformStack(scope, 'platform');
  new AzurermProvider(platform, 'azurerm', { features: [{}] });
  const group = new ResourceGroup(platform, 'ResourceGroup', { name: 'rg-gateway-mesh', location: 'westeurope' });
  new TieredNetwork(platform, 'Network', { resourceGroupName: group.name, location: group.location });
  return [platform];
}
