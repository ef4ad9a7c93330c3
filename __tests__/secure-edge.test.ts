import { App, TerraformStack, Testing } from 'cdktf';
import * as fc from 'fast-check';
import {
  EdgeFrontend,
  GeoFilterMode,
  IEdgeBackend,
  ISubnet,
  ManagedRuleSet,
  RateLimitDuration,
  RateLimitGroupBy,
  SecureEdge,
  SecureEdgeProps,
  TieredNetwork,
  TlsCipherSuite,
  TlsPolicy,
  TlsProtocolVersion,
  WafCustomRule,
  WafExclusionVariable,
  WafManagedRuleAction,
  WafMatchOperator,
  WafMatchVariable,
  WafMode,
  WafRuleAction,
  WafSelectorOperator,
  WafTransform,
} from '../lib';
import { expectValidStack, synthStack } from './support';

const placement = { resourceGroupName: 'rg-mesh', location: 'westeurope' };
const subnet: ISubnet = {
  subnetId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mesh/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-edge',
  subnetName: 'snet-edge',
  addressPrefix: '10.0.0.0/24',
  virtualNetworkId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mesh/providers/Microsoft.Network/virtualNetworks/vnet',
  virtualNetworkName: 'vnet',
  virtualNetworkAddressSpace: ['10.0.0.0/16'],
};
const apim: IEdgeBackend = { gatewayHostName: 'apim-contoso.azure-api.net', privateIpAddresses: ['10.0.1.5'], healthProbePath: '/status-0123456789abcdef' };
const cert = 'https://kv-edge.vault.azure.net/secrets/api-contoso-com';
const api = { id: 'api', hostNames: ['api.contoso.com'], certificateSecretId: cert };
const keyVaultId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mesh/providers/Microsoft.KeyVault/vaults/kv-edge';

const newStack = () => new TerraformStack(new App(), 'test');
const base: SecureEdgeProps = { ...placement, subnet, backend: apim, listeners: [api] };
const newEdge = (props: Partial<SecureEdgeProps> = {}, stack = newStack()) => new SecureEdge(stack, 'Edge', { ...base, ...props });

const only = (json: any, type: string): any => {
  const all = Object.values(json.resource[type] ?? {});
  expect(all).toHaveLength(1);
  return all[0];
};
const gateway = (json: any) => only(json, 'azurerm_application_gateway');
const waf = (json: any) => only(json, 'azurerm_web_application_firewall_policy');
const nsgRules = (json: any): any[] => only(json, 'azurerm_network_security_group').security_rule;
const byName = (items: any[], name: string) => items.find((i) => i.name === name);

