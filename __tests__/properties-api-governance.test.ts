// Property-based test of ApiGovernance input handling (issue 8): 1000 generated prop sets, with
// the governance methods (addApi, addOperation, addOperationPolicy, addVersionSet, addProduct,
// ApiProduct.addApi, addNamedValue, addPolicy) called with generated options.
//
// Left out on purpose (explicit, documented insecure opt-outs that the policy pack reports as errors):
// `virtualNetworkMode: VirtualNetworkMode.EXTERNAL` (AGM-AZ-025) and secret named values given as a
// Terraform reference instead of Key Vault (`{ value: <reference>, secret: true }`, AGM-AZ-028).
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { TerraformStack, TerraformVariable } from 'cdktf';
import * as fc from 'fast-check';
import {
  ApiBackend, ApiGovernance, ApiPolicy, ApimSku, ApiProtocol, ClaimMatch, HeaderExistsAction, HttpMethod, IApiBackend,
  IpFilterAction, ManagedApi, OpenApiDocument, PolicySection, RateLimitKey, VersioningScheme, VirtualNetworkMode,
} from '../lib';
import { assertConstructProperty, optional } from './support/properties';

// Mostly plausible values, with the edge cases users type; each field is valid most of the time.
const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>, weight = 30): fc.Arbitrary<T | U> =>
  fc.oneof({ arbitrary: valid, weight }, { arbitrary: invalid, weight: 1 });
// Lists of values (fc.constantFrom would type them as readonly tuples).
const lists = <T = string>(...values: T[][]): fc.Arbitrary<T[]> => fc.constantFrom(...values);
// Set in about one case in five (`optional` sets two in three).
const rare = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary, weight: 1 });
// No item in two cases of three, one otherwise (each item costs resources, and synth time).
const upToOne = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant([] as T[]), weight: 2 }, { arbitrary: fc.tuple(arbitrary).map((x): T[] => x), weight: 1 });
const BAD_NUMBERS = [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e12];
const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mesh/providers';

