// Property-based test of SecureEdge input handling (issue 8): 1000 generated prop sets, with
// listeners, routes and custom rules also added through addListener / addRoute / addCustomRule.
//
// Left out on purpose (explicit, documented insecure opt-outs that the policy pack reports):
// wafMode DETECTION, disableBotProtection, requestBodyInspection false, and a managed rule
// override that disables rule 944240 (Log4Shell).
import * as fc from 'fast-check';
import {
  EdgeFrontend,
  EdgeListener,
  GeoFilterMode,
  IEdgeBackend,
  ISubnet,
  ManagedRuleSet,
  RateLimitDuration,
  RateLimitGroupBy,
  SecureEdge,
  TlsCipherSuite,
  TlsPolicy,
  TlsProtocolVersion,
  WafCustomRule,
  WafExclusionVariable,
  WafManagedRuleAction,
  WafMatchCondition,
  WafMatchOperator,
  WafMatchVariable,
  WafMode,
  WafRuleAction,
  WafSelectorOperator,
  WafTransform,
} from '../lib';
import { assertConstructProperty, optional } from './support/properties';

// Mostly plausible values, with the edge cases users type: each field is valid most of the time,
// so that about half the cases synthesize.
// The invalid values are typed as the valid ones: users reach them through casts, JSON or JavaScript.
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<unknown>, weight = 150): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: valid, weight }, { arbitrary: invalid as fc.Arbitrary<T>, weight: 1 });

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mesh/providers';
const subnetOf = (addressPrefix: string): ISubnet => ({
  subnetId: `${SUB}/Microsoft.Network/virtualNetworks/vnet/subnets/snet-edge`,
  subnetName: 'snet-edge',
  addressPrefix,
  virtualNetworkId: `${SUB}/Microsoft.Network/virtualNetworks/vnet`,
  virtualNetworkName: 'vnet',
  virtualNetworkAddressSpace: ['10.0.0.0/16'],
});

// Backends: API Management (by private IP or by name), another HTTPS service, and broken ones.
const BACKENDS: IEdgeBackend[] = [
  { gatewayHostName: 'apim-contoso.azure-api.net', privateIpAddresses: ['10.0.1.5'], healthProbePath: '/status-0123456789abcdef' },
  { gatewayHostName: 'apim-contoso.azure-api.net', privateIpAddresses: [], healthProbePath: '/status-0123456789abcdef' },
  { gatewayHostName: 'orders.internal.contoso.com', privateIpAddresses: ['10.0.2.10', '10.0.2.11'], healthProbePath: '/healthz' },
  { gatewayHostName: 'api.fabrikam.io', privateIpAddresses: ['10.0.2.10', '10.0.2.10'], healthProbePath: '/health?full=1' },
];
const BAD_BACKENDS: IEdgeBackend[] = [
  { gatewayHostName: '', privateIpAddresses: ['10.0.1.5'], healthProbePath: '/status-0123456789abcdef' },
  { gatewayHostName: 'https://apim-contoso.azure-api.net', privateIpAddresses: [], healthProbePath: '/status-0123456789abcdef' },
  { gatewayHostName: 'apim-contoso.azure-api.net', privateIpAddresses: ['10.0.1.5'], healthProbePath: '/healthz' },
  { gatewayHostName: 'orders.internal.contoso.com', privateIpAddresses: ['10.0.1'], healthProbePath: '/healthz' },
  { gatewayHostName: 'orders.internal.contoso.com', privateIpAddresses: ['10.0.2.10'], healthProbePath: 'healthz' },
  { gatewayHostName: 'orders.internal.contoso.com', privateIpAddresses: ['10.0.2.10'], healthProbePath: '' },
  { gatewayHostName: 'ORDERS', privateIpAddresses: ['10.0.2.10'], healthProbePath: '/' },
];
const backend = mostly(fc.constantFrom(...BACKENDS), fc.constantFrom(...BAD_BACKENDS), 60);

