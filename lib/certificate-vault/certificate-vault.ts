import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { KeyVaultCertificate } from '@cdktf/provider-azurerm/lib/key-vault-certificate';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Sleep } from '@cdktf/provider-time/lib/sleep';
import { Construct } from 'constructs';
import { Annotations, ITerraformDependable } from '../core/cdktf';
import { Cidr, cidrOverlaps, parseCidr } from '../core/cidr';
import { ISubnet, ResourcePlacement } from '../core/contracts';
import { addDiagnostics } from '../core/diagnostics';
import { ConstructValidationError, isUnresolved } from '../core/errors';
import { checkDuration, clientConfigOf, DEFAULT_RBAC_PROPAGATION, uniqueSuffix, waitForRoleAssignments } from '../core/readiness';
import { checkAzureName, checkPattern, checkRequired, checkTags, checkUnique } from '../core/validate';


/** Props of `CertificateVault`. */
export interface CertificateVaultProps extends ResourcePlacement {
  /**
   * Name of the vault (globally unique, 3-24 characters).
   * @default - "kv-" and a suffix derived from the subscription, the resource group and the construct path
   */
  readonly name?: string;
  /** Subnet of the vault's private endpoint (the nodes, App Gateway and API Management reach the vault through it). */
  readonly subnet: ISubnet;
  /**
   * An existing `privatelink.vaultcore.azure.net` zone for the private endpoint (e.g. a hub's central zone).
   * @default - a zone is created and linked to the subnet's VNet
   */
  readonly privateDnsZoneId?: string;
  /**
   * Public IPv4 addresses or ranges allowed through the vault's firewall: where certificates are imported
   * from, or where Terraform runs when it creates self-signed certificates. Key Vault refuses private
   * (RFC 1918) ranges in IP rules. Empty, the vault has no public network access at all and is reached
   * only through its private endpoint, from inside the VNet.
   * @default - none
   */
  readonly allowedIpRanges?: string[];
  /**
   * Log Analytics workspace for the vault's audit logs and metrics.
   * @default - no diagnostic setting
   */
  readonly logAnalyticsWorkspaceId?: string;
  /**
   * How long Terraform waits after granting a role on the vault before it uses the role (Azure RBAC
   * takes minutes to propagate).
   * @default "5m"
   */
  readonly rbacPropagationWait?: string;
  /**
   * Tags on every created Azure resource.
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/** Options of `CertificateVault.addSelfSignedCertificate`. */
export interface SelfSignedCertificateOptions {
  /** Name of the certificate in the vault (its secret has the same name), e.g. "edge-tls". */
  readonly name: string;
  /** DNS names of the certificate; the first is also its common name (e.g. "api.contoso.com", "*.mesh.internal"). */
  readonly dnsNames: string[];
  /**
   * Validity in months; Key Vault renews it automatically 30 days before it expires.
   * @default 12
   */
  readonly validityInMonths?: number;
}

/** RFC 1918 ranges, which Key Vault refuses in IP rules. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/**
 * The Key Vault that holds the topology's TLS certificates, reachable only through a private endpoint
 * (and the public ranges you allow): RBAC, purge protection, a deny-by-default firewall.
 *
 * Create it in a stack that is applied before the stacks whose resources read certificates from it
 * (Application Gateway, API Management, the mesh gateway): the certificates must be imported between the
 * two applies, and a vault created in the same apply as its readers has no certificate yet (Azure then
 * fails the Application Gateway after a long timeout). `RequiredCertificates` makes the reading stack check,
 * at plan, that the certificates are there.
 *
 * For development, `addSelfSignedCertificate` lets Key Vault issue a self-signed certificate, so that no
 * manual step is needed (clients do not trust it: not for production).
 */
export class CertificateVault extends Construct {
  /** The vault. */
  public readonly resource: KeyVault;
  /** Resource id of the vault. */
  public readonly keyVaultId: string;
  /** Name of the vault. */
  public readonly keyVaultName: string;
  /** Data-plane URI of the vault, with a trailing slash (`https://<name>.vault.azure.net/`). */
  public readonly vaultUri: string;
  /** The vault's private endpoint, with its DNS zone group. */
  public readonly privateEndpoint: PrivateEndpoint;
  /** The `privatelink.vaultcore.azure.net` zone, when created. */
  public readonly privateDnsZone?: PrivateDnsZone;
  /** The zone's link to the VNet, when the zone is created. */
  public readonly privateDnsZoneLink?: PrivateDnsZoneVirtualNetworkLink;
  /** Audit logs and metrics to Log Analytics, with `logAnalyticsWorkspaceId`. */
  public readonly diagnostics?: MonitorDiagnosticSetting;
  /** What a reader of the vault must wait for: the vault's private endpoint with its DNS records. */
  public readonly readiness: ITerraformDependable[];
  private readonly rbacPropagationWait: string;
  private deployerWait?: Sleep;

