import { UNKNOWN, block, blocks, flag, strings, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** The Log4Shell (CVE-2021-44228) detection rule of the OWASP CRS / DRS. */
const LOG4J_RULE = '944240';

/** AGM-AZ-002: the WAF runs a current managed rule set, Log4Shell detection left on. */
export const wafManagedRuleSets: IPolicyRule = {
  id: 'AGM-AZ-002',
  description: 'WAF policies run OWASP CRS 3.1+ or Microsoft_DefaultRuleSet 2.1+ and do not disable rule 944240 (Log4Shell, CVE-2021-44228).',
  fix: 'Add managed_rules { managed_rule_set { type = "OWASP", version = "3.2" } } (or Microsoft_DefaultRuleSet 2.1) and remove any override that disables rule 944240.',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_AZURE_135'],
  resourceTypes: ['azurerm_web_application_firewall_policy'],
  evaluate(config) {
    const sets = blocks(block(config, 'managed_rules'), 'managed_rule_set');
    let current = false;
    for (const set of sets) {
      const type = text(set, 'type') ?? 'OWASP';
      const version = text(set, 'version');
      if (type === UNKNOWN || version === UNKNOWN) return RuleResult.NOT_APPLICABLE;
      const v = Number.parseFloat(version ?? '');
      if ((type === 'OWASP' && v >= 3.1) || (type === 'Microsoft_DefaultRuleSet' && v >= 2.1)) current = true;
      for (const override of blocks(set, 'rule_group_override')) {
        const disabledList = strings(override, 'disabled_rules');
        if (disabledList === UNKNOWN) return RuleResult.NOT_APPLICABLE;
        if (disabledList.includes(LOG4J_RULE)) return RuleResult.NON_COMPLIANT;
        for (const rule of blocks(override, 'rule')) {
          if (text(rule, 'id') === LOG4J_RULE && flag(rule, 'enabled') === false) return RuleResult.NON_COMPLIANT;
        }
      }
    }
    return current ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