// Ids of listeners and routes come from a fixed pool, so that the rejection can name
// `addListener("<id>")` / `addRoute("<id>")` (the props of the methods).
const VALID_IDS = ['api', 'shop', 'partners', 'internal', 'b2b', 'v2', 'a', 'x'.repeat(40), 'orders', 'legacy', 'admin', 'public',
  'mobile', 'web', 'api-v1', 'api-v2', 'eu', 'us', 'zz9', 'edge-01', ...Array.from({ length: 40 }, (_, i) => `svc-${i}`)];
const INVALID_IDS = ['', 'API', '-api', 'api-', 'api_v2', 'x'.repeat(41), 'api v2'];
const id = mostly(fc.noBias(fc.constantFrom(...VALID_IDS)), fc.constantFrom(...INVALID_IDS), 120);

const host = mostly(
  fc.oneof(
    { arbitrary: fc.tuple(fc.noBias(fc.stringMatching(/^[a-z]([a-z0-9-]{0,12}[a-z0-9])?$/)), fc.constantFrom('.contoso.com', '.fabrikam.io', '.shop.contoso.com')).map(([l, d]) => l + d), weight: 12 },
    // A small pool, so that listeners share host names now and then.
    fc.constantFrom('api.contoso.com', '*.contoso.com', 'API.Contoso.com', 'a.io', 'x'.repeat(63) + '.contoso.com'),
  ),
  fc.constantFrom('', 'https://api.contoso.com', 'api', 'api.contoso.com.', '*.*.contoso.com', 'api..contoso.com', 'api.contoso.com:443',
    `${'label.'.repeat(45)}com`, '-api.contoso.com', 'api_1.contoso.com', '10.0.0.4'),
  120,
);
const hostNames = mostly(fc.array(host, { minLength: 1, maxLength: 3 }), fc.constantFrom([], ['a.io', 'b.io', 'c.io', 'd.io', 'e.io', 'f.io']), 120);
const certificateSecretId = mostly(
  fc.constantFrom('https://kv-edge.vault.azure.net/secrets/api-contoso-com', 'https://kv-edge.vault.azure.net/secrets/shop/0123456789abcdef0123456789abcdef',
    'https://kv-prod-01.vault.azure.net/secrets/wildcard'),
  fc.constantFrom('', 'https://kv-edge.vault.azure.net/certificates/api', 'http://kv-edge.vault.azure.net/secrets/api',
    'https://kv-edge.vault.azure.net/secrets/api/v1', 'kv-edge/secrets/api', 'https://kv-edge.vault.azure.net/secrets/api/'),
  120,
);
const frontend = mostly(fc.oneof({ arbitrary: fc.constant(EdgeFrontend.PUBLIC), weight: 8 }, { arbitrary: fc.constant(EdgeFrontend.PRIVATE), weight: 1 }), fc.constantFrom('Public' as EdgeFrontend, '' as EdgeFrontend), 120);
const listenerPriority = mostly(fc.noBias(fc.integer({ min: 1, max: 10000 })), fc.constantFrom(0, -1, 10001, 1.5, Number.NaN), 120);
const listenerOptions = fc.record({
  hostNames,
  certificateSecretId,
  backend: optional(backend),
  frontend: optional(frontend),
  redirectHttp: optional(fc.boolean()),
  priority: optional(listenerPriority),
}, { requiredKeys: ['hostNames', 'certificateSecretId'] });

const path = mostly(
  fc.oneof(
    { arbitrary: fc.constantFrom('/', '/*', '/orders/*'), weight: 1 },
    { weight: 8, arbitrary: fc.tuple(fc.stringMatching(/^\/[a-z0-9-]{1,12}(\/[a-z0-9.-]{1,8}){0,2}$/), fc.constantFrom('', '/*', '*')).map(([a, b]) => a + b) },
  ),
  fc.constantFrom('', 'orders/*', '/a/*/b', '/x?y=1', '/a#b', '*', '/' + 'p'.repeat(1000)),
  120,
);
const route = fc.record({
  id,
  listener: mostly(fc.nat(), fc.constant(-1), 120), // index into the added listeners; -1 = one not of this SecureEdge
  paths: mostly(fc.array(path, { minLength: 1, maxLength: 3 }), fc.constant([]), 120),
  backend: optional(backend),
});

