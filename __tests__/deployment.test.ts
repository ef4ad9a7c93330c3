// Issue 13: the reference topology deploys in the order Azure needs. Each joint that made the first
// `cdktf deploy` fail has a test here: the stack layout, the readiness edges of Terraform's graph, the
// plan-time checks, unique names, the APIM trust of the mesh gateway's CA, and the outputs.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { synthStack, expectValidStack } from './support';
import { buildReferenceTopology, CERTIFICATE_NAMES, CertificateSource, optionsFromContext, ReferenceTopology } from '../examples/reference-topology';
import { ApiGovernance, CertificateVault, GatewayMeshChecks, MeshCluster, RequiredCertificates, SecureEdge, TieredNetwork } from '../lib';

const all = (json: any, type: string): any[] => Object.values(json.resource?.[type] ?? {});
const data = (json: any, type: string): any[] => Object.values(json.data?.[type] ?? {});
const placement = { resourceGroupName: 'rg-shop', location: 'westeurope' };

describe('stack layout: what Azure needs at create time exists before', () => {
  let topology: ReferenceTopology;
  let foundation: any;
  let platform: any;
  beforeAll(() => {
    topology = buildReferenceTopology(new App());
    foundation = synthStack(topology.foundation);
    platform = synthStack(topology.platform);
  });

  test('1. the vault (with its private endpoint and DNS) is created a stack before the gateway that reads it', () => {
    expect(all(foundation, 'azurerm_key_vault')).toHaveLength(1);
    expect(all(foundation, 'azurerm_private_endpoint')).toHaveLength(1);
    expect(all(platform, 'azurerm_key_vault')).toEqual([]);
    const [gateway] = all(platform, 'azurerm_application_gateway');
    expect(gateway.ssl_certificate[0].key_vault_secret_id).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-foundation\.outputs\.[^}]+\}secrets\/edge-tls$/);
  });

  test('1. the platform stack fails at plan, naming the step and the command, while a certificate or the CA is missing', () => {
    const [certificates] = data(platform, 'azurerm_key_vault_certificates');
    expect(certificates.lifecycle.postcondition.map((p: any) => p.condition)).toEqual([
      '${contains(self.names, "edge-tls")}', '${contains(self.names, "mesh-gateway")}',
    ]);
    for (const p of certificates.lifecycle.postcondition) {
      expect(p.error_message).toMatch(/^Certificate "(edge-tls|mesh-gateway)" is not in Key Vault \$\{element\(split\("\/", self\.key_vault_id\), 8\)\} yet: import it \(README, "Deploying to Azure", step 2\): az keyvault certificate import --vault-name \$\{element/);
    }
    const [secrets] = data(platform, 'azurerm_key_vault_secrets');
    expect(secrets.lifecycle.postcondition[0]).toMatchObject({ condition: '${contains(self.names, "mesh-gateway-ca")}' });
    expect(secrets.lifecycle.postcondition[0].error_message).toMatch(/az keyvault secret set --vault-name .* --name mesh-gateway-ca --value "\$\(base64 -w0 mesh-ca\.cer\)"/);
    // The gateway waits for the check, so a missing certificate never reaches Azure.
    const [gateway] = all(platform, 'azurerm_application_gateway');
    expect(gateway.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^data\.azurerm_key_vault_certificates\.RequiredCertificates_/)]));
  });

  test('1. the dev/test path needs no manual step: Key Vault issues self-signed certificates in the foundation stack', () => {
    const selfSigned = buildReferenceTopology(new App(), { certificates: CertificateSource.SELF_SIGNED });
    const json = synthStack(selfSigned.foundation);
    const certificates = all(json, 'azurerm_key_vault_certificate');
    expect(certificates.map((c) => c.name).sort()).toEqual([CERTIFICATE_NAMES.edge, CERTIFICATE_NAMES.mesh]);
    for (const c of certificates) {
      expect(c.certificate_policy.issuer_parameters.name).toBe('Self');
      expect(c.depends_on).toEqual([expect.stringMatching(/^time_sleep\.Vault_DeployerAccessPropagation_/)]);
    }
    const roles = all(json, 'azurerm_role_assignment').map((r) => r.role_definition_name).sort();
    expect(roles).toEqual(['Key Vault Certificates Officer', 'Key Vault Secrets Officer']);
    // The self-signed mesh certificate is its own root: API Management trusts it.
    const [apim] = all(synthStack(selfSigned.platform), 'azurerm_api_management');
    expect(apim.certificate).toEqual([{ encoded_certificate: expect.stringMatching(/cross-stack-output-azurerm_key_vault_certificateVault_MeshCertificate_[0-9A-F]+certificate_data_base64/), store_name: 'Root' }]);
    expect(selfSigned.checks.findings.filter((f) => f.suppressionReason === undefined)).toEqual([]);
    expectValidStack(selfSigned.foundation);
    expectValidStack(selfSigned.platform);
  });

  test('2. readiness: the gateway and the Key Vault-backed APIM resources wait for their roles to propagate', () => {
    const [gateway] = all(platform, 'azurerm_application_gateway');
    expect(gateway.depends_on).toEqual(expect.arrayContaining([
      expect.stringMatching(/^azurerm_role_assignment\.Edge_KeyVaultSecretsUser_/),
      expect.stringMatching(/^time_sleep\.Edge_KeyVaultAccessPropagation_/),
    ]));
    const sleeps = Object.entries<any>(platform.resource.time_sleep);
    expect(sleeps.map(([, s]) => s.create_duration)).toEqual(['5m', '5m', '5m']);
    for (const [, sleep] of sleeps) expect(sleep.depends_on).toEqual([expect.stringMatching(/^azurerm_role_assignment\./)]);
    expect(platform.provider.time).toEqual([{}]);
    // The cluster's identity is created before it, and its subnet role propagates before the cluster (and
    // the add-on's internal load balancer) is created.
    const [aks] = all(platform, 'azurerm_kubernetes_cluster');
    expect(aks.identity).toEqual({ type: 'UserAssigned', identity_ids: [expect.stringMatching(/cross-stack-output-azurerm_user_assigned_identityClusterIdentity[0-9A-F_]*id/)] });
    expect(aks.depends_on).toEqual(expect.arrayContaining([
      expect.stringMatching(/^azurerm_role_assignment\.Cluster_SubnetNetworkContributor_/),
      expect.stringMatching(/^time_sleep\.Cluster_SubnetRoleAssignmentPropagation_/),
    ]));
  });

  test('3. the gateway IP record does not fail the plan with an index error while the load balancer is pending', () => {
    const workloads = synthStack(topology.workloads);
    const [record] = all(workloads, 'azurerm_private_dns_a_record');
    expect(record.records).toEqual(['${try(data.kubernetes_service_v1.Mesh_GatewayService_C07E170E.status[0].load_balancer[0].ingress[0].ip, "")}']);
    expect(record.lifecycle.precondition[0].condition).toBe('${(length(try(data.kubernetes_service_v1.Mesh_GatewayService_C07E170E.status[0].load_balancer[0].ingress[0].ip, "")) >= 1)}');
    expect(record.lifecycle.precondition[0].error_message).toMatch(/has no load balancer IP yet.*kubectl -n aks-istio-ingress describe service aks-istio-ingressgateway-internal/);
  });

  test('4. globally unique names get a suffix derived per subscription and resource group, stable across plans', () => {
    const [vault] = all(foundation, 'azurerm_key_vault');
    const [apim] = all(platform, 'azurerm_api_management');
    expect(vault.name).toBe('kv-gwmesh-${substr(sha1(join("/", [data.azurerm_client_config.AzureClientConfig.subscription_id, azurerm_resource_group.ResourceGroup.name, "foundation"])), 0, 8)}');
    // The same expression in the team's stack names the same service, without reading the platform's state.
    expect(apim.name).toBe('apim-gwmesh-${substr(sha1(join("/", [data.azurerm_client_config.AzureClientConfig.subscription_id, "rg-gwmesh", "platform"])), 0, 8)}');
    expect(Object.values<any>(synthStack(topology.team.stack).data.azurerm_api_management)[0].name).toBe(apim.name);
    // What Terraform computes from it: different subscriptions, different names; always 24 characters or less.
    const suffix = (subscription: string) => createHash('sha1').update(`${subscription}/rg-gwmesh/foundation`).digest('hex').slice(0, 8);
    expect(suffix('00000000-0000-0000-0000-000000000001')).not.toBe(suffix('00000000-0000-0000-0000-000000000002'));
    expect(`kv-${'a'.repeat(12)}-${suffix('x')}`.length).toBeLessThanOrEqual(24);
    // The constructs' own defaults are unique too, and a name can still be set outright.
    const stack = new TerraformStack(new App(), 'platform');
    const network = new TieredNetwork(stack, 'Network', placement);
    new ApiGovernance(stack, 'Api', { ...placement, subnet: network.apiSubnet, publisherName: 'Shop', publisherEmail: 'a@shop.example' });
    new ApiGovernance(stack, 'Named', { ...placement, name: 'apim-shop', subnet: network.apiSubnet, publisherName: 'Shop', publisherEmail: 'a@shop.example' });
    new MeshCluster(stack, 'Cluster', { ...placement, subnet: network.computeSubnet });
    const json = synthStack(stack);
    const names = all(json, 'azurerm_api_management').map((a) => a.name);
    expect(names).toEqual(['apim-${substr(sha1(join("/", [data.azurerm_client_config.AzureClientConfig.subscription_id, "rg-shop", "platform/Api"])), 0, 8)}', 'apim-shop']);
    expect(all(json, 'azurerm_key_vault')[0].name).toMatch(/^kv-mesh-\$\{substr\(sha1\(join\("\/", \[data\.azurerm_client_config\.AzureClientConfig\.subscription_id, "rg-shop", "platform\/Cluster"\]\)\), 0, 8\)\}$/);
  });

  test('6. API Management trusts the private CA of the mesh gateway certificate (read from the vault)', () => {
    const [apim] = all(platform, 'azurerm_api_management');
    expect(apim.certificate).toEqual([{ encoded_certificate: expect.stringMatching(/^\$\{data\.azurerm_key_vault_secret\.MeshCaCertificate\.value\}$/), store_name: 'Root' }]);
    const [secret] = data(platform, 'azurerm_key_vault_secret');
    expect(secret).toMatchObject({ name: 'mesh-gateway-ca', depends_on: [expect.stringMatching(/^data\.azurerm_key_vault_secrets\.RequiredCertificates_Secrets_/)] });
    expect(all(platform, 'azurerm_api_management_backend').every((b) => b.tls.validate_certificate_chain === true && b.tls.validate_certificate_name === true)).toBe(true);
  });

  test('8. outputs give what a user needs next', () => {
    expect(Object.keys(foundation.output).filter((o) => !o.startsWith('cross-stack-output-')).sort()).toEqual(['next_step', 'vault_name']);
    expect(foundation.output.next_step.value).toMatch(/^Import the certificates, then cdktf deploy platform: az keyvault certificate import --vault-name \$\{azurerm_key_vault\.Vault_[0-9A-F]+\.name\} --name edge-tls/);
    expect(Object.keys(platform.output).filter((o) => !o.startsWith('cross-stack-output-')).sort())
      .toEqual(['apim_gateway_url', 'cluster_name', 'cluster_resource_group', 'next_step', 'public_host_name', 'public_ip_address']);
    expect(platform.output.public_ip_address.value).toMatch(/^\$\{azurerm_public_ip\.Edge_PublicIp_[0-9A-F]+\.ip_address\}$/);
    expect(platform.output.next_step.value).toMatch(/^cdktf deploy workloads/);
  });
});

