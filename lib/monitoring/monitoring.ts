import { DashboardGrafana } from '@cdktf/provider-azurerm/lib/dashboard-grafana';
import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import { MonitorAlertPrometheusRuleGroup } from '@cdktf/provider-azurerm/lib/monitor-alert-prometheus-rule-group';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { PortalDashboard } from '@cdktf/provider-azurerm/lib/portal-dashboard';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from 'constructs';
import { AlertedResourceType, AlertOptions, ResourceAlerts } from './alerts';
import { SUPPORTED_METRICS } from './catalog/amba.generated';
import { MeshTelemetry, MeshTelemetryOptions } from './mesh-telemetry';
import { ManagedPrometheus } from './prometheus';
import { errorRateExpression, latencyExpression, mtlsExpression } from './promql';
import { ApiGovernance } from '../api-governance/api-governance';
import { CertificateVault } from '../certificate-vault/certificate-vault';
import { ResourcePlacement } from '../core/contracts';
import { ConstructValidationError, isUnresolved } from '../core/errors';
import { checkInteger, checkNumber, checkPattern, checkTags, checkUnique } from '../core/validate';
import { MeshCluster } from '../mesh-cluster/mesh-cluster';
import { MeshConnection } from '../mesh-cluster/mesh-connection';
import { MeshService } from '../mesh-service/mesh-service';
import { SecureEdge } from '../secure-edge/secure-edge';

/** Props of `GatewayMeshMonitoring`. */
export interface GatewayMeshMonitoringProps extends ResourcePlacement {
  /**
   * Prefix of the names of the created resources (action group, Azure Monitor workspace, Grafana, ...):
   * 2-20 lower-case letters, digits and hyphens, starting with a letter.
   * @default "gwmesh"
   */
  readonly namePrefix?: string;
  /**
   * An existing action group every alert notifies. Give this, or `alertEmails` / `alertWebhooks`.
   * @default - an action group is created from `alertEmails` and `alertWebhooks`
   */
  readonly actionGroupId?: string;
  /**
   * E-mail addresses of the created action group (common alert schema).
   * @default - none
   */
  readonly alertEmails?: string[];
  /**
   * HTTPS webhook URLs of the created action group (common alert schema), e.g. a Teams or PagerDuty endpoint.
   * @default - none
   */
  readonly alertWebhooks?: string[];
  /**
   * Log Analytics workspace for the diagnostic settings the constructs do not create themselves (public IP, NSGs).
   * @default - no additional diagnostic settings
   */
  readonly logAnalyticsWorkspaceId?: string;
  /** Tags on every created Azure resource. @default - none */
  readonly tags?: { [key: string]: string };
}

/** What `monitorEdge` creates. */
export interface EdgeMonitoringOptions {
  /** The Application Gateway's alerts. @default - AMBA's 17 recommended alerts */
  readonly alerts?: AlertOptions;
  /** The public IP's alerts. @default - AMBA's 8 recommended alerts */
  readonly publicIpAlerts?: AlertOptions;
}

/** What `monitorCluster` creates. */
export interface ClusterMonitoringOptions {
  /** The cluster's platform-metric alerts. @default - AMBA's 11 recommended alerts */
  readonly alerts?: AlertOptions;
  /** Alerts of the Key Vault the cluster created (none for a vault passed in `keyVaultId`). @default - AMBA's 5 recommended metric alerts */
  readonly keyVaultAlerts?: AlertOptions;
  /**
   * Azure Monitor managed Prometheus (workspace, data collection, `monitor_metrics`, recording rules).
   * @default true
   */
  readonly managedPrometheus?: boolean;
  /**
   * Azure's recommended AKS Prometheus alert rule groups (needs managed Prometheus).
   * @default true
   */
  readonly prometheusAlerts?: boolean;
}

