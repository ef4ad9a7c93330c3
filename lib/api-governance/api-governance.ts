import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { ApiManagementCustomDomain } from '@cdktf/provider-azurerm/lib/api-management-custom-domain';
import { ApiManagementDiagnostic } from '@cdktf/provider-azurerm/lib/api-management-diagnostic';
import { ApiManagementLogger } from '@cdktf/provider-azurerm/lib/api-management-logger';
import { ApiManagementPolicy } from '@cdktf/provider-azurerm/lib/api-management-policy';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { PrivateDnsARecord } from '@cdktf/provider-azurerm/lib/private-dns-a-record';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { Sleep } from '@cdktf/provider-time/lib/sleep';
import { Construct } from 'constructs';
import { ApiOptions, ApiVersionSet, ManagedApi, VersionSetOptions } from './api';
import { checkNewApi, checkNewNamedValue, checkNewProduct, checkNewVersionSet } from './children';
import { ImportedApiManagementService } from './imported-service';
import { checkChildId, checkResourceId, renderPolicyDocument } from './internal';
import { ApimNamedValue, NamedValueOptions } from './named-value';
import { ApiPolicy, RateLimitByKeyOptions } from './policy';
import { ApiProduct, ProductOptions } from './product';
import { ApiManagementServiceAttributes, IApiGovernance } from './service';
import { ApimSku, VirtualNetworkMode } from './sku';
import { ITerraformDependable, Lazy } from '../core/cdktf';
import { cidrSize, parseCidr } from '../core/cidr';
import { IBackendNetwork, IEdgeBackend, ISubnet, ResourcePlacement } from '../core/contracts';
import { addDiagnostics } from '../core/diagnostics';
import { ConstructValidationError, isUnresolved } from '../core/errors';
import { AzureModuleProps, ManagedIdentityReference, ModuleInterfaceResources } from '../core/module-interface';
import { applyModuleInterface, checkIdentityReference } from '../core/module-resources';
import { checkDuration, uniqueSuffix, waitForRoleAssignments } from '../core/readiness';
import { checkAzureName, checkInteger, checkLists, checkNumber, checkObject, checkOneOf, checkPattern, checkPlacement, checkPropsObject, checkRequired, checkTags, checkUnique } from '../core/validate';

/** Amount of request and response detail the Application Insights diagnostic records. */
export enum DiagnosticVerbosity {
  /** Everything, including traces. */
  VERBOSE = 'verbose',
  /** Requests, responses and errors. */
  INFORMATION = 'information',
  /** Errors only. */
  ERROR = 'error',
}

/**
 * Application Insights logging of the gateway: give exactly one of `connectionString`,
 * `instrumentationKey` and `connectionStringKeyVaultSecretId`. Keys and connection strings must be
 * Terraform references (e.g. `appInsights.connectionString`, or a sensitive variable), never
 * literals, so that no secret is written in plain text.
 */
export interface ApplicationInsightsLoggingOptions {
  /**
   * Connection string of the Application Insights resource (sensitive).
   * @default - one of the other credentials is used
   */
  readonly connectionString?: string;
  /**
   * Instrumentation key of the Application Insights resource (sensitive).
   * @default - one of the other credentials is used
   */
  readonly instrumentationKey?: string;
  /**
   * Key Vault secret holding the connection string: read into the named value
   * `appinsights-connection-string` with the service's identity, which the logger references.
   * @default - one of the other credentials is used
   */
  readonly connectionStringKeyVaultSecretId?: string;
  /**
   * Azure resource id of the Application Insights resource, recorded on the logger.
   * @default - not recorded
   */
  readonly applicationInsightsId?: string;
  /**
   * Percentage of requests recorded (0 to 100).
   * @default 100
   */
  readonly samplingPercentage?: number;
  /**
   * Detail recorded.
   * @default DiagnosticVerbosity.INFORMATION
   */
  readonly verbosity?: DiagnosticVerbosity;
  /**
   * Whether the client IP is recorded.
   * @default true
   */
  readonly logClientIp?: boolean;
}

/** A custom domain for the gateway, with its certificate in Key Vault. */
export interface ApimCustomDomainOptions {
  /** Gateway host name, e.g. `api.contoso.internal`. */
  readonly hostName: string;
  /**
   * Key Vault secret URI of the certificate (versionless to pick up renewals), read with the
   * service's identity; pass `keyVaultId` so that the identity is granted access first.
   */
  readonly keyVaultCertificateId: string;
  /**
   * Private DNS zone holding the host name's A record (Internal mode); at least two labels, as Azure
   * has no single-label private zones.
   * @default - the host name without its first label (`contoso.internal`)
   */
  readonly privateDnsZoneName?: string;
}

