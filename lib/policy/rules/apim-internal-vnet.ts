import { UNKNOWN, block, equalsAny, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-AZ-025: API Management is reachable only from inside the VNet (behind the WAF). */
export const apimInternalVnet: IPolicyRule = {
  id: 'AGM-AZ-025',
  description: 'API Management is injected in a VNet in Internal mode (virtual_network_type = "Internal" with a subnet), so only the Application Gateway reaches it.',
  fix: 'Set virtual_network_type = "Internal" and virtual_network_configuration { subnet_id = <api subnet> } (Developer or Premium SKU); publish it through the Application Gateway.',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_AZURE_107'],
  resourceTypes: ['azurerm_api_management'],
  evaluate(config) {
    const type = text(config, 'virtual_network_type');
    const subnet = text(block(config, 'virtual_network_configuration'), 'subnet_id');
    if (type === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    return equalsAny(type, 'Internal') && subnet !== undefined && subnet !== '' ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