// Addresses and CIDR blocks, as typed in NSG sources and WAF IP lists.
const ipOrCidr = mostly(
  fc.constantFrom('203.0.113.0/24', '198.51.100.7', '192.0.2.0/28', '2001:db8::/32', '2001:db8::1'),
  fc.constantFrom('', '10.0.0.0/33', '10.0.0.1/8', '300.1.1.1', '10.0.0', 'localhost', '::/129'),
  60,
);
const condition: fc.Arbitrary<WafMatchCondition> = mostly(
  fc.constantFrom<WafMatchCondition>(
    { matchVariable: WafMatchVariable.REQUEST_URI, matchOperator: WafMatchOperator.BEGINS_WITH, values: ['/admin'], transforms: [WafTransform.LOWERCASE, WafTransform.URL_DECODE] },
    { matchVariable: WafMatchVariable.REQUEST_METHOD, matchOperator: WafMatchOperator.EQUAL, values: ['TRACE', 'TRACK'] },
    { matchVariable: WafMatchVariable.REQUEST_HEADERS, selector: 'User-Agent', matchOperator: WafMatchOperator.CONTAINS, values: ['sqlmap'] },
    { matchVariable: WafMatchVariable.REQUEST_COOKIES, selector: 'session', matchOperator: WafMatchOperator.ANY, negate: true },
    { matchVariable: WafMatchVariable.REMOTE_ADDR, matchOperator: WafMatchOperator.IP_MATCH, values: ['192.0.2.0/24'] },
    { matchVariable: WafMatchVariable.REMOTE_ADDR, matchOperator: WafMatchOperator.GEO_MATCH, values: ['KP'] },
    { matchVariable: WafMatchVariable.QUERY_STRING, matchOperator: WafMatchOperator.REGEX, values: ['(?i)union.+select'] },
    { matchVariable: WafMatchVariable.POST_ARGS, selector: 'amount', matchOperator: WafMatchOperator.GREATER_THAN, values: ['10000'] },
    { matchVariable: WafMatchVariable.REQUEST_BODY, matchOperator: WafMatchOperator.CONTAINS, values: ['<script'], transforms: [WafTransform.HTML_ENTITY_DECODE] },
  ),
  fc.constantFrom<WafMatchCondition>(
    { matchVariable: WafMatchVariable.REQUEST_HEADERS, matchOperator: WafMatchOperator.EQUAL, values: ['x'] },
    { matchVariable: WafMatchVariable.REQUEST_URI, selector: 'x', matchOperator: WafMatchOperator.EQUAL, values: ['x'] },
    { matchVariable: WafMatchVariable.REQUEST_URI, matchOperator: WafMatchOperator.ANY, values: ['/x'] },
    { matchVariable: WafMatchVariable.REQUEST_URI, matchOperator: WafMatchOperator.IP_MATCH, values: ['10.0.0.0/8'] },
    { matchVariable: WafMatchVariable.REQUEST_URI, matchOperator: WafMatchOperator.CONTAINS, values: [] },
    { matchVariable: WafMatchVariable.REQUEST_URI, matchOperator: WafMatchOperator.CONTAINS },
    { matchVariable: WafMatchVariable.REQUEST_URI, matchOperator: WafMatchOperator.EQUAL, values: [''] },
    { matchVariable: WafMatchVariable.REQUEST_BODY, matchOperator: WafMatchOperator.LESS_THAN, values: ['1.5'] },
    { matchVariable: WafMatchVariable.QUERY_STRING, matchOperator: WafMatchOperator.REGEX, values: ['(unclosed'] },
    { matchVariable: 'Path' as WafMatchVariable, matchOperator: WafMatchOperator.EQUAL, values: ['x'] },
    { matchVariable: WafMatchVariable.REQUEST_URI, matchOperator: 'equal' as WafMatchOperator, values: ['x'] },
    { matchVariable: WafMatchVariable.REQUEST_URI, matchOperator: WafMatchOperator.EQUAL, values: ['x'], transforms: ['Rot13' as WafTransform] },
  ),
  60,
);
const ruleName = mostly(
  fc.oneof({ arbitrary: fc.constantFrom('BlockAdmin', 'RateLimit', 'Geo', 'DenyList', 'R'), weight: 1 }, { arbitrary: fc.noBias(fc.stringMatching(/^[A-Z][a-zA-Z0-9]{2,12}$/)), weight: 6 }),
  fc.constantFrom('', 'rate-limit', '1Rule', 'Block Admin', 'R'.repeat(129)),
  120,
);
const rulePriority = mostly(fc.noBias(fc.integer({ min: 1, max: 100 })), fc.constantFrom(0, -1, 101, 2.5, Number.NaN), 120);
const customRule = fc.oneof(
  fc.record({
    kind: fc.constantFrom('ipAllowList', 'ipDenyList'),
    name: ruleName,
    priority: rulePriority,
    enabled: optional(fc.boolean()),
    addresses: mostly(fc.array(ipOrCidr, { minLength: 1, maxLength: 3 }), fc.constant([]), 120),
  })
    .map((o) => (o.kind === 'ipAllowList' ? WafCustomRule.ipAllowList(o) : WafCustomRule.ipDenyList(o))),
  fc.record({
    name: ruleName,
    priority: rulePriority,
    countryCodes: mostly(fc.array(mostly(fc.constantFrom('DE', 'FR', 'US', 'ZZ', 'KP'), fc.constantFrom('UK', 'de', '', 'DEU'), 60), { minLength: 1, maxLength: 3 }), fc.constant([]), 120),
    mode: optional(mostly(fc.constantFrom(GeoFilterMode.ALLOW_ONLY, GeoFilterMode.BLOCK), fc.constant('deny' as GeoFilterMode), 120)),
  }).map((o) => WafCustomRule.geoFilter(o)),
  fc.record({
    name: ruleName,
    priority: rulePriority,
    threshold: mostly(fc.integer({ min: 1, max: 100000 }), fc.constantFrom(0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY), 120),
    duration: optional(mostly(fc.constantFrom(RateLimitDuration.ONE_MINUTE, RateLimitDuration.FIVE_MINUTES), fc.constant('TenMins' as RateLimitDuration), 120)),
    groupBy: optional(mostly(fc.constantFrom(RateLimitGroupBy.CLIENT_ADDRESS, RateLimitGroupBy.GEO_LOCATION, RateLimitGroupBy.NONE), fc.constant('Cookie' as RateLimitGroupBy), 120)),
    conditions: optional(fc.array(condition, { minLength: 1, maxLength: 2 })),
    action: optional(mostly(fc.constantFrom(WafRuleAction.BLOCK, WafRuleAction.LOG), fc.constant('Redirect' as WafRuleAction), 120)),
  }).map((o) => WafCustomRule.rateLimit(o)),
  fc.record({
    name: ruleName,
    priority: rulePriority,
    conditions: mostly(fc.array(condition, { minLength: 1, maxLength: 3 }), fc.constant([]), 120),
    action: mostly(fc.constantFrom(WafRuleAction.BLOCK, WafRuleAction.LOG, WafRuleAction.ALLOW), fc.constant('block' as WafRuleAction), 120),
  }).map((o) => WafCustomRule.match(o)),
);