/** Golden-signal alerts of one mesh service (Prometheus, from Istio's standard metrics). */
export interface ServiceAlertOptions {
  /**
   * Share of 5xx responses, in percent (over 5 minutes, for 5 minutes), above which the error alert fires.
   * @default 5
   */
  readonly errorRatePercent?: number;
  /**
   * p99 request duration in milliseconds (over 5 minutes, for 5 minutes) above which the latency alert fires.
   * @default 1000
   */
  readonly p99LatencyMs?: number;
  /**
   * Alert when the service receives any request or connection without mutual TLS.
   * @default true
   */
  readonly mtlsAlert?: boolean;
  /**
   * Severity (0-4) of the error-rate and latency alerts; the mTLS alert is severity 1.
   * @default 2
   */
  readonly severity?: number;
}

/** Azure Managed Grafana options. */
export interface GrafanaOptions {
  /**
   * Grafana major version.
   * @default "11"
   */
  readonly majorVersion?: string;
  /**
   * Entra ID object ids (users or groups) made Grafana Admin.
   * @default - none (assign "Grafana Admin" / "Grafana Viewer" yourself)
   */
  readonly adminObjectIds?: string[];
  /**
   * Reachable from the Internet (Entra ID sign-in still required). false needs a managed private endpoint.
   * @default true
   */
  readonly publicNetworkAccessEnabled?: boolean;
}

/** The key metrics of the path, per resource type, on the portal dashboard: metric, aggregation, title. */
const DASHBOARD_TILES: { readonly [resourceType: string]: Array<[string, string, string]> } = {
  [AlertedResourceType.APPLICATION_GATEWAY]: [
    ['TotalRequests', 'Total', 'requests'], ['FailedRequests', 'Total', 'failed requests'],
    ['ApplicationGatewayTotalTime', 'Average', 'total time (ms)'], ['UnhealthyHostCount', 'Average', 'unhealthy backends'],
  ],
  [AlertedResourceType.API_MANAGEMENT]: [
    ['Requests', 'Total', 'requests'], ['FailedRequests', 'Total', 'failed requests'],
    ['Duration', 'Average', 'duration (ms)'], ['Capacity', 'Average', 'capacity (%)'],
  ],
  [AlertedResourceType.KUBERNETES_CLUSTER]: [
    ['node_cpu_usage_percentage', 'Average', 'node CPU (%)'], ['node_memory_working_set_percentage', 'Average', 'node memory (%)'],
    ['kube_pod_status_ready', 'Average', 'pods ready'],
  ],
};
/** The portal's chart aggregation codes. */
const SUPPORTED_NAMESPACES: { [resourceType: string]: string } = Object.fromEntries(
  Object.entries(SUPPORTED_METRICS).map(([type, table]) => [type, table.metricNamespace.toLowerCase()]));
const PORTAL_AGGREGATION: { [aggregation: string]: number } = { Total: 1, Minimum: 2, Maximum: 3, Average: 4, Count: 7 };

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Observability of the path, one call per construct (cdk-monitoring-constructs style):
 * AMBA's recommended metric alerts with per-alert overrides and additions (`monitorEdge`, `monitorApi`,
 * `monitorCluster`), Azure Monitor managed Prometheus with Azure's recommended AKS alerts
 * (`monitorCluster`), Istio's golden signals per service (`monitorService`), Istio metrics scraping and
 * tracing in the cluster (`monitorMesh`), Azure Managed Grafana (`addGrafana`), and the diagnostic settings
 * the constructs leave out (public IP, NSGs). Every alert notifies one action group: the given one or one
 * created from e-mail addresses and webhooks.
 *
 * Everything is created under this construct (in its stack), which refers to the monitored resources
 * and never the other way round: put it in a stack that may depend on every monitored one.
 */
export class GatewayMeshMonitoring extends Construct {
  /** The created action group, unless `actionGroupId` was given. */
  public readonly actionGroup?: MonitorActionGroup;
  /** The action group every alert notifies. */
  public readonly actionGroupId: string;
  /** Every metric-alert set created, one per monitored resource. */
  public readonly resourceAlerts: ResourceAlerts[] = [];
  /** Diagnostic settings created (public IP, NSGs). */
  public readonly diagnosticSettings: MonitorDiagnosticSetting[] = [];
  /** Golden-signal rule groups, one per monitored service. */
  public readonly serviceRuleGroups: MonitorAlertPrometheusRuleGroup[] = [];

