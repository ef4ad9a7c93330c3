import { App, TerraformStack, TerraformVariable, Testing, Token } from 'cdktf';
import * as fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  ApiBackend, ApiGovernance, ApiGovernanceProps, ApiPolicy, ApimSku, ApiProtocol, ClaimMatch,
  DiagnosticVerbosity, HeaderExistsAction, HttpMethod, IApiBackend, IpFilterAction, MeshService,
  OpenApiDocument, PolicySection, RateLimitKey, TieredNetwork, VersioningScheme, VirtualNetworkMode,
} from '../lib';
import { expectValidStack, synthStack } from './support';
import { addonMesh } from './support/fixtures';
import { ConstructValidationError } from '../lib/core/errors';

const placement = { resourceGroupName: 'rg-mesh', location: 'westeurope' };
const KEY_VAULT_ID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mesh/providers/Microsoft.KeyVault/vaults/kv-mesh';
const WORKSPACE_ID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mesh/providers/Microsoft.OperationalInsights/workspaces/log-mesh';

/** What a MeshService exposes: `https://<svc>.<mesh domain>` through the Istio internal ingress gateway. */
const meshBackend: IApiBackend = { backendUrl: 'https://orders.mesh.internal', backendHostName: 'orders.mesh.internal' };

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', preserveOrder: false });

/** An ApiGovernance with the given props; a function gets the stack, e.g. to make a sensitive variable in it. */
function setup(overrides: Partial<ApiGovernanceProps> | ((stack: TerraformStack) => Partial<ApiGovernanceProps>) = {}) {
  const stack = new TerraformStack(new App(), 'test');
  const network = new TieredNetwork(stack, 'Network', placement);
  const api = new ApiGovernance(stack, 'Api', {
    ...placement,
    name: 'apim-mesh',
    subnet: network.apiSubnet,
    publisherName: 'Contoso',
    publisherEmail: 'api-team@contoso.com',
    ...(typeof overrides === 'function' ? overrides(stack) : overrides),
  });
  return { stack, network, api };
}

/** A secret as users pass it: a sensitive Terraform variable (literal secrets are refused). */
const sensitiveKey = (stack: TerraformStack) => new TerraformVariable(stack, 'key', { type: 'string', sensitive: true }).stringValue;

/** The only resource of a type, or the one whose address contains `part`. */
function resource(json: any, type: string, part = ''): any {
  const matches = Object.entries<any>(json.resource[type] ?? {}).filter(([name]) => name.includes(part));
  if (matches.length !== 1) throw new Error(`expected one ${type} matching '${part}', found ${matches.map(([n]) => n).join(', ') || 'none'}`);
  return matches[0][1];
}

/** Parses a policy document, asserting it is well-formed XML first. */
function parsePolicy(xml: string): any {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml).policies;
}

/** The XML of a single policy statement, rendered in a throwaway scope. */
function render(policy: ApiPolicy): string {
  const { api } = setup();
  return policy.render(api);
}

function parseFragment(xml: string): any {
  expect(XMLValidator.validate(`<root>${xml}</root>`)).toBe(true);
  return parser.parse(`<root>${xml}</root>`).root;
}