describe('7. a certificate in another vault than the one the identity may read fails at synth', () => {
  const setup = () => {
    const stack = new TerraformStack(new App(), 'platform');
    const network = new TieredNetwork(stack, 'Network', placement);
    const vault = new CertificateVault(stack, 'Vault', { ...placement, name: 'kv-shop-certs', subnet: network.computeSubnet });
    const other = new CertificateVault(stack, 'Other', { ...placement, name: 'kv-shop-other', subnet: network.computeSubnet });
    const backend = { gatewayHostName: 'apim-shop.azure-api.net', privateIpAddresses: ['10.0.1.5'], healthProbePath: '/status-0123456789abcdef' };
    const edge = (certificateSecretId: string, keyVaultId = vault.keyVaultId) => new SecureEdge(stack, `Edge${Math.random().toString(36).slice(2, 8)}`, {
      ...placement,
      subnet: network.edgeSubnet,
      backend,
      keyVaultId,
      listeners: [{ id: 'public', hostNames: ['api.shop.example'], certificateSecretId }],
    });
    return { vault, other, edge };
  };

  test('fails when the secret id names a vault by a literal host that is not the keyVaultId vault (the README snippet\'s mistake)', () => {
    const { edge } = setup();
    expect(() => edge('https://kv-shop.vault.azure.net/secrets/edge-tls')).toThrow(
      /listeners\[0\]\.certificateSecretId.*https:\/\/kv-shop\.vault\.azure\.net\/secrets\/edge-tls.*expected a secret in the vault of 'keyVaultId' \("kv-shop-certs", not "kv-shop"\)/);
  });

  test('fails when the secret id is built from another vault resource', () => {
    const { edge, other } = setup();
    expect(() => edge(other.secretId('edge-tls'))).toThrow(/listeners\[0\]\.certificateSecretId.*\(azurerm_key_vault\.Vault_[0-9A-F]+, not azurerm_key_vault\.Other_[0-9A-F]+\)/);
  });

  test('fails when literal ids disagree', () => {
    const { edge } = setup();
    expect(() => edge('https://kv-b.vault.azure.net/secrets/edge-tls', '/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-a'))
      .toThrow(/\("kv-a", not "kv-b"\)/);
  });

  test('accepts a secret of the same vault, by reference or by its literal name', () => {
    const { edge, vault } = setup();
    expect(() => edge(vault.secretId('edge-tls'))).not.toThrow();
    expect(() => edge('https://kv-shop-certs.vault.azure.net/secrets/edge-tls')).not.toThrow();
    expect(() => edge('https://kv-a.vault.azure.net/secrets/edge-tls', '/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-a')).not.toThrow();
  });
});

