import {
  ApplicationGateway,
  ApplicationGatewayBackendAddressPool,
  ApplicationGatewayBackendHttpSettings,
  ApplicationGatewayFrontendIpConfiguration,
  ApplicationGatewayFrontendPort,
  ApplicationGatewayHttpListener,
  ApplicationGatewayProbe,
  ApplicationGatewayRedirectConfiguration,
  ApplicationGatewayRequestRoutingRule,
  ApplicationGatewaySslCertificate,
  ApplicationGatewayUrlPathMap,
} from '@cdktf/provider-azurerm/lib/application-gateway';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { NetworkSecurityGroup, NetworkSecurityGroupSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-group';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import {
  WebApplicationFirewallPolicy,
  WebApplicationFirewallPolicyCustomRules,
  WebApplicationFirewallPolicyManagedRules,
} from '@cdktf/provider-azurerm/lib/web-application-firewall-policy';
import { Sleep } from '@cdktf/provider-time/lib/sleep';
import { Construct } from 'constructs';
import * as ipaddr from 'ipaddr.js';
import { WAF_RULE_GROUPS } from './internal';
import { TlsPolicy } from './tls';
import {
  ManagedRuleSet,
  WafCustomRule,
  WafExclusion,
  WafExclusionVariable,
  WafManagedRuleAction,
  WafMode,
  WafSelectorOperator,
} from './waf';
import { ITerraformDependable } from '../core/cdktf';
import { Cidr, cidrHasAddress, cidrHost, cidrSize, parseCidr } from '../core/cidr';
import { IEdgeBackend, ISubnet, ResourcePlacement } from '../core/contracts';
import { addDiagnostics } from '../core/diagnostics';
import { ConstructValidationError, isUnresolved } from '../core/errors';
import { checkSecretInVault } from '../core/key-vault-ref';
import { AzureModuleProps, ModuleInterfaceResources } from '../core/module-interface';
import { applyModuleInterface } from '../core/module-resources';
import { checkDuration, waitForRoleAssignments } from '../core/readiness';
import { checkAzureName, checkInteger, checkOneOf, checkPattern, checkPlacement, checkPropsObject, checkRequired, checkTags, checkUnique } from '../core/validate';

/** Which frontend IP a listener listens on. */
export enum EdgeFrontend {
  /** The public IP (Internet-facing). */
  PUBLIC = 'public',
  /** The private frontend IP in the edge subnet (requires `privateFrontendIpAddress`). */
  PRIVATE = 'private',
}

/** Options of `SecureEdge.addListener`. */
export interface EdgeListenerOptions {
  /**
   * Host names the listener answers (multi-site listener, SNI), at most 5; a leading `*.` wildcard
   * is allowed. Unique across the gateway's listeners on the same frontend.
   */
  readonly hostNames: string[];
  /**
   * Key Vault secret id of the TLS certificate (PFX), `https://<vault>.vault.azure.net/secrets/<name>[/<version>]`,
   * read with the gateway's user-assigned identity. Leave the version out so that renewals are picked up.
   */
  readonly certificateSecretId: string;
  /**
   * Where the listener sends requests that no route matches.
   * @default - the `backend` of the SecureEdge
   */
  readonly backend?: IEdgeBackend;
  /**
   * The frontend IP the listener listens on.
   * @default EdgeFrontend.PUBLIC
   */
  readonly frontend?: EdgeFrontend;
  /**
   * Also listen on HTTP (port 80), only to redirect permanently to HTTPS. With false, port 80 stays closed.
   * @default true
   */
  readonly redirectHttp?: boolean;
  /**
   * Priority of the listener's routing rule, 1-10000 (lower first); put specific host names before wildcards.
   * The HTTP redirect rule takes this plus 10000.
   * @default - 10 times the listener's position (10, 20, ...)
   */
  readonly priority?: number;
}

/** A listener given in `SecureEdgeProps.listeners`. */
export interface EdgeListenerProps extends EdgeListenerOptions {
  /** Id of the listener: lower-case letters, digits and hyphens, at most 40; names its blocks in the gateway. */
  readonly id: string;
}

/** An HTTPS listener of the gateway, returned by `addListener`. */
export interface EdgeListener {
  /** Id of the listener. */
  readonly id: string;
  /** Host names the listener answers. */
  readonly hostNames: string[];
  /** The frontend IP the listener listens on. */
  readonly frontend: EdgeFrontend;
  /** Where unmatched requests go. */
  readonly backend: IEdgeBackend;
  /** Name of the HTTPS `http_listener` block. */
  readonly httpsListenerName: string;
  /**
   * Name of the HTTP listener that redirects to HTTPS.
   * @default - none (no redirect)
   */
  readonly redirectListenerName?: string;
  /** Name of the `ssl_certificate` block. */
  readonly certificateName: string;
  /** Name of the `request_routing_rule` of the HTTPS listener. */
  readonly routingRuleName: string;
  /** Priority of that rule. */
  readonly priority: number;
}

/** Options of `SecureEdge.addRoute`. */
export interface EdgeRouteOptions {
  /** The listener whose requests the route matches. */
  readonly listener: EdgeListener;
  /** Path patterns, e.g. `/orders/*`: each starts with `/`, `*` only as the last character. */
  readonly paths: string[];
  /**
   * Where matching requests go.
   * @default - the listener's backend
   */
  readonly backend?: IEdgeBackend;
}

/** A path rule of the gateway, returned by `addRoute`. */
export interface EdgeRoute {
  /** Id of the route. */
  readonly id: string;
  /** Id of the listener the route belongs to. */
  readonly listenerId: string;
  /** Path patterns. */
  readonly paths: string[];
  /** Where matching requests go. */
  readonly backend: IEdgeBackend;
  /** Name of the `path_rule` block. */
  readonly pathRuleName: string;
}

/**
 * Props of `SecureEdge`. Of the module interface: `lock` (CanNotDelete or ReadOnly), `roleAssignments`
 * and `diagnosticSettings` of the Application Gateway. A ReadOnly lock freezes the gateway: no listener,
 * route, certificate or scaling change applies until the lock is removed, and the portal's backend health
 * (a POST) fails.
 */
