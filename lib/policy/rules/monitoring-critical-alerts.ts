import { CRITICAL_ALERTS } from '../../monitoring/critical';
import { derive } from '../private/context';
import { Json, blocks, flag, text } from '../private/values';
import { IPolicyContext, IPolicyRule, RuleLevel, RuleResult } from '../types';

/** Metric names of the enabled metric alerts of the app, by the address of the resource they watch. */
function alertedMetrics(context: IPolicyContext): Map<string, Set<string>> {
  return derive(context, 'monitoring-critical-alerts', (ctx) => {
    const byTarget = new Map<string, Set<string>>();
    for (const alert of ctx.resourcesOfType('azurerm_monitor_metric_alert')) {
      if (flag(alert.config, 'enabled') === false) continue;
      const criteria: Json[] = [...blocks(alert.config, 'criteria'), ...blocks(alert.config, 'dynamic_criteria')];
      const metrics = criteria.map((c) => text(c, 'metric_name')).filter((m): m is string => typeof m === 'string');
      const scopes: unknown[] = Array.isArray(alert.config.scopes) ? alert.config.scopes : [];
      for (const scope of scopes) {
        const target = typeof scope === 'string' ? ctx.findReferenced(scope) : undefined;
        if (!target) continue;
        const set = byTarget.get(target.address) ?? new Set<string>();
        metrics.forEach((m) => set.add(m));
        byTarget.set(target.address, set);
      }
    }
    return byTarget;
  });
}

/** AGM-OB-001: every Application Gateway, API Management and AKS cluster has at least the critical alerts. */
export const monitoringCriticalAlerts: IPolicyRule = {
  id: 'AGM-OB-001',
  description: 'In an app that defines Azure Monitor alerts, every Application Gateway, API Management service and AKS cluster has enabled metric alerts on its critical metrics: '
    + 'UnhealthyHostCount and ResponseStatus (App Gateway), Capacity and FailedRequests (API Management), '
    + 'kube_node_status_condition and node_cpu_usage_percentage (AKS), from the Azure Monitor Baseline Alerts. '
    + '(An app with no alert at all is not judged: AMBA is often deployed by Azure Policy outside the app.)',
  fix: 'Monitor the resource: GatewayMeshMonitoring.monitorEdge / monitorApi / monitorCluster create AMBA\'s recommended alerts '
    + '(or add azurerm_monitor_metric_alert resources scoped to it on those metrics); do not switch the critical ones off.',
  level: RuleLevel.WARNING,
  scannerChecks: ['Azure Monitor Baseline Alerts (azure.github.io/azure-monitor-baseline-alerts)', 'Azure Well-Architected: Operational Excellence OE:07 (monitoring and alerting)'],
  resourceTypes: Object.keys(CRITICAL_ALERTS),
  evaluate(_config, context) {
    const alerting = derive(context, 'monitoring-has-alerts', (ctx) => ctx.resourcesOfType('azurerm_monitor_metric_alert').length
      + ctx.resourcesOfType('azurerm_monitor_alert_prometheus_rule_group').length > 0);
    if (!alerting) return RuleResult.NOT_APPLICABLE;
    const required = CRITICAL_ALERTS[context.resource.type] ?? [];
    const present = alertedMetrics(context).get(context.resource.address) ?? new Set<string>();
    return required.every((m) => present.has(m)) ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