describe('the dependency rules (AGM-DEP-*) fail a topology rewired to race', () => {
  /** The README's first design: one stack creates the vault (MeshCluster's), the gateway that reads it, and API Management. */
  const racing = (rewire: (edge: SecureEdge) => void = () => undefined) => {
    const app = new App();
    const stack = new TerraformStack(app, 'platform');
    const network = new TieredNetwork(stack, 'Network', placement);
    const cluster = new MeshCluster(stack, 'Cluster', { ...placement, subnet: network.computeSubnet });
    const api = new ApiGovernance(stack, 'Api', { ...placement, name: 'apim-shop', subnet: network.apiSubnet, publisherName: 'Shop', publisherEmail: 'a@shop.example', keyVaultId: cluster.keyVaultId });
    const edge = new SecureEdge(stack, 'Edge', {
      ...placement,
      subnet: network.edgeSubnet,
      backend: api,
      keyVaultId: cluster.keyVaultId,
      listeners: [{ id: 'public', hostNames: ['api.shop.example'], certificateSecretId: `https://${cluster.keyVaultName}.vault.azure.net/secrets/edge-tls` }],
    });
    rewire(edge);
    const checks = GatewayMeshChecks.applyTo(app);
    expect(() => synthStack(stack)).toThrow(/AGM-DEP/);
    return checks.findings.filter((f) => f.ruleId.startsWith('AGM-DEP-')).map((f) => `${f.ruleId} ${f.path}`);
  };

  test('the gateway reading a vault created in the same apply (no certificate yet, private endpoint racing) fails AGM-DEP-002 and AGM-DEP-005', () => {
    // MeshCluster's vault is private: the gateway also races the vault's private endpoint.
    expect(racing()).toEqual(['AGM-DEP-002 platform/Edge/Resource', 'AGM-DEP-005 platform/Edge/Resource']);
  });

  test('a gateway whose role wait is removed also fails AGM-DEP-001', () => {
    // An escape hatch that drops the waits SecureEdge wrote.
    const findings = racing((edge) => { edge.resource.dependsOn = [`azurerm_subnet_network_security_group_association.${edge.networkSecurityGroupAssociation.friendlyUniqueId}`]; });
    expect(findings).toEqual(['AGM-DEP-001 platform/Edge/Resource', 'AGM-DEP-002 platform/Edge/Resource', 'AGM-DEP-005 platform/Edge/Resource']);
  });

  test('the reference topology passes every AGM-DEP rule, in both certificate modes', () => {
    for (const certificates of Object.values(CertificateSource)) {
      const topology = buildReferenceTopology(new App(), { certificates });
      for (const stack of [topology.foundation, topology.platform, topology.workloads]) synthStack(stack);
      expect(topology.checks.findings.filter((f) => f.ruleId.startsWith('AGM-DEP-'))).toEqual([]);
    }
  });
});