/** Props of `ApiGovernance`. */
export interface ApiGovernanceProps extends ResourcePlacement, AzureModuleProps {
  /**
   * Name of the service: 1-50 letters, digits and hyphens, starting with a letter; also its
   * `<name>.azure-api.net` host, so it must be globally unique.
   * @default - "apim-" and a suffix derived from the subscription, the resource group and the construct path
   */
  readonly name?: string;
  /** The API subnet; `ApiGovernance` creates and associates its NSG. */
  readonly subnet: ISubnet;
  /** Publisher (organization) name shown in the developer portal and emails. */
  readonly publisherName: string;
  /** Publisher email, receiving system notifications. */
  readonly publisherEmail: string;
  /**
   * Tier and scale units; only Developer and Premium can be VNet-injected.
   * @default ApimSku.developer()
   */
  readonly sku?: ApimSku;
  /**
   * Internal (private endpoints only) or External (public gateway) VNet mode.
   * @default VirtualNetworkMode.INTERNAL
   */
  readonly virtualNetworkMode?: VirtualNetworkMode;
  /**
   * Availability zones of the units (Premium only; units must spread evenly over them).
   * @default - no explicit zones (Azure spreads Premium units over the region's zones)
   */
  readonly zones?: string[];
  /**
   * Azure resource id of a Standard public IP of the service (for its management endpoint).
   * @default - managed by Azure
   */
  readonly publicIpAddressId?: string;
  /**
   * Oldest control-plane API version accepted, so that tools on older, looser versions cannot manage the service.
   * @default "2021-08-01"
   */
  readonly minApiVersion?: string;
  /**
   * Custom domain of the gateway; `gatewayHostName` then returns it.
   * @default - `<name>.azure-api.net`
   */
  readonly customDomain?: ApimCustomDomainOptions;
  /**
   * Whether to create the private DNS zone(s) (`azure-api.net`, and the custom domain's) linked to the
   * VNet. Internal-mode host names are not in public DNS: without these zones nothing in the VNet
   * resolves the gateway. Turn off when the zones are managed elsewhere (e.g. shared hub zones).
   * @default true in Internal mode, false in External mode
   */
  readonly privateDnsZones?: boolean;
  /**
   * Key Vault holding the secrets and certificates the service reads; its system-assigned identity
   * is granted `Key Vault Secrets User` on it, before Key Vault-backed named values and the custom domain.
   * @default - no role assignment (grant access yourself)
   */
  readonly keyVaultId?: string;
  /**
   * With `keyVaultId`: how long Terraform waits after granting the service's identity access to the vault
   * before it creates what reads the vault (Key Vault-backed named values, the custom domain). Azure RBAC
   * takes minutes to propagate.
   * @default "5m"
   */
  readonly rbacPropagationWait?: string;
  /**
   * CA certificates API Management trusts when it validates backends' certificates (base64-encoded DER,
   * as Key Vault's `certificate_data_base64` or `base64 -w0 ca.cer`), stored in the service's Root store.
   * Backends on private names (the mesh gateway's `*.mesh.internal`) have certificates from a private CA:
   * without its root here, every call to them fails the chain validation and returns 500.
   * @default - none: only publicly trusted CAs
   */
  readonly trustedRootCertificates?: string[];
  /**
   * Application Insights logger and diagnostic.
   * @default - no Application Insights logging
   */
  readonly applicationInsights?: ApplicationInsightsLoggingOptions;
  /**
   * Log Analytics workspace receiving the service's logs and metrics (diagnostic setting).
   * @default - no diagnostic setting
   */
  readonly logAnalyticsWorkspaceId?: string;
  /**
   * The global throttle: a `rate-limit-by-key` at global scope.
   * @default - 100 calls per 60 seconds per subscription (or client IP without one)
   */
  readonly throttle?: RateLimitByKeyOptions;
  /**
   * Turns the global throttle off (an insecure opt-out: nothing then limits callers by default).
   * @default false
   */
  readonly throttleDisabled?: boolean;
  /**
   * Sources allowed to reach the gateway on 443 (NSG): IPv4 CIDR blocks, or one service tag alone
   * (an NSG rule takes several blocks, but a service tag only on its own). Never `*` or `Any`.
   * @default - the VNet's address spaces in Internal mode, `Internet` in External mode
   */
  readonly allowedClientPrefixes?: string[];
  /**
   * Policies at global scope (after the throttle).
   * @default - none
   */
  readonly policies?: ApiPolicy[];
  /**
   * Tags of the Azure resources that take tags (names of 1-512 characters without `<>%&\\?/`,
   * values of at most 256 characters).
   * @default - none
   */
  readonly tags?: { [key: string]: string };
  /**
   * User-assigned identities attached to the service besides its system-assigned one (which keeps the
   * Key Vault access of `keyVaultId`): identities you manage and grant access yourself, e.g. before the
   * service exists.
   * @default - the system-assigned identity only
   */
  readonly userAssignedIdentities?: ManagedIdentityReference[];
}

/**
 * Why API Management takes no ReadOnly lock: the provider lists the tenant access secrets (a POST, which
 * a ReadOnly lock refuses) at every refresh, and the APIs, products, policies and named values are child
 * resources the lock would freeze.
 */
const APIM_READ_ONLY = 'the azurerm provider reads API Management\'s tenant access secrets with a POST at every refresh, which a ReadOnly '
  + 'lock refuses (every plan would fail), and the lock would freeze the APIs, products, policies and named values.';

/** Azure's rule for API Management service names. */
const SERVICE_NAME_RULE = {
  min: 1,
  max: 50,
  pattern: /^[a-zA-Z]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/,
  description: 'letters, digits and hyphens; starts with a letter, does not end with a hyphen',
};

