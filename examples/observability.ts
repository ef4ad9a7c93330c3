// The reference topology's observability plane: alerts on every hop (AMBA's recommendations), managed
// Prometheus with Istio's golden signals per service, one trace from API Management into the mesh, the
// missing diagnostic settings, and Azure Managed Grafana. Kept apart from reference-topology.ts so that the
// stacks there can change without touching this wiring.
import { ApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { TerraformStack } from 'cdktf';
import { ApiGovernance, CertificateVault, GatewayMeshMonitoring, MeshCluster, MeshConnection, MeshService, SecureEdge } from '../lib';

/** What the observability plane needs from the topology. */
export interface ObservedTopology {
  readonly edge: SecureEdge;
  readonly vault: CertificateVault;
  readonly api: ApiGovernance;
  readonly cluster: MeshCluster;
  readonly mesh: MeshConnection;
  readonly services: { readonly [name: string]: MeshService };
  readonly logs: LogAnalyticsWorkspace;
  readonly insights: ApplicationInsights;
}

/** Options of `addObservability`. */
export interface ObservabilityOptions {
  /** Prefix of resource names. */
  readonly prefix: string;
  /** Who is alerted. @default ["platform-team@contoso.com"] */
  readonly alertEmails?: string[];
  /** Azure Managed Grafana; off, an Azure portal dashboard of the path's key metrics. @default true */
  readonly grafana?: boolean;
  /** Percentage of requests traced in the mesh. @default 10 */
  readonly tracingSamplingPercentage?: number;
  /**
   * The stack holding the monitoring resources. It refers to every monitored resource, so it must be one
   * that may depend on all of them.
   * @default - the edge's stack (the edge already depends on the API and the cluster)
   */
  readonly stack?: TerraformStack;
}

/** Adds the observability plane to the topology; returns the monitoring construct. */
export function addObservability(topology: ObservedTopology, options: ObservabilityOptions): GatewayMeshMonitoring {
  const stack = options.stack ?? TerraformStack.of(topology.edge);
  const monitoring = new GatewayMeshMonitoring(stack, 'Monitoring', {
    resourceGroupName: topology.cluster.resourceGroupName,
    location: topology.cluster.location,
    namePrefix: options.prefix,
    alertEmails: options.alertEmails ?? ['platform-team@contoso.com'],
    logAnalyticsWorkspaceId: topology.logs.id,
  });
  monitoring.monitorEdge(topology.edge);
  monitoring.monitorApi(topology.api);
  monitoring.monitorCluster(topology.cluster);
  monitoring.monitorVault(topology.vault);
  for (const service of Object.values(topology.services)) monitoring.monitorService(service);
  monitoring.monitorMesh(topology.mesh, {
    tracing: {
      applicationInsightsConnectionString: topology.insights.connectionString,
      samplingPercentage: options.tracingSamplingPercentage ?? 10,
    },
  });
  if (options.grafana ?? true) monitoring.addGrafana();
  else monitoring.addPortalDashboard();
  // The workspace's own audit (query) logs; Application Insights is workspace-based: its telemetry is
  // already in the workspace, and a diagnostic setting to the same workspace would store it twice.
  new MonitorDiagnosticSetting(TerraformStack.of(topology.logs), 'LogsDiagnostics', {
    name: 'diag-monitoring',
    targetResourceId: topology.logs.id,
    logAnalyticsWorkspaceId: topology.logs.id,
    logAnalyticsDestinationType: 'Dedicated',
    enabledLog: [{ category: 'Audit' }],
  });
  return monitoring;
}
