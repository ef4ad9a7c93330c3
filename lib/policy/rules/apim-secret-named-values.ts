import { UNKNOWN, block, flag, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** Names that say a value is a credential. */
const SECRET_NAME = /(secret|password|passwd|pwd|api[-_]?key|access[-_]?key|token|connection[-_]?string|credential)/i;

/** AGM-AZ-028: secrets used by API Management policies live in Key Vault, not in Terraform. */
export const apimSecretNamedValues: IPolicyRule = {
  id: 'AGM-AZ-028',
  description: 'API Management named values that hold secrets (marked secret, or named like a password, key, token or connection string) come from Key Vault, never a plain-text value.',
  fix: 'Replace value with value_from_key_vault { secret_id = <versionless Key Vault secret id> } and set secret = true; grant APIM\'s identity "Key Vault Secrets User".',
  level: RuleLevel.ERROR,
  scannerChecks: ['Azure Policy f1cc7827-022c-473e-836e-5a51cae0b249 (API Management secret named values should be stored in Azure Key Vault)'],
  resourceTypes: ['azurerm_api_management_named_value'],
  evaluate(config) {
    if (block(config, 'value_from_key_vault')) return RuleResult.COMPLIANT;
    const secret = flag(config, 'secret');
    const value = text(config, 'value');
    if (secret === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    if (value === undefined) return RuleResult.NOT_APPLICABLE;
    const named = [text(config, 'name'), text(config, 'display_name')].some((n) => typeof n === 'string' && SECRET_NAME.test(n));
    return secret === true || named ? RuleResult.NON_COMPLIANT : RuleResult.NOT_APPLICABLE;
  },
};