// Managed rule sets with overrides: rule group names of the set, or of another set, or made up.
const OWASP_GROUPS = ['REQUEST-920-PROTOCOL-ENFORCEMENT', 'REQUEST-942-APPLICATION-ATTACK-SQLI', 'REQUEST-941-APPLICATION-ATTACK-XSS', 'General', 'Known-CVEs'];
const DRS_GROUPS = ['PROTOCOL-ENFORCEMENT', 'APPLICATION-ATTACK-SQLI', 'APPLICATION-ATTACK-XSS', 'General', 'MS-ThreatIntel-WebShells'];
const BOT_GROUPS = ['BadBots', 'GoodBots', 'UnknownBots'];
const WRONG_GROUPS = ['SQLI', '', 'request-942-application-attack-sqli', 'crs_41_sql_injection_attacks'];
const ruleOverride = fc.record({
  ruleId: mostly(fc.constantFrom('942430', '942440', '920300', '941100', '300700', '200004'), fc.constantFrom('', 'x1', '942 430'), 120),
  enabled: fc.boolean(),
  action: optional(mostly(fc.constantFrom(...Object.values(WafManagedRuleAction)), fc.constant('Drop' as WafManagedRuleAction), 120)),
}, { requiredKeys: ['ruleId', 'enabled'] });
const overrides = (groups: string[]) => fc.array(fc.record({
  ruleGroupName: mostly(fc.constantFrom(...groups), fc.constantFrom(...WRONG_GROUPS, ...OWASP_GROUPS, ...DRS_GROUPS, ...BOT_GROUPS), 60),
  rules: mostly(fc.array(ruleOverride, { minLength: 1, maxLength: 2 }), fc.constant([]), 120),
}), { maxLength: 2 });
const managedRuleSet = mostly(
  fc.oneof(
    overrides(OWASP_GROUPS).map((o) => ({ set: ManagedRuleSet.owasp32({ ruleGroupOverrides: o }), groups: OWASP_GROUPS })),
    overrides(DRS_GROUPS).map((o) => ({ set: ManagedRuleSet.microsoftDefault21({ ruleGroupOverrides: o }), groups: DRS_GROUPS })),
  ),
  fc.constant({ set: ManagedRuleSet.botManager10(), groups: BOT_GROUPS }),
  120,
);
const botManagerRuleSet = mostly(
  overrides(BOT_GROUPS).map((o) => ManagedRuleSet.botManager10({ ruleGroupOverrides: o })),
  fc.constant(ManagedRuleSet.owasp32()),
  120,
);
const exclusion = fc.record({
  matchVariable: mostly(fc.constantFrom(...Object.values(WafExclusionVariable)), fc.constant('RequestBody' as WafExclusionVariable), 120),
  selector: mostly(
    fc.oneof(
      fc.tuple(
        fc.constantFrom(WafSelectorOperator.EQUALS, WafSelectorOperator.CONTAINS, WafSelectorOperator.STARTS_WITH, WafSelectorOperator.ENDS_WITH),
        fc.constantFrom('x-api-token', 'session', 'query', 'Authorization'),
      ),
      fc.constant<[WafSelectorOperator, string]>([WafSelectorOperator.EQUALS_ANY, '*']),
    ),
    fc.constantFrom<[WafSelectorOperator, string]>([WafSelectorOperator.EQUALS, ''], [WafSelectorOperator.EQUALS_ANY, 'session'], ['Equal' as WafSelectorOperator, 'session']),
    120,
  ),
  // Index into the rule groups of the core set (-1 = a group of another set).
  ruleGroups: optional(fc.array(fc.record({ group: mostly(fc.nat(), fc.constant(-1), 120), ruleIds: optional(fc.array(mostly(fc.constantFrom('942100', '941100', '920300'), fc.constantFrom('x', '', '94210O'), 120), { maxLength: 2 })) }), { maxLength: 2 })),
});