const serviceName = mostly(
  fc.oneof(fc.constantFrom('apim-mesh', 'apim-mesh-prod', 'ApimContoso', 'a'), fc.stringMatching(/^[a-z][a-z0-9-]{0,40}[a-z0-9]$/)),
  fc.constantFrom('', 'apim-', '1apim', 'apim_mesh', 'apim mesh', 'a'.repeat(51), '-apim', 'apïm'),
);
const publisherName = mostly(fc.constantFrom('Contoso', 'Contoso & Co', 'Ünïcode GmbH', 'x'.repeat(100)), fc.constantFrom('', 'x'.repeat(101), 'two\nlines'));
const publisherEmail = mostly(
  fc.constantFrom('api-team@contoso.com', 'A.B+apis@Contoso.co.uk', 'ops@sub.contoso.internal'),
  fc.constantFrom('', 'api-team@', '@contoso.com', 'api team@contoso.com', 'api-team@contoso', `${'x'.repeat(95)}@c.com`, 'a@b@contoso.com'),
);
// The tier, its units and zones: Premium units spread evenly over the zones.
const scale = mostly(
  fc.oneof(
    fc.constant({ tier: 'developer', units: 1, zones: undefined as string[] | undefined }),
    fc.record({ tier: fc.constant('premium'), units: fc.constantFrom(1, 2, 3, 4, 6), zones: fc.constant(undefined) }),
    fc.record({ tier: fc.constant('premium'), units: fc.constantFrom(2, 4, 6), zones: lists([], ['1', '2'], ['3', '1']) }),
    fc.record({ tier: fc.constant('premium'), units: fc.constantFrom(3, 6), zones: lists(['1', '2', '3'], ['2']) }),
  ),
  fc.oneof(
    fc.record({ tier: fc.constant('premium'), units: fc.constantFrom(...BAD_NUMBERS, 100), zones: fc.constant(undefined) }),
    fc.record({ tier: fc.constantFrom('basic', 'standard', 'consumption', 'standardV2', 'premiumV2'), units: fc.constant(1), zones: fc.constant(undefined) }),
    fc.record({ tier: fc.constantFrom('developer', 'premium'), units: fc.constantFrom(1, 2, 3), zones: lists(['1', '2', '3'], ['1', '1'], ['4'], ['0'], [''], ['zone1'], [1 as any as string]) }),
  ),
  20,
);
const subnetPrefix = mostly(fc.constantFrom('10.0.1.0/24', '10.0.1.0/24', '10.0.1.0/24', '10.0.1.0/26', '10.0.1.0/27', '10.0.1.0/28'), fc.constantFrom('10.0.1.0/29', '10.0.1.0/30', '10.0.1.0/33', '10.0.1.0', '', '10.0.1.256/24', 'fd00::/64'));
const addressSpace = mostly(lists(['10.0.0.0/16'], ['10.0.0.0/16', '10.1.0.0/16']), fc.constant([] as string[]));
const azureId = (provider: string, invalid: string[]) => mostly(fc.constant(`${SUB}/${provider}`), fc.constantFrom('', ...invalid));
const minApiVersion = mostly(fc.constantFrom('2021-08-01', '2022-08-01', '2023-05-01-preview'), fc.constantFrom('', 'latest', '2021-8-1', '2021-13-01', '2021-08-32', '2021-08-01-beta'));
const badHostName = fc.constantFrom('', 'api', 'api.internal', 'api..contoso.com', '-api.contoso.com', `${'a'.repeat(64)}.contoso.com`, 'api.contoso.com.', 'https://api.contoso.com', '*.contoso.com');
const secretUri = mostly(
  fc.constantFrom('https://kv-mesh.vault.azure.net/secrets/api-cert', 'https://kv-mesh.vault.azure.net/secrets/api-cert/0123456789abcdef0123456789abcdef'),
  fc.constantFrom('', 'http://kv-mesh.vault.azure.net/secrets/api-cert', 'https://kv-mesh.vault.azure.net/certificates/api-cert', `${SUB}/Microsoft.KeyVault/vaults/kv-mesh`, 'https://kv.vault.azure.net/secrets/x'),
);
const customDomain = fc.record({
  // The host name, and the private zone holding it (by default, the host name without its first label).
  host: mostly(
    fc.oneof(
      fc.record({ hostName: fc.constantFrom('api.contoso.internal', 'API.Contoso.com', 'gw.api.contoso.internal'), privateDnsZoneName: fc.constant(undefined) }),
      fc.record({ hostName: fc.constant('gw.api.contoso.internal'), privateDnsZoneName: fc.constantFrom('contoso.internal', 'api.contoso.internal', 'API.contoso.internal') }),
    ),
    fc.oneof(
      fc.record({ hostName: badHostName, privateDnsZoneName: fc.constant(undefined) }),
      fc.record({ hostName: fc.constant('api.contoso.internal'), privateDnsZoneName: fc.constantFrom('', 'fabrikam.internal', 'internal', 'contoso..internal', 'api.contoso.internal') }),
    ),
  ),
  keyVaultCertificateId: secretUri,
});
const count = (max: number) => mostly(fc.integer({ min: 1, max }), fc.constantFrom(...BAD_NUMBERS, -5));
const headerName = mostly(fc.constantFrom('X-Request-Id', 'x-tenant', 'Api-Version'), fc.constantFrom('', 'X A', 'X:Y', 'Ünï'));
const httpsUrl = mostly(
  fc.constantFrom('https://orders.mesh.internal', 'https://orders.mesh.internal:8443/api', 'https://10.0.2.10'),
  fc.constantFrom('', 'http://orders.mesh.internal', 'orders.mesh.internal', 'https://user:pw@orders.mesh.internal', 'https://', 'ftp://orders'),
);

