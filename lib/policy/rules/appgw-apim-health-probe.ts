import { Json, UNKNOWN, blocks, flag, referencedAddresses, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** API Management's health endpoint, which answers without a subscription key. */
export const APIM_STATUS_PATH = '/status-0123456789abcdef';

/** True when a value points at API Management: an `azure-api.net` host or a reference to an azurerm_api_management. */
function pointsAtApim(value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  return values.some((v) => typeof v === 'string'
    && (/\.azure-api\.net$/i.test(v.trim()) || referencedAddresses(v).some((a) => a.startsWith('azurerm_api_management.'))));
}

/** AGM-JT-001: the edge's health probe reaches API Management's status endpoint by host name. */
export const appGatewayApimHealthProbe: IPolicyRule = {
  id: 'AGM-JT-001',
  description: `Application Gateway backends that are API Management use a custom probe on ${APIM_STATUS_PATH} that sends the APIM host name (APIM answers only requests carrying its host name; the default probe marks it unhealthy).`,
  fix: `Add probe { path = "${APIM_STATUS_PATH}", protocol = "Https", host = <APIM gateway host name> } (or pick_host_name_from_backend_http_settings with host_name set on the HTTP settings) and reference it from the backend HTTP settings (SecureEdge does this from IEdgeBackend).`,
  level: RuleLevel.ERROR,
  scannerChecks: ['Azure guidance: integrate API Management in an internal VNet with Application Gateway (health probe /status-0123456789abcdef)'],
  resourceTypes: ['azurerm_application_gateway'],
  evaluate(config) {
    const probes = new Map(blocks(config, 'probe').map((p) => [text(p, 'name'), p]));
    const settings = blocks(config, 'backend_http_settings');
    const apimPools = new Set(blocks(config, 'backend_address_pool')
      .filter((p) => pointsAtApim(p.fqdns) || pointsAtApim(p.ip_addresses)).map((p) => text(p, 'name')));
    const apimSettingNames = new Set(blocks(config, 'request_routing_rule')
      .filter((r) => apimPools.has(text(r, 'backend_address_pool_name'))).map((r) => text(r, 'backend_http_settings_name')));
    const apimSettings = settings.filter((s) => pointsAtApim(s.host_name) || apimSettingNames.has(text(s, 'name')));

    // Probes to check: those of APIM settings, and any probe already aimed at the status path.
    const checks: Array<{ probe: Json | undefined; users: Json[] }> = [];
    for (const s of apimSettings) {
      const name = text(s, 'probe_name');
      if (name === UNKNOWN) return RuleResult.NOT_APPLICABLE;
      checks.push({ probe: name === undefined ? undefined : probes.get(name), users: [s] });
    }
    for (const p of probes.values()) {
      if (text(p, 'path') === APIM_STATUS_PATH && !checks.some((c) => c.probe === p)) {
        checks.push({ probe: p, users: settings.filter((s) => text(s, 'probe_name') === text(p, 'name')) });
      }
    }
    if (checks.length === 0) return RuleResult.NOT_APPLICABLE;
    for (const { probe, users } of checks) {
      if (!probe) return RuleResult.NON_COMPLIANT;
      const path = text(probe, 'path');
      const host = text(probe, 'host');
      const pick = flag(probe, 'pick_host_name_from_backend_http_settings');
      if (path === UNKNOWN || pick === UNKNOWN) return RuleResult.NOT_APPLICABLE;
      if (path !== APIM_STATUS_PATH) return RuleResult.NON_COMPLIANT;
      if (host !== undefined && host !== '') continue;
      const settingsGiveHost = users.length > 0 && users.every((s) => {
        const h = text(s, 'host_name');
        return (h !== undefined && h !== '') || flag(s, 'pick_host_name_from_backend_address') === true;
      });
      if (pick !== true || !settingsGiveHost) return RuleResult.NON_COMPLIANT;
    }
    return RuleResult.COMPLIANT;
  },
};