  constructor(scope: Construct, id: string, props: CertificateVaultProps) {
    super(scope, id);
    if (props === undefined || props === null || typeof props !== 'object') {
      throw new ConstructValidationError(this, 'props', props, 'expected CertificateVaultProps with resourceGroupName, location and subnet.');
    }
    checkRequired(this, 'resourceGroupName', props.resourceGroupName);
    checkRequired(this, 'location', props.location);
    checkRequired(this, 'subnet', props.subnet);
    checkTags(this, props.tags);
    checkDuration(this, 'rbacPropagationWait', props.rbacPropagationWait);
    this.rbacPropagationWait = props.rbacPropagationWait ?? DEFAULT_RBAC_PROPAGATION;
    const name = props.name ?? `kv-${uniqueSuffix(this, props.resourceGroupName)}`;
    checkAzureName(this, 'name', name, {
      min: 3,
      max: 24,
      pattern: /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]*[a-zA-Z0-9]$/,
      description: 'letters, digits and single hyphens; starts with a letter, ends with a letter or digit; globally unique',
    });
    const ranges = props.allowedIpRanges ?? [];
    if (!Array.isArray(ranges)) throw new ConstructValidationError(this, 'allowedIpRanges', ranges, 'expected a list of public IPv4 addresses or CIDR ranges.');
    ranges.forEach((range, i) => this.checkPublicRange(`allowedIpRanges[${i}]`, range));
    checkUnique(this, 'allowedIpRanges', ranges, (range) => range);
    checkPattern(this, 'privateDnsZoneId', props.privateDnsZoneId,
      /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateDnsZones\/privatelink\.vaultcore\.[a-z.]+$/i,
      'the resource id of a "privatelink.vaultcore.azure.net" private DNS zone');