// Policy statements, as data (built into ApiPolicy objects by the test).
const policySpec = fc.oneof(
  fc.record({
    kind: fc.constant('rateLimit' as const),
    calls: count(10000),
    renewalPeriod: optional(mostly(fc.integer({ min: 1, max: 300 }), fc.constantFrom(0, 301, 600, 1.5))),
    key: mostly(fc.constantFrom('default', 'ip', 'header', 'expression'), fc.constantFrom('emptyHeader', 'badHeader', 'blankExpression'), 12),
    remainingCallsHeaderName: rare(headerName),
  }),
  fc.record({
    kind: fc.constant('quota' as const),
    volume: mostly(
      fc.oneof(
        fc.record({ calls: count(100000), bandwidthKilobytes: rare(count(100000)) }),
        fc.record({ calls: fc.constant(undefined), bandwidthKilobytes: count(100000) }),
      ),
      fc.constant({ calls: undefined, bandwidthKilobytes: undefined }),
    ),
    renewalPeriod: mostly(fc.constantFrom(0, 3600, 86400), fc.constantFrom(-1, 1.5, Number.NaN)),
  }),
  fc.record({
    kind: fc.constant('jwt' as const),
    issuer: mostly(fc.constantFrom('https://login.microsoftonline.com/tenant/v2.0', '{{jwt-issuer}}'), fc.constant('')),
    audiences: mostly(lists(['api://orders'], ['api://a', 'api://b']), lists([], [''])),
    openIdConfigUrl: httpsUrl,
    headerName: rare(headerName),
    clockSkewSeconds: rare(mostly(fc.integer({ min: 0, max: 3600 }), fc.constantFrom(-1, 3601, 0.5))),
    failedValidationStatusCode: rare(mostly(fc.constantFrom(401, 403), fc.constantFrom(200, 600, 401.5))),
    claims: rare(fc.array(fc.record({ name: mostly(fc.constantFrom('roles', 'scp'), fc.constant('')), values: rare(lists(['Orders.Read'], [])), match: rare(fc.constantFrom(ClaimMatch.ALL, ClaimMatch.ANY)) }), { maxLength: 2 })),
  }),
  fc.record({
    kind: fc.constant('cors' as const),
    origins: mostly(lists(['https://app.contoso.com'], ['*'], ['https://a.contoso.com', 'http://localhost:3000']), lists([], ['https://a.com/path'], ['app.contoso.com'], [''])),
    methods: rare(mostly(lists(['GET'], ['GET', 'POST'], ['*']), lists(['get'], ['FETCH'], []))),
    allowCredentials: rare(fc.boolean()),
    maxAge: rare(mostly(fc.constantFrom(0, 300, 86400), fc.constantFrom(-1, 86401, Number.NaN))),
  }),
  fc.record({
    kind: fc.constant('ipFilter' as const),
    action: fc.constantFrom(IpFilterAction.ALLOW, IpFilterAction.FORBID),
    addresses: mostly(lists(['10.0.0.4'], ['10.0.0.0/24', '192.168.1.1/32'], ['10.0.0.0/8']), lists([], ['10.0.0.300'], ['10.0.0.0/33'], ['::1'], [''], ['10.0.0.0/24', '10.0.0.0/24'])),
  }),
  fc.record({
    kind: fc.constant('header' as const),
    name: headerName,
    // Values, and what happens when the header exists: none with DELETE, at least one otherwise.
    action: mostly(
      fc.oneof(
        fc.record({ values: lists(['v'], ['@(context.RequestId)', '{{jwt-issuer}}'], ['a "quoted" <tag> & \'x\'']), existsAction: optional(fc.constantFrom(HeaderExistsAction.OVERRIDE, HeaderExistsAction.SKIP, HeaderExistsAction.APPEND)) }),
        fc.record({ values: fc.constantFrom<string[] | undefined>(undefined, []), existsAction: fc.constant(HeaderExistsAction.DELETE) }),
      ),
      fc.record({ values: fc.constantFrom(undefined, [] as string[], ['v']), existsAction: optional(fc.constantFrom(HeaderExistsAction.OVERRIDE, HeaderExistsAction.DELETE)) }),
    ),
    section: optional(mostly(
      fc.constantFrom(PolicySection.INBOUND, PolicySection.OUTBOUND),
      fc.constantFrom(PolicySection.BACKEND, PolicySection.ON_ERROR),
    )),
  }),
  mostly(
    fc.oneof(
      fc.record({ kind: fc.constant('route' as const), backendUrl: httpsUrl, backendId: fc.constant(undefined) }),
      fc.record({ kind: fc.constant('route' as const), backendUrl: fc.constant(undefined), backendId: mostly(fc.constant('orders-backend'), fc.constant('')) }),
    ),
    fc.record({ kind: fc.constant('route' as const), backendUrl: optional(httpsUrl), backendId: fc.constantFrom(undefined, 'orders-backend') }),
  ),
  fc.record({
    kind: fc.constant('xml' as const),
    xml: mostly(fc.constantFrom('<set-variable name="started" value="@(DateTime.UtcNow)" />', '<retry condition="@(context.Response.StatusCode &gt;= 500)" count="2" interval="1"><forward-request /></retry>'), fc.constantFrom('', '  ', 'rate-limit')),
    section: optional(fc.constantFrom(PolicySection.INBOUND, PolicySection.BACKEND, PolicySection.OUTBOUND, PolicySection.ON_ERROR)),
  }),
);
type PolicySpec = typeof policySpec extends fc.Arbitrary<infer T> ? T : never;
const policies = (max: number) => fc.array(policySpec, { maxLength: max });