describe('ApiGovernance', () => {
  test('defaults', () => {
    const { stack, network, api } = setup();
    const orders = api.addApi('orders', { path: 'orders', backend: meshBackend });
    orders.addOperation('list-orders', { method: HttpMethod.GET, urlTemplate: '/' });
    expectValidStack(stack);
    const json = synthStack(stack);
    expect(json).toMatchSnapshot();

    // Internal VNet injection, Developer tier, managed identity, legacy protocols and ciphers off.
    const apim = resource(json, 'azurerm_api_management');
    expect(apim).toMatchObject({
      name: 'apim-mesh',
      sku_name: 'Developer_1',
      virtual_network_type: 'Internal',
      virtual_network_configuration: { subnet_id: '${azurerm_subnet.Network_ApiSubnet_D3101B19.id}' },
      public_network_access_enabled: true,
      identity: { type: 'SystemAssigned' },
      min_api_version: '2021-08-01',
    });
    expect(Object.values(apim.security)).toHaveLength(17);
    expect(Object.values(apim.security).every((v) => v === false)).toBe(true);
    expect(apim.zones).toBeUndefined();
    expect(apim.depends_on).toEqual(['azurerm_subnet_network_security_group_association.Api_NetworkSecurityGroupAssociation_27276F45']);

    // The NSG of the API subnet, with the rules of APIM's VNet reference.
    const text = JSON.stringify(json);
    expect(Testing.toHaveResourceWithProperties(text, 'azurerm_subnet_network_security_group_association', {
      subnet_id: '${azurerm_subnet.Network_ApiSubnet_D3101B19.id}',
    })).toBe(true);
    const rules = Object.values<any>(json.resource.azurerm_network_security_rule);
    const rule = (direction: string, source: string, destination: string, port: string) => rules.find((r) => r.direction === direction
      && (r.source_address_prefix === source || (r.source_address_prefixes ?? []).includes(source)) && r.destination_address_prefix === destination
      && (r.destination_port_range === port || (r.destination_port_ranges ?? []).includes(port)));
    expect(rule('Inbound', 'ApiManagement', 'VirtualNetwork', '3443')).toMatchObject({ access: 'Allow', protocol: 'Tcp' });
    expect(rule('Inbound', 'AzureLoadBalancer', 'VirtualNetwork', '6390')).toMatchObject({ access: 'Allow', protocol: 'Tcp' });
    expect(rule('Inbound', '10.0.0.0/16', '10.0.1.0/24', '443')).toMatchObject({ access: 'Allow' });
    expect(rule('Inbound', '*', '*', '*')).toMatchObject({ access: 'Deny', priority: 4096 });
    expect(rule('Outbound', 'VirtualNetwork', 'Storage', '443')).toBeDefined();
    expect(rule('Outbound', 'VirtualNetwork', 'Sql', '1433')).toBeDefined();
    expect(rule('Outbound', 'VirtualNetwork', 'AzureKeyVault', '443')).toBeDefined();
    expect(rule('Outbound', 'VirtualNetwork', 'AzureMonitor', '1886')).toBeDefined();
    expect(rule('Outbound', 'VirtualNetwork', 'AzureMonitor', '443')).toBeDefined();
    expect(rules.filter((r) => r.source_address_prefix === 'Internet' || r.source_address_prefix === '*').map((r) => r.access)).toEqual(['Deny']);

    // Private DNS: azure-api.net linked to the VNet, every host name on the private IP.
    expect(resource(json, 'azurerm_private_dns_zone')).toMatchObject({ name: 'azure-api.net' });
    expect(resource(json, 'azurerm_private_dns_zone_virtual_network_link')).toMatchObject({
      virtual_network_id: '${azurerm_virtual_network.Network_1C6012B5.id}', registration_enabled: false,
    });
    const records = Object.values<any>(json.resource.azurerm_private_dns_a_record);
    expect(records.map((r) => r.name).sort()).toEqual(['apim-mesh', 'apim-mesh.developer', 'apim-mesh.management', 'apim-mesh.portal', 'apim-mesh.scm']);
    expect(new Set(records.map((r) => r.records))).toEqual(new Set(['${azurerm_api_management.Api_F70053CD.private_ip_addresses}']));

    // Throttling on by default: a global rate limit per subscription, or per IP without one.
    const global = parsePolicy(resource(json, 'azurerm_api_management_policy').xml_content);
    expect(global.inbound['rate-limit-by-key']).toEqual({
      '@calls': '100', '@renewal-period': '60', '@counter-key': '@(context.Subscription?.Id ?? context.Request.IpAddress)',
    });
    expect(global.backend).toHaveProperty('forward-request');

    // The API goes to the mesh backend over HTTPS, certificate chain and name validated.
    expect(resource(json, 'azurerm_api_management_api')).toMatchObject({ path: 'orders', protocols: ['https'], subscription_required: true, revision: '1' });
    expect(resource(json, 'azurerm_api_management_backend')).toMatchObject({
      url: 'https://orders.mesh.internal', protocol: 'http', tls: { validate_certificate_chain: true, validate_certificate_name: true },
    });
    const apiPolicy = parsePolicy(resource(json, 'azurerm_api_management_api_policy').xml_content);
    expect(apiPolicy.inbound['set-backend-service']).toEqual({ '@backend-id': 'orders-backend' });
    expect(apiPolicy.inbound['set-header']).toBeUndefined(); // the URL's host is already the host name

    // What SecureEdge needs.
    expect(api.gatewayHostName).toBe('apim-mesh.azure-api.net');
    expect(api.healthProbePath).toBe('/status-0123456789abcdef');
    expect(Token.isUnresolved(api.privateIpAddresses)).toBe(true);
    expect(api.node.defaultChild).toBe(api.resource);
    expect(api.virtualNetworkMode).toBe(VirtualNetworkMode.INTERNAL);
    expect(network.apiSubnet.addressPrefix).toBe('10.0.1.0/24');
    // Nothing optional is created by default.
    for (const type of ['azurerm_api_management_logger', 'azurerm_api_management_diagnostic', 'azurerm_monitor_diagnostic_setting',
      'azurerm_role_assignment', 'azurerm_api_management_custom_domain']) {
      expect(json.resource[type]).toBeUndefined();
    }
  });

  test('all options', () => {
    const stack = new TerraformStack(new App(), 'test');
    const network = new TieredNetwork(stack, 'Network', placement);
    const connectionString = new TerraformVariable(stack, 'appinsights_connection_string', { type: 'string', sensitive: true });
    const backendToken = new TerraformVariable(stack, 'backend_token', { type: 'string', sensitive: true });
    const api = new ApiGovernance(stack, 'Api', {
      ...placement,
      name: 'apim-mesh-prod',
      subnet: network.apiSubnet,
      publisherName: 'Contoso & Co',
      publisherEmail: 'api-team@contoso.com',
      sku: ApimSku.premium(2),
      zones: ['1', '2'],
      virtualNetworkMode: VirtualNetworkMode.INTERNAL,
      publicIpAddressId: '/subscriptions/0/resourceGroups/rg-mesh/providers/Microsoft.Network/publicIPAddresses/pip-apim',
      minApiVersion: '2022-08-01',
      customDomain: { hostName: 'api.contoso.internal', keyVaultCertificateId: 'https://kv-mesh.vault.azure.net/secrets/api-cert' },
      privateDnsZones: true,
      keyVaultId: KEY_VAULT_ID,
      applicationInsights: {
        connectionString: connectionString.stringValue,
        applicationInsightsId: '/subscriptions/0/resourceGroups/rg-mesh/providers/Microsoft.Insights/components/appi-mesh',
        samplingPercentage: 25,
        verbosity: DiagnosticVerbosity.ERROR,
        logClientIp: false,
      },
      logAnalyticsWorkspaceId: WORKSPACE_ID,
      throttle: { calls: 600, renewalPeriod: 60, key: RateLimitKey.clientIp(), remainingCallsHeaderName: 'X-RateLimit-Remaining' },
      allowedClientPrefixes: ['10.0.0.0/24'],
      policies: [ApiPolicy.ipFilter({ action: IpFilterAction.ALLOW, addresses: ['10.0.0.0/24', '10.0.1.10'] })],
      tags: { env: 'prod' },
    });

    const signingKey = api.addNamedValue('jwt-issuer', { value: 'https://login.microsoftonline.com/tenant/v2.0' });
    const kvSecret = api.addNamedValue('orders-api-key', { keyVaultSecretId: 'https://kv-mesh.vault.azure.net/secrets/orders-api-key' });
    api.addNamedValue('backend-token', { value: backendToken.stringValue, secret: true, tags: ['backend'] });

    const versions = api.addVersionSet('orders-versions', { displayName: 'Orders', scheme: VersioningScheme.SEGMENT, description: 'Orders API' });
    const v1 = api.addApi('orders-v1', {
      path: 'orders',
      displayName: 'Orders',
      description: 'Orders of the shop',
      backend: meshBackend,
      version: 'v1',
      versionSet: versions,
      versionDescription: 'First version',
      revision: '2',
      revisionDescription: 'Adds paging',
      protocols: [ApiProtocol.HTTPS],
      subscriptionRequired: true,
      operations: [
        { operationId: 'list-orders', method: HttpMethod.GET, urlTemplate: '/', displayName: 'List orders' },
        {
          operationId: 'get-order',
          method: HttpMethod.GET,
          urlTemplate: '/{orderId}',
          description: 'One order',
          policies: [ApiPolicy.header({ name: 'X-Order', values: ['@(context.Request.MatchedParameters["orderId"])'] })],
        },
      ],
      policies: [
        ApiPolicy.validateJwt({
          issuer: signingKey.reference,
          audiences: ['api://orders'],
          openIdConfigUrl: 'https://login.microsoftonline.com/tenant/v2.0/.well-known/openid-configuration',
          requiredClaims: [{ name: 'roles', values: ['Orders.Read'], match: ClaimMatch.ANY }],
          clockSkewSeconds: 60,
        }),
        ApiPolicy.header({ name: 'X-Api-Key', values: [kvSecret.reference] }),
        ApiPolicy.header({ name: 'X-Powered-By', existsAction: HeaderExistsAction.DELETE, section: PolicySection.OUTBOUND }),
      ],
    });
    v1.addOperationPolicy('list-orders', ApiPolicy.quotaByKey({ calls: 10000, bandwidthKilobytes: 40000, renewalPeriod: 86400 }));
    const v2 = api.addApi('orders-v2', {
      path: 'orders',
      backend: ApiBackend.fromUrl('https://10.0.16.50/v2', 'orders.mesh.internal'),
      version: 'v2',
      versionSet: versions,
      openApi: OpenApiDocument.fromJson(JSON.stringify({ openapi: '3.0.1', info: { title: 'Orders', version: 'v2' }, paths: { '/': { get: { operationId: 'listOrders', responses: { 200: { description: 'OK' } } } } } })),
    });
    v2.addOperationPolicy('listOrders', ApiPolicy.cors({ allowedOrigins: ['https://shop.contoso.com'], allowCredentials: true, exposeHeaders: ['X-Total'], preflightResultMaxAge: 300 }));
    const headerSet = api.addVersionSet('payments-versions', { scheme: VersioningScheme.HEADER, headerName: 'X-Version' });
    const payments = api.addApi('payments', {
      path: 'payments',
      backend: { backendUrl: 'https://payments.mesh.internal', backendHostName: 'payments.mesh.internal' },
      version: '2024-06-01',
      versionSet: headerSet,
      openApi: OpenApiDocument.fromUrl('https://specs.contoso.com/payments.json'),
    });
    payments.addOperationPolicy('refund', ApiPolicy.routeToBackend({ backendId: 'orders-v1-backend' }));
    const querySet = api.addVersionSet('catalog-versions', { scheme: VersioningScheme.QUERY });
    api.addApi('catalog', {
      path: 'catalog',
      backend: meshBackend,
      version: 'v1',
      versionSet: querySet,
      openApi: OpenApiDocument.fromYaml('openapi: 3.0.1\ninfo: { title: Catalog, version: v1 }\npaths: {}\n'),
    });

    api.addProduct('partners', {
      displayName: 'Partners',
      description: 'APIs for partners',
      subscriptionRequired: true,
      approvalRequired: true,
      subscriptionsLimit: 5,
      published: true,
      terms: 'Use responsibly',
      apis: [v1, v2],
      policies: [ApiPolicy.rateLimitByKey({ calls: 50, renewalPeriod: 10, key: RateLimitKey.header('X-Partner'), incrementCondition: '@(context.Response.StatusCode < 400)' })],
    });
    api.addProduct('internal', { subscriptionRequired: false, published: false, apis: [payments] });

    expectValidStack(stack);
    const json = synthStack(stack);
    expect(json).toMatchSnapshot();

    // Premium, zoned, custom domain and its DNS, identity granted on Key Vault before it is read.
    expect(resource(json, 'azurerm_api_management')).toMatchObject({ sku_name: 'Premium_2', zones: ['1', '2'], min_api_version: '2022-08-01', tags: { env: 'prod' } });
    expect(api.gatewayHostName).toBe('api.contoso.internal');
    expect(resource(json, 'azurerm_role_assignment')).toMatchObject({
      scope: KEY_VAULT_ID, role_definition_name: 'Key Vault Secrets User', principal_id: '${azurerm_api_management.Api_F70053CD.identity[0].principal_id}',
    });
    expect(resource(json, 'azurerm_api_management_custom_domain')).toMatchObject({
      gateway: [{ host_name: 'api.contoso.internal', key_vault_certificate_id: 'https://kv-mesh.vault.azure.net/secrets/api-cert' }],
      depends_on: ['azurerm_role_assignment.Api_KeyVaultSecretsUser_E84E7706', 'time_sleep.Api_KeyVaultAccessPropagation_113B5426'],
    });
    expect(resource(json, 'azurerm_private_dns_zone', 'CustomDomain')).toMatchObject({ name: 'contoso.internal' });
    expect(resource(json, 'azurerm_private_dns_a_record', 'CustomDomain')).toMatchObject({ name: 'api' });
    expect(resource(json, 'azurerm_network_security_rule', 'AllowClientsHttpsInbound')).toMatchObject({ source_address_prefix: '10.0.0.0/24' });

    // Named values: Key Vault-backed and referenced secrets, no secret in plain text.
    expect(resource(json, 'azurerm_api_management_named_value', 'orders-api-key')).toMatchObject({
      secret: true,
      value_from_key_vault: { secret_id: 'https://kv-mesh.vault.azure.net/secrets/orders-api-key' },
      depends_on: ['azurerm_role_assignment.Api_KeyVaultSecretsUser_E84E7706', 'time_sleep.Api_KeyVaultAccessPropagation_113B5426'],
    });
    expect(resource(json, 'azurerm_api_management_named_value', 'backend-token')).toMatchObject({ secret: true, value: '${var.backend_token}' });

    // Logging: Application Insights with sampling, Log Analytics through a diagnostic setting.
    expect(resource(json, 'azurerm_api_management_logger')).toMatchObject({ application_insights: { connection_string: '${var.appinsights_connection_string}' } });
    expect(resource(json, 'azurerm_api_management_diagnostic')).toMatchObject({
      identifier: 'applicationinsights',
      sampling_percentage: 25,
      verbosity: 'error',
      log_client_ip: false,
      always_log_errors: true,
      api_management_logger_id: '${azurerm_api_management_logger.Api_ApplicationInsightsLogger_CF82F0E5.id}',
    });
    expect(resource(json, 'azurerm_monitor_diagnostic_setting')).toMatchObject({
      target_resource_id: '${azurerm_api_management.Api_F70053CD.id}', log_analytics_workspace_id: WORKSPACE_ID,
    });

    // Versioning: one version set per scheme; versions share a path.
    const sets = Object.values<any>(json.resource.azurerm_api_management_api_version_set);
    expect(sets.map((s) => [s.versioning_scheme, s.version_header_name, s.version_query_name])).toEqual(expect.arrayContaining([
      ['Segment', undefined, undefined], ['Header', 'X-Version', undefined], ['Query', undefined, 'api-version'],
    ]));
    expect(resource(json, 'azurerm_api_management_api', 'orders-v1')).toMatchObject({ version: 'v1', version_set_id: '${azurerm_api_management_api_version_set.Api_orders-versions_3B3AAE0A.id}', revision: '2' });
    expect(resource(json, 'azurerm_api_management_api', 'orders-v2').import).toMatchObject({ content_format: 'openapi+json' });
    expect(resource(json, 'azurerm_api_management_api', 'payments').import).toEqual({ content_format: 'openapi+json-link', content_value: 'https://specs.contoso.com/payments.json' });
    expect(resource(json, 'azurerm_api_management_api', 'catalog').import).toMatchObject({ content_format: 'openapi' });

    // Products: subscription and approval, APIs linked.
    expect(resource(json, 'azurerm_api_management_product', 'partners')).toMatchObject({
      product_id: 'partners', subscription_required: true, approval_required: true, subscriptions_limit: 5, published: true,
    });
    const open = resource(json, 'azurerm_api_management_product', 'internal');
    expect(open).toMatchObject({ subscription_required: false, published: false });
    expect(open.approval_required).toBeUndefined();
    expect(Object.keys(json.resource.azurerm_api_management_product_api)).toHaveLength(3);

    // Every policy document is well-formed XML.
    for (const type of ['azurerm_api_management_policy', 'azurerm_api_management_product_policy', 'azurerm_api_management_api_policy', 'azurerm_api_management_api_operation_policy']) {
      for (const doc of Object.values<any>(json.resource[type])) parsePolicy(doc.xml_content);
    }
    const global = parsePolicy(resource(json, 'azurerm_api_management_policy').xml_content);
    expect(global.inbound['rate-limit-by-key']).toMatchObject({ '@calls': '600', '@counter-key': '@(context.Request.IpAddress)' });
    expect(global.inbound['ip-filter']).toEqual({ '@action': 'allow', 'address-range': { '@from': '10.0.0.0', '@to': '10.0.0.255' }, 'address': '10.0.1.10' });
    // A backend by IP: the host name travels as Host header.
    const v2Policy = parsePolicy(resource(json, 'azurerm_api_management_api_policy', 'orders-v2').xml_content);
    expect(v2Policy.inbound['set-header']).toEqual({ '@name': 'Host', '@exists-action': 'override', 'value': 'orders.mesh.internal' });
    const v1Policy = parsePolicy(resource(json, 'azurerm_api_management_api_policy', 'orders-v1').xml_content);
    expect(v1Policy.inbound['validate-jwt'].issuers.issuer).toBe('{{jwt-issuer}}');
    expect(v1Policy.outbound['set-header']).toEqual({ '@name': 'X-Powered-By', '@exists-action': 'delete' });
    expect(resource(json, 'azurerm_api_management_api_operation_policy', 'OperationPolicy-listOrders')).toMatchObject({ operation_id: 'listOrders' });
    expect(resource(json, 'azurerm_api_management_api_operation', 'get-order').template_parameter).toEqual([{ name: 'orderId', required: true, type: 'string' }]);
  });

  test('routes an API to a MeshService through the Istio internal ingress gateway, by host name', () => {
    const { stack, api } = setup();
    const mesh = addonMesh;
    const serviceB = new MeshService(new TerraformStack(stack.node.scope as App, 'cluster'), 'ServiceB', { mesh, image: 'myacr.azurecr.io/orders:1.4.2' });
    serviceB.exposeViaGateway();
    const orders = api.addApi('orders', { path: 'orders', backend: serviceB, operations: [{ operationId: 'list', method: HttpMethod.GET, urlTemplate: '/' }] });
    expect(orders.backend).toBe(serviceB);
    const json = synthStack(stack);
    expect(resource(json, 'azurerm_api_management_backend')).toMatchObject({
      url: `https://${serviceB.backendHostName}`, tls: { validate_certificate_chain: true, validate_certificate_name: true },
    });
    expect(serviceB.backendHostName).toMatch(/\.mesh\.internal$/);
    // The URL's host is the host name: Host header and SNI are both the service's host name.
    expect(parsePolicy(resource(json, 'azurerm_api_management_api_policy').xml_content).inbound['set-header']).toBeUndefined();
  });

  test('External mode opens 443 to the Internet and creates no private DNS zone', () => {
    const { stack, api } = setup({ virtualNetworkMode: VirtualNetworkMode.EXTERNAL, sku: ApimSku.premium(1) });
    api.addApi('orders', { path: 'orders', backend: meshBackend, operations: [{ operationId: 'list', method: HttpMethod.GET, urlTemplate: '/' }] });
    expectValidStack(stack);
    const json = synthStack(stack);
    expect(resource(json, 'azurerm_api_management')).toMatchObject({ virtual_network_type: 'External', sku_name: 'Premium_1' });
    expect(resource(json, 'azurerm_network_security_rule', 'AllowClientsHttpsInbound')).toMatchObject({ source_address_prefix: 'Internet', destination_port_range: '443' });
    expect(json.resource.azurerm_private_dns_zone).toBeUndefined();
    expect(api.privateDnsZone).toBeUndefined();
  });

  test('the throttle can be turned off, explicitly', () => {
    const { stack, api } = setup({ throttleDisabled: true, privateDnsZones: false });
    api.addApi('orders', { path: 'orders', backend: meshBackend, operations: [{ operationId: 'list', method: HttpMethod.GET, urlTemplate: '/' }] });
    const json = synthStack(stack);
    expect(json.resource.azurerm_api_management_policy).toBeUndefined();
    expect(json.resource.azurerm_private_dns_zone).toBeUndefined();
    expect(api.policy).toBeUndefined();
  });

  test('the Application Insights connection string can come from Key Vault', () => {
    const { stack, api } = setup({
      keyVaultId: KEY_VAULT_ID,
      applicationInsights: { connectionStringKeyVaultSecretId: 'https://kv-mesh.vault.azure.net/secrets/appi-connection' },
    });
    api.addApi('orders', { path: 'orders', backend: meshBackend, operations: [{ operationId: 'list', method: HttpMethod.GET, urlTemplate: '/' }] });
    expectValidStack(stack);
    const json = synthStack(stack);
    expect(resource(json, 'azurerm_api_management_named_value')).toMatchObject({
      name: 'appinsights-connection-string',
      secret: true,
      value_from_key_vault: { secret_id: 'https://kv-mesh.vault.azure.net/secrets/appi-connection' },
      depends_on: ['azurerm_role_assignment.Api_KeyVaultSecretsUser_E84E7706', 'time_sleep.Api_KeyVaultAccessPropagation_113B5426'],
    });
    expect(resource(json, 'azurerm_api_management_logger')).toMatchObject({
      application_insights: { connection_string: '{{appinsights-connection-string}}' },
      depends_on: [expect.stringMatching(/^azurerm_api_management_named_value\./)],
    });
    expect(resource(json, 'azurerm_api_management_diagnostic')).toMatchObject({ sampling_percentage: 100, verbosity: 'information', log_client_ip: true });
    expect(api.loggerCredential?.reference).toBe('{{appinsights-connection-string}}');
  });

  test('policies at every scope are added after creation too', () => {
    const { stack, api } = setup();
    const orders = api.addApi('orders', { path: 'orders', backend: meshBackend });
    const op = orders.addOperation('create-order', { method: HttpMethod.POST, urlTemplate: '/' });
    const product = api.addProduct('starter');
    product.addApi(orders);
    api.addPolicy(ApiPolicy.fromXml('<set-variable name="started" value="@(DateTime.UtcNow)" />'));
    product.addPolicy(ApiPolicy.quotaByKey({ calls: 1000, renewalPeriod: 3600 }));
    orders.addPolicy(ApiPolicy.rateLimitByKey({ calls: 10 }));
    op.addPolicy(ApiPolicy.routeToBackend({ backend: ApiBackend.fromUrl('https://orders-write.mesh.internal') }));
    orders.addOperationPolicy('create-order', ApiPolicy.fromXml('<retry condition="@(context.Response.StatusCode &gt;= 500)" count="2" interval="1"><forward-request /></retry>', PolicySection.BACKEND));
    expectValidStack(stack);
    const json = synthStack(stack);
    expect(parsePolicy(resource(json, 'azurerm_api_management_policy').xml_content).inbound['set-variable']).toEqual({ '@name': 'started', '@value': '@(DateTime.UtcNow)' });
    expect(parsePolicy(resource(json, 'azurerm_api_management_product_policy').xml_content).inbound['quota-by-key']).toMatchObject({ '@calls': '1000', '@renewal-period': '3600' });
    expect(parsePolicy(resource(json, 'azurerm_api_management_api_policy').xml_content).inbound['rate-limit-by-key']).toMatchObject({ '@calls': '10', '@renewal-period': '60' });
    const opPolicy = parsePolicy(resource(json, 'azurerm_api_management_api_operation_policy').xml_content);
    expect(opPolicy.inbound['set-backend-service']).toEqual({ '@base-url': 'https://orders-write.mesh.internal' });
    expect(opPolicy.backend.retry).toMatchObject({ '@count': '2' });
    expect(resource(json, 'azurerm_api_management_product')).toMatchObject({ subscription_required: true, approval_required: true, subscriptions_limit: 1 });
    expect(op.policy).toBeDefined();
    expect(product.policy).toBeDefined();
    expect(api.apis).toEqual([orders]);
    expect(orders.declaredOperations).toEqual([op]);
  });
});

