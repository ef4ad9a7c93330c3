import { UNKNOWN, blocks, isExpression, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** An action block notifies an action group (its id given, as a literal or a reference). */
function notifies(actions: Array<{ [key: string]: any }>, key = 'action_group_id'): boolean {
  return actions.some((a) => {
    const id = text(a, key);
    return id === UNKNOWN || (typeof id === 'string' && id !== '');
  });
}

/** AGM-OB-002: every alert rule notifies an action group. */
export const monitoringAlertActionGroup: IPolicyRule = {
  id: 'AGM-OB-002',
  description: 'Every alert rule notifies an action group: metric alerts and activity log alerts have an action with an action group, '
    + 'every alerting rule of a Prometheus rule group has an action, scheduled query alerts list action groups. An alert nobody receives is not monitoring.',
  fix: 'Add `action { action_group_id = ... }` (Prometheus rules: `action` on each alerting rule; scheduled query alerts: `action { action_groups = [...] }`); '
    + 'GatewayMeshMonitoring attaches its action group to every alert it creates.',
  level: RuleLevel.ERROR,
  scannerChecks: ['Azure Monitor Baseline Alerts (every AMBA alert is deployed with an action group)', 'Azure Well-Architected: Operational Excellence OE:07'],
  resourceTypes: ['azurerm_monitor_metric_alert', 'azurerm_monitor_activity_log_alert', 'azurerm_monitor_alert_prometheus_rule_group', 'azurerm_monitor_scheduled_query_rules_alert_v2'],
  evaluate(config, context) {
    switch (context.resource.type) {
      case 'azurerm_monitor_alert_prometheus_rule_group': {
        const alerting = blocks(config, 'rule').filter((r) => r.alert !== undefined && r.alert !== null);
        if (alerting.length === 0) return RuleResult.NOT_APPLICABLE;
        return alerting.every((r) => notifies(blocks(r, 'action'))) ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
      }
      case 'azurerm_monitor_scheduled_query_rules_alert_v2': {
        const groups = blocks(config, 'action').map((a) => a.action_groups);
        if (groups.some((g) => isExpression(g))) return RuleResult.NOT_APPLICABLE;
        return groups.some((g) => Array.isArray(g) && g.length > 0) ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
      }
      default:
        if (isExpression(config.action)) return RuleResult.NOT_APPLICABLE;
        return notifies(blocks(config, 'action')) ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
    }
  },
};