const childId = mostly(fc.constantFrom('orders', 'Orders API', 'payments-v2', 'catalog_1'), fc.constantFrom('--', 'x'.repeat(81), 'ünï', 'a/b'));
// Ids given as is to the add* methods: clashes with each other and with what ApiGovernance creates.
const rawId = fc.constantFrom('', 'Resource', 'Policy', 'NetworkSecurityGroup', 'orders', 'ApplicationInsightsConnectionString');
const operation = fc.record({
  operationId: mostly(fc.constantFrom('list', 'get-order', 'createOrder'), fc.constantFrom('-bad', 'a b', 'x'.repeat(81), 'op.v2', 'Resource', 'Policy', 'Backend')),
  method: mostly(fc.constantFrom(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE), fc.constantFrom('' as HttpMethod, undefined as any as HttpMethod, 'get' as HttpMethod, 'FETCH' as HttpMethod)),
  // APIM URL templates: URL path characters, {parameters} in balanced braces, a {*wildcard} only at the end (issue 16).
  urlTemplate: mostly(
    fc.constantFrom('/', '/{id}', '/orders/{orderId}/items', '/search', '/{id}/{id2}', '/files/{*path}', '/a;v=1/%20x'),
    fc.constantFrom('', 'orders', '/{id}/{id}', '/a?b=1', '/a b', undefined as any as string, '/orders/{id', '/orders/id}', '/{{id}}', '/a<b>', '/files/{*rest}/x', '/{}'),
  ),
  policies: rare(policies(1)),
});
const api = fc.record({
  id: childId,
  exactId: fc.oneof({ arbitrary: fc.constant(undefined), weight: 60 }, { arbitrary: rawId, weight: 1 }),
  path: mostly(fc.constantFrom('orders', 'orders/v1', 'Orders', 'payments', 'a'), fc.constantFrom('', '/orders', 'orders/', 'or ders', 'x'.repeat(401))),
  apiName: rare(mostly(fc.constantFrom('orders-api', 'payments'), fc.constantFrom('', 'x'.repeat(73), '-api'))),
  protocols: rare(mostly(lists([ApiProtocol.HTTPS], [ApiProtocol.HTTPS, ApiProtocol.WSS], [ApiProtocol.HTTPS, ApiProtocol.HTTP]), lists([], [ApiProtocol.HTTPS, ApiProtocol.HTTPS], ['HTTPS' as ApiProtocol]))),
  backendUrl: httpsUrl,
  backendHostName: rare(mostly(fc.constantFrom('orders.mesh.internal', 'ORDERS.mesh.internal'), fc.constantFrom('', 'orders mesh', '-orders.mesh.internal'))),
  versioned: rare(fc.record({
    setIndex: fc.constantFrom(0, 1),
    version: mostly(fc.constantFrom('v1', 'v2', '2024-06-01'), fc.constantFrom('', 'v 1', '.v1')),
  })),
  revision: rare(mostly(fc.constantFrom('1', '2', '10'), fc.constantFrom('', '0', '01', 'v2', '-1'))),
  operations: mostly(fc.array(operation, { minLength: 1, maxLength: 2 }), fc.array(operation, { maxLength: 0 }), 6),
  openApi: rare(fc.oneof(
    fc.constant({ kind: 'json', value: '{"openapi":"3.0.1","info":{"title":"x","version":"1"},"paths":{}}' }),
    fc.record({ kind: fc.constant('url'), value: httpsUrl }),
  )),
  subscriptionRequired: rare(fc.boolean()),
  policies: rare(policies(2)),
  // An operation declared with the API (by index), or one only the OpenAPI document knows.
  operationPolicy: rare(fc.record({ operation: mostly(fc.constantFrom(0, 1), fc.constantFrom('', 'a b', 'unknown')), policy: policySpec })),
});
const queryName = mostly(fc.constantFrom('api-version', 'v'), fc.constantFrom('', 'a b', 'a&b'));
const versionSet = fc.record({
  id: mostly(fc.constantFrom('orders-versions', 'Payments Versions'), fc.constantFrom('--', '')),
  exactId: fc.oneof({ arbitrary: fc.constant(undefined), weight: 60 }, { arbitrary: rawId, weight: 1 }),
  scheme: mostly(
    fc.oneof(
      fc.record({ scheme: optional(fc.constant(VersioningScheme.SEGMENT)), headerName: fc.constant(undefined), queryName: fc.constant(undefined) }),
      fc.record({ scheme: fc.constant(VersioningScheme.HEADER), headerName: rare(headerName), queryName: fc.constant(undefined) }),
      fc.record({ scheme: fc.constant(VersioningScheme.QUERY), headerName: fc.constant(undefined), queryName: rare(queryName) }),
    ),
    fc.record({ scheme: optional(fc.constantFrom(VersioningScheme.SEGMENT, VersioningScheme.HEADER, VersioningScheme.QUERY)), headerName: fc.constant('X-Version'), queryName: fc.constant('v') }),
  ),
});
const product = fc.record({
  id: childId,
  exactId: fc.oneof({ arbitrary: fc.constant(undefined), weight: 60 }, { arbitrary: rawId, weight: 1 }),
  productId: rare(mostly(fc.constantFrom('starter', 'partners'), fc.constantFrom('', '-p', 'x'.repeat(81)))),
  access: mostly(
    fc.oneof(
      fc.record({
        subscriptionRequired: optional(fc.constant(true)),
        approvalRequired: optional(fc.boolean()),
        subscriptionsLimit: rare(fc.integer({ min: 1, max: 100 })),
      }),
      fc.record({ subscriptionRequired: fc.constant(true), approvalRequired: fc.constant(false), subscriptionsLimit: fc.constant(0) }),
      fc.record({
        subscriptionRequired: fc.constant(false),
        approvalRequired: fc.constantFrom(false, undefined),
        subscriptionsLimit: fc.constant(undefined),
      }),
    ),
    fc.record({
      subscriptionRequired: optional(fc.boolean()),
      approvalRequired: optional(fc.boolean()),
      subscriptionsLimit: fc.constantFrom(0, -1, 1.5, Number.NaN, 1000001, 5),
    }),
  ),
  published: optional(fc.boolean()),
  apiIndexes: fc.uniqueArray(fc.constantFrom(0, 1, 2), { maxLength: 2 }),
  addTwice: rare(fc.constant(true)),
  policies: rare(policies(1)),
});
const namedValue = fc.record({
  id: childId,
  exactId: fc.oneof({ arbitrary: fc.constant(undefined), weight: 60 }, { arbitrary: rawId, weight: 1 }),
  // Names that look like credentials are fine for Key Vault secrets, refused for plain values.
  namedValueName: rare(mostly(fc.constantFrom('jwt-issuer', 'backend-url', 'tenant-id', 'orders-api-key'), fc.constantFrom('', '-x', 'a b', 'x'.repeat(81), 'db-password'))),
  displayName: rare(mostly(fc.constantFrom('jwt-issuer', 'Backend.Url', 'tenant.id', 'orders-token'), fc.constantFrom('', 'a b', '{{x}}', 'x'.repeat(257)))),
  // literal: a plain value; variable: a Terraform reference; keyVault: a Key Vault secret; both/neither: wrong.
  source: mostly(fc.constantFrom('literal', 'literal', 'variable', 'keyVault', 'keyVault'), fc.constantFrom('both', 'neither', 'secretLiteral', 'keyVaultNotSecret')),
  keyVaultSecretId: secretUri,
  secret: rare(fc.constant(false)),
});
const throttle = fc.record({
  calls: count(10000),
  renewalPeriod: optional(mostly(fc.integer({ min: 1, max: 300 }), fc.constantFrom(0, 301, 3600, -1, 0.5))),
  remainingCallsHeaderName: rare(headerName),
});
const appInsights = fc.record({
  credential: mostly(fc.constantFrom('connectionString', 'instrumentationKey', 'keyVault'), fc.constantFrom('none', 'two', 'literal')),
  secretId: secretUri,
  applicationInsightsId: rare(azureId('Microsoft.Insights/components/appi-mesh', ['appi-mesh'])),
  samplingPercentage: rare(mostly(fc.constantFrom(0, 12.5, 50, 100), fc.constantFrom(-1, 101, Number.NaN, Number.POSITIVE_INFINITY))),
  verbosity: rare(fc.constantFrom('verbose', 'information', 'error') as fc.Arbitrary<any>),
  logClientIp: rare(fc.boolean()),
});