const tlsPolicy = mostly(
  fc.oneof(
    fc.constantFrom('AppGwSslPolicy20220101S', 'AppGwSslPolicy20220101', 'AppGwSslPolicy20170401S').map((n) => TlsPolicy.predefined(n)),
    fc.record({
      minProtocolVersion: optional(fc.constantFrom(TlsProtocolVersion.TLS1_2, TlsProtocolVersion.TLS1_3)),
      cipherSuites: optional(fc.subarray(Object.values(TlsCipherSuite), { minLength: 1 })),
    }).map((o) => TlsPolicy.custom(o.minProtocolVersion === TlsProtocolVersion.TLS1_3 ? { minProtocolVersion: o.minProtocolVersion } : o)),
  ),
  fc.oneof(
    fc.constantFrom('AppGwSslPolicy20150501', 'AppGwSslPolicy20170401', '', 'appgwsslpolicy20220101s').map((n) => TlsPolicy.predefined(n)),
    fc.constantFrom<object>(
      { minProtocolVersion: 'TLSv1_0' }, { minProtocolVersion: 'TLSv1_1' }, { cipherSuites: [] },
      { minProtocolVersion: TlsProtocolVersion.TLS1_3, cipherSuites: [TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256] },
      { cipherSuites: ['TLS_RSA_WITH_AES_128_CBC_SHA'] },
      { cipherSuites: [TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256] },
    ).map((o) => TlsPolicy.custom(o as any)),
    // A plain object where a TlsPolicy belongs (JavaScript, JSON configuration).
    fc.constant({ policyType: 'Predefined', policyName: 'AppGwSslPolicy20220101S' }),
  ),
);

