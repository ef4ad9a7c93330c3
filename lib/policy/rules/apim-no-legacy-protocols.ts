import { UNKNOWN, block, flag } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** Switches of the `security` block that turn on SSL 3.0, TLS 1.0/1.1 or triple DES (azurerm 4.x names and their older aliases). */
const LEGACY_SWITCHES = [
  'frontend_ssl30_enabled', 'frontend_tls10_enabled', 'frontend_tls11_enabled',
  'backend_ssl30_enabled', 'backend_tls10_enabled', 'backend_tls11_enabled',
  'enable_frontend_ssl30', 'enable_frontend_tls10', 'enable_frontend_tls11',
  'enable_backend_ssl30', 'enable_backend_tls10', 'enable_backend_tls11',
  'triple_des_ciphers_enabled',
];

/** AGM-AZ-026: API Management speaks TLS 1.2+ only, to clients and to backends. */
export const apimNoLegacyProtocols: IPolicyRule = {
  id: 'AGM-AZ-026',
  description: 'API Management keeps SSL 3.0, TLS 1.0, TLS 1.1 and triple-DES ciphers off, on the client (frontend) and backend sides.',
  fix: 'Leave every *_ssl30_enabled, *_tls10_enabled, *_tls11_enabled and triple_des_ciphers_enabled switch of the security block unset or false.',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_AZURE_173'],
  resourceTypes: ['azurerm_api_management'],
  evaluate(config) {
    const security = block(config, 'security');
    let unknown = false;
    for (const key of LEGACY_SWITCHES) {
      const value = flag(security, key);
      if (value === true) return RuleResult.NON_COMPLIANT;
      if (value === UNKNOWN) unknown = true;
    }
    return unknown ? RuleResult.NOT_APPLICABLE : RuleResult.COMPLIANT;
  },
};