const arbitrary = fc.record({
  name: serviceName,
  publisherName,
  publisherEmail,
  scale: optional(scale),
  mode: rare(mostly(fc.constant(VirtualNetworkMode.INTERNAL), fc.constantFrom('internal' as VirtualNetworkMode, 'Public' as VirtualNetworkMode))),
  subnetPrefix,
  addressSpace,
  publicIpAddressId: rare(azureId('Microsoft.Network/publicIPAddresses/pip-apim', ['pip-apim', `${SUB}/Microsoft.Network/virtualNetworks/vnet`])),
  minApiVersion: rare(minApiVersion),
  customDomain: rare(customDomain),
  privateDnsZones: optional(fc.boolean()),
  keyVaultId: rare(azureId('Microsoft.KeyVault/vaults/kv-mesh', ['kv-mesh', 'https://kv-mesh.vault.azure.net/'])),
  applicationInsights: rare(appInsights),
  logAnalyticsWorkspaceId: rare(azureId('Microsoft.OperationalInsights/workspaces/log-mesh', ['log-mesh', `${SUB}/Microsoft.KeyVault/vaults/kv-mesh`])),
  throttle: rare(throttle),
  throttleDisabled: rare(fc.boolean()),
  allowedClientPrefixes: rare(mostly(
    lists(['10.0.0.0/16'], ['VirtualNetwork'], ['10.1.0.0/24', '192.168.0.0/16'], ['AzureFrontDoor.Backend']),
    lists([], ['*'], ['0.0.0.0/0'], ['Any'], ['10.0.0.0/33'], ['10.0.0.0/16', '10.0.0.0/16'], ['VirtualNetwork', '10.1.0.0/24'], [''], ['10.0.0.0/16 '], ['10.0.0.4']),
    6,
  )),
  policies: rare(policies(2)),
  tags: rare(mostly(fc.constantFrom<{ [key: string]: string }>({ env: 'prod' }, { 'cost-center': '42', 'owner': 'api-team' }), fc.constantFrom<{ [key: string]: string }>({ '': 'x' }, { 'a<b': 'x' }, { env: 'x'.repeat(257) }, { ['k'.repeat(513)]: 'x' }))),
  versionSets: upToOne(versionSet),
  // Two APIs share a path only when `duplicatePath` says so (or as versions of one version set).
  apis: fc.oneof(
    { arbitrary: fc.uniqueArray(api, { maxLength: 1 }), weight: 4 },
    { arbitrary: fc.uniqueArray(api, { minLength: 2, maxLength: 2, selector: (a) => a.path.toLowerCase() }), weight: 1 },
  ),
  duplicatePath: rare(fc.constant(true)),
  products: upToOne(product),
  // A second product with the id of the first: product ids are unique in the service (issue 16).
  duplicateProductId: rare(fc.constant(true)),
  namedValues: upToOne(namedValue),
  lateGlobalPolicy: rare(policySpec),
});