describe('ApiPolicy XML', () => {
  test('attribute values and text are escaped', () => {
    const xml = render(ApiPolicy.header({ name: 'X-Note', values: ['a "quoted" <tag> & \'apostrophe\''] }));
    expect(xml).toContain('&quot;quoted&quot; &lt;tag&gt; &amp; &apos;apostrophe&apos;');
    expect(parseFragment(xml)['set-header'].value).toBe('a "quoted" <tag> & \'apostrophe\'');
    const key = render(ApiPolicy.rateLimitByKey({ calls: 5, key: RateLimitKey.fromExpression('@(context.Request.Headers.GetValueOrDefault("X-Client", "<none>"))') }));
    expect(parseFragment(key)['rate-limit-by-key']['@counter-key']).toBe('@(context.Request.Headers.GetValueOrDefault("X-Client", "<none>"))');
  });

  test('validate-jwt keeps the element order of the policy reference', () => {
    const xml = render(ApiPolicy.validateJwt({
      issuer: 'https://issuer.contoso.com/',
      audiences: ['api://a', 'api://b'],
      openIdConfigUrl: 'https://issuer.contoso.com/.well-known/openid-configuration',
      headerName: 'X-Token',
      failedValidationStatusCode: 403,
      failedValidationErrorMessage: 'Forbidden',
      requiredClaims: [{ name: 'scp' }],
    }));
    expect(xml.indexOf('<openid-config')).toBeLessThan(xml.indexOf('<audiences>'));
    expect(xml.indexOf('<audiences>')).toBeLessThan(xml.indexOf('<issuers>'));
    expect(xml.indexOf('<issuers>')).toBeLessThan(xml.indexOf('<required-claims>'));
    const jwt = parseFragment(xml)['validate-jwt'];
    expect(jwt).toMatchObject({
      '@header-name': 'X-Token',
      '@failed-validation-httpcode': '403',
      '@require-signed-tokens': 'true',
      '@require-expiration-time': 'true',
      'audiences': { audience: ['api://a', 'api://b'] },
      'required-claims': { claim: { '@name': 'scp', '@match': 'all' } },
    });
    expect(jwt['@require-scheme']).toBeUndefined();
  });

  test('cors lists origins, methods and headers', () => {
    const cors = parseFragment(render(ApiPolicy.cors({ allowedOrigins: ['*'] }))).cors;
    expect(cors).toMatchObject({
      '@allow-credentials': 'false',
      'allowed-origins': { origin: '*' },
      'allowed-methods': { method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
      'allowed-headers': { header: ['Content-Type', 'Authorization'] },
    });
  });

  test('ip-filter turns CIDR blocks into address ranges', () => {
    const filter = parseFragment(render(ApiPolicy.ipFilter({ action: IpFilterAction.FORBID, addresses: ['192.168.0.0/16', '10.1.2.3/32'] })))['ip-filter'];
    expect(filter).toEqual({ '@action': 'forbid', 'address-range': { '@from': '192.168.0.0', '@to': '192.168.255.255' }, 'address': '10.1.2.3' });
  });

  test('policy documents are well-formed for every helper (property-based)', () => {
    fc.assert(fc.property(fc.string(), fc.string({ minLength: 1 }), (header, value) => {
      const { api } = setup();
      const name = header.replace(/[^A-Za-z0-9-]/g, '') || 'X-Any';
      api.addPolicy(ApiPolicy.header({ name, values: [value] }));
      api.addPolicy(ApiPolicy.rateLimitByKey({ calls: 1, key: RateLimitKey.fromExpression(value) }));
      const doc = parsePolicy(resource(synthStack(api.node.scope as TerraformStack), 'azurerm_api_management_policy').xml_content);
      return doc.inbound['set-header']['@name'] === name;
    }), { numRuns: 25 });
  });
});

describe('ApiGovernance validation', () => {
  const ops = [{ operationId: 'list', method: HttpMethod.GET, urlTemplate: '/' }];

  test('fails when two APIs share a path', () => {
    const { api } = setup();
    api.addApi('orders', { path: 'orders', backend: meshBackend, operations: ops });
    expect(() => api.addApi('orders2', { path: 'Orders', backend: meshBackend, operations: ops }))
      .toThrow(/ApiGovernance at 'test\/Api': invalid 'apis.orders2.path': got "Orders"; duplicate API path: path "Orders" is already used by API 'orders'/);
  });

  test('fails when two APIs share a path and a version', () => {
    const { api } = setup();
    const set = api.addVersionSet('orders-versions');
    api.addApi('orders-v1', { path: 'orders', version: 'v1', versionSet: set, backend: meshBackend, operations: ops });
    expect(() => api.addApi('orders-v1b', { path: 'orders', version: 'v1', versionSet: set, backend: meshBackend, operations: ops }))
      .toThrow(/duplicate API path: path "orders" with version "v1" is already used by API 'orders-v1'/);
  });

  test('fails when two APIs share a name', () => {
    const { api } = setup();
    api.addApi('orders', { path: 'orders', backend: meshBackend, operations: ops });
    expect(() => api.addApi('orders-again', { apiName: 'orders', path: 'orders-2', backend: meshBackend, operations: ops }))
      .toThrow(/invalid 'apis.orders-again.apiName': got "orders"; each API name must be unique/);
  });

  test('fails when a version has no version set', () => {
    const { api } = setup();
    expect(() => api.addApi('orders', { path: 'orders', version: 'v1', backend: meshBackend, operations: ops }))
      .toThrow(/ManagedApi at 'test\/Api\/orders': invalid 'version': got "v1"; a version needs a version set/);
  });

  test('fails when a version set has no version', () => {
    const { api } = setup();
    const set = api.addVersionSet('orders-versions');
    expect(() => api.addApi('orders', { path: 'orders', versionSet: set, backend: meshBackend, operations: ops }))
      .toThrow(/invalid 'versionSet': got "test\/Api\/orders-versions"; an API in a version set needs a `version`/);
  });

  test('fails when a rate limit is zero', () => {
    expect(() => setup({ throttle: { calls: 0 } })).toThrow(/invalid 'rateLimitByKey.calls': got 0; expected a whole number from 1 to 2147483647/);
    const { api } = setup();
    const orders = api.addApi('orders', { path: 'orders', backend: meshBackend, operations: ops });
    expect(() => orders.addPolicy(ApiPolicy.rateLimitByKey({ calls: 0 }))).toThrow(/ManagedApi at 'test\/Api\/orders': invalid 'rateLimitByKey.calls': got 0/);
  });

  test('fails when a rate limit window exceeds 300 seconds', () => {
    expect(() => setup({ throttle: { calls: 10, renewalPeriod: 600 } })).toThrow(/invalid 'rateLimitByKey.renewalPeriod': got 600; expected a whole number from 1 to 300/);
  });

  test('fails when the throttle is both set and disabled', () => {
    expect(() => setup({ throttle: { calls: 10 }, throttleDisabled: true })).toThrow(/invalid 'throttle'.*`throttleDisabled` is true/);
  });

  test('fails when the publisher email is invalid', () => {
    expect(() => setup({ publisherEmail: 'api-team@' })).toThrow(/invalid 'publisherEmail': got "api-team@"; expected an email address/);
    expect(() => setup({ publisherEmail: '' })).toThrow(/invalid 'publisherEmail': got ""; a value is required/);
  });

  test('fails when the name breaks Azure naming rules', () => {
    expect(() => setup({ name: 'apim-' })).toThrow(/invalid 'name': got "apim-"; expected 1-50 characters: letters, digits and hyphens; starts with a letter, does not end with a hyphen/);
    expect(() => setup({ name: '1apim' })).toThrow(/invalid 'name': got "1apim"/);
    expect(() => setup({ name: 'a'.repeat(51) })).toThrow(/invalid 'name'/);
    expect(() => setup({ name: 'apim_mesh' })).toThrow(/invalid 'name'/);
  });

  test('accepts exactly the names that follow Azure naming rules (property-based)', () => {
    const rule = /^[a-zA-Z]([a-zA-Z0-9-]{0,48}[a-zA-Z0-9])?$/;
    fc.assert(fc.property(fc.stringMatching(/^[a-zA-Z0-9_-]{0,55}$/), (name) => {
      try {
        setup({ name, privateDnsZones: false });
        return rule.test(name);
      } catch (e) {
        return e instanceof ConstructValidationError && !rule.test(name);
      }
    }), { numRuns: 60 });
  });

  test('fails when the SKU cannot be VNet-injected', () => {
    for (const sku of [ApimSku.basic(1), ApimSku.standard(2), ApimSku.consumption(), ApimSku.standardV2(1), ApimSku.premiumV2(1)]) {
      expect(() => setup({ sku })).toThrow(new RegExp(`invalid 'sku': got "${sku.skuName}"; expected ApimSku.developer\\(\\) or ApimSku.premium\\(units\\): only the classic Developer and Premium tiers can be injected into a VNet`));
    }
  });

  test('fails when Premium units are out of range', () => {
    expect(() => setup({ sku: ApimSku.premium(0) })).toThrow(/invalid 'sku.units': got 0; expected a whole number from 1 to 99/);
  });

  test('fails when zones are asked of a non-Premium SKU', () => {
    expect(() => setup({ zones: ['1', '2'] })).toThrow(/invalid 'zones': got \["1","2"\]; availability zones need the Premium tier \(got Developer_1\)/);
  });

  test('fails when units do not spread evenly over the zones', () => {
    expect(() => setup({ sku: ApimSku.premium(2), zones: ['1', '2', '3'] })).toThrow(/invalid 'zones'.*must spread evenly over the zones/);
    expect(() => setup({ sku: ApimSku.premium(3), zones: ['1', '4', '2'] })).toThrow(/invalid 'zones\[1\]': got "4"; expected one of "1", "2", "3"/);
  });

  test('fails when the subnet is too small', () => {
    const stack = new TerraformStack(new App(), 'test');
    const network = new TieredNetwork(stack, 'Network', { ...placement, apiSubnetPrefix: '10.0.1.0/29' });
    expect(() => new ApiGovernance(stack, 'Api', {
      ...placement, name: 'apim-mesh', subnet: network.apiSubnet, publisherName: 'Contoso', publisherEmail: 'a@contoso.com', sku: ApimSku.premium(2),
    })).toThrow(/invalid 'subnet.addressPrefix': got "10.0.1.0\/29"; expected a subnet of at least \/29 with 11 addresses for Premium_2 in Internal mode/);
  });

  test('fails when an API has no operations and no OpenAPI document', () => {
    const { stack, api } = setup();
    api.addApi('orders', { path: 'orders', backend: meshBackend });
    expect(() => synthStack(stack)).toThrow(/ManagedApi at 'test\/Api\/orders': invalid 'operations': the API has no operations and no OpenAPI document/);
  });

  test('fails when a backend is not HTTPS', () => {
    const { api } = setup();
    expect(() => api.addApi('orders', { path: 'orders', backend: ApiBackend.fromUrl('http://orders.mesh.internal'), operations: ops }))
      .toThrow(/invalid 'backend.backendUrl': got "http:\/\/orders.mesh.internal"; expected an absolute https:\/\/ URL without credentials/);
  });

  test('fails when a path starts with a slash', () => {
    const { api } = setup();
    expect(() => api.addApi('orders', { path: '/orders', backend: meshBackend, operations: ops })).toThrow(/invalid 'path': got "\/orders"; expected a path of 1-400 URL characters/);
  });

  test('fails when two operations share a method and URL template', () => {
    const { api } = setup();
    const orders = api.addApi('orders', { path: 'orders', backend: meshBackend, operations: [{ operationId: 'get', method: HttpMethod.GET, urlTemplate: '/{id}' }] });
    expect(() => orders.addOperation('get2', { method: HttpMethod.GET, urlTemplate: '/{orderId}' }))
      .toThrow(/invalid 'operations': got "get2: GET \/\{orderId\}"; each operation id and each method \+ URL template must be unique in the API; 'get'/);
  });

  test('fails when an operation URL template does not start with a slash', () => {
    const { api } = setup();
    expect(() => api.addApi('orders', { path: 'orders', backend: meshBackend, operations: [{ operationId: 'get', method: HttpMethod.GET, urlTemplate: 'orders' }] }))
      .toThrow(/ApiOperation at 'test\/Api\/orders\/get': invalid 'urlTemplate': got "orders"/);
  });

  test('fails when an operation policy names an unknown operation of an API without OpenAPI document', () => {
    const { api } = setup();
    const orders = api.addApi('orders', { path: 'orders', backend: meshBackend, operations: ops });
    expect(() => orders.addOperationPolicy('nope', ApiPolicy.rateLimitByKey({ calls: 1 }))).toThrow(/invalid 'operationId': got "nope"; expected the id of an operation of this API/);
  });

  test('fails when a version set header name is given for another scheme', () => {
    const { api } = setup();
    expect(() => api.addVersionSet('v', { scheme: VersioningScheme.SEGMENT, headerName: 'X-Version' })).toThrow(/invalid 'headerName': got "X-Version"; only valid with VersioningScheme.HEADER/);
    expect(() => api.addVersionSet('q', { scheme: VersioningScheme.HEADER, queryName: 'v' })).toThrow(/invalid 'queryName': got "v"; only valid with VersioningScheme.QUERY/);
  });

  test('fails when a secret named value is a literal', () => {
    const { api } = setup();
    expect(() => api.addNamedValue('password', { value: 'hunter2', secret: true }))
      .toThrow(/ApimNamedValue at 'test\/Api\/password': invalid 'value': got "\(a literal\)"; a secret value must be a Terraform reference/);
    expect(() => api.addNamedValue('password2', { value: 'hunter2', secret: true })).not.toThrow(/hunter2/);
  });

  test('fails when a named value has both or neither of value and Key Vault secret', () => {
    const { api } = setup();
    expect(() => api.addNamedValue('a', {})).toThrow(/invalid 'value': got undefined; expected exactly one of `value` and `keyVaultSecretId`/);
    expect(() => api.addNamedValue('b', { value: 'x', keyVaultSecretId: 'https://kv-mesh.vault.azure.net/secrets/b' })).toThrow(/expected exactly one of `value` and `keyVaultSecretId`/);
  });

  test('fails when a Key Vault secret id is not a secret URI', () => {
    const { api } = setup();
    expect(() => api.addNamedValue('a', { keyVaultSecretId: KEY_VAULT_ID })).toThrow(/invalid 'keyVaultSecretId'.*expected a Key Vault secret URI/);
    expect(() => api.addNamedValue('b', { keyVaultSecretId: 'https://kv-mesh.vault.azure.net/secrets/b', secret: false })).toThrow(/invalid 'secret': got false; Key Vault-backed named values are always secret/);
  });

  test('fails when two named values share a name', () => {
    const { api } = setup();
    api.addNamedValue('issuer', { value: 'x' });
    expect(() => api.addNamedValue('issuer2', { namedValueName: 'issuer', value: 'y' })).toThrow(/invalid 'namedValues.issuer2': got "issuer"; each named value name and display name must be unique; 'issuer'/);
  });

  test('fails when an Application Insights credential is a literal', () => {
    expect(() => setup({ applicationInsights: { instrumentationKey: '00000000-0000-0000-0000-000000000000' } }))
      .toThrow(/invalid 'applicationInsights.instrumentationKey': got "\(a literal\)"; expected a Terraform reference/);
  });

  test('fails when Application Insights gets no or several credentials', () => {
    expect(() => setup({ applicationInsights: {} })).toThrow(/invalid 'applicationInsights': got undefined; expected exactly one of `connectionString`, `instrumentationKey` and `connectionStringKeyVaultSecretId`/);
  });

  test('fails when the sampling percentage is out of range', () => {
    expect(() => setup((stack) => ({ applicationInsights: { instrumentationKey: sensitiveKey(stack), samplingPercentage: 101 } }))).toThrow(/invalid 'applicationInsights.samplingPercentage': got 101; expected a number from 0 to 100/);
  });

  test('fails when a product asks approval without subscriptions', () => {
    const { api } = setup();
    expect(() => api.addProduct('open', { subscriptionRequired: false, approvalRequired: true })).toThrow(/ApiProduct at 'test\/Api\/open': invalid 'approvalRequired': got true; approval needs `subscriptionRequired: true`/);
    expect(() => api.addProduct('open2', { subscriptionRequired: false, subscriptionsLimit: 3 })).toThrow(/invalid 'subscriptionsLimit': got 3; a subscription limit needs `subscriptionRequired: true`/);
    expect(() => api.addProduct('zero', { subscriptionsLimit: 0 })).toThrow(/invalid 'subscriptionsLimit': got 0; expected a whole number from 1 to 1000000/);
  });

  test('fails when an API is added to a product twice', () => {
    const { api } = setup();
    const orders = api.addApi('orders', { path: 'orders', backend: meshBackend, operations: ops });
    const product = api.addProduct('p', { apis: [orders] });
    expect(() => product.addApi(orders)).toThrow(/invalid 'apis': got "test\/Api\/orders"; each API may be added to a product once/);
  });

  test('fails when the client prefixes open the gateway to everything', () => {
    expect(() => setup({ allowedClientPrefixes: ['*'] })).toThrow(/invalid 'allowedClientPrefixes\[0\]': got "\*"; expected specific CIDR blocks or a service tag/);
    expect(() => setup({ allowedClientPrefixes: ['10.0.0.0/33'] })).toThrow(/invalid 'allowedClientPrefixes\[0\]': got "10.0.0.0\/33"/);
  });

  test('fails when the custom domain zone does not contain the host name', () => {
    expect(() => setup({ customDomain: { hostName: 'api.contoso.internal', keyVaultCertificateId: 'https://kv-mesh.vault.azure.net/secrets/c', privateDnsZoneName: 'fabrikam.internal' } }))
      .toThrow(/invalid 'customDomain.privateDnsZoneName': got "fabrikam.internal"; expected a zone that contains the host name "api.contoso.internal"/);
    expect(() => setup({ customDomain: { hostName: 'api', keyVaultCertificateId: 'https://kv-mesh.vault.azure.net/secrets/c' } }))
      .toThrow(/invalid 'customDomain.hostName': got "api"; expected a fully qualified host name/);
  });

  test('fails on bad policy options', () => {
    const { api } = setup();
    const bad: Array<[ApiPolicy, RegExp]> = [
      [ApiPolicy.quotaByKey({ renewalPeriod: 60 }), /invalid 'quotaByKey.calls': got undefined; expected `calls`, `bandwidthKilobytes` or both/],
      [ApiPolicy.validateJwt({ issuer: 'x', audiences: [], openIdConfigUrl: 'https://login.contoso.com/.well-known/openid-configuration' }), /invalid 'validateJwt.audiences': got \[\]; expected at least one audience/],
      [ApiPolicy.validateJwt({ issuer: 'x', audiences: ['a'], openIdConfigUrl: 'http://login.contoso.com/' }), /invalid 'validateJwt.openIdConfigUrl': got "http:\/\/login.contoso.com\/"; expected an absolute https:\/\/ URL/],
      [ApiPolicy.cors({ allowedOrigins: ['*'], allowCredentials: true }), /invalid 'cors.allowCredentials': got true; credentials cannot be allowed for the "\*" origin/],
      [ApiPolicy.cors({ allowedOrigins: ['https://a.com/path'] }), /invalid 'cors.allowedOrigins\[0\]': got "https:\/\/a.com\/path"/],
      [ApiPolicy.cors({ allowedOrigins: ['https://a.com'], allowedMethods: ['FETCH'] }), /invalid 'cors.allowedMethods\[0\]': got "FETCH"/],
      [ApiPolicy.ipFilter({ action: IpFilterAction.ALLOW, addresses: ['10.0.0.300'] }), /invalid 'ipFilter.addresses\[0\]': got "10.0.0.300"; expected an IPv4 address/],
      [ApiPolicy.ipFilter({ action: IpFilterAction.ALLOW, addresses: [] }), /invalid 'ipFilter.addresses': got \[\]; expected at least one/],
      [ApiPolicy.routeToBackend({}), /invalid 'routeToBackend': got undefined; expected exactly one of `backend` and `backendId`/],
      [ApiPolicy.routeToBackend({ backendId: 'b', backend: meshBackend }), /invalid 'routeToBackend': got "b"; expected exactly one of/],
      [ApiPolicy.header({ name: 'X-A', existsAction: HeaderExistsAction.DELETE, values: ['v'] }), /invalid 'header.values'.*expected no values with HeaderExistsAction.DELETE/],
      [ApiPolicy.header({ name: 'X-A' }), /invalid 'header.values': got undefined; expected at least one value/],
      [ApiPolicy.header({ name: 'X A', values: ['v'] }), /invalid 'header.name': got "X A"; expected an HTTP header name/],
      [ApiPolicy.header({ name: 'X-A', values: ['v'], section: PolicySection.BACKEND }), /invalid 'header.section': got "backend"/],
      [ApiPolicy.fromXml('rate-limit'), /invalid 'fromXml.xml': got "rate-limit"; expected an XML fragment/],
      [ApiPolicy.fromXml('  '), /invalid 'fromXml.xml': got ""; a value is required/],
    ];
    for (const [policy, message] of bad) expect(() => api.addPolicy(policy)).toThrow(message);
  });

  test('fails when an id is empty, already used or reserved', () => {
    const { api } = setup();
    api.addApi('orders', { path: 'orders', backend: meshBackend, operations: ops });
    expect(() => api.addProduct('')).toThrow(/ApiGovernance at 'test\/Api': invalid 'id': got ""; expected a non-empty construct id/);
    expect(() => api.addNamedValue('orders', { value: 'x' })).toThrow(/invalid 'id': got "orders"; each id must be unique under ApiGovernance at 'test\/Api'; ManagedApi at 'test\/Api\/orders' already has it/);
    expect(() => api.addVersionSet('Resource')).toThrow(/invalid 'id': got "Resource"; each id must be unique under ApiGovernance at 'test\/Api'; ApiManagement at 'test\/Api\/Resource' already has it/);
    const { api: open } = setup({ throttleDisabled: true });
    expect(() => open.addApi('Policy', { path: 'orders', backend: meshBackend, operations: ops })).toThrow(/invalid 'id': got "Policy"; this id is reserved for what ApiGovernance at 'test\/Api' creates \(Policy\)/);
  });

  test('fails when an operation id is already used by the API', () => {
    const { api } = setup();
    const orders = api.addApi('orders', { path: 'orders', backend: meshBackend, operations: ops });
    expect(() => orders.addOperation('Backend', { method: HttpMethod.POST, urlTemplate: '/' }))
      .toThrow(/ManagedApi at 'test\/Api\/orders': invalid 'operationId': got "Backend"; each id must be unique under ManagedApi at 'test\/Api\/orders'; ApiManagementBackend at 'test\/Api\/orders\/Backend' already has it/);
  });

  test('fails when an operation has no URL template or an unknown method', () => {
    const { api } = setup();
    const orders = api.addApi('orders', { path: 'orders', backend: meshBackend, operations: ops });
    expect(() => orders.addOperation('a', { method: HttpMethod.POST, urlTemplate: undefined as any })).toThrow(/ApiOperation at 'test\/Api\/orders\/a': invalid 'urlTemplate': got undefined; a value is required/);
    expect(() => orders.addOperation('b', { method: 'get' as HttpMethod, urlTemplate: '/b' })).toThrow(/invalid 'method': got "get"; expected one of "GET", "POST"/);
  });

  test('fails when a protocol is not an ApiProtocol', () => {
    const { api } = setup();
    expect(() => api.addApi('orders', { path: 'orders', backend: meshBackend, operations: ops, protocols: ['HTTPS' as ApiProtocol] }))
      .toThrow(/invalid 'protocols\[0\]': got "HTTPS"; expected one of "https", "http", "wss", "ws"/);
  });

  test('fails when a resource id is not the Azure resource id of the right type', () => {
    expect(() => setup({ keyVaultId: 'kv-mesh' })).toThrow(/invalid 'keyVaultId': got "kv-mesh"; expected the Azure resource id of a Microsoft.KeyVault\/vaults resource/);
    expect(() => setup({ logAnalyticsWorkspaceId: KEY_VAULT_ID })).toThrow(/invalid 'logAnalyticsWorkspaceId'.*expected the Azure resource id of a Microsoft.OperationalInsights\/workspaces resource/);
    expect(() => setup({ publicIpAddressId: '' })).toThrow(/invalid 'publicIpAddressId': got ""; expected the Azure resource id of a Microsoft.Network\/publicIPAddresses resource/);
    expect(() => setup((stack) => ({ applicationInsights: { instrumentationKey: sensitiveKey(stack), applicationInsightsId: 'appi-mesh' } }))).toThrow(/invalid 'applicationInsights.applicationInsightsId': got "appi-mesh"; expected the Azure resource id of a Microsoft.Insights\/components resource/);
  });

  test('fails when the minimum API version is not a date', () => {
    expect(() => setup({ minApiVersion: '2021-13-01' })).toThrow(/invalid 'minApiVersion': got "2021-13-01"; expected an API version such as "2021-08-01"/);
    expect(() => setup({ minApiVersion: 'latest' })).toThrow(/invalid 'minApiVersion': got "latest"/);
  });

  test('fails when the custom domain private DNS zone would have a single label', () => {
    expect(() => setup({ customDomain: { hostName: 'api.internal', keyVaultCertificateId: 'https://kv-mesh.vault.azure.net/secrets/c' } }))
      .toThrow(/invalid 'customDomain.hostName': got "api.internal"; the private DNS zone would be "internal", but Azure has no single-label private DNS zones/);
    // Without private DNS zones, no zone is created: the host name is fine.
    expect(() => setup({ customDomain: { hostName: 'api.internal', keyVaultCertificateId: 'https://kv-mesh.vault.azure.net/secrets/c' }, privateDnsZones: false })).not.toThrow();
  });

  test('fails when the client prefixes mix a service tag with other sources, repeat one or say Any', () => {
    expect(() => setup({ allowedClientPrefixes: ['VirtualNetwork', '10.1.0.0/24'] }))
      .toThrow(/invalid 'allowedClientPrefixes\[0\]': got "VirtualNetwork"; a service tag must be the only source: an NSG rule takes several CIDR blocks, or one service tag alone/);
    expect(() => setup({ allowedClientPrefixes: ['10.1.0.0/24', '10.1.0.0/24'] })).toThrow(/invalid 'allowedClientPrefixes': got "10.1.0.0\/24"; each value must be unique/);
    expect(() => setup({ allowedClientPrefixes: ['Any'] })).toThrow(/invalid 'allowedClientPrefixes\[0\]': got "Any"; expected specific CIDR blocks or a service tag/);
  });

  test('fails when the VNet has no address space to default the client prefixes to', () => {
    const stack = new TerraformStack(new App(), 'test');
    const network = new TieredNetwork(stack, 'Network', placement);
    expect(() => new ApiGovernance(stack, 'Api', {
      ...placement,
      name: 'apim-mesh',
      publisherName: 'Contoso',
      publisherEmail: 'a@contoso.com',
      subnet: { ...network.apiSubnet, subnetId: network.apiSubnet.subnetId, virtualNetworkId: network.apiSubnet.virtualNetworkId, addressPrefix: '10.0.1.0/24', virtualNetworkAddressSpace: [] },
    })).toThrow(/invalid 'subnet.virtualNetworkAddressSpace': got \[\]; expected at least one CIDR block or service tag/);
  });

  test('fails when a tag breaks Azure tag rules', () => {
    expect(() => setup({ tags: { '': 'x' } })).toThrow(/invalid 'tags': got ""; expected tag names of 1-512 characters without < > % & \\ \? \//);
    expect(() => setup({ tags: { 'a/b': 'x' } })).toThrow(/invalid 'tags': got "a\/b"/);
    expect(() => setup({ tags: { env: 'x'.repeat(257) } })).toThrow(/invalid 'tags.env'.*expected a tag value of at most 256 characters/);
  });

  test('fails when a plain named value is named like a credential', () => {
    const { stack, api } = setup();
    expect(() => api.addNamedValue('orders-api-key', { value: 'abc' }))
      .toThrow(/ApimNamedValue at 'test\/Api\/orders-api-key': invalid 'namedValueName': got "orders-api-key"; the name says the value is a credential .* but it is a plain value: give it `keyVaultSecretId`/);
    const variable = new TerraformVariable(stack, 'v', { type: 'string' });
    expect(() => api.addNamedValue('issuer', { value: variable.stringValue, displayName: 'issuer-token' })).toThrow(/invalid 'displayName': got "issuer-token"; the name says the value is a credential/);
    // From Key Vault, the same name is fine.
    expect(() => api.addNamedValue('db-password', { keyVaultSecretId: 'https://kv-mesh.vault.azure.net/secrets/db-password' })).not.toThrow();
  });

  test('fails when a product gets an API of another service', () => {
    const { api } = setup();
    const { api: other } = setup();
    const foreign = other.addApi('orders', { path: 'orders', backend: meshBackend, operations: ops });
    const product = api.addProduct('starter');
    expect(() => product.addApi(foreign)).toThrow(/ApiProduct at 'test\/Api\/starter': invalid 'apis': got "test\/Api\/orders"; expected an API of the same service as the product/);
  });

  test('fails when the remaining-calls header name is not a header name', () => {
    expect(() => setup({ throttle: { calls: 10, remainingCallsHeaderName: 'X Remaining' } })).toThrow(/invalid 'rateLimitByKey.remainingCallsHeaderName': got "X Remaining"; expected an HTTP header name/);
  });

  test('errors are ConstructValidationErrors, never TypeErrors', () => {
    const { api } = setup();
    try {
      api.addApi('orders', { path: 'orders', backend: undefined as any });
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(ConstructValidationError);
      expect((e as ConstructValidationError).prop).toBe('backend.backendUrl');
    }
  });
});