    const placement = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };
    this.resource = new KeyVault(this, 'Resource', {
      name,
      ...placement,
      tenantId: clientConfigOf(this).tenantId,
      skuName: 'standard',
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: 90,
      publicNetworkAccessEnabled: ranges.length > 0,
      networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: ranges },
    });
    this.keyVaultId = this.resource.id;
    this.keyVaultName = this.resource.name;
    this.vaultUri = this.resource.vaultUri;

    let zoneId = props.privateDnsZoneId;
    if (zoneId === undefined) {
      this.privateDnsZone = new PrivateDnsZone(this, 'PrivateDnsZone', {
        name: 'privatelink.vaultcore.azure.net',
        resourceGroupName: props.resourceGroupName,
        tags: props.tags,
      });
      this.privateDnsZoneLink = new PrivateDnsZoneVirtualNetworkLink(this, 'PrivateDnsZoneLink', {
        name: `link-${id.toLowerCase()}-vault`,
        resourceGroupName: props.resourceGroupName,
        privateDnsZoneName: this.privateDnsZone.name,
        virtualNetworkId: props.subnet.virtualNetworkId,
        registrationEnabled: false,
        tags: props.tags,
      });
      zoneId = this.privateDnsZone.id;
    }
    this.privateEndpoint = new PrivateEndpoint(this, 'PrivateEndpoint', {
      name: `pe-${id.toLowerCase()}-vault`,
      ...placement,
      subnetId: props.subnet.subnetId,
      privateServiceConnection: {
        name: `psc-${id.toLowerCase()}-vault`,
        privateConnectionResourceId: this.resource.id,
        subresourceNames: ['vault'],
        isManualConnection: false,
      },
      privateDnsZoneGroup: { name: 'vault', privateDnsZoneIds: [zoneId] },
    });
    this.readiness = this.privateDnsZoneLink ? [this.privateEndpoint, this.privateDnsZoneLink] : [this.privateEndpoint];
    if (props.logAnalyticsWorkspaceId !== undefined) {
      this.diagnostics = addDiagnostics(this, {
        name: 'diag-keyvault', targetResourceId: this.resource.id, logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      });
    }
  }

  /** Versionless secret id of a certificate in this vault (what App Gateway listeners and the CSI driver read; renewals are picked up). */
  public secretId(certificateName: string): string {
    checkPattern(this, 'certificateName', certificateName, /^[0-9a-zA-Z-]{1,127}$/, '1-127 letters, digits and hyphens');
    return `${this.vaultUri}secrets/${certificateName}`;
  }

  /**
   * Lets Key Vault issue a self-signed certificate (development and test only: clients and API Management
   * trust it only where you give them the certificate). Calls `grantDeployerAccess()` first. Terraform
   * must reach the vault: run it inside the VNet, or list its public address in `allowedIpRanges`.
   * @example
   * const vault = new CertificateVault(foundation, 'Vault', { ...placement, subnet: network.computeSubnet });
   * vault.addSelfSignedCertificate('EdgeTls', { name: 'edge-tls', dnsNames: ['api.contoso.com'] });
   */
  public addSelfSignedCertificate(id: string, options: SelfSignedCertificateOptions): KeyVaultCertificate {
    const prop = `addSelfSignedCertificate(${id})`;
    if (options === undefined || options === null || typeof options !== 'object') {
      throw new ConstructValidationError(this, prop, options, 'expected SelfSignedCertificateOptions with a name and dnsNames.');
    }
    checkRequired(this, `${prop}.name`, options.name);
    checkPattern(this, `${prop}.name`, options.name, /^[0-9a-zA-Z-]{1,127}$/, '1-127 letters, digits and hyphens');
    if (!Array.isArray(options.dnsNames) || options.dnsNames.length === 0) {
      throw new ConstructValidationError(this, `${prop}.dnsNames`, options.dnsNames, 'expected a non-empty list of DNS names, e.g. ["api.contoso.com"].');
    }
    options.dnsNames.forEach((dns, i) => checkPattern(this, `${prop}.dnsNames[${i}]`, dns,
      /^(\*\.)?([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/, 'a DNS name, optionally a wildcard "*.<domain>"'));
    const months = options.validityInMonths ?? 12;
    if (!Number.isInteger(months) || months < 1 || months > 120) {
      throw new ConstructValidationError(this, `${prop}.validityInMonths`, months, 'expected a whole number of months from 1 to 120.');
    }
    Annotations.of(this).addWarning(`Certificate "${options.name}" is self-signed: for development and test only; clients do not trust it.`);
    const certificate = new KeyVaultCertificate(this, id, {
      name: options.name,
      keyVaultId: this.resource.id,
      certificatePolicy: {
        issuerParameters: { name: 'Self' },
        keyProperties: { exportable: true, keyType: 'RSA', keySize: 2048, reuseKey: false },
        secretProperties: { contentType: 'application/x-pkcs12' },
        lifetimeAction: [{ action: { actionType: 'AutoRenew' }, trigger: { daysBeforeExpiry: 30 } }],
        x509CertificateProperties: {
          subject: `CN=${options.dnsNames[0]}`,
          subjectAlternativeNames: { dnsNames: options.dnsNames },
          keyUsage: ['digitalSignature', 'keyEncipherment'],
          extendedKeyUsage: ['1.3.6.1.5.5.7.3.1'],
          validityInMonths: months,
        },
      },
      dependsOn: [this.grantDeployerAccess()],
    });
    return certificate;
  }

  /**
   * Grants the identity running Terraform "Key Vault Certificates Officer" and "Key Vault Secrets Officer"
   * on the vault, and waits for the roles to propagate (created once; later calls return the same wait).
   * A stack that creates certificates, or lists and reads them at plan (`RequiredCertificates`), needs it.
   * @example
   * const deployerReady = vault.grantDeployerAccess();
   */
  public grantDeployerAccess(): Sleep {
    if (!this.deployerWait) {
      const principalId = clientConfigOf(this).objectId;
      const roles = [['DeployerCertificatesOfficer', 'Key Vault Certificates Officer'], ['DeployerSecretsOfficer', 'Key Vault Secrets Officer']]
        .map(([id, role]) => new RoleAssignment(this, id, { scope: this.resource.id, roleDefinitionName: role, principalId }));
      // Also after the private endpoint: from inside the VNet, Terraform reaches the vault through it.
      this.deployerWait = waitForRoleAssignments(this, 'DeployerAccessPropagation', roles, this.rbacPropagationWait, this.readiness);
    }
    return this.deployerWait;
  }

  private checkPublicRange(prop: string, range: string): void {
    if (isUnresolved(range)) return;
    const text = typeof range === 'string' && range.includes('/') ? range : `${range}/32`;
    const cidr: Cidr | undefined = typeof range === 'string' ? parseCidr(text) : undefined;
    if (!cidr) throw new ConstructValidationError(this, prop, range, 'expected an IPv4 address or CIDR range such as "203.0.113.7".');
    if (cidr.prefixLength === 0 || cidrOverlaps(cidr, parseCidr('0.0.0.0/8')!)) {
      throw new ConstructValidationError(this, prop, range, 'expected a public address or range narrower than the whole Internet.');
    }
    const reserved = PRIVATE_RANGES.map((r) => parseCidr(r)!).find((r) => cidrOverlaps(cidr, r));
    if (reserved) {
      throw new ConstructValidationError(this, prop, range,
        `expected a public address or range: Key Vault refuses private ranges (${reserved.text}) in IP rules; the VNet reaches the vault through its private endpoint.`);
    }
  }
}