  private readonly placement: ResourcePlacement & { tags?: { [key: string]: string } };
  private readonly namePrefix: string;
  private readonly workspaceId?: string;
  private prometheusInstance?: ManagedPrometheus;
  private grafanaInstance?: DashboardGrafana;
  private readonly scrapedNamespaces: string[] = [];
  private readonly monitored: Array<{ type: AlertedResourceType; id: string; name: string }> = [];
  private dashboardInstance?: PortalDashboard;

  constructor(scope: Construct, id: string, props: GatewayMeshMonitoringProps) {
    super(scope, id);
    this.namePrefix = props.namePrefix ?? 'gwmesh';
    checkPattern(this, 'namePrefix', this.namePrefix, /^[a-z][a-z0-9-]{1,19}$/, '2-20 lower-case letters, digits and hyphens, starting with a letter');
    checkTags(this, props.tags);
    this.placement = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };
    this.workspaceId = props.logAnalyticsWorkspaceId;
    const emails = props.alertEmails ?? [];
    const webhooks = props.alertWebhooks ?? [];
    emails.forEach((email, i) => checkPattern(this, `alertEmails[${i}]`, email, EMAIL, 'an e-mail address'));
    webhooks.forEach((url, i) => checkPattern(this, `alertWebhooks[${i}]`, url, /^https:\/\/\S+$/, 'an https:// URL (alert payloads must not travel in clear text)'));
    checkUnique(this, 'alertEmails', emails, (e) => (isUnresolved(e) ? e : e.toLowerCase()));
    checkUnique(this, 'alertWebhooks', webhooks, (u) => u);
    if (props.actionGroupId !== undefined) {
      if (emails.length + webhooks.length > 0) {
        throw new ConstructValidationError(this, 'alertEmails', [...emails, ...webhooks],
          'no receivers with actionGroupId: the given action group decides who is notified.');
      }
      checkPattern(this, 'actionGroupId', props.actionGroupId,
        /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Insights\/actionGroups\/[^/]+$/i,
        'an action group resource id "/subscriptions/<id>/resourceGroups/<group>/providers/microsoft.insights/actionGroups/<name>"');
      this.actionGroupId = props.actionGroupId;
    } else {
      if (emails.length + webhooks.length === 0) {
        throw new ConstructValidationError(this, 'alertEmails', emails,
          'at least one e-mail address or webhook (alertEmails / alertWebhooks), or an existing actionGroupId: an alert nobody receives is not monitoring.');
      }
      this.actionGroup = new MonitorActionGroup(this, 'ActionGroup', {
        name: `ag-${this.namePrefix}`,
        resourceGroupName: props.resourceGroupName,
        location: 'global',
        // At most 12 characters (SMS and e-mail sender name).
        shortName: this.namePrefix.slice(0, 12),
        emailReceiver: emails.length > 0 ? emails.map((email, i) => ({ name: `email-${i + 1}`, emailAddress: email, useCommonAlertSchema: true })) : undefined,
        webhookReceiver: webhooks.length > 0 ? webhooks.map((url, i) => ({ name: `webhook-${i + 1}`, serviceUri: url, useCommonAlertSchema: true })) : undefined,
        tags: props.tags,
      });
      this.actionGroupId = this.actionGroup.id;
    }
  }

  /** Managed Prometheus, once `monitorCluster` created it. */
  public get prometheus(): ManagedPrometheus | undefined {
    return this.prometheusInstance;
  }

  /** Azure Managed Grafana, once `addGrafana` created it. */
  public get grafana(): DashboardGrafana | undefined {
    return this.grafanaInstance;
  }

  /** Namespaces whose annotated pods managed Prometheus scrapes (services monitored and the ingress gateway). */
  public get istioNamespaces(): string[] {
    return [...this.scrapedNamespaces];
  }

  /** The Application Gateway's and its public IP's recommended alerts; diagnostic settings of the public IP and the NSG. */
  public monitorEdge(edge: SecureEdge, options: EdgeMonitoringOptions = {}): void {
    this.alerts(`${edge.node.id}Gateway`, AlertedResourceType.APPLICATION_GATEWAY, edge.resource.id, edge.resource.name, options.alerts);
    this.alerts(`${edge.node.id}PublicIp`, AlertedResourceType.PUBLIC_IP, edge.publicIp.id, edge.publicIp.name, options.publicIpAlerts);
    this.diagnostics(`${edge.node.id}PublicIpDiagnostics`, edge.publicIp.id, true);
    this.diagnostics(`${edge.node.id}NsgDiagnostics`, edge.networkSecurityGroup.id, false);
  }

  /** API Management's recommended alerts; diagnostic settings of its NSG. */
  /**
   * A `CertificateVault`'s recommended alerts (a vault the cluster created is monitored by `monitorCluster`).
   * @example
   * monitoring.monitorVault(vault, { overrides: { Availability: { threshold: 99.5 } } });
   */
  public monitorVault(vault: CertificateVault, options: AlertOptions = {}): void {
    this.alerts(`${vault.node.id}KeyVault`, AlertedResourceType.KEY_VAULT, vault.keyVaultId, vault.keyVaultName, options);
  }

  public monitorApi(api: ApiGovernance, options: AlertOptions = {}): void {
    this.alerts(`${api.node.id}ApiManagement`, AlertedResourceType.API_MANAGEMENT, api.apiManagementId, api.apiManagementName, options);
    this.diagnostics(`${api.node.id}NsgDiagnostics`, api.networkSecurityGroup.id, false);
  }

  /**
   * The cluster's and its Key Vault's recommended alerts, the NSG's diagnostic settings, and (by default)
   * managed Prometheus with Azure's recommended AKS Prometheus alerts. Once per monitoring construct.
   */
  public monitorCluster(cluster: MeshCluster, options: ClusterMonitoringOptions = {}): ManagedPrometheus | undefined {
    this.alerts(`${cluster.node.id}Cluster`, AlertedResourceType.KUBERNETES_CLUSTER, cluster.resource.id, cluster.resource.name, options.alerts);
    if (cluster.keyVault) {
      this.alerts(`${cluster.node.id}KeyVault`, AlertedResourceType.KEY_VAULT, cluster.keyVault.id, cluster.keyVault.name, options.keyVaultAlerts);
    } else if (options.keyVaultAlerts !== undefined) {
      throw new ConstructValidationError(this, 'keyVaultAlerts', options.keyVaultAlerts, 'only for a Key Vault the cluster created (monitor a vault of your own where it is defined).');
    }
    this.diagnostics(`${cluster.node.id}NsgDiagnostics`, cluster.networkSecurityGroup.id, false);
    if (!(options.managedPrometheus ?? true)) {
      if (options.prometheusAlerts !== undefined) {
        throw new ConstructValidationError(this, 'prometheusAlerts', options.prometheusAlerts, 'only with managedPrometheus.');
      }
      return undefined;
    }
    if (this.prometheusInstance) {
      throw new ConstructValidationError(this, 'cluster', cluster.node.path, `one cluster per monitoring construct: '${this.prometheusInstance.node.path}' already collects one.`);
    }
    this.prometheusInstance = new ManagedPrometheus(this, 'Prometheus', {
      cluster,
      ...this.placement,
      location: cluster.location,
      namePrefix: this.namePrefix,
      actionGroupId: this.actionGroupId,
      recommendedAlerts: options.prometheusAlerts ?? true,
    });
    this.scrapedNamespaces.push(cluster.ingressGatewayNamespace);
    return this.prometheusInstance;
  }

  /**
   * In the cluster (the connection's stack): managed Prometheus scrapes the Istio proxies of the monitored
   * services' namespaces and the ingress gateway, and, with `tracing`, Istio sends spans to an
   * OpenTelemetry collector.
   */
  public monitorMesh(mesh: MeshConnection, options: MeshTelemetryOptions = {}): MeshTelemetry {
    if (!this.prometheusInstance) {
      throw new ConstructValidationError(this, 'mesh', mesh.node.path, 'managed Prometheus first: call monitorCluster(cluster) before monitorMesh().');
    }
    return new MeshTelemetry(mesh, 'Observability', { ...options, mesh, scrapedNamespaces: this.scrapedNamespaces });
  }

  /** Istio golden-signal Prometheus alerts of one service: 5xx share, p99 latency, requests without mTLS. */
  public monitorService(service: MeshService, options: ServiceAlertOptions = {}): MonitorAlertPrometheusRuleGroup {
    const prometheus = this.prometheusInstance;
    if (!prometheus) {
      throw new ConstructValidationError(this, 'service', service.node.path, 'managed Prometheus first: call monitorCluster(cluster) before monitorService().');
    }
    const errorRate = options.errorRatePercent ?? 5;
    const latency = options.p99LatencyMs ?? 1000;
    checkNumber(this, 'errorRatePercent', errorRate, 0.01, 100);
    checkNumber(this, 'p99LatencyMs', latency, 1, 600_000);
    checkInteger(this, 'severity', options.severity, 0, 4);
    const severity = options.severity ?? 2;
    const namespace = service.namespace.name;
    const name = service.name;
    if (!this.scrapedNamespaces.includes(namespace)) this.scrapedNamespaces.push(namespace);
    const labels = { namespace, service: name };
    const action = [{ actionGroupId: this.actionGroupId }];
    const alertResolution = { autoResolved: true, timeToResolve: 'PT10M' };
    const rules = [
      {
        alert: 'IstioServiceHighErrorRate',
        expression: errorRateExpression(namespace, name, errorRate / 100),
        for: 'PT5M',
        severity,
        labels,
        action,
        alertResolution,
        enabled: true,
        annotations: { description: `More than ${errorRate}% of the requests to ${namespace}/${name} answered 5xx over 5 minutes.` },
      },
      {
        alert: 'IstioServiceHighP99Latency',
        expression: latencyExpression(namespace, name, latency),
        for: 'PT5M',
        severity,
        labels,
        action,
        alertResolution,
        enabled: true,
        annotations: { description: `The p99 request duration of ${namespace}/${name} exceeded ${latency} ms over 5 minutes.` },
      },
    ];
    if (options.mtlsAlert ?? true) {
      rules.push({
        alert: 'IstioServiceMtlsNotUsed',
        expression: mtlsExpression(namespace, name),
        for: 'PT5M',
        severity: 1,
        labels,
        action,
        alertResolution,
        enabled: true,
        annotations: { description: `${namespace}/${name} received requests or connections without mutual TLS.` },
      });
    }
    const group = prometheus.addAlertRuleGroup(`Service-${service.node.id}`, {
      name: `istio-golden-signals-${namespace}-${name}`,
      description: `Istio golden signals of ${namespace}/${name}`,
      interval: 'PT1M',
      rules,
    });
    this.serviceRuleGroups.push(group);
    return group;
  }

  /**
   * Azure Managed Grafana linked to the Azure Monitor workspace (its identity gets "Monitoring Data Reader"
   * on the workspace). Import Istio's dashboards in Grafana (see the README).
   */
  public addGrafana(options: GrafanaOptions = {}): DashboardGrafana {
    const prometheus = this.prometheusInstance;
    if (!prometheus) throw new ConstructValidationError(this, 'grafana', true, 'managed Prometheus first: call monitorCluster(cluster) before addGrafana().');
    if (this.grafanaInstance) throw new ConstructValidationError(this, 'grafana', true, 'one Grafana per monitoring construct.');
    const majorVersion = options.majorVersion ?? '11';
    checkPattern(this, 'grafana.majorVersion', majorVersion, /^(10|11|12)$/, 'a Grafana major version Azure Managed Grafana offers: "10", "11" or "12"');
    const admins = options.adminObjectIds ?? [];
    admins.forEach((id, i) => checkPattern(this, `grafana.adminObjectIds[${i}]`, id, GUID, 'an Entra ID object id (a GUID)'));
    const grafana = new DashboardGrafana(this, 'Grafana', {
      name: `amg-${this.namePrefix}`.slice(0, 23),
      ...this.placement,
      grafanaMajorVersion: majorVersion,
      sku: 'Standard',
      apiKeyEnabled: false,
      publicNetworkAccessEnabled: options.publicNetworkAccessEnabled ?? true,
      identity: { type: 'SystemAssigned' },
      azureMonitorWorkspaceIntegrations: [{ resourceId: prometheus.workspace.id }],
    });
    new RoleAssignment(this, 'GrafanaMonitoringDataReader', {
      scope: prometheus.workspace.id,
      roleDefinitionName: 'Monitoring Data Reader',
      principalId: grafana.identity.principalId,
      principalType: 'ServicePrincipal',
    });
    admins.forEach((principalId, i) => new RoleAssignment(this, `GrafanaAdmin${i}`, {
      scope: grafana.id,
      roleDefinitionName: 'Grafana Admin',
      principalId,
    }));
    this.grafanaInstance = grafana;
    return grafana;
  }

  /**
   * An Azure portal dashboard of the path's key metrics (requests, failures, latency and capacity of the
   * gateway and API Management, node CPU and memory and pod readiness of the cluster), for the resources
   * monitored so far: the view when Grafana is off.
   */
  public addPortalDashboard(): PortalDashboard {
    if (this.dashboardInstance) throw new ConstructValidationError(this, 'dashboard', true, 'one portal dashboard per monitoring construct.');
    const tiles = this.monitored.flatMap((target) => (DASHBOARD_TILES[target.type] ?? [])
      .map(([metric, aggregation, title]) => ({ target, metric, aggregation, title })));
    if (tiles.length === 0) {
      throw new ConstructValidationError(this, 'dashboard', true, 'a monitored gateway, API Management or cluster first (monitorEdge, monitorApi, monitorCluster).');
    }
    const parts: { [index: string]: unknown } = {};
    tiles.forEach(({ target, metric, aggregation, title }, i) => {
      parts[String(i)] = {
        position: { x: (i % 4) * 6, y: Math.floor(i / 4) * 4, colSpan: 6, rowSpan: 4 },
        metadata: {
          type: 'Extension/HubsExtension/PartType/MonitorChartPart',
          inputs: [{
            name: 'options',
            isOptional: true,
            value: {
              chart: {
                metrics: [{
                  resourceMetadata: { id: target.id },
                  name: metric,
                  aggregationType: PORTAL_AGGREGATION[aggregation],
                  namespace: SUPPORTED_NAMESPACES[target.type],
                  metricVisualization: { displayName: title },
                }],
                title,
                titleKind: 1,
                visualization: { chartType: 2 },
                timespan: { relative: { duration: 86_400_000 }, showUTCTime: false, grain: 1 },
              },
            },
          }, { name: 'sharedTimeRange', isOptional: true }],
          settings: {},
        },
      };
    });
    this.dashboardInstance = new PortalDashboard(this, 'Dashboard', {
      name: `dash-${this.namePrefix}`,
      ...this.placement,
      // Resource ids stay Terraform references inside the JSON text.
      dashboardProperties: JSON.stringify({
        lenses: { 0: { order: 0, parts } },
        metadata: {
          model: {
            timeRange: { value: { relative: { duration: 24, timeUnit: 1 } }, type: 'MsPortalFx.Composition.Configuration.ValueTypes.TimeRange' },
          },
        },
      }),
    });
    return this.dashboardInstance;
  }

  private alerts(id: string, type: AlertedResourceType, targetResourceId: string, namePrefix: string, options?: AlertOptions): void {
    this.monitored.push({ type, id: targetResourceId, name: namePrefix });
    this.resourceAlerts.push(new ResourceAlerts(this, `${id}Alerts`, {
      resourceType: type,
      targetResourceId,
      namePrefix,
      resourceGroupName: this.placement.resourceGroupName,
      actionGroupId: this.actionGroupId,
      options,
      tags: this.placement.tags,
    }));
  }

  private diagnostics(id: string, targetResourceId: string, hasMetrics: boolean): void {
    if (this.workspaceId === undefined) return;
    this.diagnosticSettings.push(new MonitorDiagnosticSetting(this, id, {
      name: 'diag-monitoring',
      targetResourceId,
      logAnalyticsWorkspaceId: this.workspaceId,
      // Public IP and NSG logs have no resource-specific tables: they go to AzureDiagnostics.
      enabledLog: [{ categoryGroup: 'allLogs' }],
      // NSGs have no platform metrics.
      enabledMetric: hasMetrics ? [{ category: 'AllMetrics' }] : undefined,
    }));
  }
}