describe('RequiredCertificates and CertificateVault validate their input', () => {
  const stack = () => new TerraformStack(new App(), 'platform');
  test('fails when certificate names are missing, repeated or not Key Vault names', () => {
    expect(() => new RequiredCertificates(stack(), 'Check', { keyVaultId: 'x', certificateNames: [] })).toThrow(/certificateNames.*expected a non-empty list/);
    expect(() => new RequiredCertificates(stack(), 'Check', { keyVaultId: 'x', certificateNames: ['a', 'a'] })).toThrow(/certificateNames/);
    expect(() => new RequiredCertificates(stack(), 'Check', { keyVaultId: 'x', certificateNames: ['edge_tls'] })).toThrow(/certificateNames\[0\].*1-127 letters, digits and hyphens/);
    expect(() => new RequiredCertificates(stack(), 'Check', undefined as any)).toThrow(/RequiredCertificates at 'platform\/Check'.*props/);
  });
  test('fails when allowed ranges are private or the whole Internet, or a wait is not a duration', () => {
    const s = stack();
    const network = new TieredNetwork(s, 'Network', placement);
    expect(() => new CertificateVault(s, 'A', { ...placement, subnet: network.computeSubnet, allowedIpRanges: ['10.1.2.3'] })).toThrow(/allowedIpRanges\[0\].*Key Vault refuses private ranges/);
    expect(() => new CertificateVault(s, 'B', { ...placement, subnet: network.computeSubnet, allowedIpRanges: ['0.0.0.0/0'] })).toThrow(/allowedIpRanges\[0\]/);
    expect(() => new CertificateVault(s, 'C', { ...placement, subnet: network.computeSubnet, rbacPropagationWait: '5 minutes' })).toThrow(/rbacPropagationWait.*"5 minutes".*expected a duration/);
    expect(() => new CertificateVault(s, 'D', { ...placement, subnet: network.computeSubnet }).addSelfSignedCertificate('X', { name: 'x', dnsNames: [] }))
      .toThrow(/addSelfSignedCertificate\(X\)\.dnsNames/);
  });
  test('fails when APIM is given a trusted root that is not base64 DER', () => {
    const s = stack();
    const network = new TieredNetwork(s, 'Network', placement);
    expect(() => new ApiGovernance(s, 'Api', { ...placement, subnet: network.apiSubnet, publisherName: 'Shop', publisherEmail: 'a@shop.example', trustedRootCertificates: ['-----BEGIN CERTIFICATE-----'] }))
      .toThrow(/trustedRootCertificates\[0\].*expected a base64-encoded DER certificate/);
  });
});

describe('8. options reach the app as the README says', () => {
  test('cdktf.json context and TOPOLOGY_* variables (which win); no `cdktf synth -c` in the README', () => {
    const app = new App({ context: { prefix: 'contoso', certificates: 'self-signed' } });
    expect(optionsFromContext(app, { TOPOLOGY_PREFIX: 'fabrikam' })).toMatchObject({ prefix: 'fabrikam', certificates: CertificateSource.SELF_SIGNED });
    expect(optionsFromContext(app, { TOPOLOGY_VAULT_ALLOWED_IP_RANGES: '203.0.113.7, 198.51.100.0/24' }).vaultAllowedIpRanges).toEqual(['203.0.113.7', '198.51.100.0/24']);
    expect(() => optionsFromContext(new App({ context: { certificates: 'acme' } }), {})).toThrow(/certificates="acme": expected one of import, self-signed/);
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    expect(readme).not.toMatch(/synth -c|-c key=value/);
  });
});
