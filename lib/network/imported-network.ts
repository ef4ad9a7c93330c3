import { DataAzurermSubnet } from '@cdktf/provider-azurerm/lib/data-azurerm-subnet';
import { DataAzurermVirtualNetwork } from '@cdktf/provider-azurerm/lib/data-azurerm-virtual-network';
import { Construct } from 'constructs';
import { Fn, Token } from '../core/cdktf';
import { ISubnet } from '../core/contracts';
import { ConstructValidationError, isUnresolved } from '../core/errors';

/** The three layers' subnets of the topology: `TieredNetwork`, or existing subnets (`TieredNetwork.fromSubnetIds`). */
export interface ITieredNetwork {
  /** Subnet of the Application Gateway (presentation layer). */
  readonly edgeSubnet: ISubnet;
  /** Subnet of API Management (API layer). */
  readonly apiSubnet: ISubnet;
  /** Subnet of the AKS nodes (compute layer). */
  readonly computeSubnet: ISubnet;
}

/** Existing subnets of one VNet, by Azure resource id, for `TieredNetwork.fromSubnetIds`. */
export interface TieredNetworkAttributes {
  /** Resource id of the Application Gateway's subnet. */
  readonly edgeSubnetId: string;
  /** Resource id of API Management's subnet. */
  readonly apiSubnetId: string;
  /** Resource id of the AKS nodes' subnet. */
  readonly computeSubnetId: string;
}

const SUBNET_ID = /^\/subscriptions\/([^/\s]+)\/resourceGroups\/([^/\s]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/\s]+)\/subnets\/([^/\s]+)$/i;

/**
 * An existing subnet, by resource id: the subnet and its VNet are read with data sources (address
 * prefix, address space), so constructs deployed into it validate and build NSG rules as on an owned one.
 * The stack's azurerm provider must target the subnet's subscription. The construct deployed into the
 * subnet creates and associates its NSG: the subnet must not have one associated already.
 *
 * @example
 * const subnet = ExistingSubnet.fromSubnetId(stack, 'ApiSubnet', `${vnetId}/subnets/snet-api`);
 */
export class ExistingSubnet extends Construct implements ISubnet {
  /**
   * An existing subnet, as an `ISubnet`.
   *
   * @example
   * const subnet = ExistingSubnet.fromSubnetId(stack, 'ApiSubnet',
   *   '/subscriptions/<subscription>/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-api');
   */
  public static fromSubnetId(scope: Construct, id: string, subnetId: string): ISubnet {
    return new ExistingSubnet(scope, id, subnetId);
  }

  /** The subnet, as read from Azure. */
  public readonly subnet: DataAzurermSubnet;
  /** Its VNet, as read from Azure. */
  public readonly virtualNetwork: DataAzurermVirtualNetwork;
  public readonly subnetId: string;
  public readonly subnetName: string;
  public readonly addressPrefix: string;
  public readonly virtualNetworkId: string;
  public readonly virtualNetworkName: string;
  public readonly virtualNetworkAddressSpace: string[];

  private constructor(scope: Construct, id: string, subnetId: string) {
    super(scope, id);
    const parts = parseSubnetId(this, 'subnetId', subnetId);
    const [, , resourceGroupName, virtualNetworkName, subnetName] = parts;
    this.virtualNetwork = new DataAzurermVirtualNetwork(this, 'VirtualNetwork', { name: virtualNetworkName, resourceGroupName });
    this.subnet = new DataAzurermSubnet(this, 'Subnet', { name: subnetName, virtualNetworkName, resourceGroupName });
    this.subnetId = subnetId;
    this.subnetName = subnetName;
    this.addressPrefix = Fn.element(this.subnet.addressPrefixes, 0);
    this.virtualNetworkId = subnetId.slice(0, subnetId.toLowerCase().lastIndexOf('/subnets/'));
    this.virtualNetworkName = virtualNetworkName;
    this.virtualNetworkAddressSpace = Token.asList(this.virtualNetwork.addressSpace);
  }
}

/** `[id, subscription, group, vnet, subnet]` of a subnet resource id; throws naming `prop` otherwise. */
function parseSubnetId(scope: Construct, prop: string, subnetId: string): RegExpExecArray {
  const match = typeof subnetId === 'string' && !isUnresolved(subnetId) ? SUBNET_ID.exec(subnetId) : null;
  if (!match) {
    throw new ConstructValidationError(scope, prop, subnetId,
      'expected the literal resource id of a subnet, "/subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>" '
      + '(an importer reads names from it, so it cannot be a reference).');
  }
  return match;
}

/** The three layers on existing subnets of one VNet. *
/** The three layers on existing subnets of one VNet. * @example
/** The three layers on existing subnets of one VNet. * const network = TieredNetwork.fromSubnetIds(stack, 'Network', {
/** The three layers on existing subnets of one VNet. *   edgeSubnetId: `${vnetId}/subnets/snet-edge`, apiSubnetId: `${vnetId}/subnets/snet-api`, computeSubnetId: `${vnetId}/subnets/snet-compute`,
/** The three layers on existing subnets of one VNet. * });
/** The three layers on existing subnets of one VNet. */
export class ImportedTieredNetwork extends Construct implements ITieredNetwork {
  public readonly edgeSubnet: ISubnet;
  public readonly apiSubnet: ISubnet;
  public readonly computeSubnet: ISubnet;

  constructor(scope: Construct, id: string, attrs: TieredNetworkAttributes) {
    super(scope, id);
    const ids: Array<[string, string]> = [['edgeSubnetId', attrs.edgeSubnetId], ['apiSubnetId', attrs.apiSubnetId], ['computeSubnetId', attrs.computeSubnetId]];
    const vnets = ids.map(([prop, value]) => {
      const [, subscription, group, vnet] = parseSubnetId(this, prop, value);
      return `/subscriptions/${subscription}/resourceGroups/${group}/virtualNetworks/${vnet}`.toLowerCase();
    });
    ids.forEach(([prop, value], i) => {
      if (vnets[i] !== vnets[0]) {
        throw new ConstructValidationError(this, prop, value, `expected a subnet of the same VNet as 'edgeSubnetId' (${attrs.edgeSubnetId.split('/subnets/')[0]}): the three layers share one VNet.`);
      }
      const other = ids.findIndex(([, v]) => v.toLowerCase() === value.toLowerCase());
      if (other !== i) throw new ConstructValidationError(this, prop, value, `expected a subnet other than '${ids[other][0]}'s: each layer has its own subnet.`);
    });
    this.edgeSubnet = ExistingSubnet.fromSubnetId(this, 'EdgeSubnet', attrs.edgeSubnetId);
    this.apiSubnet = ExistingSubnet.fromSubnetId(this, 'ApiSubnet', attrs.apiSubnetId);
    this.computeSubnet = ExistingSubnet.fromSubnetId(this, 'ComputeSubnet', attrs.computeSubnetId);
  }
}