const sources = mostly(
  fc.oneof(
    fc.constantFrom<string[]>(['Internet'], ['VirtualNetwork'], ['AzureFrontDoor.Backend'], ['0.0.0.0/0'], ['10.0.0.0/16']),
    fc.uniqueArray(fc.constantFrom<string>('203.0.113.0/24', '198.51.100.7', '192.0.2.0/28', '10.0.0.0/16'), { minLength: 1, maxLength: 3 }),
  ),
  fc.constantFrom([], ['*'], [''], ['Any'], ['any'], ['10.0.0.1/8'], ['10.0.0.0/33'], ['Internet', 'Internet'], ['Internet', '203.0.113.0/24'],
    ['198.51.100.7', '198.51.100.7'], ['2001:db8::/32'], ['Internet ']),
);

const WORKSPACE = `${SUB}/Microsoft.OperationalInsights/workspaces/log-mesh`;
const IDENTITY = `${SUB}/Microsoft.ManagedIdentity/userAssignedIdentities/id-edge`;
const KEY_VAULT = `${SUB}/Microsoft.KeyVault/vaults/kv-edge`;

const arbitrary = fc.record({
  resourceGroupName: mostly(fc.constantFrom('rg-mesh', 'RG_Prod.01'), fc.constant(''), 100),
  location: mostly(fc.constantFrom('westeurope', 'West Europe', 'eastus2'), fc.constant(''), 100),
  subnetPrefix: mostly(
    fc.constantFrom('10.0.0.0/24', '10.0.0.0/26', '10.0.0.0/23', '10.0.0.0/16'),
    fc.constantFrom('', 'edge', '10.0.0.0/33', '10.0.0.1/24', '10.0.0.0/30', '10.0.0.0', '10.0.0.0/24 ', '2001:db8::/64', '256.0.0.0/24'),
  ),
  backend: mostly(fc.constantFrom(...BACKENDS), fc.constantFrom(...BAD_BACKENDS)),
  name: optional(mostly(
    fc.oneof(fc.constantFrom('agw-edge', 'agw_prod_', 'AGW01', 'a'), fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/)),
    fc.constantFrom('', 'agw.edge', '-agw', 'agw-', 'agw edge', 'a'.repeat(77), 'agw/edge'),
  )),
  zones: optional(mostly(fc.subarray(['1', '2', '3']), fc.constantFrom(['4'], ['1', '1'], ['0'], [''], ['zone-1'], [1], '1', '1,2,3'))),
  minCapacity: optional(mostly(fc.integer({ min: 0, max: 5 }), fc.constantFrom(-1, 1.5, Number.NaN, 101, 120))),
  maxCapacity: optional(mostly(fc.integer({ min: 2, max: 40 }), fc.constantFrom(0, 1, 126, 2.5, Number.NaN, Number.POSITIVE_INFINITY))),
  tlsPolicy: optional(tlsPolicy),
  http2: optional(fc.boolean()),
  privateFrontendIpAddress: fc.option(mostly(
    fc.constantFrom('10.0.0.10', '10.0.0.60', '10.0.0.37', '10.0.0.4'),
    fc.constantFrom('', 'ten', '10.0.0.0', '10.0.0.3', '10.0.0.255', '10.0.0.10/32', '010.0.0.10', '10.0.5.10', '10.0.0.256'),
    60,
  ), { nil: undefined, freq: 4 }),
  publicSourceAddressPrefixes: optional(sources),
  privateSourceAddressPrefixes: optional(sources),
  domainNameLabel: optional(mostly(fc.constantFrom('contoso-edge', 'edge01', 'abc'), fc.constantFrom('', 'Contoso', 'ab', '-edge', 'edge-', 'a'.repeat(64), 'contoso_edge'))),
  identity: optional(mostly(
    fc.constant({ identityId: IDENTITY, identityPrincipalId: '11111111-1111-1111-1111-111111111111' }),
    fc.constantFrom(
      { identityId: 'id-edge', identityPrincipalId: undefined },
      { identityId: '', identityPrincipalId: undefined },
      { identityId: IDENTITY, identityPrincipalId: 'not-a-guid' },
      { identityId: IDENTITY, identityPrincipalId: '' },
      { identityId: undefined, identityPrincipalId: '11111111-1111-1111-1111-111111111111' },
      { identityId: IDENTITY, identityPrincipalId: undefined },
    ),
  )),
  keyVaultId: optional(mostly(fc.constant(KEY_VAULT), fc.constantFrom('kv-edge', '', `${SUB}/Microsoft.KeyVault/vaults/`, 'https://kv-edge.vault.azure.net/'))),
  logAnalyticsWorkspaceId: optional(mostly(fc.constant(WORKSPACE), fc.constantFrom('', 'log-mesh', `${SUB}/Microsoft.OperationalInsights/workspaces/`, 'https://log.azure.com'))),
  backendRequestTimeout: optional(mostly(fc.integer({ min: 1, max: 86400 }), fc.constantFrom(0, -1, 1.5, Number.NaN, 86401))),
  wafMode: optional(mostly(fc.constant(WafMode.PREVENTION), fc.constantFrom('prevention' as WafMode, 'Off' as WafMode, '' as WafMode))),
  managedRuleSet: optional(managedRuleSet),
  botManagerRuleSet: optional(botManagerRuleSet),
  wafExclusions: optional(fc.array(exclusion, { maxLength: 2 })),
  customRules: optional(fc.array(customRule, { maxLength: 2 })),
  maxRequestBodySizeKb: optional(mostly(fc.integer({ min: 8, max: 2000 }), fc.constantFrom(0, 7, 2001, 64.5, Number.NaN))),
  requestBodyInspectLimitKb: optional(mostly(fc.integer({ min: 8, max: 2000 }), fc.constantFrom(-8, 4096, 16.5))),
  fileUploadLimitMb: optional(mostly(fc.integer({ min: 1, max: 4000 }), fc.constantFrom(0, 4001, 0.5, Number.NaN))),
  tags: optional(mostly(
    fc.dictionary(fc.constantFrom('env', 'owner', 'cost-center', 'Env Name'), fc.constantFrom('prod', '', 'team-a', 'x'.repeat(256))),
    fc.constantFrom<Record<string, string>>({ '': 'x' }, { 'a/b': 'x' }, { 'a<b': 'x' }, { ['k'.repeat(513)]: 'x' }, { env: 'v'.repeat(257) }, ['env=prod'] as any),
  )),
  // Listeners in the props, more through addListener(); routes and custom rules through the methods.
  listeners: fc.option(
    mostly(fc.array(fc.tuple(id, listenerOptions), { minLength: 1, maxLength: 2 }), fc.constant([]), 120),
    { nil: undefined, freq: 6 },
  ),
  addedListeners: fc.array(fc.tuple(id, listenerOptions), { maxLength: 2 }),
  routes: fc.array(route, { maxLength: 2 }),
  addedRules: fc.array(customRule, { maxLength: 2 }),
  // Now and then one item where a list belongs (JavaScript, JSON configuration).
  unwrap: mostly(fc.constant(''), fc.constantFrom('listeners', 'wafExclusions', 'customRules')),
});

