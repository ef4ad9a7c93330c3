import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { Construct } from 'constructs';

/** Options of `addDiagnostics`. */
export interface DiagnosticsOptions {
  /** Resource whose logs and metrics are sent. */
  readonly targetResourceId: string;
  /** Log Analytics workspace receiving them. */
  readonly logAnalyticsWorkspaceId: string;
  /** Name of the diagnostic setting. */
  readonly name: string;
  /**
   * Log categories to send; by default every log (`category_group = "allLogs"`).
   * @default - all logs
   */
  readonly logCategories?: string[];
}

/**
 * Sends a resource's logs and metrics to Log Analytics in resource-specific tables.
 * Created under id `Diagnostics` of `scope`.
 */
export function addDiagnostics(scope: Construct, options: DiagnosticsOptions): MonitorDiagnosticSetting {
  return new MonitorDiagnosticSetting(scope, 'Diagnostics', {
    name: options.name,
    targetResourceId: options.targetResourceId,
    logAnalyticsWorkspaceId: options.logAnalyticsWorkspaceId,
    logAnalyticsDestinationType: 'Dedicated',
    enabledLog: options.logCategories
      ? options.logCategories.map((category) => ({ category }))
      : [{ categoryGroup: 'allLogs' }],
    enabledMetric: [{ category: 'AllMetrics' }],
  });
}