function buildPolicy(stack: TerraformStack, spec: PolicySpec): ApiPolicy {
  switch (spec.kind) {
    case 'rateLimit': {
      const key = spec.key === 'ip' ? RateLimitKey.clientIp() : spec.key === 'header' ? RateLimitKey.header('X-Client-Id')
        : spec.key === 'expression' ? RateLimitKey.fromExpression('@(context.Request.Headers.GetValueOrDefault("x-tenant", ""))')
          : spec.key === 'emptyHeader' ? RateLimitKey.header('') : spec.key === 'badHeader' ? RateLimitKey.header('x client')
            : spec.key === 'blankExpression' ? RateLimitKey.fromExpression(' ') : undefined;
      return ApiPolicy.rateLimitByKey({
        calls: spec.calls, renewalPeriod: spec.renewalPeriod, key, remainingCallsHeaderName: spec.remainingCallsHeaderName,
      });
    }
    case 'quota':
      return ApiPolicy.quotaByKey({ ...spec.volume, renewalPeriod: spec.renewalPeriod });
    case 'jwt':
      return ApiPolicy.validateJwt({
        issuer: spec.issuer,
        audiences: spec.audiences,
        openIdConfigUrl: spec.openIdConfigUrl,
        headerName: spec.headerName,
        clockSkewSeconds: spec.clockSkewSeconds,
        failedValidationStatusCode: spec.failedValidationStatusCode,
        requiredClaims: spec.claims,
      });
    case 'cors':
      return ApiPolicy.cors({
        allowedOrigins: spec.origins, allowedMethods: spec.methods, allowCredentials: spec.allowCredentials, preflightResultMaxAge: spec.maxAge,
      });
    case 'ipFilter':
      return ApiPolicy.ipFilter({ action: spec.action, addresses: spec.addresses });
    case 'header':
      return ApiPolicy.header({ name: spec.name, values: spec.action.values, existsAction: spec.action.existsAction, section: spec.section });
    case 'route': {
      const backend: IApiBackend | undefined = spec.backendUrl !== undefined ? ApiBackend.fromUrl(spec.backendUrl) : undefined;
      return ApiPolicy.routeToBackend({ backend, backendId: spec.backendId });
    }
    case 'xml':
      return ApiPolicy.fromXml(spec.xml, spec.section);
  }
  throw new Error(`unknown policy ${JSON.stringify(spec)} in ${stack.node.path}`);
}