export interface SecureEdgeProps extends ResourcePlacement, AzureModuleProps {
  /** The edge subnet, dedicated to the gateway; SecureEdge creates and associates its NSG. */
  readonly subnet: ISubnet;
  /** Default backend (API Management, e.g. an `ApiGovernance`): HTTPS with its host name, probed on its health path. */
  readonly backend: IEdgeBackend;
  /**
   * HTTPS listeners. At least one is needed by synth time, here or with `addListener`.
   * @default - none
   */
  readonly listeners?: EdgeListenerProps[];
  /**
   * Name of the Application Gateway; also names the other resources (`waf-`, `pip-`, `nsg-`, `id-` + name).
   * @default "agw-edge"
   */
  readonly name?: string;
  /**
   * Availability zones of the gateway and its public IP. An empty list deploys without zones (only for regions without zones).
   * @default ["1", "2", "3"]
   */
  readonly zones?: string[];
  /**
   * Fewest instances of the autoscaling gateway, 0-100.
   * @default 2
   */
  readonly minCapacity?: number;
  /**
   * Most instances, 2-125; the edge subnet must have room for them.
   * @default 10
   */
  readonly maxCapacity?: number;
  /**
   * TLS policy of the listeners.
   * @default TlsPolicy.predefined('AppGwSslPolicy20220101S')
   */
  readonly tlsPolicy?: TlsPolicy;
  /**
   * Enable HTTP/2 between clients and the gateway.
   * @default true
   */
  readonly http2?: boolean;
  /**
   * Static private frontend IP (inside the edge subnet) for listeners with `EdgeFrontend.PRIVATE`.
   * @default - no private frontend
   */
  readonly privateFrontendIpAddress?: string;
  /**
   * Sources allowed to reach the public listeners' ports (service tags, IPv4 addresses or CIDR blocks).
   * @default ["Internet"]
   */
  readonly publicSourceAddressPrefixes?: string[];
  /**
   * Sources allowed to reach the private listeners' ports.
   * @default ["VirtualNetwork"]
   */
  readonly privateSourceAddressPrefixes?: string[];
  /**
   * DNS label of the public IP (`<label>.<region>.cloudapp.azure.com`).
   * @default - none
   */
  readonly domainNameLabel?: string;
  /**
   * Resource id of an existing user-assigned identity to read the certificates with.
   * @default - a new identity is created
   */
  readonly identityId?: string;
  /**
   * Principal id of `identityId`; needed only with `keyVaultId`, to grant it access.
   * @default - none
   */
  readonly identityPrincipalId?: string;
  /**
   * Resource id of the Key Vault (RBAC mode) that holds the certificates; when given, the identity is
   * granted `Key Vault Secrets User` on it before the gateway is created.
   * @default - access is granted outside this construct
   */
  readonly keyVaultId?: string;
  /**
   * With `keyVaultId`: how long Terraform waits after granting the identity `Key Vault Secrets User`
   * before it creates the gateway. Azure RBAC takes minutes to propagate; a gateway created before the
   * role is effective fails to read its certificates (mspnp/aks-baseline#242).
   * @default "5m"
   */
  readonly rbacPropagationWait?: string;
  /**
   * Log Analytics workspace receiving the gateway's access, performance and firewall logs and metrics.
   * @default - no diagnostic settings
   */
  readonly logAnalyticsWorkspaceId?: string;
  /**
   * Seconds the gateway waits for the backend's response, 1-86400.
   * @default 30
   */
  readonly backendRequestTimeout?: number;
  /**
   * WAF mode. `WafMode.DETECTION` blocks nothing: an insecure opt-out for tuning.
   * @default WafMode.PREVENTION
   */
  readonly wafMode?: WafMode;
  /**
   * Core managed rule set.
   * @default ManagedRuleSet.owasp32()
   */
  readonly managedRuleSet?: ManagedRuleSet;
  /**
   * Bot protection rule set.
   * @default ManagedRuleSet.botManager10()
   */
  readonly botManagerRuleSet?: ManagedRuleSet;
  /**
   * Leave the bot protection rule set out: an insecure opt-out.
   * @default false
   */
  readonly disableBotProtection?: boolean;
  /**
   * Request parts the managed rules do not inspect (false-positive fixes).
   * @default - none
   */
  readonly wafExclusions?: WafExclusion[];
  /**
   * Custom rules (IP lists, geo filters, rate limits, matches); more with `addCustomRule`.
   * @default - none
   */
  readonly customRules?: WafCustomRule[];
  /**
   * Inspect request bodies. False is an insecure opt-out: bodies then pass uninspected.
   * @default true
   */
  readonly requestBodyInspection?: boolean;
  /**
   * Largest request body accepted, in KB, 8-2000; larger requests are rejected.
   * @default 128
   */
  readonly maxRequestBodySizeKb?: number;
  /**
   * How much of a body the WAF inspects, in KB, 8-2000.
   * @default 128
   */
  readonly requestBodyInspectLimitKb?: number;
  /**
   * Largest file upload accepted, in MB, 1-4000.
   * @default 100
   */
  readonly fileUploadLimitMb?: number;
  /**
   * Tags of every resource created.
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

interface ListenerState extends EdgeListener {
  readonly certificateSecretId: string;
  readonly backendKey: string;
  readonly routes: RouteState[];
}

interface RouteState extends EdgeRoute {
  readonly backendKey: string;
}

const HTTPS_PORT = 443;
const HTTP_PORT = 80;
const FRONTEND_NAMES: Record<EdgeFrontend, string> = { [EdgeFrontend.PUBLIC]: 'frontend-public', [EdgeFrontend.PRIVATE]: 'frontend-private' };
// At most 253 characters in all (DNS), labels of at most 63.
const HOST_NAME = /^(?=.{1,253}$)(\*\.)?([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$/;
const KEY_VAULT_SECRET_ID = /^https:\/\/[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]\.vault\.(azure\.net|azure\.cn|usgovcloudapi\.net)\/secrets\/[a-zA-Z0-9-]{1,127}(\/[0-9a-fA-F]{32})?$/;
const ID = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;
const SERVICE_TAG = /^[A-Za-z][A-Za-z0-9.]*$/;
const APIM_STATUS_PATH = '/status-0123456789abcdef';
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
// Azure's limits on tags: names up to 512 characters without < > % & \ ? /, values up to 256, 50 per resource.

/**
 * The presentation layer: a WAF policy (Prevention, OWASP 3.2 + bot manager by default) and an
 * Application Gateway WAF_v2 in front of API Management. Zone redundant and autoscaling, a Standard
 * static public IP, HTTPS listeners with Key Vault certificates read through a user-assigned identity,
 * HTTP only as a redirect to HTTPS, HTTP/2, TLS 1.2+; HTTPS to the backend with its host name and a
 * health probe; the edge subnet's NSG with Application Gateway v2's required rules and nothing open
 * beyond the listeners' ports.
 *
 * @example
 * new SecureEdge(platform, 'Edge', {
 *   resourceGroupName: 'rg-shop', location: 'westeurope', subnet: network.edgeSubnet, backend: api, keyVaultId: cluster.keyVaultId,
 *   listeners: [{ id: 'public', hostNames: ['api.shop.example'], certificateSecretId: 'https://kv-shop.vault.azure.net/secrets/edge-tls' }],
 * });
 */
export class SecureEdge extends Construct {
  /** The Application Gateway. */
  public readonly resource: ApplicationGateway;
  /** The WAF policy attached to the gateway. */
  public readonly wafPolicy: WebApplicationFirewallPolicy;
  /** The gateway's Standard static public IP. */
  public readonly publicIp: PublicIp;
  /**
   * The user-assigned identity created for the gateway.
   * @default - none when `identityId` is given
   */
  public readonly identity?: UserAssignedIdentity;
  /** Resource id of the identity the gateway reads certificates with. */
  public readonly identityId: string;
  /**
   * The `Key Vault Secrets User` role assignment of the identity.
   * @default - none without `keyVaultId`
   */
  public readonly keyVaultAccess?: RoleAssignment;
  /**
   * The wait for `keyVaultAccess` to propagate, which the gateway depends on.
   * @default - none without `keyVaultId`
   */
  public readonly keyVaultAccessPropagation?: Sleep;
  /** The edge subnet's NSG. */
  public readonly networkSecurityGroup: NetworkSecurityGroup;
  /** Its association with the edge subnet. */
  public readonly networkSecurityGroupAssociation: SubnetNetworkSecurityGroupAssociation;
  /**
   * Diagnostic settings of the gateway.
   * @default - none without `logAnalyticsWorkspaceId`
   */
  public readonly diagnostics?: MonitorDiagnosticSetting;
  /** The default backend. */
  public readonly backend: IEdgeBackend;
  /** The lock, role assignments and diagnostic settings of the gateway (`lock`, `roleAssignments`, `diagnosticSettings`). */
  public readonly moduleResources: ModuleInterfaceResources;

