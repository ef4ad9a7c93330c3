import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { Construct } from 'constructs';
import { ImportedTieredNetwork, ITieredNetwork, TieredNetworkAttributes } from './imported-network';
import { Cidr, cidrContains, cidrOverlaps, parseCidr } from '../core/cidr';
import { ISubnet, ResourcePlacement } from '../core/contracts';
import { ConstructValidationError } from '../core/errors';
import { AzureModuleProps, ModuleInterfaceResources } from '../core/module-interface';
import { applyModuleInterface } from '../core/module-resources';
import { checkAzureName, checkPlacement, checkPropsObject, checkTags } from '../core/validate';

/**
 * Props of `TieredNetwork`. Of the module interface: `lock` (CanNotDelete only) on the VNet,
 * `roleAssignments` and `diagnosticSettings` of the VNet.
 */
export interface TieredNetworkProps extends ResourcePlacement, AzureModuleProps {
  /**
   * Name of the VNet.
   * @default "vnet-gateway-mesh"
   */
  readonly name?: string;
  /**
   * Address space of the VNet.
   * @default "10.0.0.0/16"
   */
  readonly addressSpace?: string;
  /**
   * Presentation layer: the Application Gateway's subnet (a /24 leaves room to autoscale to 125 instances).
   * @default "10.0.0.0/24"
   */
  readonly edgeSubnetPrefix?: string;
  /**
   * API layer: API Management's subnet.
   * @default "10.0.1.0/24"
   */
  readonly apiSubnetPrefix?: string;
  /**
   * Compute layer: AKS nodes (with Azure CNI Overlay, pods take addresses from the pod CIDR, not from here).
   * @default "10.0.16.0/20"
   */
  readonly computeSubnetPrefix?: string;
  /**
   * Tags of the VNet (subnets take no tags): at most 50; names of 1-512 characters without `<>%&\?/`;
   * values of at most 256 characters.
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/** Why the VNet takes no ReadOnly lock. */
const VNET_READ_ONLY = 'a ReadOnly lock on the VNet also locks its subnets, so the constructs deployed into them could not '
  + 'associate their NSGs, and the gateway, API Management and AKS nodes could not join or scale in them.';

/**
 * One VNet with the three layers of the topology, each in its own subnet:
 * presentation (`edge`), API (`api`) and compute (`compute`). The constructs deployed into
 * each subnet create and associate its NSG (`SecureEdge`, `ApiGovernance`, `MeshCluster`).
 *
 * @example
 * const network = new TieredNetwork(platform, 'Network', { resourceGroupName: 'rg-shop', location: 'westeurope' });
 * new MeshCluster(platform, 'Cluster', { resourceGroupName: 'rg-shop', location: 'westeurope', subnet: network.computeSubnet });
 */
export class TieredNetwork extends Construct implements ITieredNetwork {
  /**
   * The three layers on existing subnets of one VNet (a hub team's network), by resource id; each is
   * read with data sources. The constructs deployed into them create and associate their NSGs.
   *
   * @example
   * const network = TieredNetwork.fromSubnetIds(stack, 'Network', {
   *   edgeSubnetId: `${vnetId}/subnets/snet-edge`, apiSubnetId: `${vnetId}/subnets/snet-api`, computeSubnetId: `${vnetId}/subnets/snet-compute`,
   * });
   */
  public static fromSubnetIds(scope: Construct, id: string, attrs: TieredNetworkAttributes): ITieredNetwork {
    return new ImportedTieredNetwork(scope, id, attrs);
  }

  /** The VNet. */
  public readonly resource: VirtualNetwork;
  /** Subnet of the Application Gateway. */
  public readonly edgeSubnet: ISubnet;
  /** Subnet of API Management. */
  public readonly apiSubnet: ISubnet;
  /** Subnet of the AKS nodes. */
  public readonly computeSubnet: ISubnet;
  /** The subnet resources, by layer. */
  public readonly edgeSubnetResource: Subnet;
  public readonly apiSubnetResource: Subnet;
  public readonly computeSubnetResource: Subnet;
  /** The lock, role assignments and diagnostic settings of the VNet (`lock`, `roleAssignments`, `diagnosticSettings`). */
  public readonly moduleResources: ModuleInterfaceResources;

  constructor(scope: Construct, id: string, props: TieredNetworkProps) {
    super(scope, id);
    props = checkPropsObject(this, 'props', props);
    checkPlacement(this, props);
    const name = props.name ?? 'vnet-gateway-mesh';
    checkAzureName(this, 'name', name, {
      min: 2,
      max: 64,
      pattern: /^[a-zA-Z0-9][a-zA-Z0-9._-]*[a-zA-Z0-9_]$/,
      description: 'letters, digits, underscores, periods and hyphens; starts with a letter or digit, ends with a letter, digit or underscore',
    });
    checkTags(this, props.tags);
    const space = this.cidr('addressSpace', props.addressSpace ?? '10.0.0.0/16');
    const layers: Array<[string, string, Cidr]> = [
      ['edge', 'edgeSubnetPrefix', this.cidr('edgeSubnetPrefix', props.edgeSubnetPrefix ?? '10.0.0.0/24')],
      ['api', 'apiSubnetPrefix', this.cidr('apiSubnetPrefix', props.apiSubnetPrefix ?? '10.0.1.0/24')],
      ['compute', 'computeSubnetPrefix', this.cidr('computeSubnetPrefix', props.computeSubnetPrefix ?? '10.0.16.0/20')],
    ];
    layers.forEach(([, prop, cidr], i) => {
      if (!cidrContains(space, cidr)) {
        throw new ConstructValidationError(this, prop, cidr.text, `expected a block inside the VNet's address space ${space.text}.`);
      }
      for (const [, otherProp, other] of layers.slice(0, i)) {
        if (cidrOverlaps(cidr, other)) {
          throw new ConstructValidationError(this, prop, cidr.text, `expected a block that does not overlap '${otherProp}' (${other.text}).`);
        }
      }
    });

    this.resource = new VirtualNetwork(this, 'Resource', {
      name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      addressSpace: [space.text],
      tags: props.tags,
    });

    const makeSubnet = (layer: string, cidr: Cidr): [Subnet, ISubnet] => {
      const subnet = new Subnet(this, `${layer[0].toUpperCase()}${layer.slice(1)}Subnet`, {
        name: `snet-${layer}`,
        resourceGroupName: props.resourceGroupName,
        virtualNetworkName: this.resource.name,
        addressPrefixes: [cidr.text],
      });
      return [subnet, {
        subnetId: subnet.id,
        subnetName: subnet.name,
        addressPrefix: cidr.text,
        virtualNetworkId: this.resource.id,
        virtualNetworkName: this.resource.name,
        virtualNetworkAddressSpace: [space.text],
      }];
    };
    [this.edgeSubnetResource, this.edgeSubnet] = makeSubnet('edge', layers[0][2]);
    [this.apiSubnetResource, this.apiSubnet] = makeSubnet('api', layers[1][2]);
    [this.computeSubnetResource, this.computeSubnet] = makeSubnet('compute', layers[2][2]);
    this.moduleResources = applyModuleInterface(this, props, {
      primary: this.resource,
      resourceName: name,
      readOnlyRefusal: VNET_READ_ONLY,
      // VNets have no resource-specific Log Analytics tables.
      dedicatedTables: false,
    });
  }

  private cidr(prop: string, text: string): Cidr {
    const cidr = parseCidr(text);
    if (!cidr) throw new ConstructValidationError(this, prop, text, 'expected an IPv4 CIDR block such as "10.0.0.0/16".');
    return cidr;
  }
}