describe('SecureEdge', () => {
  test('defaults', () => {
    const stack = newStack();
    const edge = newEdge({}, stack);
    expectValidStack(stack);
    const json = synthStack(stack);
    expect(json).toMatchSnapshot();
    const text = JSON.stringify(json);

    // WAF policy: Prevention, body inspection, OWASP 3.2 + bot manager.
    expect(Testing.toHaveResourceWithProperties(text, 'azurerm_web_application_firewall_policy', {
      policy_settings: { enabled: true, mode: 'Prevention', request_body_check: true, request_body_enforcement: true },
      managed_rules: { managed_rule_set: [{ type: 'OWASP', version: '3.2' }, { type: 'Microsoft_BotManagerRuleSet', version: '1.0' }] },
    })).toBe(true);

    // Gateway: WAF_v2, zone redundant, autoscaling, HTTP/2, the policy, TLS 1.2+, the identity.
    const agw = gateway(json);
    expect(agw.sku).toEqual({ name: 'WAF_v2', tier: 'WAF_v2' });
    expect(agw.zones).toEqual(['1', '2', '3']);
    expect(agw.autoscale_configuration).toEqual({ min_capacity: 2, max_capacity: 10 });
    expect(agw.enable_http2).toBe(true);
    expect(agw.firewall_policy_id).toBe('${azurerm_web_application_firewall_policy.Edge_WafPolicy_FDC8EF6B.id}');
    expect(agw.ssl_policy).toEqual({ policy_type: 'Predefined', policy_name: 'AppGwSslPolicy20220101S' });
    expect(agw.identity).toEqual({ type: 'UserAssigned', identity_ids: ['${azurerm_user_assigned_identity.Edge_Identity_E57B0876.id}'] });
    expect(agw.depends_on).toEqual(['azurerm_subnet_network_security_group_association.Edge_NsgAssociation_BB600AE8']);
    expect(agw.waf_configuration).toBeUndefined();

    // HTTPS listener with the Key Vault certificate; HTTP only redirects to it.
    expect(agw.ssl_certificate).toEqual([{ name: 'cert-api', key_vault_secret_id: cert }]);
    expect(byName(agw.http_listener, 'https-api')).toMatchObject({ protocol: 'Https', frontend_port_name: 'port-https', host_names: ['api.contoso.com'], ssl_certificate_name: 'cert-api' });
    expect(byName(agw.http_listener, 'http-api')).toMatchObject({ protocol: 'Http', frontend_port_name: 'port-http', host_names: ['api.contoso.com'] });
    expect(agw.redirect_configuration).toEqual([{ name: 'redirect-api', redirect_type: 'Permanent', target_listener_name: 'https-api', include_path: true, include_query_string: true }]);
    expect(byName(agw.request_routing_rule, 'redirect-rule-api')).toMatchObject({ http_listener_name: 'http-api', redirect_configuration_name: 'redirect-api' });
    expect(byName(agw.request_routing_rule, 'redirect-rule-api').backend_address_pool_name).toBeUndefined();
    expect(byName(agw.request_routing_rule, 'rule-api')).toMatchObject({ rule_type: 'Basic', http_listener_name: 'https-api', backend_address_pool_name: 'pool-default', priority: 10 });
    expect(agw.frontend_port).toEqual([{ name: 'port-https', port: 443 }, { name: 'port-http', port: 80 }]);

    // Backend: APIM over HTTPS with its host name, probed on its status path.
    expect(agw.backend_address_pool).toEqual([{ name: 'pool-default', ip_addresses: ['10.0.1.5'] }]);
    expect(agw.backend_http_settings).toEqual([expect.objectContaining({
      protocol: 'Https', port: 443, host_name: 'apim-contoso.azure-api.net', pick_host_name_from_backend_address: false, probe_name: 'probe-default',
    })]);
    expect(agw.probe).toEqual([expect.objectContaining({
      protocol: 'Https',
      host: 'apim-contoso.azure-api.net',
      path: '/status-0123456789abcdef',
      pick_host_name_from_backend_http_settings: false,
      match: { status_code: ['200-399'] },
    })]);

    // NSG: what App Gateway v2 needs, the listeners' ports from the Internet, nothing else.
    const rules = nsgRules(json);
    expect(rules.map((r) => [r.name, r.priority, r.access])).toEqual([
      ['AllowGatewayManagerInbound', 100, 'Allow'],
      ['AllowAzureLoadBalancerInbound', 110, 'Allow'],
      ['AllowPublicListenersInbound', 120, 'Allow'],
      ['DenyAllInbound', 4096, 'Deny'],
    ]);
    expect(byName(rules, 'AllowGatewayManagerInbound')).toMatchObject({ source_address_prefix: 'GatewayManager', destination_port_range: '65200-65535', protocol: 'Tcp' });
    expect(byName(rules, 'AllowAzureLoadBalancerInbound')).toMatchObject({ source_address_prefix: 'AzureLoadBalancer' });
    expect(byName(rules, 'AllowPublicListenersInbound')).toMatchObject({
      source_address_prefix: 'Internet',
      destination_address_prefixes: ['10.0.0.0/24', expect.stringMatching(/^\$\{azurerm_public_ip\.Edge_PublicIp_\w+\.ip_address\}$/)],
      destination_port_ranges: ['443', '80'],
      protocol: 'Tcp',
    });
    expect(byName(rules, 'DenyAllInbound')).toMatchObject({ source_address_prefix: '*', destination_port_range: '*', protocol: '*', direction: 'Inbound' });
    for (const rule of rules.filter((r) => r.access === 'Allow' && r.source_address_prefix !== 'AzureLoadBalancer')) {
      const ports: string[] = rule.destination_port_ranges ?? [rule.destination_port_range];
      expect(ports).not.toContain('*');
      expect(ports.filter((p) => p === '22' || p === '3389')).toEqual([]);
    }
    expect(Testing.toHaveResourceWithProperties(text, 'azurerm_subnet_network_security_group_association', { subnet_id: subnet.subnetId })).toBe(true);

    // Standard static public IP in the same zones; no diagnostics or role assignment without their props.
    expect(Testing.toHaveResourceWithProperties(text, 'azurerm_public_ip', { sku: 'Standard', allocation_method: 'Static', zones: ['1', '2', '3'] })).toBe(true);
    expect(json.resource.azurerm_monitor_diagnostic_setting).toBeUndefined();
    expect(json.resource.azurerm_role_assignment).toBeUndefined();

    expect(edge.node.defaultChild).toBe(edge.resource);
    expect(edge.identity).toBeDefined();
    expect(edge.identityId).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/); // the created identity's id
    expect(edge.diagnostics).toBeUndefined();
    expect(edge.keyVaultAccess).toBeUndefined();
  });

  test('all options', () => {
    const stack = newStack();
    const orders: IEdgeBackend = { gatewayHostName: 'orders.internal.contoso.com', privateIpAddresses: ['10.0.2.10', '10.0.2.11'], healthProbePath: '/healthz' };
    const edge = newEdge({
      name: 'agw-prod',
      zones: ['1', '2'],
      minCapacity: 3,
      maxCapacity: 20,
      tlsPolicy: TlsPolicy.custom({
        minProtocolVersion: TlsProtocolVersion.TLS1_2,
        cipherSuites: [TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384],
      }),
      http2: false,
      privateFrontendIpAddress: '10.0.0.10',
      publicSourceAddressPrefixes: ['203.0.113.0/24', '198.51.100.7'],
      privateSourceAddressPrefixes: ['10.0.0.0/16'],
      domainNameLabel: 'contoso-edge',
      keyVaultId,
      logAnalyticsWorkspaceId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mesh/providers/Microsoft.OperationalInsights/workspaces/log-mesh',
      backendRequestTimeout: 60,
      wafMode: WafMode.DETECTION,
      managedRuleSet: ManagedRuleSet.microsoftDefault21({
        ruleGroupOverrides: [{ ruleGroupName: 'APPLICATION-ATTACK-SQLI', rules: [{ ruleId: '942430', enabled: false }, { ruleId: '942440', enabled: true, action: WafManagedRuleAction.LOG }] }],
      }),
      botManagerRuleSet: ManagedRuleSet.botManager10({ ruleGroupOverrides: [{ ruleGroupName: 'UnknownBots', rules: [{ ruleId: '300700', enabled: true, action: WafManagedRuleAction.BLOCK }] }] }),
      wafExclusions: [
        { matchVariable: WafExclusionVariable.REQUEST_HEADER_NAMES, selector: 'x-api-token', selectorMatchOperator: WafSelectorOperator.EQUALS },
        {
          matchVariable: WafExclusionVariable.REQUEST_ARG_NAMES,
          selector: 'query',
          selectorMatchOperator: WafSelectorOperator.STARTS_WITH,
          ruleGroups: [{ ruleGroupName: 'APPLICATION-ATTACK-SQLI', ruleIds: ['942100'] }, { ruleGroupName: 'APPLICATION-ATTACK-XSS' }],
        },
      ],
      customRules: [
        WafCustomRule.ipDenyList({ name: 'DenyBadActors', priority: 1, addresses: ['192.0.2.0/24', '2001:db8::/32'] }),
        WafCustomRule.geoFilter({ name: 'EuropeOnly', priority: 2, countryCodes: ['DE', 'FR', 'NL', 'ZZ'], mode: GeoFilterMode.ALLOW_ONLY }),
        WafCustomRule.rateLimit({ name: 'PerClient', priority: 3, threshold: 500, duration: RateLimitDuration.FIVE_MINUTES, groupBy: RateLimitGroupBy.GEO_LOCATION }),
      ],
      requestBodyInspection: true,
      maxRequestBodySizeKb: 256,
      requestBodyInspectLimitKb: 64,
      fileUploadLimitMb: 50,
      tags: { env: 'prod' },
      listeners: [
        { ...api, priority: 5, backend: apim, frontend: EdgeFrontend.PUBLIC, redirectHttp: true },
        { id: 'internal', hostNames: ['api.internal.contoso.com'], certificateSecretId: 'https://kv-edge.vault.azure.net/secrets/internal/0123456789abcdef0123456789abcdef', frontend: EdgeFrontend.PRIVATE, redirectHttp: false, backend: orders },
      ],
    }, stack);
    edge.addCustomRule(WafCustomRule.ipAllowList({ name: 'PartnersOnly', priority: 4, addresses: ['198.51.100.0/24'], enabled: false }));
    edge.addCustomRule(WafCustomRule.match({
      name: 'BlockTrace',
      priority: 5,
      action: WafRuleAction.BLOCK,
      conditions: [{ matchVariable: WafMatchVariable.REQUEST_METHOD, matchOperator: WafMatchOperator.EQUAL, values: ['TRACE'], transforms: [WafTransform.UPPERCASE] }],
    }));
    const listener = edge.addListener('shop', { hostNames: ['*.shop.contoso.com'], certificateSecretId: 'https://kv-edge.vault.azure.net/secrets/shop' });
    edge.addRoute('orders', { listener, paths: ['/orders/*', '/orders'], backend: orders });
    expectValidStack(stack);
    const json = synthStack(stack);
    expect(json).toMatchSnapshot();

    const agw = gateway(json);
    expect(agw.name).toBe('agw-prod');
    expect(agw.zones).toEqual(['1', '2']);
    expect(agw.enable_http2).toBe(false);
    expect(agw.ssl_policy).toEqual({ policy_type: 'CustomV2', min_protocol_version: 'TLSv1_2', cipher_suites: ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'] });
    expect(byName(agw.frontend_ip_configuration, 'frontend-private')).toEqual({
      name: 'frontend-private', subnet_id: subnet.subnetId, private_ip_address_allocation: 'Static', private_ip_address: '10.0.0.10',
    });
    expect(agw.depends_on).toEqual([expect.stringMatching(/^azurerm_subnet_network_security_group_association\./), expect.stringMatching(/^azurerm_role_assignment\.Edge_KeyVaultSecretsUser_/), expect.stringMatching(/^time_sleep\.Edge_KeyVaultAccessPropagation_/)]);
    expect(agw.tags).toEqual({ env: 'prod' });
    expect(Testing.toHaveResourceWithProperties(JSON.stringify(json), 'azurerm_role_assignment', {
      scope: keyVaultId, role_definition_name: 'Key Vault Secrets User', principal_type: 'ServicePrincipal',
    })).toBe(true);
    expect(Testing.toHaveResourceWithProperties(JSON.stringify(json), 'azurerm_monitor_diagnostic_setting', {
      target_resource_id: '${azurerm_application_gateway.Edge_7038544F.id}', log_analytics_destination_type: 'Dedicated',
    })).toBe(true);
    expect(waf(json).policy_settings).toMatchObject({ mode: 'Detection', max_request_body_size_in_kb: 256, request_body_inspect_limit_in_kb: 64, file_upload_limit_in_mb: 50 });
    expect(waf(json).custom_rules.map((r: any) => r.name)).toEqual(['DenyBadActors', 'EuropeOnly', 'PerClient', 'PartnersOnly', 'BlockTrace']);
    // The private listener: no redirect, reachable from its own sources only.
    expect(byName(agw.http_listener, 'https-internal')).toMatchObject({ frontend_ip_configuration_name: 'frontend-private' });
    expect(byName(agw.http_listener, 'http-internal')).toBeUndefined();
    expect(byName(nsgRules(json), 'AllowPrivateListenersInbound')).toMatchObject({ source_address_prefix: '10.0.0.0/16', destination_port_ranges: ['443'] });
    expect(byName(nsgRules(json), 'AllowPublicListenersInbound')).toMatchObject({ source_address_prefixes: ['203.0.113.0/24', '198.51.100.7'] });
    // Public and private listeners share 443: the gateway rewrites the flows' destination to its frontend IPs
    // (#13 item 5), so both listener rules admit the public IP and the private frontend IP, not only the subnet.
    const publicIpRef = expect.stringMatching(/^\$\{azurerm_public_ip\.Edge_PublicIp_\w+\.ip_address\}$/);
    for (const name of ['AllowPublicListenersInbound', 'AllowPrivateListenersInbound']) {
      expect(byName(nsgRules(json), name).destination_address_prefixes).toEqual(['10.0.0.0/24', publicIpRef, '10.0.0.10']);
    }
    expect(byName(agw.backend_http_settings, 'settings-listener-internal')).toMatchObject({ request_timeout: 60, host_name: 'orders.internal.contoso.com' });
    expect(edge.keyVaultAccess).toBeDefined();
    expect(edge.diagnostics).toBeDefined();
  });

  test('listeners from props are readable, so routes can use them', () => {
    const stack = newStack();
    const edge = newEdge({}, stack);
    expect(edge.listeners.map((l) => l.id)).toEqual(['api']);
    edge.addListener('partners', { hostNames: ['partners.contoso.com'], certificateSecretId: cert });
    expect(edge.listeners.map((l) => l.id)).toEqual(['api', 'partners']);
    edge.addRoute('orders', { listener: edge.listeners[0], paths: ['/orders/*'] });
    expect(gateway(synthStack(stack)).url_path_map[0].path_rule[0]).toMatchObject({ name: 'route-orders', paths: ['/orders/*'] });
  });

  test('listeners and routes added after construction render, with their own backends', () => {
    const stack = newStack();
    const edge = newEdge({ listeners: [] }, stack);
    const v1: IEdgeBackend = { gatewayHostName: 'apim-v1.azure-api.net', privateIpAddresses: ['10.0.1.6'], healthProbePath: '/status-0123456789abcdef' };
    const first = edge.addListener('api', { hostNames: ['api.contoso.com'], certificateSecretId: cert });
    const second = edge.addListener('partners', { hostNames: ['partners.contoso.com', 'b2b.contoso.com'], certificateSecretId: cert, redirectHttp: false });
    const route = edge.addRoute('legacy', { listener: first, paths: ['/v1/*'], backend: v1 });
    edge.addRoute('legacy-partners', { listener: second, paths: ['/v1/*'], backend: v1 });
    expect(first).toEqual({
      id: 'api',
      hostNames: ['api.contoso.com'],
      frontend: EdgeFrontend.PUBLIC,
      backend: apim,
      httpsListenerName: 'https-api',
      redirectListenerName: 'http-api',
      certificateName: 'cert-api',
      routingRuleName: 'rule-api',
      priority: 10,
    });
    expect(second).toMatchObject({ redirectListenerName: undefined, priority: 20 });
    expect(route).toEqual({ id: 'legacy', listenerId: 'api', paths: ['/v1/*'], backend: v1, pathRuleName: 'route-legacy' });
    expectValidStack(stack);

    const agw = gateway(synthStack(stack));
    expect(agw.backend_address_pool.map((p: any) => p.name)).toEqual(['pool-default', 'pool-route-legacy']);
    expect(agw.probe.map((p: any) => [p.name, p.host])).toEqual([['probe-default', 'apim-contoso.azure-api.net'], ['probe-route-legacy', 'apim-v1.azure-api.net']]);
    expect(agw.request_routing_rule.map((r: any) => [r.name, r.rule_type, r.priority])).toEqual([
      ['rule-api', 'PathBasedRouting', 10], ['redirect-rule-api', 'Basic', 10010], ['rule-partners', 'PathBasedRouting', 20],
    ]);
    expect(byName(agw.url_path_map, 'paths-api')).toEqual({
      name: 'paths-api',
      default_backend_address_pool_name: 'pool-default',
      default_backend_http_settings_name: 'settings-default',
      path_rule: [{ name: 'route-legacy', paths: ['/v1/*'], backend_address_pool_name: 'pool-route-legacy', backend_http_settings_name: 'settings-route-legacy' }],
    });
    expect(agw.ssl_certificate.map((c: any) => c.name)).toEqual(['cert-api', 'cert-partners']);
  });

  test('without any HTTP redirect, port 80 stays closed', () => {
    const stack = newStack();
    newEdge({ listeners: [{ ...api, redirectHttp: false }] }, stack);
    const json = synthStack(stack);
    expect(gateway(json).frontend_port).toEqual([{ name: 'port-https', port: 443 }]);
    expect(gateway(json).redirect_configuration).toBeUndefined();
    expect(byName(nsgRules(json), 'AllowPublicListenersInbound').destination_port_ranges).toEqual(['443']);
  });

  test('a backend without private addresses is reached by its host name', () => {
    const stack = newStack();
    newEdge({ backend: { ...apim, privateIpAddresses: [] } }, stack);
    expect(gateway(synthStack(stack)).backend_address_pool).toEqual([{ name: 'pool-default', fqdns: ['apim-contoso.azure-api.net'] }]);
  });

  test('an existing identity is used, and granted access when the vault is given', () => {
    const stack = newStack();
    const identityId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mesh/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-edge';
    const edge = newEdge({ identityId, identityPrincipalId: '11111111-1111-1111-1111-111111111111', keyVaultId }, stack);
    const json = synthStack(stack);
    expect(json.resource.azurerm_user_assigned_identity).toBeUndefined();
    expect(gateway(json).identity.identity_ids).toEqual([identityId]);
    expect(only(json, 'azurerm_role_assignment').principal_id).toBe('11111111-1111-1111-1111-111111111111');
    expect(edge.identity).toBeUndefined();
    expect(edge.identityId).toBe(identityId);
  });

  test('custom rules render as the WAF expects', () => {
    const stack = newStack();
    const edge = newEdge({}, stack);
    edge.addCustomRule(WafCustomRule.ipAllowList({ name: 'Partners', priority: 10, addresses: ['198.51.100.0/24'] }));
    edge.addCustomRule(WafCustomRule.geoFilter({ name: 'NoSanctioned', priority: 20, countryCodes: ['KP'] }));
    edge.addCustomRule(WafCustomRule.rateLimit({ name: 'Throttle', priority: 30, threshold: 100 }));
    edge.addCustomRule(WafCustomRule.rateLimit({
      name: 'LoginThrottle',
      priority: 35,
      threshold: 10,
      action: WafRuleAction.LOG,
      groupBy: RateLimitGroupBy.NONE,
      conditions: [{ matchVariable: WafMatchVariable.REQUEST_URI, matchOperator: WafMatchOperator.BEGINS_WITH, values: ['/login'], transforms: [WafTransform.LOWERCASE] }],
    }));
    edge.addCustomRule(WafCustomRule.match({
      name: 'NeedsKey',
      priority: 40,
      action: WafRuleAction.BLOCK,
      conditions: [{ matchVariable: WafMatchVariable.REQUEST_HEADERS, selector: 'x-api-key', matchOperator: WafMatchOperator.ANY, negate: true }],
    }));
    expectValidStack(stack);
    const rules = waf(synthStack(stack)).custom_rules;
    expect(byName(rules, 'Partners')).toMatchObject({
      rule_type: 'MatchRule',
      action: 'Block',
      enabled: true,
      match_conditions: [{ match_variables: [{ variable_name: 'RemoteAddr' }], operator: 'IPMatch', match_values: ['198.51.100.0/24'], negation_condition: true }],
    });
    expect(byName(rules, 'NoSanctioned').match_conditions[0]).toMatchObject({ operator: 'GeoMatch', match_values: ['KP'], negation_condition: false });
    expect(byName(rules, 'Throttle')).toMatchObject({
      rule_type: 'RateLimitRule',
      action: 'Block',
      rate_limit_threshold: 100,
      rate_limit_duration: 'OneMin',
      group_rate_limit_by: 'ClientAddr',
      match_conditions: [{ operator: 'IPMatch', match_values: ['255.255.255.255/32'], negation_condition: true }],
    });
    expect(byName(rules, 'LoginThrottle')).toMatchObject({ action: 'Log', group_rate_limit_by: 'None', match_conditions: [{ operator: 'BeginsWith', transforms: ['Lowercase'] }] });
    expect(byName(rules, 'NeedsKey').match_conditions[0]).toMatchObject({ match_variables: [{ variable_name: 'RequestHeaders', selector: 'x-api-key' }], operator: 'Any', negation_condition: true });
    expect(byName(rules, 'NeedsKey').match_conditions[0].match_values).toBeUndefined();
  });

  test('custom TLS 1.3 policy and bot protection opt-out', () => {
    const stack = newStack();
    newEdge({ tlsPolicy: TlsPolicy.custom({ minProtocolVersion: TlsProtocolVersion.TLS1_3 }), disableBotProtection: true, zones: [] }, stack);
    expectValidStack(stack);
    const json = synthStack(stack);
    expect(gateway(json).ssl_policy).toEqual({ policy_type: 'CustomV2', min_protocol_version: 'TLSv1_3' });
    expect(gateway(json).zones).toBeUndefined();
    expect(waf(json).managed_rules.managed_rule_set).toEqual([{ type: 'OWASP', version: '3.2' }]);
    expect(TlsPolicy.custom()._render(new SecureEdge(newStack(), 'E', base), 'tlsPolicy').cipherSuites).toHaveLength(4);
  });

  test('works with the subnet of a TieredNetwork and a backend whose addresses are tokens', () => {
    const stack = newStack();
    const network = new TieredNetwork(stack, 'Network', placement);
    const backend: IEdgeBackend = { gatewayHostName: 'apim-contoso.azure-api.net', privateIpAddresses: network.resource.addressSpace, healthProbePath: '/status-0123456789abcdef' };
    newEdge({ subnet: network.edgeSubnet, backend }, stack);
    expectValidStack(stack);
    const agw = gateway(synthStack(stack));
    expect(agw.gateway_ip_configuration[0].subnet_id).toMatch(/^\$\{azurerm_subnet\.Network_EdgeSubnet_[0-9A-F]+\.id\}$/);
    expect(agw.backend_address_pool[0].ip_addresses).toMatch(/^\$\{tolist\(azurerm_virtual_network\.Network_[0-9A-F]+\.address_space\)\}$/);
  });

  test('sends logs to Log Analytics when a workspace is given', () => {
    const stack = newStack();
    newEdge({ logAnalyticsWorkspaceId: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log' }, stack);
    expect(only(synthStack(stack), 'azurerm_monitor_diagnostic_setting')).toMatchObject({
      name: 'diag-agw-edge', enabled_log: [{ category_group: 'allLogs' }], enabled_metric: [{ category: 'AllMetrics' }],
    });
  });

  // Failures at construction: one test per message.
  const fails = (props: Partial<SecureEdgeProps>, message: RegExp) => expect(() => newEdge(props)).toThrow(message);

  test('fails when min capacity is above max capacity', () => {
    fails({ minCapacity: 12, maxCapacity: 10 }, /SecureEdge at 'test\/Edge': invalid 'minCapacity': got 12; expected at most maxCapacity \(10\)/);
  });
  test('fails when a capacity is out of range', () => {
    fails({ maxCapacity: 200 }, /invalid 'maxCapacity': got 200; expected a whole number from 2 to 125/);
    fails({ minCapacity: -1 }, /invalid 'minCapacity': got -1; expected a whole number from 0 to 100/);
  });
  test('fails when the subnet cannot hold max capacity', () => {
    fails({ subnet: { ...subnet, addressPrefix: '10.0.0.0/28' }, maxCapacity: 12 }, /invalid 'maxCapacity': got 12; the edge subnet 10.0.0.0\/28 has room for 11 instances/);
    fails({ subnet: { ...subnet, addressPrefix: '10.0.0.0/28' }, maxCapacity: 11, privateFrontendIpAddress: '10.0.0.10' }, /has room for 10 instances/);
  });
  test('fails when the subnet prefix is not a CIDR block', () => {
    fails({ subnet: { ...subnet, addressPrefix: 'edge' } }, /invalid 'subnet.addressPrefix': got "edge"; expected an IPv4 CIDR block/);
  });
  test('fails when a zone is unknown', () => {
    fails({ zones: ['1', '4'] }, /invalid 'zones\[1\]': got "4"; expected one of "1", "2", "3"/);
  });
  test('fails when a zone is listed twice', () => {
    fails({ zones: ['1', '1'] }, /invalid 'zones': got \["1","1"\]; each zone must be listed once/);
  });
  test('fails when the name breaks Azure naming rules', () => {
    fails({ name: 'agw.edge' }, /invalid 'name': got "agw.edge"; expected 1-76 characters/);
  });
  test('fails when an HTTPS listener has no certificate', () => {
    fails({ listeners: [{ ...api, certificateSecretId: '' }] }, /invalid 'listeners\[0\].certificateSecretId': got ""; a value is required/);
    expect(() => newEdge().addListener('x', { hostNames: ['x.contoso.com'] } as any)).toThrow(/invalid 'addListener\("x"\).certificateSecretId': got undefined; a value is required/);
  });
  test('fails when the certificate is not a Key Vault secret id', () => {
    fails({ listeners: [{ ...api, certificateSecretId: 'https://kv-edge.vault.azure.net/certificates/api' }] },
      /invalid 'listeners\[0\].certificateSecretId': got "https:\/\/kv-edge.vault.azure.net\/certificates\/api"; expected a Key Vault secret id/);
    fails({ listeners: [{ ...api, certificateSecretId: 'https://kv-edge.vault.azure.net/secrets/api/v1' }] }, /expected a Key Vault secret id/);
  });
  test('fails when two listeners share a host name', () => {
    const edge = newEdge();
    expect(() => edge.addListener('api2', { hostNames: ['API.contoso.com'], certificateSecretId: cert }))
      .toThrow(/invalid 'addListener\("api2"\).hostNames\[0\]': got "API.contoso.com"; each host name needs a single listener per frontend; listener "api" has it already/);
  });
  test('fails when a listener lists a host name twice', () => {
    fails({ listeners: [{ ...api, hostNames: ['a.contoso.com', 'a.contoso.com'] }] }, /invalid 'listeners\[0\].hostNames\[1\]': got "a.contoso.com"; each host name must be listed once/);
  });
  test('fails when a listener has no or too many host names', () => {
    fails({ listeners: [{ ...api, hostNames: [] }] }, /invalid 'listeners\[0\].hostNames': got \[\]; expected 1 to 5 host names/);
    fails({ listeners: [{ ...api, hostNames: ['a.io', 'b.io', 'c.io', 'd.io', 'e.io', 'f.io'] }] }, /expected 1 to 5 host names/);
  });
  test('fails when a host name is not a DNS name', () => {
    fails({ listeners: [{ ...api, hostNames: ['https://api.contoso.com'] }] }, /invalid 'listeners\[0\].hostNames\[0\]': got "https:\/\/api.contoso.com"; expected a DNS host name/);
  });
  test('fails when a listener id is taken or malformed', () => {
    expect(() => newEdge().addListener('api', { hostNames: ['b.contoso.com'], certificateSecretId: cert })).toThrow(/invalid 'addListener\("api"\)': got "api"; each listener id must be unique/);
    expect(() => newEdge().addListener('API', { hostNames: ['b.contoso.com'], certificateSecretId: cert })).toThrow(/invalid 'addListener\("API"\)': got "API"; expected an id of 1-40 lower-case letters/);
  });
  test('fails when two listeners share a priority', () => {
    expect(() => newEdge().addListener('b', { hostNames: ['b.contoso.com'], certificateSecretId: cert, priority: 10 }))
      .toThrow(/invalid 'addListener\("b"\).priority': got 10; each listener needs its own priority; listener "api" has it already/);
    fails({ listeners: [{ ...api, priority: 10001 }] }, /invalid 'listeners\[0\].priority': got 10001; expected a whole number from 1 to 10000/);
  });
  test('fails when a private listener has no private frontend', () => {
    fails({ listeners: [{ ...api, frontend: EdgeFrontend.PRIVATE }] }, /invalid 'listeners\[0\].frontend': got "private"; a private listener needs the privateFrontendIpAddress prop/);
  });
  test('fails when the private frontend IP is not a usable address of the subnet', () => {
    fails({ privateFrontendIpAddress: '10.0.5.10' }, /invalid 'privateFrontendIpAddress': got "10.0.5.10"; expected an address of the edge subnet 10.0.0.0\/24 other than the first four and the last/);
    fails({ privateFrontendIpAddress: '10.0.0.3' }, /invalid 'privateFrontendIpAddress': got "10.0.0.3"/);
    fails({ privateFrontendIpAddress: '10.0.0.255' }, /invalid 'privateFrontendIpAddress': got "10.0.0.255"/);
    fails({ privateFrontendIpAddress: 'ten' }, /invalid 'privateFrontendIpAddress': got "ten"; expected an IPv4 address/);
  });
  test('fails when no listener exists at synth', () => {
    const stack = newStack();
    newEdge({ listeners: undefined }, stack);
    expect(() => synthStack(stack)).toThrow(/SecureEdge at 'test\/Edge': invalid 'listeners': got \[\]; expected at least one HTTPS listener/);
  });
  test('fails when a route is malformed', () => {
    const edge = newEdge();
    const listener = { id: 'nope' } as any;
    expect(() => edge.addRoute('r', { listener, paths: ['/x'] })).toThrow(/invalid 'addRoute\("r"\).listener': got "nope"; expected a listener of this SecureEdge \("api"\)/);
    const real = edge.addListener('b', { hostNames: ['b.contoso.com'], certificateSecretId: cert });
    expect(() => edge.addRoute('r', { listener: real, paths: [] })).toThrow(/invalid 'addRoute\("r"\).paths': got \[\]; expected at least one path pattern/);
    expect(() => edge.addRoute('r', { listener: real, paths: ['orders/*'] })).toThrow(/invalid 'addRoute\("r"\).paths\[0\]': got "orders\/\*"; expected a path starting with "\/"/);
    expect(() => edge.addRoute('r', { listener: real, paths: ['/a/*/b'] })).toThrow(/"\*" only as the last character/);
    edge.addRoute('r', { listener: real, paths: ['/a/*'] });
    expect(() => edge.addRoute('r', { listener: real, paths: ['/c'] })).toThrow(/invalid 'addRoute\("r"\)': got "r"; each route id must be unique/);
    expect(() => edge.addRoute('s', { listener: real, paths: ['/a/*'] })).toThrow(/invalid 'addRoute\("s"\).paths\[0\]': got "\/a\/\*"; each path must be unique within listener "b"/);
  });
  test('fails when the backend is not usable', () => {
    fails({ backend: { ...apim, gatewayHostName: 'https://apim' } }, /invalid 'backend.gatewayHostName': got "https:\/\/apim"; expected a DNS host name/);
    fails({ backend: { ...apim, healthProbePath: 'status' } }, /invalid 'backend.healthProbePath': got "status"; expected a path starting with "\/"/);
    fails({ backend: { ...apim, privateIpAddresses: ['10.0.1'] } }, /invalid 'backend.privateIpAddresses\[0\]': got "10.0.1"; expected an IPv4 address/);
    fails({ backend: { ...apim, privateIpAddresses: '10.0.1.5' as any } }, /invalid 'backend.privateIpAddresses': got "10.0.1.5"; expected a list of IPv4 addresses/);
    expect(() => newEdge().addRoute('r', { listener: { id: 'api' } as any, paths: ['/x'], backend: { ...apim, gatewayHostName: '' } }))
      .toThrow(/invalid 'addRoute\("r"\).backend.gatewayHostName': got ""; a value is required/);
  });
  test('fails when a TLS policy allows TLS below 1.2 or is malformed', () => {
    fails({ tlsPolicy: TlsPolicy.predefined('AppGwSslPolicy20150501') },
      /invalid 'tlsPolicy.policyName': got "AppGwSslPolicy20150501"; expected a predefined policy that refuses TLS 1.0 and 1.1/);
    fails({ tlsPolicy: TlsPolicy.custom({ minProtocolVersion: 'TLSv1_0' as any }) }, /invalid 'tlsPolicy.minProtocolVersion': got "TLSv1_0"; expected one of TLSv1_2, TLSv1_3/);
    const tls13 = TlsPolicy.custom({
      minProtocolVersion: TlsProtocolVersion.TLS1_3,
      cipherSuites: [TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256],
    });
    fails({ tlsPolicy: tls13 },
      /invalid 'tlsPolicy.cipherSuites'.*TLS 1.2 cipher suites do not apply with a TLS 1.3 minimum/);
    fails({ tlsPolicy: TlsPolicy.custom({ cipherSuites: ['TLS_RSA_WITH_3DES_EDE_CBC_SHA' as any] }) }, /invalid 'tlsPolicy.cipherSuites'.*expected one or more of/);
  });
  test('fails when the managed rule sets are mixed up', () => {
    fails({ managedRuleSet: ManagedRuleSet.botManager10() }, /invalid 'managedRuleSet': got "Microsoft_BotManagerRuleSet"; expected a core rule set/);
    fails({ botManagerRuleSet: ManagedRuleSet.owasp32() }, /invalid 'botManagerRuleSet': got "OWASP"; expected ManagedRuleSet.botManager10\(\)/);
    fails({ botManagerRuleSet: ManagedRuleSet.botManager10(), disableBotProtection: true }, /invalid 'botManagerRuleSet'.*bot protection is disabled/);
  });
  test('fails when a rule group override is malformed', () => {
    fails({ managedRuleSet: ManagedRuleSet.owasp32({ ruleGroupOverrides: [{ ruleGroupName: 'SQLI', rules: [{ ruleId: '942430', enabled: false }] }] }) },
      /invalid 'managedRuleSet.ruleGroupOverrides\[0\].ruleGroupName': got "SQLI"; expected one of/);
    fails({ botManagerRuleSet: ManagedRuleSet.botManager10({ ruleGroupOverrides: [{ ruleGroupName: 'General', rules: [{ ruleId: '1', enabled: false }] }] }) },
      /invalid 'botManagerRuleSet.ruleGroupOverrides\[0\].ruleGroupName': got "General"; expected one of "BadBots", "GoodBots", "UnknownBots"/);
    fails({ managedRuleSet: ManagedRuleSet.owasp32({ ruleGroupOverrides: [{ ruleGroupName: 'General', rules: [] }] }) },
      /invalid 'managedRuleSet.ruleGroupOverrides\[0\].rules': got \[\]; expected at least one rule override/);
    fails({ managedRuleSet: ManagedRuleSet.owasp32({ ruleGroupOverrides: [{ ruleGroupName: 'General', rules: [{ ruleId: 'x1', enabled: false }] }] }) },
      /invalid 'managedRuleSet.ruleGroupOverrides\[0\].rules\[0\].ruleId': got "x1"; expected a numeric rule id/);
    fails({ managedRuleSet: ManagedRuleSet.owasp32({ ruleGroupOverrides: [{ ruleGroupName: 'General', rules: [{ ruleId: '1', enabled: true, action: 'Drop' as any }] }] }) },
      /invalid 'managedRuleSet.ruleGroupOverrides\[0\].rules\[0\].action': got "Drop"/);
  });
  test('fails when an exclusion is malformed', () => {
    fails({ wafExclusions: [{ matchVariable: WafExclusionVariable.REQUEST_ARG_NAMES, selector: 'q', selectorMatchOperator: WafSelectorOperator.EQUALS_ANY }] },
      /invalid 'wafExclusions\[0\].selector': got "q"; the EqualsAny operator takes the selector "\*"/);
    fails({ wafExclusions: [{ matchVariable: WafExclusionVariable.REQUEST_ARG_NAMES, selector: 'q', selectorMatchOperator: WafSelectorOperator.EQUALS, ruleGroups: [{ ruleGroupName: 'BadBots' }] }] },
      /invalid 'wafExclusions\[0\].ruleGroups\[0\].ruleGroupName': got "BadBots"/);
    fails({ wafExclusions: [{ matchVariable: WafExclusionVariable.REQUEST_ARG_NAMES, selector: '', selectorMatchOperator: WafSelectorOperator.EQUALS }] },
      /invalid 'wafExclusions\[0\].selector': got ""; a value is required/);
  });
  test('fails when WAF limits are out of range', () => {
    fails({ maxRequestBodySizeKb: 4 }, /invalid 'maxRequestBodySizeKb': got 4; expected a whole number from 8 to 2000/);
    fails({ requestBodyInspectLimitKb: 4096 }, /invalid 'requestBodyInspectLimitKb': got 4096; expected a whole number from 8 to 2000/);
    fails({ fileUploadLimitMb: 0 }, /invalid 'fileUploadLimitMb': got 0; expected a whole number from 1 to 4000/);
    fails({ backendRequestTimeout: 0 }, /invalid 'backendRequestTimeout': got 0; expected a whole number from 1 to 86400/);
    fails({ wafMode: 'Off' as any }, /invalid 'wafMode': got "Off"; expected one of "Prevention", "Detection"/);
  });
  test('fails when identity or vault ids are malformed or incomplete', () => {
    fails({ keyVaultId: 'kv-edge' }, /invalid 'keyVaultId': got "kv-edge"; expected the resource id of a Key Vault/);
    fails({ identityId: 'id-edge' }, /invalid 'identityId': got "id-edge"; expected the resource id of a user-assigned identity/);
    fails({ identityId: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id', keyVaultId },
      /invalid 'identityPrincipalId': got undefined; required with identityId and keyVaultId/);
  });
  test('fails when NSG sources or the DNS label are malformed', () => {
    fails({ publicSourceAddressPrefixes: ['*'] }, /invalid 'publicSourceAddressPrefixes\[0\]': got "\*"; expected a service tag.*"\*" is not accepted/);
    fails({ privateSourceAddressPrefixes: [] }, /invalid 'privateSourceAddressPrefixes': got \[\]; expected at least one source/);
    fails({ domainNameLabel: 'Contoso_Edge' }, /invalid 'domainNameLabel': got "Contoso_Edge"; expected 3-63 lower-case letters/);
  });

  // Found by the property-based test (properties-secure-edge.test.ts) or while writing it.
  test('fails when an API Management backend is not probed on its status endpoint', () => {
    fails({ backend: { ...apim, healthProbePath: '/healthz' } },
      /invalid 'backend.healthProbePath': got "\/healthz"; API Management \(an azure-api.net host\) is probed on its health endpoint "\/status-0123456789abcdef"/);
    expect(() => newEdge().addListener('b', { hostNames: ['b.contoso.com'], certificateSecretId: cert, backend: { ...apim, gatewayHostName: 'apim-b.Azure-Api.net', healthProbePath: '/' } }))
      .toThrow(/invalid 'addListener\("b"\).backend.healthProbePath': got "\/"/);
  });
  test('fails when a CIDR block has host bits set', () => {
    fails({ subnet: { ...subnet, addressPrefix: '10.0.0.1/24' } },
      /invalid 'subnet.addressPrefix': got "10.0.0.1\/24"; the address has host bits set; expected the network address of the block, "10.0.0.0\/24"/);
    fails({ publicSourceAddressPrefixes: ['203.0.113.7/24'] }, /invalid 'publicSourceAddressPrefixes\[0\]': got "203.0.113.7\/24"; the address has host bits set/);
  });
  test('fails when a source is "Any"', () => {
    fails({ publicSourceAddressPrefixes: ['any'] }, /invalid 'publicSourceAddressPrefixes\[0\]': got "any"; "Any" is not a service tag \(Azure refuses it\)/);
  });
  test('fails when a service tag is listed with other sources', () => {
    fails({ privateSourceAddressPrefixes: ['10.0.0.0/16', 'VirtualNetwork'] },
      /invalid 'privateSourceAddressPrefixes\[1\]': got "VirtualNetwork"; a service tag must be the only source/);
  });
  test('fails when a source is listed twice', () => {
    fails({ publicSourceAddressPrefixes: ['198.51.100.7', '198.51.100.7'] },
      /invalid 'publicSourceAddressPrefixes': got "198.51.100.7"; each value must be unique; this one appears twice/);
  });
  test('fails when identityPrincipalId is given without identityId', () => {
    fails({ identityPrincipalId: '11111111-1111-1111-1111-111111111111' },
      /invalid 'identityPrincipalId': got "11111111-1111-1111-1111-111111111111"; it is the principal id of identityId; give identityId too/);
  });
  test('fails when identityPrincipalId is not a GUID', () => {
    const identityId = '/subscriptions/0/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id';
    fails({ identityId, identityPrincipalId: 'id-edge', keyVaultId }, /invalid 'identityPrincipalId': got "id-edge"; expected the principal \(object\) id of the identity, a GUID/);
  });
  test('fails when the Log Analytics workspace id is malformed', () => {
    fails({ logAnalyticsWorkspaceId: '' }, /invalid 'logAnalyticsWorkspaceId': got ""; expected the resource id of a Log Analytics workspace/);
    fails({ logAnalyticsWorkspaceId: 'log-mesh' }, /invalid 'logAnalyticsWorkspaceId': got "log-mesh"/);
  });
  test('fails when a rule group belongs to another rule set', () => {
    fails({ managedRuleSet: ManagedRuleSet.owasp32({ ruleGroupOverrides: [{ ruleGroupName: 'APPLICATION-ATTACK-SQLI', rules: [{ ruleId: '942430', enabled: false }] }] }) },
      /invalid 'managedRuleSet.ruleGroupOverrides\[0\].ruleGroupName': got "APPLICATION-ATTACK-SQLI"; expected one of "General", "Known-CVEs", "REQUEST-911-METHOD-ENFORCEMENT"/);
    fails({ wafExclusions: [{ matchVariable: WafExclusionVariable.REQUEST_ARG_NAMES, selector: 'q', selectorMatchOperator: WafSelectorOperator.EQUALS, ruleGroups: [{ ruleGroupName: 'crs_41_sql_injection_attacks' }] }] },
      /invalid 'wafExclusions\[0\].ruleGroups\[0\].ruleGroupName': got "crs_41_sql_injection_attacks"/);
  });
  test('fails when a tag name breaks Azure rules', () => {
    fails({ tags: { 'team/owner': 'a' } }, /invalid 'tags': got "team\/owner"; expected tag names of 1-512 characters without < > % & \\ \? \//);
  });
  test('fails when a tag value is too long', () => {
    fails({ tags: { env: 'x'.repeat(257) } }, /invalid 'tags.env': got "x+"; expected a tag value of at most 256 characters/);
  });
  test('fails when tags are not a map', () => {
    fails({ tags: ['env=prod'] as any }, /invalid 'tags': got \["env=prod"\]; expected a map of tag names to values/);
  });
  test('fails when there are more than 50 tags', () => {
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, 'x']));
    fails({ tags }, /invalid 'tags': got "51 tags"; expected at most 50 tags/);
  });
  test('fails when one item is given where a list belongs', () => {
    fails({ zones: '1' as any }, /invalid 'zones': got "1"; expected a list/);
    fails({ listeners: api as any }, /invalid 'listeners': got \{.*\}; expected a list/);
    fails({ customRules: WafCustomRule.rateLimit({ name: 'Rate', priority: 1, threshold: 5 }) as any }, /invalid 'customRules': got .*; expected a list/);
    fails({ managedRuleSet: ManagedRuleSet.owasp32({ ruleGroupOverrides: {} as any }) }, /invalid 'managedRuleSet.ruleGroupOverrides': got \{\}; expected a list/);
  });
  test('fails when a listener is not an object', () => {
    fails({ listeners: [null as any] }, /invalid 'listeners\[0\]': got null; expected a listener/);
  });
  test('fails when an exclusion is not an object', () => {
    fails({ wafExclusions: ['x-api-token' as any] }, /invalid 'wafExclusions\[0\]': got "x-api-token"; expected an exclusion/);
  });
  test('fails when the TLS policy is not a TlsPolicy', () => {
    fails({ tlsPolicy: { policyName: 'AppGwSslPolicy20220101S' } as any }, /invalid 'tlsPolicy': got \{"policyName":"AppGwSslPolicy20220101S"\}; expected a TlsPolicy/);
  });
  test('fails when a cipher suite is listed twice', () => {
    const suite = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;
    fails({ tlsPolicy: TlsPolicy.custom({ cipherSuites: [suite, suite] }) }, /invalid 'tlsPolicy.cipherSuites'.*each cipher suite must be listed once/);
  });
  test('fails when a host name is longer than DNS allows', () => {
    fails({ listeners: [{ ...api, hostNames: [`${'label.'.repeat(45)}com`] }] }, /invalid 'listeners\[0\].hostNames\[0\]': got "(label\.)+com"; expected a DNS host name/);
  });
  test('accepts a regular expression with leading inline flags', () => {
    const stack = newStack();
    newEdge({}, stack).addCustomRule(WafCustomRule.match({
      name: 'NoUnionSelect',
      priority: 1,
      action: WafRuleAction.BLOCK,
      conditions: [{ matchVariable: WafMatchVariable.QUERY_STRING, matchOperator: WafMatchOperator.REGEX, values: ['(?i)union.+select'] }],
    }));
    expect(waf(synthStack(stack)).custom_rules[0].match_conditions[0].match_values).toEqual(['(?i)union.+select']);
  });

  // WAF custom rules with impossible or malformed matches.
  const failsRule = (rule: WafCustomRule, message: RegExp) => expect(() => newEdge().addCustomRule(rule)).toThrow(message);

  test('fails when an IP list is empty', () => {
    failsRule(WafCustomRule.ipDenyList({ name: 'Deny', priority: 1, addresses: [] }),
      /invalid 'customRules\[0\].addresses': got \[\]; expected at least one value: the IPMatch operator with no values can never match/);
  });
  test('fails when an IP list holds a bad CIDR block', () => {
    failsRule(WafCustomRule.ipAllowList({ name: 'Allow', priority: 1, addresses: ['10.0.0.0/33'] }),
      /invalid 'customRules\[0\].addresses\[0\]': got "10.0.0.0\/33"; expected an IPv4 or IPv6 address or CIDR block/);
    failsRule(WafCustomRule.ipAllowList({ name: 'Allow', priority: 1, addresses: ['10.0.0.1/8'] }), /addresses\[0\]': got "10.0.0.1\/8"/);
    failsRule(WafCustomRule.ipAllowList({ name: 'Allow', priority: 1, addresses: ['300.1.1.1'] }), /addresses\[0\]': got "300.1.1.1"/);
  });
  test('fails when a geo filter has an unknown country code', () => {
    failsRule(WafCustomRule.geoFilter({ name: 'Geo', priority: 1, countryCodes: ['DE', 'UK'] }),
      /invalid 'customRules\[0\].countryCodes\[1\]': got "UK"; expected an upper-case ISO 3166-1 alpha-2 country code/);
    failsRule(WafCustomRule.geoFilter({ name: 'Geo', priority: 1, countryCodes: [] }), /countryCodes': got \[\]; expected at least one value/);
  });
  test('fails when a rate limit threshold is below 1', () => {
    failsRule(WafCustomRule.rateLimit({ name: 'Rate', priority: 1, threshold: 0 }),
      /invalid 'customRules\[0\].threshold': got 0; expected a whole number of requests, at least 1/);
    failsRule(WafCustomRule.rateLimit({ name: 'Rate', priority: 1, threshold: 1.5 }), /threshold': got 1.5/);
  });
  test('fails when a rate limit has a bad duration or key', () => {
    failsRule(WafCustomRule.rateLimit({ name: 'Rate', priority: 1, threshold: 5, duration: 'TenMins' as any }), /invalid 'customRules\[0\].duration': got "TenMins"/);
    failsRule(WafCustomRule.rateLimit({ name: 'Rate', priority: 1, threshold: 5, groupBy: 'Cookie' as any }), /invalid 'customRules\[0\].groupBy': got "Cookie"/);
  });
  test('fails when a match condition is impossible or malformed', () => {
    const rule = (c: any) => WafCustomRule.match({ name: 'M', priority: 1, action: WafRuleAction.BLOCK, conditions: [c] });
    failsRule(rule({ matchVariable: WafMatchVariable.REQUEST_URI, matchOperator: WafMatchOperator.CONTAINS, values: [] }),
      /invalid 'customRules\[0\].conditions\[0\].values': got \[\]; expected at least one value: the Contains operator with no values can never match/);
    failsRule(rule({ matchVariable: WafMatchVariable.REQUEST_URI, matchOperator: WafMatchOperator.ANY, values: ['/x'] }),
      /conditions\[0\].values': got \["\/x"\]; the Any operator matches every request and takes no values/);
    failsRule(rule({ matchVariable: WafMatchVariable.REQUEST_HEADERS, matchOperator: WafMatchOperator.EQUAL, values: ['x'] }),
      /invalid 'customRules\[0\].conditions\[0\].selector': got undefined; a value is required/);
    failsRule(rule({ matchVariable: WafMatchVariable.REQUEST_URI, selector: 'x', matchOperator: WafMatchOperator.EQUAL, values: ['x'] }),
      /conditions\[0\].selector': got "x"; a selector only applies to RequestHeaders, RequestCookies, PostArgs/);
    failsRule(rule({ matchVariable: WafMatchVariable.REQUEST_URI, matchOperator: WafMatchOperator.IP_MATCH, values: ['10.0.0.0/8'] }),
      /conditions\[0\].matchVariable': got "RequestUri"; the IPMatch operator only applies to RemoteAddr/);
    failsRule(rule({ matchVariable: WafMatchVariable.REQUEST_BODY, matchOperator: WafMatchOperator.GREATER_THAN, values: ['big'] }),
      /conditions\[0\].values\[0\]': got "big"; the GreaterThan operator compares numbers/);
    failsRule(rule({ matchVariable: WafMatchVariable.REQUEST_URI, matchOperator: WafMatchOperator.REGEX, values: ['(unclosed'] }),
      /conditions\[0\].values\[0\]': got "\(unclosed"; expected a valid regular expression/);
    failsRule(rule({ matchVariable: WafMatchVariable.REQUEST_URI, matchOperator: WafMatchOperator.EQUAL, values: [''] }), /conditions\[0\].values\[0\]': got ""; expected a non-empty string/);
    failsRule(rule({ matchVariable: 'Path', matchOperator: WafMatchOperator.EQUAL, values: ['x'] }), /conditions\[0\].matchVariable': got "Path"; expected one of/);
    failsRule(rule({ matchVariable: WafMatchVariable.REQUEST_URI, matchOperator: 'Like', values: ['x'] }), /conditions\[0\].matchOperator': got "Like"/);
    failsRule(rule({ matchVariable: WafMatchVariable.REQUEST_URI, matchOperator: WafMatchOperator.EQUAL, values: ['x'], transforms: ['Rot13'] }), /conditions\[0\].transforms\[0\]': got "Rot13"/);
    failsRule(WafCustomRule.match({ name: 'M', priority: 1, action: WafRuleAction.BLOCK, conditions: [] }), /invalid 'customRules\[0\].conditions': got \[\]; expected at least one match condition/);
    failsRule(WafCustomRule.match({ name: 'M', priority: 1, action: 'Redirect' as any, conditions: [{ matchVariable: WafMatchVariable.REQUEST_URI, matchOperator: WafMatchOperator.ANY }] }),
      /invalid 'customRules\[0\].action': got "Redirect"/);
  });
  test('fails when a custom rule name or priority is bad or taken', () => {
    failsRule(WafCustomRule.rateLimit({ name: 'rate-limit', priority: 1, threshold: 5 }), /invalid 'customRules\[0\].name': got "rate-limit"; expected letters and digits/);
    failsRule(WafCustomRule.rateLimit({ name: 'Rate', priority: 101, threshold: 5 }), /invalid 'customRules\[0\].priority': got 101; expected a whole number from 1 to 100/);
    const edge = newEdge({ customRules: [WafCustomRule.rateLimit({ name: 'Rate', priority: 1, threshold: 5 })] });
    expect(() => edge.addCustomRule(WafCustomRule.rateLimit({ name: 'Other', priority: 1, threshold: 5 })))
      .toThrow(/invalid 'customRules\[1\].priority': got 1; each custom rule needs its own priority; rule "Rate" has it already/);
    expect(() => edge.addCustomRule(WafCustomRule.rateLimit({ name: 'Rate', priority: 2, threshold: 5 })))
      .toThrow(/invalid 'customRules\[1\].name': got "Rate"; each custom rule needs its own name/);
    expect(() => edge.addCustomRule({} as any)).toThrow(/invalid 'customRules\[1\]': got \{\}; expected a WafCustomRule/);
  });

  // Property-based checks of the input validation.
  test('accepts every IPv4 CIDR block in an IP list and rejects every prefix length above 32', () => {
    fc.assert(fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (ip, length) => {
      const network = cidrNetwork(ip, length);
      expect(() => newEdge().addCustomRule(WafCustomRule.ipDenyList({ name: 'Deny', priority: 1, addresses: [`${network}/${length}`] }))).not.toThrow();
    }), { numRuns: 50 });
    fc.assert(fc.property(fc.ipV4(), fc.integer({ min: 33, max: 99 }), (ip, length) => {
      expect(() => newEdge().addCustomRule(WafCustomRule.ipDenyList({ name: 'Deny', priority: 1, addresses: [`${ip}/${length}`] }))).toThrow(/expected an IPv4 or IPv6 address or CIDR block/);
    }), { numRuns: 30 });
  });
  test('accepts a capacity pair exactly when 0 <= min <= max and 2 <= max <= 125 fits the /24', () => {
    fc.assert(fc.property(fc.integer({ min: -5, max: 130 }), fc.integer({ min: -5, max: 130 }), (min, max) => {
      const valid = min >= 0 && min <= 100 && max >= 2 && max <= 125 && min <= max;
      const build = () => newEdge({ minCapacity: min, maxCapacity: max });
      if (valid) expect(build).not.toThrow();
      else expect(build).toThrow(/invalid '(minCapacity|maxCapacity)'/);
    }), { numRuns: 100 });
  });
});

function cidrNetwork(ip: string, length: number): string {
  const value = ip.split('.').reduce((acc, b) => acc * 256 + Number(b), 0);
  const size = 2 ** (32 - length);
  let network = value - (value % size);
  const bytes: number[] = [];
  for (let i = 0; i < 4; i++) {
    bytes.unshift(network % 256);
    network = Math.floor(network / 256);
  }
  return bytes.join('.');
}