const PROP_NAMES = [
  // ApiGovernanceProps
  'name', 'resourceGroupName', 'location', 'subnet', 'publisherName', 'publisherEmail', 'sku', 'virtualNetworkMode', 'zones',
  'publicIpAddressId', 'minApiVersion', 'customDomain', 'privateDnsZones', 'keyVaultId', 'applicationInsights', 'logAnalyticsWorkspaceId',
  'throttle', 'throttleDisabled', 'allowedClientPrefixes', 'policies', 'tags',
  // options of the methods (ApiOptions, ApiOperationDefinition, VersionSetOptions, ProductOptions, NamedValueOptions)
  'apis', 'namedValues', 'path', 'apiName', 'protocols', 'backend', 'version', 'versionSet', 'revision', 'operations', 'openApi',
  'operationId', 'method', 'urlTemplate', 'versionSetName', 'headerName', 'queryName', 'productId', 'approvalRequired',
  'subscriptionsLimit', 'namedValueName', 'displayName', 'value', 'keyVaultSecretId', 'secret',
  // options of the ApiPolicy builders
  'id', 'versionSets', 'products',
  'rateLimitByKey', 'quotaByKey', 'validateJwt', 'cors', 'ipFilter', 'header', 'routeToBackend', 'fromXml',
];

type Props = typeof arbitrary extends fc.Arbitrary<infer T> ? T : never;