const PROPS = [
  'resourceGroupName', 'location', 'subnet', 'backend', 'listeners', 'name', 'zones', 'minCapacity', 'maxCapacity', 'tlsPolicy',
  'privateFrontendIpAddress', 'publicSourceAddressPrefixes', 'privateSourceAddressPrefixes', 'domainNameLabel', 'identityId',
  'identityPrincipalId', 'keyVaultId', 'logAnalyticsWorkspaceId', 'backendRequestTimeout', 'wafMode', 'managedRuleSet',
  'botManagerRuleSet', 'wafExclusions', 'customRules', 'maxRequestBodySizeKb', 'requestBodyInspectLimitKb', 'fileUploadLimitMb', 'tags',
  ...[...VALID_IDS, ...INVALID_IDS].flatMap((i) => [`addListener(${JSON.stringify(i)})`, `addRoute(${JSON.stringify(i)})`]),
];

test('SecureEdge: 1000 generated prop sets synthesize valid, policy-clean stacks or fail naming the prop', () => {
  const counts = assertConstructProperty(arbitrary, PROPS, (stack, p) => {
    const core = p.managedRuleSet;
    const unwrap = <T>(prop: string, list: T[] | undefined): T[] | undefined =>
      (p.unwrap === prop && list && list.length > 0 ? list[0] as any : list);
    const groupOf = (i: number) => (i < 0 ? 'BadBots' : (core?.groups ?? OWASP_GROUPS)[i % (core?.groups ?? OWASP_GROUPS).length]);
    const edge = new SecureEdge(stack, 'Edge', {
      resourceGroupName: p.resourceGroupName,
      location: p.location,
      subnet: subnetOf(p.subnetPrefix),
      backend: p.backend,
      listeners: unwrap('listeners', p.listeners?.map(([listenerId, options]) => ({ id: listenerId, ...options }))),
      name: p.name,
      zones: p.zones,
      minCapacity: p.minCapacity,
      maxCapacity: p.maxCapacity,
      tlsPolicy: p.tlsPolicy as TlsPolicy | undefined,
      http2: p.http2,
      privateFrontendIpAddress: p.privateFrontendIpAddress,
      publicSourceAddressPrefixes: p.publicSourceAddressPrefixes,
      privateSourceAddressPrefixes: p.privateSourceAddressPrefixes,
      domainNameLabel: p.domainNameLabel,
      identityId: p.identity?.identityId,
      identityPrincipalId: p.identity?.identityPrincipalId,
      keyVaultId: p.keyVaultId,
      logAnalyticsWorkspaceId: p.logAnalyticsWorkspaceId,
      backendRequestTimeout: p.backendRequestTimeout,
      wafMode: p.wafMode,
      managedRuleSet: core?.set,
      botManagerRuleSet: p.botManagerRuleSet,
      wafExclusions: unwrap('wafExclusions', p.wafExclusions?.map((e) => ({
        matchVariable: e.matchVariable,
        selector: e.selector[1],
        selectorMatchOperator: e.selector[0],
        ruleGroups: e.ruleGroups?.map((g) => ({ ruleGroupName: groupOf(g.group), ruleIds: g.ruleIds })),
      }))),
      customRules: unwrap('customRules', p.customRules),
      maxRequestBodySizeKb: p.maxRequestBodySizeKb,
      requestBodyInspectLimitKb: p.requestBodyInspectLimitKb,
      fileUploadLimitMb: p.fileUploadLimitMb,
      tags: p.tags,
    });
    const added: EdgeListener[] = p.addedListeners.map(([listenerId, options]) => edge.addListener(listenerId, options));
    const foreign = { ...added[0], id: 'elsewhere' } as EdgeListener;
    for (const r of added.length > 0 ? p.routes : []) {
      const listener = r.listener < 0 ? foreign : added[r.listener % added.length];
      edge.addRoute(r.id, { listener, paths: r.paths, backend: r.backend });
    }
    p.addedRules.forEach((rule) => edge.addCustomRule(rule));
  });
  expect(counts.synthesized).toBeGreaterThan(100);
  expect(counts.rejected).toBeGreaterThan(100);
});
