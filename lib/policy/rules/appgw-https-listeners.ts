import { UNKNOWN, blocks, equalsAny, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-AZ-005: plain HTTP is only ever redirected to HTTPS. */
export const appGatewayHttpsListeners: IPolicyRule = {
  id: 'AGM-AZ-005',
  description: 'Application Gateway HTTP listeners only redirect to HTTPS; no routing rule sends plain-HTTP traffic to a backend.',
  fix: 'Route HTTP listeners through a redirect_configuration (redirect_type "Permanent") whose target is the HTTPS listener, and serve backends from HTTPS listeners only.',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_AZURE_217'],
  resourceTypes: ['azurerm_application_gateway'],
  evaluate(config) {
    const listeners = blocks(config, 'http_listener');
    const protocolOf = new Map<string, string>();
    for (const l of listeners) {
      const name = text(l, 'name');
      const protocol = text(l, 'protocol');
      if (name === UNKNOWN || protocol === UNKNOWN) return RuleResult.NOT_APPLICABLE;
      if (name !== undefined && protocol !== undefined) protocolOf.set(name, protocol);
    }
    const redirects = new Map(blocks(config, 'redirect_configuration').map((r) => [text(r, 'name'), r]));
    for (const rule of blocks(config, 'request_routing_rule')) {
      const listener = text(rule, 'http_listener_name');
      if (listener === UNKNOWN) return RuleResult.NOT_APPLICABLE;
      if (listener === undefined || !equalsAny(protocolOf.get(listener), 'Http')) continue;
      const redirectName = text(rule, 'redirect_configuration_name');
      if (redirectName === UNKNOWN) return RuleResult.NOT_APPLICABLE;
      const redirect = redirectName === undefined ? undefined : redirects.get(redirectName);
      if (!redirect) return RuleResult.NON_COMPLIANT;
      const target = text(redirect, 'target_listener_name');
      const url = text(redirect, 'target_url');
      if (target === UNKNOWN || url === UNKNOWN) return RuleResult.NOT_APPLICABLE;
      const toHttps = (target !== undefined && equalsAny(protocolOf.get(target), 'Https')) || (url !== undefined && url.toLowerCase().startsWith('https://'));
      if (!toHttps) return RuleResult.NON_COMPLIANT;
    }
    return listeners.length > 0 ? RuleResult.COMPLIANT : RuleResult.NOT_APPLICABLE;
  },
};