const EMAIL = /^[^\s@"<>()[\]\\,;:]+@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const HOST_NAME = /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;
const KEY_VAULT_SECRET_URI = /^https:\/\/[a-zA-Z0-9-]{3,24}\.vault\.(azure\.net|azure\.cn|usgovcloudapi\.net)\/secrets\/[a-zA-Z0-9-]{1,127}(\/[a-f0-9]{32})?\/?$/;

const SERVICE_TAG = /^[A-Za-z][A-Za-z0-9.]*$/;
/** Stands for the callers registered through `network.allowFrom`, resolved at synthesis. */
const CALLERS = '<callers>';

/** Ids `ApiGovernance` creates after construction (the global policy document, with its first policy). */
const LATER_CHILD_IDS = ['Policy'];

/** The host names of a service under `azure-api.net`, as record names in that zone. */
const AZURE_API_RECORDS: Array<[string, string]> = [
  ['Gateway', ''],
  ['Portal', '.portal'],
  ['DeveloperPortal', '.developer'],
  ['Management', '.management'],
  ['Scm', '.scm'],
];

/**
 * The API layer: API Management injected into the API subnet (Internal mode by default),
 * with the subnet's NSG, private DNS for its host names, a system-assigned identity, legacy
 * protocols and ciphers off, a global throttle, and typed governance (`addApi`, `addProduct`,
 * `addNamedValue`, `addVersionSet`, `addPolicy`). It is the `IEdgeBackend` of `SecureEdge`.
 *
 * @example
 * const api = new ApiGovernance(platform, 'Api', {
 *   resourceGroupName: 'rg-shop', location: 'westeurope', name: 'apim-shop',
 *   subnet: network.apiSubnet, publisherName: 'Shop', publisherEmail: 'platform@shop.example',
 * });
 * api.addApi('Orders', { path: 'orders', backend: orders,
 *   operations: [{ operationId: 'list', method: HttpMethod.GET, urlTemplate: '/orders' }] });
 */
export class ApiGovernance extends Construct implements IEdgeBackend, IApiGovernance {
  /**
   * An existing API Management service (another team's, or created outside this app), read by name:
   * APIs, version sets, products and named values are added to it as to an owned one; `addPolicy`
   * (the service's global policy) throws, because the service belongs to its owner's stack.
   *
   * @example
   * const apim = ApiGovernance.fromServiceAttributes(teamStack, 'Apim', { name: 'apim-shop', resourceGroupName: 'rg-shop' });
   * apim.addApi('Reviews', { path: 'reviews', backend: reviews,
   *   operations: [{ operationId: 'list', method: HttpMethod.GET, urlTemplate: '/reviews' }] });
   */
  public static fromServiceAttributes(scope: Construct, id: string, attrs: ApiManagementServiceAttributes): IApiGovernance {
    return new ImportedApiManagementService(scope, id, attrs);
  }

  /** The API Management service. */
  public readonly resource: ApiManagement;
  /** The API subnet's NSG. */
  public readonly networkSecurityGroup: NetworkSecurityGroup;
  /** The NSG's rules (APIM's required ports, clients on 443, deny the rest inbound). */
  public readonly networkSecurityRules: NetworkSecurityRule[];
  /** The NSG's association with the API subnet. */
  public readonly subnetNetworkSecurityGroupAssociation: SubnetNetworkSecurityGroupAssociation;
  /** The `azure-api.net` private DNS zone (Internal mode with private DNS zones). */
  public readonly privateDnsZone?: PrivateDnsZone;
  /** The zone's link to the VNet. */
  public readonly privateDnsZoneLink?: PrivateDnsZoneVirtualNetworkLink;
  /** The A records of the gateway, portal, developer portal, management and SCM host names. */
  public readonly privateDnsRecords: PrivateDnsARecord[];
  /** The custom domain binding. */
  public readonly customDomain?: ApiManagementCustomDomain;
  /** The custom domain's private DNS zone. */
  public readonly customDomainDnsZone?: PrivateDnsZone;
  /** The custom domain zone's link to the VNet. */
  public readonly customDomainDnsZoneLink?: PrivateDnsZoneVirtualNetworkLink;
  /** The custom domain's A record. */
  public readonly customDomainDnsRecord?: PrivateDnsARecord;
  /** `Key Vault Secrets User` on `keyVaultId` for the service's identity. */
  public readonly keyVaultAccess?: RoleAssignment;
  /**
   * The wait for `keyVaultAccess` to propagate: Key Vault-backed named values and the custom domain depend on it.
   * @default - none without `keyVaultId`
   */
  public readonly keyVaultAccessPropagation?: Sleep;
  /** The Application Insights logger. */
  public readonly logger?: ApiManagementLogger;
  /** The Key Vault-backed named value holding the Application Insights connection string. */
  public readonly loggerCredential?: ApimNamedValue;
  /** The service-wide Application Insights diagnostic. */
  public readonly applicationInsightsDiagnostic?: ApiManagementDiagnostic;
  /** The diagnostic setting sending logs and metrics to Log Analytics. */
  public readonly diagnosticSetting?: MonitorDiagnosticSetting;
  /** Name of the service. */
  public readonly apiManagementName: string;
  /** Azure resource id of the service. */
  public readonly apiManagementId: string;
  /** Resource group of the service. */
  public readonly resourceGroupName: string;
  /** The gateway's host name: `<name>.azure-api.net`, or the custom domain. */
  public readonly gatewayHostName: string;
  /** Private IP addresses of the service in the subnet. */
  public readonly privateIpAddresses: string[];
  /** API Management's health endpoint, answered by the gateway itself. */
  public readonly healthProbePath: string = '/status-0123456789abcdef';
  /** The VNet mode. */
  public readonly virtualNetworkMode: VirtualNetworkMode;
  /** The lock, role assignments and diagnostic settings of the service (`lock`, `roleAssignments`, `diagnosticSettings`). */
  public readonly moduleResources: ModuleInterfaceResources;
  /**
   * Where the gateway listens in the VNet: the API subnet, on 443. `SecureEdge` calls `allowFrom` with the
   * edge subnet, which becomes the source of the NSG's `AllowClientsHttpsInbound` rule (unless
   * `allowedClientPrefixes` is given; with no caller at all, the sources are the VNet's address spaces).
   */
  public readonly network?: IBackendNetwork;
  private readonly clientCallers: string[] = [];
  private readonly subnetAddressPrefix: string;
  private readonly globalPolicies: ApiPolicy[] = [];
  private globalPolicyResource?: ApiManagementPolicy;
  private readonly managedApis: ManagedApi[] = [];
  private readonly namedValues: ApimNamedValue[] = [];
  private readonly products: ApiProduct[] = [];

  constructor(scope: Construct, id: string, props: ApiGovernanceProps) {
    super(scope, id);
    props = checkPropsObject(this, 'props', props);
    checkPlacement(this, props);
    const name = props.name ?? `apim-${uniqueSuffix(this, props.resourceGroupName)}`;
    checkAzureName(this, 'name', name, SERVICE_NAME_RULE);
    checkLists(this, props, ['zones', 'policies']);
    checkObject(this, 'throttle', props.throttle);
    checkObject(this, 'customDomain', props.customDomain);
    checkObject(this, 'applicationInsights', props.applicationInsights);
    checkRequired(this, 'subnet', props.subnet);
    checkRequired(this, 'publisherName', props.publisherName);
    checkPattern(this, 'publisherName', props.publisherName, /^.{1,100}$/, '1-100 characters');
    checkRequired(this, 'publisherEmail', props.publisherEmail);
    checkPattern(this, 'publisherEmail', props.publisherEmail, EMAIL, 'an email address such as "api-team@contoso.com"');
    checkPattern(this, 'publisherEmail', props.publisherEmail, /^.{1,100}$/, 'at most 100 characters');

    const sku = props.sku ?? ApimSku.developer();
    if (!sku.vnetInjectable) {
      throw new ConstructValidationError(this, 'sku', sku.skuName,
        'expected ApimSku.developer() or ApimSku.premium(units): only the classic Developer and Premium tiers can be injected into a VNet.');
    }
    if (sku.tier === 'Premium') checkInteger(this, 'sku.units', sku.units, 1, 99);
    const mode = props.virtualNetworkMode ?? VirtualNetworkMode.INTERNAL;
    checkOneOf(this, 'virtualNetworkMode', mode, [VirtualNetworkMode.INTERNAL, VirtualNetworkMode.EXTERNAL]);
    this.virtualNetworkMode = mode;

    if (props.zones !== undefined && props.zones.length > 0) {
      if (sku.tier !== 'Premium') {
        throw new ConstructValidationError(this, 'zones', props.zones, `availability zones need the Premium tier (got ${sku.skuName}).`);
      }
      props.zones.forEach((z, i) => checkOneOf(this, `zones[${i}]`, z, ['1', '2', '3']));
      checkUnique(this, 'zones', props.zones, (z) => z);
      if (sku.units % props.zones.length !== 0) {
        throw new ConstructValidationError(this, 'zones', props.zones,
          `the ${sku.units} unit(s) of ${sku.skuName} must spread evenly over the zones: use a multiple of ${props.zones.length} units, or fewer zones.`);
      }
    }
    this.checkSubnet(props.subnet, sku, mode);
    checkPattern(this, 'minApiVersion', props.minApiVersion, /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(-preview)?$/, 'an API version such as "2021-08-01"');
    checkResourceId(this, 'publicIpAddressId', props.publicIpAddressId, 'Microsoft.Network/publicIPAddresses');
    checkResourceId(this, 'keyVaultId', props.keyVaultId, 'Microsoft.KeyVault/vaults');
    checkResourceId(this, 'logAnalyticsWorkspaceId', props.logAnalyticsWorkspaceId, 'Microsoft.OperationalInsights/workspaces');
    checkTags(this, props.tags);
    const userIdentities = props.userAssignedIdentities ?? [];
    userIdentities.forEach((identity, i) => checkIdentityReference(this, `userAssignedIdentities[${i}]`, identity, false));
    checkUnique(this, 'userAssignedIdentities', userIdentities, (identity) => (isUnresolved(identity.resourceId) ? identity.resourceId : identity.resourceId.toLowerCase()));

    const customDomain = props.customDomain;
    let customZoneName: string | undefined;
    if (customDomain) {
      checkRequired(this, 'customDomain.hostName', customDomain.hostName);
      checkPattern(this, 'customDomain.hostName', customDomain.hostName, HOST_NAME, 'a fully qualified host name such as "api.contoso.internal"');
      checkRequired(this, 'customDomain.keyVaultCertificateId', customDomain.keyVaultCertificateId);
      checkPattern(this, 'customDomain.keyVaultCertificateId', customDomain.keyVaultCertificateId, KEY_VAULT_SECRET_URI,
        'a Key Vault secret URI such as "https://kv-name.vault.azure.net/secrets/api-cert"');
      customZoneName = customDomain.privateDnsZoneName
        ?? (isUnresolved(customDomain.hostName) ? undefined : customDomain.hostName.split('.').slice(1).join('.'));
      checkPattern(this, 'customDomain.privateDnsZoneName', customDomain.privateDnsZoneName, HOST_NAME, 'a DNS zone name such as "contoso.internal"');
      if (customZoneName && !isUnresolved(customDomain.hostName) && !isUnresolved(customZoneName)
        && !customDomain.hostName.toLowerCase().endsWith(`.${customZoneName.toLowerCase()}`)) {
        throw new ConstructValidationError(this, 'customDomain.privateDnsZoneName', customZoneName,
          `expected a zone that contains the host name "${customDomain.hostName}".`);
      }
    }

    const privateDns = props.privateDnsZones ?? mode === VirtualNetworkMode.INTERNAL;
    // The zone defaults to the host name without its first label; an explicit zone name has two labels or more (HOST_NAME).
    if (privateDns && customDomain && customZoneName && !isUnresolved(customZoneName) && !customZoneName.includes('.')) {
      throw new ConstructValidationError(this, 'customDomain.hostName', customDomain.hostName,
        `the private DNS zone would be "${customZoneName}", but Azure has no single-label private DNS zones: use a host name under a zone of at least two labels (e.g. "api.contoso.internal"), or turn \`privateDnsZones\` off.`);
    }

    const tags = props.tags;
    this.resourceGroupName = props.resourceGroupName;

    // The NSG goes first: API Management's deployment checks the subnet's rules.
    this.networkSecurityGroup = new NetworkSecurityGroup(this, 'NetworkSecurityGroup', {
      name: `nsg-${name}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tags,
    });
    this.subnetAddressPrefix = props.subnet.addressPrefix;
    this.network = {
      destinationAddressPrefixes: [props.subnet.addressPrefix],
      port: 443,
      allowFrom: (sourceAddressPrefix: string) => {
        checkRequired(this, 'network.allowFrom.sourceAddressPrefix', sourceAddressPrefix);
        if (!isUnresolved(sourceAddressPrefix) && !parseCidr(sourceAddressPrefix)) {
          throw new ConstructValidationError(this, 'network.allowFrom.sourceAddressPrefix', sourceAddressPrefix,
            'expected an IPv4 CIDR block such as "10.0.0.0/24" (the calling layer\'s subnet).');
        }
        if (!this.clientCallers.includes(sourceAddressPrefix)) this.clientCallers.push(sourceAddressPrefix);
      },
    };
    this.networkSecurityRules = this.createRules(props, mode);
    this.subnetNetworkSecurityGroupAssociation = new SubnetNetworkSecurityGroupAssociation(this, 'NetworkSecurityGroupAssociation', {
      subnetId: props.subnet.subnetId,
      networkSecurityGroupId: this.networkSecurityGroup.id,
    });

    checkDuration(this, 'rbacPropagationWait', props.rbacPropagationWait);
    if (props.rbacPropagationWait !== undefined && props.keyVaultId === undefined) {
      throw new ConstructValidationError(this, 'rbacPropagationWait', props.rbacPropagationWait, 'only used with keyVaultId (the wait follows the role assignment on the vault).');
    }
    const trustedRoots = props.trustedRootCertificates ?? [];
    if (!Array.isArray(trustedRoots)) {
      throw new ConstructValidationError(this, 'trustedRootCertificates', trustedRoots, 'expected a list of base64-encoded DER certificates.');
    }
    if (trustedRoots.length > 10) {
      throw new ConstructValidationError(this, 'trustedRootCertificates', `${trustedRoots.length} certificates`, 'expected at most 10 CA certificates (API Management\'s limit).');
    }
    trustedRoots.forEach((certificate, i) => {
      if (isUnresolved(certificate)) return;
      // A DER certificate starts with a SEQUENCE (0x30 0x82): "MII" in base64. PEM headers are not accepted by Azure here.
      if (typeof certificate !== 'string' || !/^MII[A-Za-z0-9+/]+={0,2}$/.test(certificate.replace(/\s/g, ''))) {
        throw new ConstructValidationError(this, `trustedRootCertificates[${i}]`, typeof certificate === 'string' ? `${certificate.slice(0, 30)}...` : certificate,
          'expected a base64-encoded DER certificate (starting "MII", no PEM header), e.g. a vault certificate\'s `certificateDataBase64`.');
      }
    });
    this.resource = new ApiManagement(this, 'Resource', {
      name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      publisherName: props.publisherName,
      publisherEmail: props.publisherEmail,
      skuName: sku.skuName,
      zones: props.zones && props.zones.length > 0 ? props.zones : undefined,
      publicIpAddressId: props.publicIpAddressId,
      virtualNetworkType: mode,
      virtualNetworkConfiguration: { subnetId: props.subnet.subnetId },
      // Required at creation (provider documentation); it concerns the management plane only.
      publicNetworkAccessEnabled: true,
      minApiVersion: props.minApiVersion ?? '2021-08-01',
      identity: userIdentities.length > 0
        ? { type: 'SystemAssigned, UserAssigned', identityIds: userIdentities.map((identity) => identity.resourceId) }
        : { type: 'SystemAssigned' },
      certificate: trustedRoots.length > 0 ? trustedRoots.map((encodedCertificate) => ({ encodedCertificate, storeName: 'Root' })) : undefined,
      security: {
        frontendSsl30Enabled: false,
        frontendTls10Enabled: false,
        frontendTls11Enabled: false,
        backendSsl30Enabled: false,
        backendTls10Enabled: false,
        backendTls11Enabled: false,
        tripleDesCiphersEnabled: false,
        tlsEcdheEcdsaWithAes128CbcShaCiphersEnabled: false,
        tlsEcdheEcdsaWithAes256CbcShaCiphersEnabled: false,
        tlsEcdheRsaWithAes128CbcShaCiphersEnabled: false,
        tlsEcdheRsaWithAes256CbcShaCiphersEnabled: false,
        tlsRsaWithAes128CbcSha256CiphersEnabled: false,
        tlsRsaWithAes128CbcShaCiphersEnabled: false,
        tlsRsaWithAes128GcmSha256CiphersEnabled: false,
        tlsRsaWithAes256CbcSha256CiphersEnabled: false,
        tlsRsaWithAes256CbcShaCiphersEnabled: false,
        tlsRsaWithAes256GcmSha384CiphersEnabled: false,
      },
      tags,
      dependsOn: [this.subnetNetworkSecurityGroupAssociation],
    });
    this.apiManagementName = this.resource.name;
    this.apiManagementId = this.resource.id;
    this.privateIpAddresses = this.resource.privateIpAddresses;
    this.gatewayHostName = customDomain?.hostName ?? `${name}.azure-api.net`;

    if (props.keyVaultId !== undefined) {
      checkRequired(this, 'keyVaultId', props.keyVaultId);
      this.keyVaultAccess = new RoleAssignment(this, 'KeyVaultSecretsUser', {
        scope: props.keyVaultId,
        roleDefinitionName: 'Key Vault Secrets User',
        principalId: this.resource.identity.principalId,
        principalType: 'ServicePrincipal',
      });
      this.keyVaultAccessPropagation = waitForRoleAssignments(this, 'KeyVaultAccessPropagation', [this.keyVaultAccess], props.rbacPropagationWait);
    }

    this.privateDnsRecords = [];
    if (privateDns) {
      this.privateDnsZone = new PrivateDnsZone(this, 'PrivateDnsZone', {
        name: 'azure-api.net',
        resourceGroupName: props.resourceGroupName,
        tags,
      });
      this.privateDnsZoneLink = new PrivateDnsZoneVirtualNetworkLink(this, 'PrivateDnsZoneLink', {
        name: `link-${name}`,
        resourceGroupName: props.resourceGroupName,
        privateDnsZoneName: this.privateDnsZone.name,
        virtualNetworkId: props.subnet.virtualNetworkId,
        registrationEnabled: false,
        tags,
      });
      const zoneName = this.privateDnsZone.name;
      for (const [recordId, suffix] of AZURE_API_RECORDS) {
        this.privateDnsRecords.push(new PrivateDnsARecord(this, `${recordId}DnsRecord`, {
          name: `${name}${suffix}`,
          zoneName,
          resourceGroupName: props.resourceGroupName,
          ttl: 300,
          records: this.privateIpAddresses,
          tags,
        }));
      }
    }

    if (customDomain) {
      this.customDomain = new ApiManagementCustomDomain(this, 'CustomDomain', {
        apiManagementId: this.apiManagementId,
        gateway: [{
          hostName: customDomain.hostName,
          keyVaultCertificateId: customDomain.keyVaultCertificateId,
          defaultSslBinding: true,
          negotiateClientCertificate: false,
        }],
        dependsOn: this.keyVaultReadiness(),
      });
      if (privateDns && customZoneName) {
        this.customDomainDnsZone = new PrivateDnsZone(this, 'CustomDomainDnsZone', {
          name: customZoneName,
          resourceGroupName: props.resourceGroupName,
          tags,
        });
        this.customDomainDnsZoneLink = new PrivateDnsZoneVirtualNetworkLink(this, 'CustomDomainDnsZoneLink', {
          name: `link-${name}`,
          resourceGroupName: props.resourceGroupName,
          privateDnsZoneName: this.customDomainDnsZone.name,
          virtualNetworkId: props.subnet.virtualNetworkId,
          registrationEnabled: false,
          tags,
        });
        const recordName = isUnresolved(customDomain.hostName)
          ? customDomain.hostName
          : customDomain.hostName.slice(0, customDomain.hostName.length - customZoneName.length - 1);
        this.customDomainDnsRecord = new PrivateDnsARecord(this, 'CustomDomainDnsRecord', {
          name: recordName,
          zoneName: this.customDomainDnsZone.name,
          resourceGroupName: props.resourceGroupName,
          ttl: 300,
          records: this.privateIpAddresses,
          tags,
        });
      }
    }

    if (props.applicationInsights) {
      [this.logger, this.applicationInsightsDiagnostic, this.loggerCredential] = this.createApplicationInsightsLogging(props.applicationInsights);
    }
    if (props.logAnalyticsWorkspaceId !== undefined) {
      checkRequired(this, 'logAnalyticsWorkspaceId', props.logAnalyticsWorkspaceId);
      this.diagnosticSetting = addDiagnostics(this, {
        name: `diag-${name}`,
        targetResourceId: this.apiManagementId,
        logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      });
    }
    this.moduleResources = applyModuleInterface(this, props, {
      primary: this.resource,
      resourceName: name,
      readOnlyRefusal: APIM_READ_ONLY,
      ownDiagnosticSettings: props.logAnalyticsWorkspaceId !== undefined ? [{ name: `diag-${name}`, logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId }] : [],
    });

    if (props.throttleDisabled && props.throttle) {
      throw new ConstructValidationError(this, 'throttle', props.throttle, 'a throttle was given while `throttleDisabled` is true; drop one.');
    }
    if (!props.throttleDisabled) {
      this.addPolicy(ApiPolicy.rateLimitByKey(props.throttle ?? { calls: 100, renewalPeriod: 60 }));
    }
    (props.policies ?? []).forEach((p) => this.addPolicy(p));
  }

  /** Adds a policy at global scope (runs for every API). */
  public addPolicy(policy: ApiPolicy): void {
    policy.render(this);
    this.globalPolicies.push(policy);
    if (!this.globalPolicyResource) {
      this.globalPolicyResource = new ApiManagementPolicy(this, 'Policy', {
        apiManagementId: this.apiManagementId,
        xmlContent: Lazy.stringValue({ produce: () => renderPolicyDocument(this, this.globalPolicies, { global: true }) }),
      });
    }
  }

  /** The global policy document; created with the first global policy (the throttle, by default). */
  public get policy(): ApiManagementPolicy | undefined {
    return this.globalPolicyResource;
  }

  /**
   * Adds an API routed to `options.backend`. Two APIs may share a path only as different
   * versions in the same version set.
   *
   * @example
   * api.addApi('Orders', {
   *   path: 'orders',
   *   backend: orders, // a MeshService exposed through the gateway, or ApiBackend.fromUrl(...)
   *   operations: [{ operationId: 'list', method: HttpMethod.GET, urlTemplate: '/orders' }],
   * });
   */
  public addApi(id: string, options: ApiOptions): ManagedApi {
    checkChildId(this, 'id', id, LATER_CHILD_IDS);
    options = checkNewApi(this, id, options, this.managedApis);
    const api = new ManagedApi(this, id, { ...options, service: this });
    this.managedApis.push(api);
    // The backend's layer admits the API subnet on the backend's port (e.g. the compute NSG, to the ingress gateway).
    options.backend.network?.allowFrom(this.subnetAddressPrefix);
    return api;
  }

  /** Adds a version set, for the versions of one API. */
  public addVersionSet(id: string, options: VersionSetOptions = {}): ApiVersionSet {
    checkChildId(this, 'id', id, LATER_CHILD_IDS);
    options = checkNewVersionSet(this, id, options);
    return new ApiVersionSet(this, id, { ...options, service: this });
  }

  /** Adds a product. */
  public addProduct(id: string, options: ProductOptions = {}): ApiProduct {
    checkChildId(this, 'id', id, LATER_CHILD_IDS);
    options = checkNewProduct(this, id, options, this.products);
    const product = new ApiProduct(this, id, { ...options, service: this });
    this.products.push(product);
    return product;
  }

  /** Adds a named value: a literal, a referenced secret, or a Key Vault secret read with the service's identity. */
  public addNamedValue(id: string, options: NamedValueOptions): ApimNamedValue {
    checkChildId(this, 'id', id, LATER_CHILD_IDS);
    options = checkNewNamedValue(this, id, options, this.namedValues);
    const namedValue = new ApimNamedValue(this, id, {
      ...options,
      service: this,
      dependsOn: this.keyVaultReadiness(),
    });
    this.namedValues.push(namedValue);
    return namedValue;
  }

  /** The APIs added so far. */
  public get apis(): ManagedApi[] {
    return [...this.managedApis];
  }

  /** The subnet must be an IPv4 block with room for the units, the load balancer(s) and Azure's 5 addresses. */
  /** What a reader of `keyVaultId` waits for: the role assignment and its propagation. */
  private keyVaultReadiness(): ITerraformDependable[] | undefined {
    if (!this.keyVaultAccess) return undefined;
    return this.keyVaultAccessPropagation ? [this.keyVaultAccess, this.keyVaultAccessPropagation] : [this.keyVaultAccess];
  }

  private checkSubnet(subnet: ISubnet, sku: ApimSku, mode: VirtualNetworkMode): void {
    checkRequired(this, 'subnet.subnetId', subnet.subnetId);
    checkRequired(this, 'subnet.virtualNetworkId', subnet.virtualNetworkId);
    if (isUnresolved(subnet.addressPrefix)) return;
    const cidr = parseCidr(subnet.addressPrefix);
    if (!cidr) {
      throw new ConstructValidationError(this, 'subnet.addressPrefix', subnet.addressPrefix, 'expected an IPv4 CIDR block such as "10.0.1.0/24".');
    }
    // Azure reserves 5; Developer takes 1 address, Premium 2 per unit; +1 for the public load
    // balancer, +1 for the internal one in Internal mode (Azure's subnet size guidance).
    const needed = 5 + (sku.tier === 'Developer' ? 1 : 2 * sku.units) + 1 + (mode === VirtualNetworkMode.INTERNAL ? 1 : 0);
    if (cidr.prefixLength > 29 || cidrSize(cidr) < needed) {
      throw new ConstructValidationError(this, 'subnet.addressPrefix', subnet.addressPrefix,
        `expected a subnet of at least /29 with ${needed} addresses for ${sku.skuName} in ${mode} mode (Azure's 5 reserved, the units, the load balancers); use a larger subnet.`);
    }
  }

  /** APIM's required inbound and outbound rules (Azure's VNet reference), clients on 443, and deny the rest inbound. */
  private createRules(props: ApiGovernanceProps, mode: VirtualNetworkMode): NetworkSecurityRule[] {
    const subnetPrefix = props.subnet.addressPrefix;
    const clients = props.allowedClientPrefixes
      ?? (mode === VirtualNetworkMode.INTERNAL ? props.subnet.virtualNetworkAddressSpace : ['Internet']);
    // Internal mode without allowedClientPrefixes: the layers that call the gateway (network.allowFrom),
    // read at synthesis; the VNet's address spaces only when nothing registered.
    const fromCallers = props.allowedClientPrefixes === undefined && mode === VirtualNetworkMode.INTERNAL;
    if (!Array.isArray(clients) || clients.length === 0) {
      // Without allowedClientPrefixes, the sources are the VNet's address spaces.
      const prop = props.allowedClientPrefixes === undefined ? 'subnet.virtualNetworkAddressSpace' : 'allowedClientPrefixes';
      throw new ConstructValidationError(this, prop, clients, 'expected at least one CIDR block or service tag (the sources allowed to reach the gateway on 443).');
    }
    clients.forEach((c, i) => {
      if (isUnresolved(c)) return;
      if (c === '*' || c === '0.0.0.0/0' || (typeof c === 'string' && c.toLowerCase() === 'any')) {
        throw new ConstructValidationError(this, `allowedClientPrefixes[${i}]`, c, 'expected specific CIDR blocks or a service tag (use "Internet" to mean any public client, in External mode).');
      }
      if (!parseCidr(c) && !SERVICE_TAG.test(c)) {
        throw new ConstructValidationError(this, `allowedClientPrefixes[${i}]`, c, 'expected an IPv4 CIDR block ("10.0.0.0/24") or a service tag ("VirtualNetwork").');
      }
      // An NSG rule takes several address prefixes, or one service tag on its own.
      if (clients.length > 1 && !parseCidr(c)) {
        throw new ConstructValidationError(this, `allowedClientPrefixes[${i}]`, c,
          'a service tag must be the only source: an NSG rule takes several CIDR blocks, or one service tag alone; list CIDR blocks only.');
      }
    });
    checkUnique(this, 'allowedClientPrefixes', clients, (c) => c);
    interface Rule {
      id: string;
      priority: number;
      direction: 'Inbound' | 'Outbound';
      access?: 'Allow' | 'Deny';
      protocol: string;
      source: string | string[];
      destination: string;
      ports: string | string[];
      description: string;
    }
    const rules: Rule[] = [
      { id: 'AllowApiManagementInbound', priority: 100, direction: 'Inbound', protocol: 'Tcp', source: 'ApiManagement', destination: 'VirtualNetwork', ports: '3443', description: 'Management endpoint for the Azure portal and tools' },
      { id: 'AllowAzureLoadBalancerInbound', priority: 110, direction: 'Inbound', protocol: 'Tcp', source: 'AzureLoadBalancer', destination: 'VirtualNetwork', ports: '6390', description: 'Azure infrastructure load balancer health probes' },
      { id: 'AllowClientsHttpsInbound', priority: 120, direction: 'Inbound', protocol: 'Tcp', source: fromCallers ? CALLERS : clients, destination: subnetPrefix, ports: '443', description: 'API calls to the gateway' },
      { id: 'AllowRateLimitSyncInbound', priority: 130, direction: 'Inbound', protocol: 'Udp', source: subnetPrefix, destination: subnetPrefix, ports: '4290', description: 'Rate limit counter sync between units' },
      { id: 'DenyAllInbound', priority: 4096, direction: 'Inbound', access: 'Deny', protocol: '*', source: '*', destination: '*', ports: '*', description: 'Nothing else reaches the API subnet' },
      { id: 'AllowStorageOutbound', priority: 100, direction: 'Outbound', protocol: 'Tcp', source: 'VirtualNetwork', destination: 'Storage', ports: '443', description: 'Dependency on Azure Storage' },
      { id: 'AllowSqlOutbound', priority: 110, direction: 'Outbound', protocol: 'Tcp', source: 'VirtualNetwork', destination: 'Sql', ports: '1433', description: 'Dependency on Azure SQL' },
      { id: 'AllowKeyVaultOutbound', priority: 120, direction: 'Outbound', protocol: 'Tcp', source: 'VirtualNetwork', destination: 'AzureKeyVault', ports: '443', description: 'Named values and certificates from Key Vault' },
      { id: 'AllowAzureMonitorOutbound', priority: 130, direction: 'Outbound', protocol: 'Tcp', source: 'VirtualNetwork', destination: 'AzureMonitor', ports: ['1886', '443'], description: 'Diagnostics logs, metrics, resource health, Application Insights' },
      { id: 'AllowEntraIdOutbound', priority: 140, direction: 'Outbound', protocol: 'Tcp', source: 'VirtualNetwork', destination: 'AzureActiveDirectory', ports: '443', description: 'Managed identity tokens (Key Vault access)' },
      { id: 'AllowCertificateValidationOutbound', priority: 150, direction: 'Outbound', protocol: 'Tcp', source: 'VirtualNetwork', destination: 'Internet', ports: '80', description: 'Certificate revocation and chain validation' },
      { id: 'AllowRateLimitSyncOutbound', priority: 160, direction: 'Outbound', protocol: 'Udp', source: subnetPrefix, destination: subnetPrefix, ports: '4290', description: 'Rate limit counter sync between units' },
      { id: 'AllowBackendsHttpsOutbound', priority: 170, direction: 'Outbound', protocol: 'Tcp', source: subnetPrefix, destination: 'VirtualNetwork', ports: '443', description: 'HTTPS to backends in the VNet (Istio internal ingress gateway)' },
    ];
    // One reference for all rules: each attribute read of a resource builds a new token.
    const networkSecurityGroupName = this.networkSecurityGroup.name;
    return rules.map((rule) => new NetworkSecurityRule(this, rule.id, {
      name: rule.id,
      resourceGroupName: props.resourceGroupName,
      networkSecurityGroupName,
      priority: rule.priority,
      direction: rule.direction,
      access: rule.access ?? 'Allow',
      protocol: rule.protocol,
      description: rule.description,
      sourcePortRange: '*',
      // A list token (e.g. an existing VNet's address space, read by a data source) has one element but any length.
      ...(rule.source === CALLERS
        ? { sourceAddressPrefixes: Lazy.listValue({ produce: () => (this.clientCallers.length > 0 ? this.clientCallers : clients) }) }
        : Array.isArray(rule.source) && (rule.source.length > 1 || isUnresolved(rule.source))
          ? { sourceAddressPrefixes: rule.source }
          : { sourceAddressPrefix: Array.isArray(rule.source) ? rule.source[0] : rule.source }),
      destinationAddressPrefix: rule.destination,
      ...(Array.isArray(rule.ports) ? { destinationPortRanges: rule.ports } : { destinationPortRange: rule.ports }),
    }));
  }

  private createApplicationInsightsLogging(
    options: ApplicationInsightsLoggingOptions,
  ): [ApiManagementLogger, ApiManagementDiagnostic, ApimNamedValue | undefined] {
    const given = [options.connectionString, options.instrumentationKey, options.connectionStringKeyVaultSecretId].filter((c) => c !== undefined);
    if (given.length !== 1) {
      throw new ConstructValidationError(this, 'applicationInsights', given.length === 0 ? undefined : '(several credentials)',
        'expected exactly one of `connectionString`, `instrumentationKey` and `connectionStringKeyVaultSecretId`.');
    }
    for (const [prop, value] of [['connectionString', options.connectionString], ['instrumentationKey', options.instrumentationKey]] as const) {
      if (value !== undefined && !isUnresolved(value)) {
        throw new ConstructValidationError(this, `applicationInsights.${prop}`, '(a literal)',
          'expected a Terraform reference (e.g. `appInsights.connectionString`, or a sensitive variable) or `connectionStringKeyVaultSecretId`, so that the secret is not written in plain text.');
      }
    }
    checkNumber(this, 'applicationInsights.samplingPercentage', options.samplingPercentage, 0, 100);
    checkResourceId(this, 'applicationInsights.applicationInsightsId', options.applicationInsightsId, 'Microsoft.Insights/components');
    const credential = options.connectionStringKeyVaultSecretId !== undefined
      ? this.addNamedValue('ApplicationInsightsConnectionString', {
        namedValueName: 'appinsights-connection-string',
        keyVaultSecretId: options.connectionStringKeyVaultSecretId,
      })
      : undefined;
    const logger = new ApiManagementLogger(this, 'ApplicationInsightsLogger', {
      name: 'applicationinsights',
      apiManagementName: this.apiManagementName,
      resourceGroupName: this.resourceGroupName,
      resourceId: options.applicationInsightsId,
      description: 'Application Insights',
      applicationInsights: {
        connectionString: options.connectionString ?? credential?.reference,
        instrumentationKey: options.instrumentationKey,
      },
      dependsOn: credential ? [credential.resource] : undefined,
    });
    const diagnostic = new ApiManagementDiagnostic(this, 'ApplicationInsightsDiagnostic', {
      identifier: 'applicationinsights',
      apiManagementName: this.apiManagementName,
      resourceGroupName: this.resourceGroupName,
      apiManagementLoggerId: logger.id,
      samplingPercentage: options.samplingPercentage ?? 100,
      verbosity: options.verbosity ?? DiagnosticVerbosity.INFORMATION,
      alwaysLogErrors: true,
      logClientIp: options.logClientIp ?? true,
      httpCorrelationProtocol: 'W3C',
      operationNameFormat: 'Name',
    });
    return [logger, diagnostic, credential];
  }
}