  private readonly props: SecureEdgeProps;
  private readonly subnetCidr?: Cidr;
  private readonly listenerStates: ListenerState[] = [];
  private readonly routeIds = new Set<string>();
  private readonly backendKeys = new Map<IEdgeBackend, string>();
  private readonly customRules: WafCustomRule[] = [];
  private readonly renderedCustomRules: WebApplicationFirewallPolicyCustomRules[] = [];

  constructor(scope: Construct, id: string, props: SecureEdgeProps) {
    super(scope, id);
    props = checkPropsObject(this, 'props', props);
    this.props = props;
    this.backend = props.backend;
    const name = props.name ?? 'agw-edge';
    checkPlacement(this, props);
    checkRequired(this, 'subnet', props.subnet);
    checkRequired(this, 'backend', props.backend);
    this.checkList('publicSourceAddressPrefixes', props.publicSourceAddressPrefixes);
    this.checkList('privateSourceAddressPrefixes', props.privateSourceAddressPrefixes);
    // JavaScript and JSON callers can pass one item where a list belongs.
    this.checkList('zones', props.zones);
    this.checkList('listeners', props.listeners);
    this.checkList('customRules', props.customRules);
    this.checkList('wafExclusions', props.wafExclusions);
    checkAzureName(this, 'name', name, {
      min: 1,
      max: 76,
      pattern: /^[a-zA-Z0-9]([a-zA-Z0-9_-]*[a-zA-Z0-9_])?$/,
      description: 'letters, digits, underscores and hyphens; starts with a letter or digit, ends with a letter, digit or underscore (76 leaves room for the derived names)',
    });

    // Capacity and zones.
    const minCapacity = props.minCapacity ?? 2;
    const maxCapacity = props.maxCapacity ?? 10;
    checkInteger(this, 'minCapacity', minCapacity, 0, 100);
    checkInteger(this, 'maxCapacity', maxCapacity, 2, 125);
    if (!isUnresolved(minCapacity) && !isUnresolved(maxCapacity) && minCapacity > maxCapacity) {
      throw new ConstructValidationError(this, 'minCapacity', minCapacity, `expected at most maxCapacity (${maxCapacity}).`);
    }
    const zones = props.zones ?? ['1', '2', '3'];
    zones.forEach((zone, i) => checkOneOf(this, `zones[${i}]`, zone, ['1', '2', '3']));
    if (new Set(zones).size !== zones.length) {
      throw new ConstructValidationError(this, 'zones', zones, 'each zone must be listed once.');
    }

    // The subnet must hold every instance, the private frontend IP and Azure's 5 reserved addresses.
    this.subnetCidr = isUnresolved(props.subnet.addressPrefix) ? undefined : parseCidr(props.subnet.addressPrefix);
    if (!isUnresolved(props.subnet.addressPrefix) && !this.subnetCidr) {
      throw new ConstructValidationError(this, 'subnet.addressPrefix', props.subnet.addressPrefix, 'expected an IPv4 CIDR block such as "10.0.0.0/24".');
    }
    if (this.subnetCidr) this.checkNetworkAddress('subnet.addressPrefix', this.subnetCidr);
    if (this.subnetCidr && !isUnresolved(maxCapacity)) {
      const room = cidrSize(this.subnetCidr) - 5 - (props.privateFrontendIpAddress ? 1 : 0);
      if (maxCapacity > room) {
        throw new ConstructValidationError(this, 'maxCapacity', maxCapacity,
          `the edge subnet ${this.subnetCidr.text} has room for ${Math.max(room, 0)} instances (one address each, plus 5 reserved by Azure${props.privateFrontendIpAddress ? ' and the private frontend IP' : ''}); use a larger subnet (a /24 fits 125).`);
      }
    }
    this.checkPrivateFrontend(props.privateFrontendIpAddress);
    this.checkSourcePrefixes('publicSourceAddressPrefixes', props.publicSourceAddressPrefixes);
    this.checkSourcePrefixes('privateSourceAddressPrefixes', props.privateSourceAddressPrefixes);
    checkPattern(this, 'domainNameLabel', props.domainNameLabel, /^[a-z][a-z0-9-]{1,61}[a-z0-9]$/,
      '3-63 lower-case letters, digits and hyphens, starting with a letter and ending with a letter or digit');
    checkInteger(this, 'backendRequestTimeout', props.backendRequestTimeout, 1, 86400);
    checkPattern(this, 'identityId', props.identityId,
      /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+$/i,
      'the resource id of a user-assigned identity (/subscriptions/.../providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>)');
    checkPattern(this, 'keyVaultId', props.keyVaultId,
      /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+$/i,
      'the resource id of a Key Vault (/subscriptions/.../providers/Microsoft.KeyVault/vaults/<name>)');
    checkDuration(this, 'rbacPropagationWait', props.rbacPropagationWait);
    if (props.rbacPropagationWait !== undefined && props.keyVaultId === undefined) {
      throw new ConstructValidationError(this, 'rbacPropagationWait', props.rbacPropagationWait, 'only used with keyVaultId (the wait follows the role assignment on the vault).');
    }
    if (props.keyVaultId && props.identityId && !props.identityPrincipalId) {
      throw new ConstructValidationError(this, 'identityPrincipalId', props.identityPrincipalId,
        'required with identityId and keyVaultId, to grant that identity access to the vault.');
    }
    if (props.identityPrincipalId !== undefined && props.identityId === undefined) {
      // Without identityId the construct creates the identity and grants its own principal: the prop would be ignored.
      throw new ConstructValidationError(this, 'identityPrincipalId', props.identityPrincipalId,
        'it is the principal id of identityId; give identityId too, or leave both out to have an identity created.');
    }
    checkPattern(this, 'identityPrincipalId', props.identityPrincipalId, GUID,
      'the principal (object) id of the identity, a GUID such as "11111111-1111-1111-1111-111111111111"');
    checkPattern(this, 'logAnalyticsWorkspaceId', props.logAnalyticsWorkspaceId,
      /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+$/i,
      'the resource id of a Log Analytics workspace (/subscriptions/.../providers/Microsoft.OperationalInsights/workspaces/<name>)');
    checkTags(this, props.tags);
    if (props.tlsPolicy !== undefined && !(props.tlsPolicy instanceof TlsPolicy)) {
      throw new ConstructValidationError(this, 'tlsPolicy', props.tlsPolicy, 'expected a TlsPolicy: TlsPolicy.predefined(...) or TlsPolicy.custom(...).');
    }
    const tlsPolicy = (props.tlsPolicy ?? TlsPolicy.predefined('AppGwSslPolicy20220101S'))._render(this, 'tlsPolicy');
    this.registerBackend(props.backend, 'default', 'backend');

    // WAF policy.
    const wafMode = props.wafMode ?? WafMode.PREVENTION;
    checkOneOf(this, 'wafMode', wafMode, Object.values(WafMode));
    checkInteger(this, 'maxRequestBodySizeKb', props.maxRequestBodySizeKb, 8, 2000);
    checkInteger(this, 'requestBodyInspectLimitKb', props.requestBodyInspectLimitKb, 8, 2000);
    checkInteger(this, 'fileUploadLimitMb', props.fileUploadLimitMb, 1, 4000);
    this.wafPolicy = new WebApplicationFirewallPolicy(this, 'WafPolicy', {
      name: `waf-${name}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      policySettings: {
        enabled: true,
        mode: wafMode,
        requestBodyCheck: props.requestBodyInspection ?? true,
        requestBodyEnforcement: true,
        maxRequestBodySizeInKb: props.maxRequestBodySizeKb ?? 128,
        requestBodyInspectLimitInKb: props.requestBodyInspectLimitKb ?? 128,
        fileUploadLimitInMb: props.fileUploadLimitMb ?? 100,
      },
      managedRules: this.renderManagedRules(),
      tags: props.tags,
    });
    (props.customRules ?? []).forEach((rule) => this.addCustomRule(rule));

    // Identity that reads the listeners' certificates from Key Vault.
    if (props.identityId) {
      this.identityId = props.identityId;
    } else {
      this.identity = new UserAssignedIdentity(this, 'Identity', {
        name: `id-${name}`,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        tags: props.tags,
      });
      this.identityId = this.identity.id;
    }
    if (props.keyVaultId) {
      this.keyVaultAccess = new RoleAssignment(this, 'KeyVaultSecretsUser', {
        scope: props.keyVaultId,
        roleDefinitionName: 'Key Vault Secrets User',
        principalId: this.identity ? this.identity.principalId : props.identityPrincipalId!,
        principalType: 'ServicePrincipal',
      });
      this.keyVaultAccessPropagation = waitForRoleAssignments(this, 'KeyVaultAccessPropagation', [this.keyVaultAccess], props.rbacPropagationWait);
    }

    this.publicIp = new PublicIp(this, 'PublicIp', {
      name: `pip-${name}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: 'Standard',
      allocationMethod: 'Static',
      zones: zones.length > 0 ? zones : undefined,
      domainNameLabel: props.domainNameLabel,
      tags: props.tags,
    });

    // The NSG's rules follow the listeners (rendered in render()); the gateway waits for them.
    this.networkSecurityGroup = new NetworkSecurityGroup(this, 'Nsg', {
      name: `nsg-${name}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tags: props.tags,
    });
    this.networkSecurityGroupAssociation = new SubnetNetworkSecurityGroupAssociation(this, 'NsgAssociation', {
      subnetId: props.subnet.subnetId,
      networkSecurityGroupId: this.networkSecurityGroup.id,
    });

    const dependsOn: ITerraformDependable[] = [this.networkSecurityGroupAssociation];
    if (this.keyVaultAccess) dependsOn.push(this.keyVaultAccess);
    if (this.keyVaultAccessPropagation) dependsOn.push(this.keyVaultAccessPropagation);
    const frontends: ApplicationGatewayFrontendIpConfiguration[] = [{ name: FRONTEND_NAMES.public, publicIpAddressId: this.publicIp.id }];
    if (props.privateFrontendIpAddress) {
      frontends.push({
        name: FRONTEND_NAMES.private,
        subnetId: props.subnet.subnetId,
        privateIpAddressAllocation: 'Static',
        privateIpAddress: props.privateFrontendIpAddress,
      });
    }
    // The lists that depend on listeners and routes start empty and are set by render() at every change.
    this.resource = new ApplicationGateway(this, 'Resource', {
      name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      zones: zones.length > 0 ? zones : undefined,
      sku: { name: 'WAF_v2', tier: 'WAF_v2' },
      autoscaleConfiguration: { minCapacity, maxCapacity },
      enableHttp2: props.http2 ?? true,
      firewallPolicyId: this.wafPolicy.id,
      forceFirewallPolicyAssociation: true,
      identity: { type: 'UserAssigned', identityIds: [this.identityId] },
      sslPolicy: tlsPolicy,
      gatewayIpConfiguration: [{ name: 'gateway-ip', subnetId: props.subnet.subnetId }],
      frontendIpConfiguration: frontends,
      frontendPort: [{ name: 'port-https', port: HTTPS_PORT }],
      backendAddressPool: [],
      backendHttpSettings: [],
      httpListener: [],
      requestRoutingRule: [],
      dependsOn,
      tags: props.tags,
    });

    if (props.logAnalyticsWorkspaceId) {
      this.diagnostics = addDiagnostics(this, {
        name: `diag-${name}`,
        targetResourceId: this.resource.id,
        logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      });
    }
    this.moduleResources = applyModuleInterface(this, props, {
      primary: this.resource,
      resourceName: name,
      ownDiagnosticSettings: props.logAnalyticsWorkspaceId ? [{ name: `diag-${name}`, logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId }] : [],
    });

    (props.listeners ?? []).forEach((listener, i) => {
      if (typeof listener !== 'object' || listener === null) {
        throw new ConstructValidationError(this, `listeners[${i}]`, listener, 'expected a listener: { id, hostNames, certificateSecretId, ... }.');
      }
      this.addListenerAt(`listeners[${i}]`, listener.id, listener);
    });
    this.render();
    this.node.addValidation({
      validate: () => this.listenerStates.length === 0
        ? [new ConstructValidationError(this, 'listeners', [], 'expected at least one HTTPS listener (props.listeners or addListener()); an Application Gateway needs one.').message]
        : [],
    });
  }

  /**
   * Adds an HTTPS listener (and, unless `redirectHttp` is false, an HTTP listener on port 80 that
   * redirects to it). Requests go to `options.backend` until routes are added with `addRoute`.
   */
  public addListener(id: string, options: EdgeListenerOptions): EdgeListener {
    const l = this.addListenerAt(`addListener(${JSON.stringify(id)})`, id, options);
    this.render();
    return toEdgeListener(l);
  }

  /** The listeners, from props and `addListener`, in order: e.g. to pass one to `addRoute`. */
  public get listeners(): EdgeListener[] {
    return this.listenerStates.map(toEdgeListener);
  }

  /** Routes the listener's requests whose path matches `options.paths` to `options.backend`. */
  public addRoute(id: string, options: EdgeRouteOptions): EdgeRoute {
    const where = `addRoute(${JSON.stringify(id)})`;
    this.checkId(where, id);
    options = checkPropsObject(this, where, options);
    if (this.routeIds.has(id)) {
      throw new ConstructValidationError(this, where, id, 'each route id must be unique; this one is taken.');
    }
    const listener = this.listenerStates.find((l) => options.listener && l.id === options.listener.id);
    if (!listener) {
      throw new ConstructValidationError(this, `${where}.listener`, options.listener?.id,
        `expected a listener of this SecureEdge (${this.listenerStates.map((l) => JSON.stringify(l.id)).join(', ') || 'none yet'}).`);
    }
    if (!Array.isArray(options.paths) || options.paths.length === 0) {
      throw new ConstructValidationError(this, `${where}.paths`, options.paths, 'expected at least one path pattern such as "/orders/*".');
    }
    const taken = new Set(listener.routes.flatMap((r) => r.paths));
    options.paths.forEach((path, i) => {
      if (isUnresolved(path)) return;
      if (typeof path !== 'string' || !/^\/[^*?#]*\*?$/.test(path) || path.length > 1000) {
        throw new ConstructValidationError(this, `${where}.paths[${i}]`, path,
          'expected a path starting with "/", with "*" only as the last character and no "?" or "#", e.g. "/orders/*".');
      }
      if (taken.has(path)) {
        throw new ConstructValidationError(this, `${where}.paths[${i}]`, path, `each path must be unique within listener "${listener.id}"; this one is routed already.`);
      }
      taken.add(path);
    });
    const backend = options.backend ?? listener.backend;
    const route: RouteState = {
      id,
      listenerId: listener.id,
      paths: options.paths,
      backend,
      pathRuleName: `route-${id}`,
      backendKey: this.registerBackend(backend, `route-${id}`, `${where}.backend`),
    };
    this.routeIds.add(id);
    listener.routes.push(route);
    this.render();
    return { id: route.id, listenerId: route.listenerId, paths: route.paths, backend: route.backend, pathRuleName: route.pathRuleName };
  }

  /** Adds a custom rule to the WAF policy (custom rules run before the managed rule sets). */
  public addCustomRule(rule: WafCustomRule): WafCustomRule {
    const prop = `customRules[${this.customRules.length}]`;
    if (!(rule instanceof WafCustomRule)) {
      throw new ConstructValidationError(this, prop, rule, 'expected a WafCustomRule (WafCustomRule.ipAllowList(), ipDenyList(), geoFilter(), rateLimit() or match()).');
    }
    const rendered = rule._render(this, prop);
    const clash = this.customRules.find((r) => r.priority === rendered.priority || r.name === rendered.name);
    if (clash) {
      const same = clash.name === rendered.name ? 'name' : 'priority';
      throw new ConstructValidationError(this, `${prop}.${same}`, same === 'name' ? rendered.name : rendered.priority,
        `each custom rule needs its own ${same}; rule "${clash.name}" has it already.`);
    }
    this.customRules.push(rule);
    this.renderedCustomRules.push({
      name: rendered.name,
      priority: rendered.priority,
      enabled: rendered.enabled,
      ruleType: rendered.ruleType,
      action: rendered.action,
      rateLimitDuration: rendered.rateLimitDuration,
      rateLimitThreshold: rendered.rateLimitThreshold,
      groupRateLimitBy: rendered.groupRateLimitBy,
      matchConditions: rendered.matchConditions,
    });
    this.wafPolicy.putCustomRules([...this.renderedCustomRules]);
    return rule;
  }

  private addListenerAt(where: string, id: string, options: EdgeListenerOptions): ListenerState {
    this.checkId(where, id);
    options = checkPropsObject(this, where, options);
    this.checkList(`${where}.hostNames`, options.hostNames);
    if (this.listenerStates.some((l) => l.id === id)) {
      throw new ConstructValidationError(this, where, id, 'each listener id must be unique; this one is taken.');
    }
    const frontend = options.frontend ?? EdgeFrontend.PUBLIC;
    checkOneOf(this, `${where}.frontend`, frontend, Object.values(EdgeFrontend));
    if (frontend === EdgeFrontend.PRIVATE && !this.props.privateFrontendIpAddress) {
      throw new ConstructValidationError(this, `${where}.frontend`, frontend, 'a private listener needs the privateFrontendIpAddress prop.');
    }

    // HTTPS only with a certificate from Key Vault.
    checkRequired(this, `${where}.certificateSecretId`, options.certificateSecretId);
    checkPattern(this, `${where}.certificateSecretId`, options.certificateSecretId, KEY_VAULT_SECRET_ID,
      'a Key Vault secret id such as "https://my-vault.vault.azure.net/secrets/my-cert" (optionally followed by "/<32-hex version>")');
    checkSecretInVault(this, `${where}.certificateSecretId`, options.certificateSecretId, 'keyVaultId', this.props.keyVaultId);

    const hostNames = options.hostNames;
    if (!isUnresolved(hostNames)) {
      if (!Array.isArray(hostNames) || hostNames.length === 0 || hostNames.length > 5) {
        throw new ConstructValidationError(this, `${where}.hostNames`, hostNames, 'expected 1 to 5 host names (a multi-site listener).');
      }
      hostNames.forEach((host, i) => checkPattern(this, `${where}.hostNames[${i}]`, host, HOST_NAME,
        'a DNS host name such as "api.contoso.com" or "*.contoso.com"'));
      const seen = new Map<string, string>();
      for (const other of this.listenerStates.filter((l) => l.frontend === frontend)) {
        for (const host of other.hostNames) if (!isUnresolved(host)) seen.set(host.toLowerCase(), other.id);
      }
      hostNames.forEach((host, i) => {
        if (isUnresolved(host)) return;
        const owner = seen.get(host.toLowerCase());
        if (owner !== undefined) {
          throw new ConstructValidationError(this, `${where}.hostNames[${i}]`, host,
            owner === id ? 'each host name must be listed once.' : `each host name needs a single listener per frontend; listener "${owner}" has it already.`);
        }
        seen.set(host.toLowerCase(), id);
      });
    }

    const priority = options.priority ?? 10 * (this.listenerStates.length + 1);
    checkInteger(this, `${where}.priority`, priority, 1, 10000);
    const clash = this.listenerStates.find((l) => l.priority === priority);
    if (clash) {
      throw new ConstructValidationError(this, `${where}.priority`, priority, `each listener needs its own priority; listener "${clash.id}" has it already.`);
    }
    const backend = options.backend ?? this.props.backend;
    const redirect = options.redirectHttp ?? true;
    const state: ListenerState = {
      id,
      hostNames,
      frontend,
      backend,
      httpsListenerName: `https-${id}`,
      redirectListenerName: redirect ? `http-${id}` : undefined,
      certificateName: `cert-${id}`,
      routingRuleName: `rule-${id}`,
      priority,
      certificateSecretId: options.certificateSecretId,
      backendKey: this.registerBackend(backend, `listener-${id}`, `${where}.backend`),
      routes: [],
    };
    this.listenerStates.push(state);
    return state;
  }

  /** Names a backend (its pool, settings and probe) after the first listener or route that uses it. */
  private registerBackend(backend: IEdgeBackend, key: string, prop: string): string {
    const known = this.backendKeys.get(backend);
    if (known) return known;
    checkRequired(this, `${prop}.gatewayHostName`, backend.gatewayHostName);
    checkPattern(this, `${prop}.gatewayHostName`, backend.gatewayHostName, /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$/,
      'a DNS host name such as "apim-contoso.azure-api.net" (sent as Host header and SNI)');
    checkRequired(this, `${prop}.healthProbePath`, backend.healthProbePath);
    checkPattern(this, `${prop}.healthProbePath`, backend.healthProbePath, /^\/[^\s?#]*(\?[^\s#]*)?$/, 'a path starting with "/", e.g. "/status-0123456789abcdef"');
    if (!isUnresolved(backend.gatewayHostName) && !isUnresolved(backend.healthProbePath)
      && /\.azure-api\.net$/i.test(backend.gatewayHostName) && backend.healthProbePath !== APIM_STATUS_PATH) {
      // Any other path answers 401 or 404 without a subscription key, and the gateway marks API Management unhealthy.
      throw new ConstructValidationError(this, `${prop}.healthProbePath`, backend.healthProbePath,
        `API Management (an azure-api.net host) is probed on its health endpoint "${APIM_STATUS_PATH}", which needs no subscription key.`);
    }
    const ips = backend.privateIpAddresses;
    if (!isUnresolved(ips)) {
      if (!Array.isArray(ips)) {
        throw new ConstructValidationError(this, `${prop}.privateIpAddresses`, ips, 'expected a list of IPv4 addresses (may be empty).');
      }
      ips.forEach((ip, i) => {
        if (!isUnresolved(ip) && !ipaddr.IPv4.isValidFourPartDecimal(ip)) {
          throw new ConstructValidationError(this, `${prop}.privateIpAddresses[${i}]`, ip, 'expected an IPv4 address such as "10.0.1.5".');
        }
      });
    }
    this.backendKeys.set(backend, key);
    // The backend's layer admits the edge subnet on the backend's port (e.g. API Management's NSG on 443).
    backend.network?.allowFrom(this.props.subnet.addressPrefix);
    return key;
  }

  /** Sets every list of the gateway and the NSG's rules from the listeners and routes so far. */
  private render(): void {
    const usedBackends = new Map<string, IEdgeBackend>();
    for (const l of this.listenerStates) {
      usedBackends.set(l.backendKey, l.backend);
      for (const r of l.routes) usedBackends.set(r.backendKey, r.backend);
    }
    const timeout = this.props.backendRequestTimeout ?? 30;
    const pools: ApplicationGatewayBackendAddressPool[] = [];
    const settings: ApplicationGatewayBackendHttpSettings[] = [];
    const probes: ApplicationGatewayProbe[] = [];
    for (const [key, backend] of usedBackends) {
      const ips = backend.privateIpAddresses;
      // Internal-mode APIM is reached by its private IPs; without any, by its name (needs private DNS).
      const byIp = isUnresolved(ips) || (Array.isArray(ips) && ips.length > 0);
      pools.push({ name: `pool-${key}`, ...(byIp ? { ipAddresses: ips } : { fqdns: [backend.gatewayHostName] }) });
      settings.push({
        name: `settings-${key}`,
        protocol: 'Https',
        port: HTTPS_PORT,
        cookieBasedAffinity: 'Disabled',
        hostName: backend.gatewayHostName,
        pickHostNameFromBackendAddress: false,
        probeName: `probe-${key}`,
        requestTimeout: timeout,
      });
      probes.push({
        name: `probe-${key}`,
        protocol: 'Https',
        host: backend.gatewayHostName,
        path: backend.healthProbePath,
        pickHostNameFromBackendHttpSettings: false,
        interval: 30,
        timeout: 30,
        unhealthyThreshold: 3,
        match: { statusCode: ['200-399'] },
      });
    }

    const certificates: ApplicationGatewaySslCertificate[] = [];
    const listeners: ApplicationGatewayHttpListener[] = [];
    const rules: ApplicationGatewayRequestRoutingRule[] = [];
    const redirects: ApplicationGatewayRedirectConfiguration[] = [];
    const pathMaps: ApplicationGatewayUrlPathMap[] = [];
    for (const l of this.listenerStates) {
      certificates.push({ name: l.certificateName, keyVaultSecretId: l.certificateSecretId });
      listeners.push({
        name: l.httpsListenerName,
        frontendIpConfigurationName: FRONTEND_NAMES[l.frontend],
        frontendPortName: 'port-https',
        protocol: 'Https',
        hostNames: l.hostNames,
        sslCertificateName: l.certificateName,
      });
      if (l.routes.length === 0) {
        rules.push({
          name: l.routingRuleName,
          ruleType: 'Basic',
          priority: l.priority,
          httpListenerName: l.httpsListenerName,
          backendAddressPoolName: `pool-${l.backendKey}`,
          backendHttpSettingsName: `settings-${l.backendKey}`,
        });
      } else {
        const pathMapName = `paths-${l.id}`;
        rules.push({
          name: l.routingRuleName,
          ruleType: 'PathBasedRouting',
          priority: l.priority,
          httpListenerName: l.httpsListenerName,
          urlPathMapName: pathMapName,
        });
        pathMaps.push({
          name: pathMapName,
          defaultBackendAddressPoolName: `pool-${l.backendKey}`,
          defaultBackendHttpSettingsName: `settings-${l.backendKey}`,
          pathRule: l.routes.map((r) => ({
            name: r.pathRuleName,
            paths: r.paths,
            backendAddressPoolName: `pool-${r.backendKey}`,
            backendHttpSettingsName: `settings-${r.backendKey}`,
          })),
        });
      }
      if (l.redirectListenerName) {
        listeners.push({
          name: l.redirectListenerName,
          frontendIpConfigurationName: FRONTEND_NAMES[l.frontend],
          frontendPortName: 'port-http',
          protocol: 'Http',
          hostNames: l.hostNames,
        });
        redirects.push({
          name: `redirect-${l.id}`,
          redirectType: 'Permanent',
          targetListenerName: l.httpsListenerName,
          includePath: true,
          includeQueryString: true,
        });
        rules.push({
          name: `redirect-rule-${l.id}`,
          ruleType: 'Basic',
          priority: l.priority + 10000,
          httpListenerName: l.redirectListenerName,
          redirectConfigurationName: `redirect-${l.id}`,
        });
      }
    }
    const ports: ApplicationGatewayFrontendPort[] = [{ name: 'port-https', port: HTTPS_PORT }];
    if (redirects.length > 0) ports.push({ name: 'port-http', port: HTTP_PORT });

    this.resource.putBackendAddressPool(pools);
    this.resource.putBackendHttpSettings(settings);
    this.resource.putProbe(probes);
    this.resource.putSslCertificate(certificates);
    this.resource.putHttpListener(listeners);
    this.resource.putRequestRoutingRule(rules);
    this.resource.putFrontendPort(ports);
    if (redirects.length > 0) this.resource.putRedirectConfiguration(redirects);
    if (pathMaps.length > 0) this.resource.putUrlPathMap(pathMaps);
    this.networkSecurityGroup.putSecurityRule(this.securityRules());
  }

  /**
   * The edge subnet's inbound rules: what Application Gateway v2 needs (GatewayManager on
   * 65200-65535, the Azure load balancer's probes), the listeners' ports from their allowed
   * sources, and an explicit deny of everything else.
   */
  private securityRules(): NetworkSecurityGroupSecurityRule[] {
    const rule = (r: Partial<NetworkSecurityGroupSecurityRule> & { name: string; priority: number }): NetworkSecurityGroupSecurityRule => ({
      direction: 'Inbound',
      access: 'Allow',
      protocol: 'Tcp',
      sourcePortRange: '*',
      destinationAddressPrefix: '*',
      ...r,
    });
    const sources = (prefixes: string[]) => (prefixes.length === 1 ? { sourceAddressPrefix: prefixes[0] } : { sourceAddressPrefixes: prefixes });
    const ports = (frontend: EdgeFrontend) => {
      const onFrontend = this.listenerStates.filter((l) => l.frontend === frontend);
      if (onFrontend.length === 0) return undefined;
      return onFrontend.some((l) => l.redirectListenerName) ? [`${HTTPS_PORT}`, `${HTTP_PORT}`] : [`${HTTPS_PORT}`];
    };
    const rules: NetworkSecurityGroupSecurityRule[] = [
      // Application Gateway v2 infrastructure traffic: required, or the gateway fails to deploy.
      rule({ name: 'AllowGatewayManagerInbound', priority: 100, sourceAddressPrefix: 'GatewayManager', destinationPortRange: '65200-65535' }),
      // The Azure load balancer's health probes: required.
      rule({ name: 'AllowAzureLoadBalancerInbound', priority: 110, protocol: '*', sourceAddressPrefix: 'AzureLoadBalancer', destinationPortRange: '*' }),
    ];
    // With a public and a private listener on one port, Application Gateway v2 rewrites the destination of
    // inbound flows to its frontend IPs (Azure docs, application-gateway/configuration-frontend-ip): the
    // listener rules admit the frontend IPs as well as the instances' subnet.
    const destinations = [this.props.subnet.addressPrefix, this.publicIp.ipAddress,
      ...(this.props.privateFrontendIpAddress ? [this.props.privateFrontendIpAddress] : [])];
    // Clients reach the listeners' ports only (80 exists only to redirect to HTTPS).
    const publicPorts = ports(EdgeFrontend.PUBLIC);
    if (publicPorts) {
      rules.push(rule({
        name: 'AllowPublicListenersInbound',
        priority: 120,
        ...sources(this.props.publicSourceAddressPrefixes ?? ['Internet']),
        destinationAddressPrefix: undefined,
        destinationAddressPrefixes: destinations,
        destinationPortRanges: publicPorts,
      }));
    }
    const privatePorts = ports(EdgeFrontend.PRIVATE);
    if (privatePorts) {
      rules.push(rule({
        name: 'AllowPrivateListenersInbound',
        priority: 130,
        ...sources(this.props.privateSourceAddressPrefixes ?? ['VirtualNetwork']),
        destinationAddressPrefix: undefined,
        destinationAddressPrefixes: destinations,
        destinationPortRanges: privatePorts,
      }));
    }
    // Explicit, so that the default AllowVnetInBound (65000) never applies: nothing else gets in.
    rules.push(rule({ name: 'DenyAllInbound', priority: 4096, access: 'Deny', protocol: '*', sourceAddressPrefix: '*', destinationPortRange: '*' }));
    return rules;
  }

  private renderManagedRules(): WebApplicationFirewallPolicyManagedRules {
    const core = this.props.managedRuleSet ?? ManagedRuleSet.owasp32();
    if (!(core instanceof ManagedRuleSet) || !core.isCoreRuleSet) {
      throw new ConstructValidationError(this, 'managedRuleSet', core?.ruleSetType,
        'expected a core rule set: ManagedRuleSet.owasp32() or ManagedRuleSet.microsoftDefault21().');
    }
    const sets: Array<[string, ManagedRuleSet]> = [['managedRuleSet', core]];
    if (!this.props.disableBotProtection) {
      const bot = this.props.botManagerRuleSet ?? ManagedRuleSet.botManager10();
      if (!(bot instanceof ManagedRuleSet) || bot.isCoreRuleSet) {
        throw new ConstructValidationError(this, 'botManagerRuleSet', bot?.ruleSetType, 'expected ManagedRuleSet.botManager10().');
      }
      sets.push(['botManagerRuleSet', bot]);
    } else if (this.props.botManagerRuleSet) {
      throw new ConstructValidationError(this, 'botManagerRuleSet', this.props.botManagerRuleSet.ruleSetType,
        'bot protection is disabled (disableBotProtection); remove one of the two props.');
    }
    const managedRuleSet = sets.map(([prop, set]) => {
      this.checkList(`${prop}.ruleGroupOverrides`, set.ruleGroupOverrides);
      set.ruleGroupOverrides.forEach((group, g) => {
        const where = `${prop}.ruleGroupOverrides[${g}]`;
        checkOneOf(this, `${where}.ruleGroupName`, group.ruleGroupName, ruleGroupsOf(set));
        if (!Array.isArray(group.rules) || group.rules.length === 0) {
          throw new ConstructValidationError(this, `${where}.rules`, group.rules, 'expected at least one rule override.');
        }
        group.rules.forEach((r, i) => {
          checkPattern(this, `${where}.rules[${i}].ruleId`, r.ruleId, /^\d+$/, 'a numeric rule id such as "942430"');
          checkOneOf(this, `${where}.rules[${i}].action`, r.action, Object.values(WafManagedRuleAction));
        });
      });
      return {
        type: set.ruleSetType,
        version: set.ruleSetVersion,
        ruleGroupOverride: set.ruleGroupOverrides.length > 0
          ? set.ruleGroupOverrides.map((group) => ({
            ruleGroupName: group.ruleGroupName,
            rule: group.rules.map((r) => ({ id: r.ruleId, enabled: r.enabled, action: r.action })),
          }))
          : undefined,
      };
    });
    const exclusions = this.props.wafExclusions ?? [];
    const coreGroups = ruleGroupsOf(core);
    exclusions.forEach((e, i) => {
      const where = `wafExclusions[${i}]`;
      if (typeof e !== 'object' || e === null) {
        throw new ConstructValidationError(this, where, e, 'expected an exclusion: { matchVariable, selector, selectorMatchOperator }.');
      }
      checkOneOf(this, `${where}.matchVariable`, e.matchVariable, Object.values(WafExclusionVariable));
      checkOneOf(this, `${where}.selectorMatchOperator`, e.selectorMatchOperator, Object.values(WafSelectorOperator));
      checkRequired(this, `${where}.selector`, e.selector);
      if (e.selectorMatchOperator === WafSelectorOperator.EQUALS_ANY && e.selector !== '*') {
        throw new ConstructValidationError(this, `${where}.selector`, e.selector, 'the EqualsAny operator takes the selector "*".');
      }
      this.checkList(`${where}.ruleGroups`, e.ruleGroups);
      (e.ruleGroups ?? []).forEach((g, j) => {
        checkOneOf(this, `${where}.ruleGroups[${j}].ruleGroupName`, g.ruleGroupName, coreGroups);
        (g.ruleIds ?? []).forEach((id, k) => checkPattern(this, `${where}.ruleGroups[${j}].ruleIds[${k}]`, id, /^\d+$/, 'a numeric rule id such as "942430"'));
      });
    });
    return {
      managedRuleSet,
      exclusion: exclusions.length > 0
        ? exclusions.map((e) => ({
          matchVariable: e.matchVariable,
          selector: e.selector,
          selectorMatchOperator: e.selectorMatchOperator,
          excludedRuleSet: e.ruleGroups && e.ruleGroups.length > 0
            ? {
              type: core.ruleSetType,
              version: core.ruleSetVersion,
              ruleGroup: e.ruleGroups.map((g) => ({ ruleGroupName: g.ruleGroupName, excludedRules: g.ruleIds })),
            }
            : undefined,
        }))
        : undefined,
    };
  }

  private checkId(where: string, id: string): void {
    checkRequired(this, where, id);
    checkPattern(this, where, id, ID, 'an id of 1-40 lower-case letters, digits and hyphens, starting and ending with a letter or digit');
  }

  private checkPrivateFrontend(ip: string | undefined): void {
    if (ip === undefined || isUnresolved(ip)) return;
    if (!ipaddr.IPv4.isValidFourPartDecimal(ip)) {
      throw new ConstructValidationError(this, 'privateFrontendIpAddress', ip, 'expected an IPv4 address such as "10.0.0.10".');
    }
    const cidr = this.subnetCidr;
    if (!cidr) return;
    const reserved = [0, 1, 2, 3, cidrSize(cidr) - 1].map((n) => cidrHost(cidr, n));
    if (!cidrHasAddress(cidr, ip) || reserved.includes(ip)) {
      throw new ConstructValidationError(this, 'privateFrontendIpAddress', ip,
        `expected an address of the edge subnet ${cidr.text} other than the first four and the last (reserved by Azure).`);
    }
  }

  private checkSourcePrefixes(prop: string, prefixes: string[] | undefined): void {
    if (prefixes === undefined || isUnresolved(prefixes)) return;
    if (!Array.isArray(prefixes) || prefixes.length === 0) {
      throw new ConstructValidationError(this, prop, prefixes, 'expected at least one source (a service tag such as "Internet", an IPv4 address or CIDR block).');
    }
    prefixes.forEach((p, i) => {
      if (isUnresolved(p)) return;
      const ok = typeof p === 'string' && p !== '*' && (SERVICE_TAG.test(p) || parseCidr(p) !== undefined || ipaddr.IPv4.isValidFourPartDecimal(p));
      if (!ok) {
        throw new ConstructValidationError(this, `${prop}[${i}]`, p,
          'expected a service tag such as "Internet", an IPv4 address or CIDR block ("*" is not accepted: name the sources).');
      }
      if (/^any$/i.test(p)) {
        throw new ConstructValidationError(this, `${prop}[${i}]`, p, '"Any" is not a service tag (Azure refuses it); name the sources, e.g. "Internet".');
      }
      const cidr = parseCidr(p);
      if (cidr) this.checkNetworkAddress(`${prop}[${i}]`, cidr);
      // Azure takes a service tag in source_address_prefix only, never in the source_address_prefixes list.
      if (prefixes.length > 1 && SERVICE_TAG.test(p)) {
        throw new ConstructValidationError(this, `${prop}[${i}]`, p,
          'a service tag must be the only source (Azure accepts tags alone, not in a list); give the tag alone, or list IPv4 addresses and CIDR blocks.');
      }
    });
    checkUnique(this, prop, prefixes, (p) => p);
  }

  private checkList(prop: string, value: unknown): void {
    if (value !== undefined && !isUnresolved(value) && !Array.isArray(value)) {
      throw new ConstructValidationError(this, prop, value, 'expected a list.');
    }
  }

  /** Azure refuses a CIDR block with host bits set ("10.0.0.1/24"). */
  private checkNetworkAddress(prop: string, cidr: Cidr): void {
    const network = `${cidrHost(cidr, 0)}/${cidr.prefixLength}`;
    if (network !== cidr.text) {
      throw new ConstructValidationError(this, prop, cidr.text, `the address has host bits set; expected the network address of the block, "${network}".`);
    }
  }
}

/** The public view of a listener's state. */
function toEdgeListener(l: ListenerState): EdgeListener {
  return {
    id: l.id,
    hostNames: l.hostNames,
    frontend: l.frontend,
    backend: l.backend,
    httpsListenerName: l.httpsListenerName,
    redirectListenerName: l.redirectListenerName,
    certificateName: l.certificateName,
    routingRuleName: l.routingRuleName,
    priority: l.priority,
  };
}

/** The rule groups of a managed rule set. */
function ruleGroupsOf(set: ManagedRuleSet): readonly string[] {
  return WAF_RULE_GROUPS[`${set.ruleSetType}/${set.ruleSetVersion}`] ?? [];
}