function build(stack: TerraformStack, p: Props): void {
  // A subnet of the stack, so that the pack checks its NSG (AGM-AZ-007, AGM-JT-002); its VNet is outside the stack.
  const subnet = new Subnet(stack, 'ApiSubnet', { name: 'snet-api', resourceGroupName: 'rg-mesh', virtualNetworkName: 'vnet-mesh', addressPrefixes: [p.subnetPrefix] });
  const sku = p.scale === undefined ? undefined : p.scale.tier === 'developer' ? ApimSku.developer() : (ApimSku as any)[p.scale.tier](p.scale.units) as ApimSku;
  const variable = (id: string) => new TerraformVariable(stack, id, { type: 'string', sensitive: true }).stringValue;
  const ai = p.applicationInsights;
  const governance = new ApiGovernance(stack, 'Api', {
    resourceGroupName: 'rg-mesh',
    location: 'westeurope',
    name: p.name,
    subnet: {
      subnetId: subnet.id,
      subnetName: subnet.name,
      addressPrefix: p.subnetPrefix,
      virtualNetworkId: `${SUB}/Microsoft.Network/virtualNetworks/vnet-mesh`,
      virtualNetworkName: 'vnet-mesh',
      virtualNetworkAddressSpace: p.addressSpace,
    },
    publisherName: p.publisherName,
    publisherEmail: p.publisherEmail,
    sku,
    virtualNetworkMode: p.mode,
    zones: p.scale?.zones,
    publicIpAddressId: p.publicIpAddressId,
    minApiVersion: p.minApiVersion,
    customDomain: p.customDomain && { ...p.customDomain.host, keyVaultCertificateId: p.customDomain.keyVaultCertificateId },
    privateDnsZones: p.privateDnsZones,
    keyVaultId: p.keyVaultId,
    applicationInsights: ai && {
      connectionString: ai.credential === 'connectionString' || ai.credential === 'two' ? variable('appi_connection_string')
        : ai.credential === 'literal' ? 'InstrumentationKey=00000000-0000-0000-0000-000000000000' : undefined,
      instrumentationKey: ai.credential === 'instrumentationKey' || ai.credential === 'two' ? variable('appi_key') : undefined,
      connectionStringKeyVaultSecretId: ai.credential === 'keyVault' ? ai.secretId : undefined,
      applicationInsightsId: ai.applicationInsightsId,
      samplingPercentage: ai.samplingPercentage,
      verbosity: ai.verbosity,
      logClientIp: ai.logClientIp,
    },
    logAnalyticsWorkspaceId: p.logAnalyticsWorkspaceId,
    throttle: p.throttle,
    throttleDisabled: p.throttleDisabled,
    allowedClientPrefixes: p.allowedClientPrefixes,
    policies: p.policies?.map((s) => buildPolicy(stack, s)),
    tags: p.tags,
  });

  const sets = p.versionSets.map((vs, i) => governance.addVersionSet(vs.exactId ?? `${vs.id}${i}`, vs.scheme));
  const apis: ManagedApi[] = p.apis.map((a, i) => {
    const managed = governance.addApi(a.exactId ?? `${a.id}${i}`, {
      path: i > 0 && p.duplicatePath ? p.apis[0].path : a.path,
      apiName: a.apiName,
      protocols: a.protocols,
      backend: a.backendHostName !== undefined ? ApiBackend.fromUrl(a.backendUrl, a.backendHostName) : ApiBackend.fromUrl(a.backendUrl),
      versionSet: a.versioned ? sets[a.versioned.setIndex % Math.max(sets.length, 1)] ?? (sets[0] = governance.addVersionSet('default-versions')) : undefined,
      version: a.versioned?.version,
      revision: a.revision,
      operations: a.operations.map((o, j) => ({ ...o, operationId: `${o.operationId}${j}`, policies: o.policies?.map((s) => buildPolicy(stack, s)) })),
      openApi: a.openApi === undefined ? undefined : a.openApi.kind === 'url' ? OpenApiDocument.fromUrl(a.openApi.value) : OpenApiDocument.fromJson(a.openApi.value),
      subscriptionRequired: a.subscriptionRequired,
      policies: a.policies?.map((s) => buildPolicy(stack, s)),
    });
    if (a.operationPolicy) {
      const target = a.operationPolicy.operation;
      const declared = typeof target === 'number' ? managed.declaredOperations[target % Math.max(managed.declaredOperations.length, 1)] : undefined;
      managed.addOperationPolicy(typeof target === 'number' ? declared?.operationId ?? 'fromOpenApi' : target, buildPolicy(stack, a.operationPolicy.policy));
    }
    return managed;
  });
  p.products.forEach((pr, i) => {
    const created = governance.addProduct(pr.exactId ?? `${pr.id}-product${i}`, {
      productId: pr.productId,
      ...pr.access,
      published: pr.published,
      apis: pr.apiIndexes.filter((k) => k < apis.length).map((k) => apis[k]),
      policies: pr.policies?.map((s) => buildPolicy(stack, s)),
    });
    if (pr.addTwice && apis.length > 0) created.addApi(apis[0]);
    if (p.duplicateProductId) governance.addProduct(`${pr.id}-again${i}`, { productId: created.productId });
  });
  p.namedValues.forEach((nv, i) => {
    const value = nv.source === 'literal' || nv.source === 'both' || nv.source === 'secretLiteral' ? 'https://login.microsoftonline.com/tenant/v2.0'
      : nv.source === 'variable' ? variable(`named_value_${i}`) : undefined;
    governance.addNamedValue(nv.exactId ?? `${nv.id}-nv${i}`, {
      namedValueName: nv.namedValueName,
      displayName: nv.displayName,
      value,
      keyVaultSecretId: nv.source === 'keyVault' || nv.source === 'both' || nv.source === 'keyVaultNotSecret' ? nv.keyVaultSecretId : undefined,
      // A Terraform reference stays non-secret here: a secret outside Key Vault is the documented opt-out left out.
      secret: nv.source === 'secretLiteral' ? true : nv.source === 'keyVaultNotSecret' ? false : nv.source === 'keyVault' ? undefined : nv.secret,
    });
  });
  if (p.lateGlobalPolicy) governance.addPolicy(buildPolicy(stack, p.lateGlobalPolicy));
}

test('ApiGovernance: 1000 generated prop sets synthesize valid, policy-clean stacks or fail naming the prop', () => {
  const counts = assertConstructProperty(arbitrary, PROP_NAMES, build);
  expect(counts.synthesized).toBeGreaterThan(100);
  expect(counts.rejected).toBeGreaterThan(100);
});

