import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformStack, Testing } from 'cdktf';
import { parse as parseYaml } from 'yaml';
import { expectValidStack, synthStack } from './support';
import { addonMesh } from './support/fixtures';
import { buildReferenceTopology, ReferenceTopology } from '../examples/reference-topology';
import {
  AlertedResourceType, GatewayMeshMonitoring, IstioMode, MeshCluster, MeshPort, MeshService, ResourceAlerts, TieredNetwork, TopologyDiagram,
  TopologyGroupKind, TopologyNodeKind,
} from '../lib';
import { AMBA_METRIC_ALERTS } from '../lib/monitoring/catalog/amba.generated';
import { AKS_DEFAULT_RECORDING_GROUPS, AKS_RECOMMENDED_ALERT_GROUPS } from '../lib/monitoring/catalog/prometheus.generated';
import { errorRateExpression, latencyExpression, mtlsExpression } from '../lib/monitoring/promql';

// The Prometheus project's PromQL grammar (an ES module with a CommonJS build, loaded as such).
interface Span { from: number; to: number }
interface SyntaxNode extends Span { type: { isError: boolean }; name: string; node: { getChild(name: string): Span | null } }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as { parser: { parse(input: string): { iterate(spec: { enter(node: SyntaxNode): void }): void } } };

// The vendored reference data (scripts/vendor-azure-monitor.ts): the tests judge the library by it.
const DATA = path.join(__dirname, 'support', 'azure-monitor');
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(DATA, file), 'utf8'));
const SUPPORTED = read('supported-metrics.json').types as Record<string, { terraformResourceTypes: string[]; metricNamespace: string; metrics: any[] }>;
const LOG_CATEGORIES = read('supported-log-categories.json').types as Record<string, { terraformResourceTypes: string[]; categories: Array<{ category: string; table?: string }> }>;
const AMBA = read('amba-metric-alerts.json').types as Record<string, Array<{ name: string; properties: any }>>;
const AKS_ARM = read('aks-recommended-alerts.arm.json');
const ISTIO = parseYaml(fs.readFileSync(path.join(DATA, 'istio-standard-metrics.yaml'), 'utf8'));
const ISTIO_METRICS = new Set<string>([...ISTIO.http, ...ISTIO.tcp].flatMap((m: any) => [m.name, ...(m.series ?? [])]));
const ISTIO_LABELS = new Set<string>(ISTIO.labels);

const minutes = (d: string) => {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(d)!;
  return Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
};
const all = (json: any, type: string): any[] => Object.values(json.resource?.[type] ?? {});
const ARM_TYPE_OF_KEY: Record<string, string> = {
  applicationGateway: 'Microsoft.Network/applicationGateways',
  apiManagement: 'Microsoft.ApiManagement/service',
  kubernetesCluster: 'Microsoft.ContainerService/managedClusters',
  keyVault: 'Microsoft.KeyVault/vaults',
  publicIp: 'Microsoft.Network/publicIPAddresses',
};

/** Parse errors of a PromQL expression, by the Prometheus project's own grammar. */
function promqlErrors(expression: string): string[] {
  const errors: string[] = [];
  parser.parse(expression).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`error at ${node.from}: ...${expression.slice(Math.max(0, node.from - 20), node.from + 20)}...`);
    },
  });
  return errors;
}

/** Every metric name a PromQL expression reads (vector selectors' identifiers). */
function promqlMetrics(expression: string): string[] {
  const names: string[] = [];
  parser.parse(expression).iterate({
    enter: (node) => {
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) names.push(expression.slice(id.from, id.to));
      }
    },
  });
  return names;
}

/** Static criteria (a list) and the dynamic criterion (one block). */
const criteriaOf = (alert: any): any[] => [...(alert.criteria ?? []), ...(alert.dynamic_criteria ? [alert.dynamic_criteria] : [])];

/** A metric alert checked against the supported-metrics table of its resource type. */
function metricAlertProblems(alert: any, armType: string): string[] {
  const table = SUPPORTED[armType];
  const criteria = criteriaOf(alert);
  const problems: string[] = [];
  if (criteria.length !== 1) problems.push(`${alert.name}: ${criteria.length} criteria`);
  for (const c of criteria) {
    const metric = table.metrics.find((m) => m.name === c.metric_name);
    if (c.metric_namespace !== table.metricNamespace) problems.push(`${alert.name}: namespace ${c.metric_namespace}`);
    if (!metric) { problems.push(`${alert.name}: unknown metric ${c.metric_name} of ${armType}`); continue; }
    if (!metric.aggregations.includes(c.aggregation)) problems.push(`${alert.name}: aggregation ${c.aggregation} not in ${metric.aggregations}`);
    for (const d of c.dimension ?? []) if (!metric.dimensions.includes(d.name)) problems.push(`${alert.name}: dimension ${d.name} not in ${metric.dimensions}`);
    const grain = Math.min(...metric.timeGrains.map(minutes));
    if (minutes(alert.window_size) < grain) problems.push(`${alert.name}: window ${alert.window_size} shorter than the smallest grain of ${c.metric_name}`);
  }
  if (minutes(alert.frequency) > minutes(alert.window_size)) problems.push(`${alert.name}: frequency longer than window`);
  return problems;
}

describe('the alert catalog against the vendored AMBA and supported-metrics data', () => {
  test.each(Object.entries(ARM_TYPE_OF_KEY))('%s: every AMBA metric alert, with AMBA\'s values unless a reason is given', (key, armType) => {
    const catalog = AMBA_METRIC_ALERTS[key];
    const amba = AMBA[armType];
    expect(catalog.map((a) => a.metricName).sort()).toEqual(amba.map((a) => a.properties.metricName).sort());
    for (const source of amba) {
      const p = source.properties;
      const alert = catalog.find((a) => a.metricName === p.metricName)!;
      expect({ op: alert.operator, sev: alert.severity, win: minutes(alert.windowSize), freq: minutes(alert.frequency), dims: alert.dimensions })
        .toEqual({ op: p.operator, sev: p.severity, win: minutes(p.windowSize), freq: minutes(p.evaluationFrequency), dims: p.dimensions ?? [] });
      if (p.criterionType === 'DynamicThresholdCriterion') expect(alert.dynamic?.alertSensitivity).toBe(p.alertSensitivity);
      else expect(alert.threshold).toBe(p.threshold);
      if (alert.aggregation !== p.timeAggregation) expect(alert.adjustment).toMatch(/supports?/);
      else expect(alert.adjustment).toBeUndefined();
    }
  });

  test('the issue\'s counts: App Gateway 17, APIM 7, AKS 11, Key Vault 5 (metric), public IP 8', () => {
    expect(Object.fromEntries(Object.entries(AMBA_METRIC_ALERTS).map(([k, v]) => [k, v.length])))
      .toEqual({ applicationGateway: 17, apiManagement: 7, kubernetesCluster: 11, keyVault: 5, publicIp: 8 });
  });

  test('the Prometheus catalog holds every rule of Azure\'s ARM file, expressions unchanged', () => {
    const arm = AKS_ARM.resources.flatMap((r: any) => r.properties.rules);
    const ours = AKS_RECOMMENDED_ALERT_GROUPS.flatMap((g) => g.rules);
    expect(ours.map((r) => [r.alert, r.expression, minutes(r.for), r.severity]))
      .toEqual(arm.map((r: any) => [r.alert, r.expression, minutes(r.for), r.severity]));
  });
});

describe('reference topology: the observability plane', () => {
  let topology: ReferenceTopology;
  let foundation: any;
  let platform: any;
  let workloads: any;
  beforeAll(() => {
    topology = buildReferenceTopology(new App());
    foundation = synthStack(topology.foundation);
    platform = synthStack(topology.platform);
    workloads = synthStack(topology.workloads);
  });

  const targetOf = (alert: any) => alert.scopes[0] as string;
  /** The Terraform type of the resource an id reference names, in the stack or, through remote state, in the foundation stack. */
  const typeOfTarget = (json: any, ref: string): string | undefined => {
    const remote = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-foundation\.outputs\.([^}]+)\}$/.exec(ref);
    if (remote) return typeOfTarget(foundation, foundation.output[remote[1]].value);
    const m = /^\$\{(azurerm_[a-z_]+)\.([^.]+)\.id\}$/.exec(ref);
    return m && json.resource[m[1]]?.[m[2]] ? m[1] : undefined;
  };

  test('every AMBA metric alert on every App Gateway, APIM, AKS cluster, Key Vault and public IP, each valid against supported-metrics', () => {
    const alerts = all(platform, 'azurerm_monitor_metric_alert');
    const byType: Record<string, string[]> = {};
    const problems: string[] = [];
    for (const alert of alerts) {
      const tfType = typeOfTarget(platform, targetOf(alert));
      expect(tfType).toBeDefined();
      const armType = Object.keys(SUPPORTED).find((t) => SUPPORTED[t].terraformResourceTypes.includes(tfType!))!;
      problems.push(...metricAlertProblems(alert, armType));
      (byType[armType] ??= []).push(criteriaOf(alert)[0].metric_name);
      expect(alert.action).toEqual([{ action_group_id: expect.stringMatching(/azurerm_monitor_action_group\./) }]);
    }
    expect(problems).toEqual([]);
    for (const [armType, amba] of Object.entries(AMBA)) {
      expect((byType[armType] ?? []).sort()).toEqual(amba.map((a) => a.properties.metricName).sort());
    }
    expect(alerts).toHaveLength(17 + 7 + 11 + 5 + 8);
  });

  test('a wrong metric name, aggregation or window fails the check', () => {
    const [alert] = all(platform, 'azurerm_monitor_metric_alert').filter((a) => a.criteria?.[0]?.metric_name === 'UnhealthyHostCount');
    const armType = 'Microsoft.Network/applicationGateways';
    expect(metricAlertProblems(alert, armType)).toEqual([]);
    expect(metricAlertProblems({ ...alert, criteria: [{ ...alert.criteria[0], metric_name: 'UnhealthyHostsCount' }] }, armType)).toHaveLength(1);
    expect(metricAlertProblems({ ...alert, criteria: [{ ...alert.criteria[0], aggregation: 'Total' }] }, armType)).toHaveLength(1);
    expect(metricAlertProblems({ ...alert, criteria: [{ ...alert.criteria[0], dimension: [{ name: 'Listener', operator: 'Include', values: ['*'] }] }] }, armType)).toHaveLength(1);
    const autoscaler = all(platform, 'azurerm_monitor_metric_alert').find((a) => a.criteria?.[0]?.metric_name === 'cluster_autoscaler_unschedulable_pods_count');
    expect(metricAlertProblems({ ...autoscaler, window_size: 'PT1M', frequency: 'PT1M' }, 'Microsoft.ContainerService/managedClusters')).toHaveLength(1);
  });

  test('managed Prometheus: workspace, endpoint, rule with the Prometheus stream, both associations, monitor_metrics', () => {
    const [workspace] = all(platform, 'azurerm_monitor_workspace');
    expect(workspace.name).toBe('amw-gwmesh');
    const [rule] = all(platform, 'azurerm_monitor_data_collection_rule');
    expect(rule.kind).toBe('Linux');
    expect(rule.data_flow).toEqual([{ streams: ['Microsoft-PrometheusMetrics'], destinations: ['MonitoringAccount1'] }]);
    expect(rule.data_sources.prometheus_forwarder[0].streams).toEqual(['Microsoft-PrometheusMetrics']);
    expect(rule.destinations.monitor_account[0].monitor_account_id).toMatch(/azurerm_monitor_workspace\./);
    const associations = all(platform, 'azurerm_monitor_data_collection_rule_association');
    expect(associations.map((a) => a.name).sort()).toEqual(['configurationAccessEndpoint', 'dcra-gwmesh-prometheus']);
    associations.forEach((a) => expect(a.target_resource_id).toMatch(/azurerm_kubernetes_cluster\./));
    const [cluster] = all(platform, 'azurerm_kubernetes_cluster');
    expect(cluster.monitor_metrics).toEqual({});
  });

  test('every PromQL expression parses with the Prometheus grammar and every Istio metric and label it uses exists', () => {
    const groups = all(platform, 'azurerm_monitor_alert_prometheus_rule_group');
    const rules = groups.flatMap((g) => g.rule);
    expect(rules.length).toBe(AKS_RECOMMENDED_ALERT_GROUPS.flatMap((g) => g.rules).length
      + AKS_DEFAULT_RECORDING_GROUPS.flatMap((g) => g.rules).length + 3 * 3);
    for (const rule of rules) {
      expect({ rule: rule.alert ?? rule.record, errors: promqlErrors(rule.expression) }).toEqual({ rule: rule.alert ?? rule.record, errors: [] });
      for (const metric of promqlMetrics(rule.expression).filter((m) => m.startsWith('istio_'))) expect(ISTIO_METRICS).toContain(metric);
    }
    const istioRules = rules.filter((r) => /istio_/.test(r.expression));
    expect(istioRules).toHaveLength(9);
    for (const rule of istioRules) {
      for (const [, label] of rule.expression.matchAll(/([a-z_]+)\s*(?:=~|!=|=)\s*"/g)) expect(ISTIO_LABELS).toContain(label);
      expect(rule.action).toEqual([{ action_group_id: expect.stringMatching(/azurerm_monitor_action_group\./) }]);
    }
  });

  test('a broken expression fails the parser check', () => {
    expect(promqlErrors(errorRateExpression('orders', 'orders', 0.05))).toEqual([]);
    expect(promqlErrors('sum(rate(istio_requests_total{reporter="destination"}[5m]) by')).not.toEqual([]);
    expect(promqlErrors('histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{a="b"[5m])))')).not.toEqual([]);
  });

  test('golden signals per service: 5xx share, p99 latency, mTLS not used; thresholds in the expression', () => {
    const groups = all(platform, 'azurerm_monitor_alert_prometheus_rule_group').filter((g) => g.name.startsWith('istio-golden-signals-'));
    expect(groups.map((g) => g.name).sort()).toEqual(['istio-golden-signals-inventory-inventory', 'istio-golden-signals-orders-orders', 'istio-golden-signals-payments-payments']);
    const orders = groups.find((g) => g.name.endsWith('orders-orders'))!;
    expect(orders.rule.map((r: any) => r.alert)).toEqual(['IstioServiceHighErrorRate', 'IstioServiceHighP99Latency', 'IstioServiceMtlsNotUsed']);
    expect(orders.rule[0].expression).toBe(errorRateExpression('orders', 'orders', 0.05));
    expect(orders.rule[1].expression).toContain('istio_request_duration_milliseconds_bucket');
    expect(orders.rule[1].expression).toMatch(/^histogram_quantile\(0\.99, .*> 1000$/);
    expect(orders.rule[2].expression).toContain('connection_security_policy!="mutual_tls"');
    expect(orders.scopes).toHaveLength(2);
  });

  test('diagnostic settings on every created type that has log categories, no category twice to one destination', () => {
    const settings = [foundation, platform, workloads].flatMap((json) => all(json, 'azurerm_monitor_diagnostic_setting').map((s) => ({ ...s, json })));
    const targets = new Map<string, Set<string>>();
    for (const s of settings) {
      const tfType = typeOfTarget(s.json, s.target_resource_id)!;
      const armType = Object.keys(LOG_CATEGORIES).find((t) => LOG_CATEGORIES[t].terraformResourceTypes.includes(tfType))!;
      expect(armType).toBeDefined();
      const known = LOG_CATEGORIES[armType].categories;
      const categories = (s.enabled_log ?? []).flatMap((l: any) => (l.category_group === 'allLogs' ? known.map((c) => c.category) : [l.category]));
      for (const c of categories) expect(known.map((k) => k.category)).toContain(c);
      const key = `${s.target_resource_id} -> ${s.log_analytics_workspace_id}`;
      const seen = targets.get(key) ?? new Set();
      for (const c of categories) {
        expect(seen.has(c) ? `${key}: ${c} twice` : '').toBe('');
        seen.add(c);
      }
      targets.set(key, seen);
      // Resource-specific tables only where every category has one; NSGs have no metrics.
      if (s.log_analytics_destination_type === 'Dedicated') {
        expect(categories.filter((c: string) => known.find((k) => k.category === c)?.table === 'AzureDiagnostics')).toEqual([]);
      }
      if (tfType === 'azurerm_network_security_group') expect(s.enabled_metric).toBeUndefined();
    }
    // Every resource of a type with log categories has one (Application Insights is workspace-based: its data is already there).
    for (const [armType, { terraformResourceTypes }] of Object.entries(LOG_CATEGORIES)) {
      for (const tfType of terraformResourceTypes) {
        if (tfType === 'azurerm_application_insights') continue;
        for (const name of Object.keys(platform.resource[tfType] ?? {})) {
          expect(`${armType} ${name}: ${[...targets.keys()].some((k) => k.startsWith(`\${${tfType}.${name}.id}`))}`).toBe(`${armType} ${name}: true`);
        }
      }
    }
  });

  test('one trace: APIM logs to Application Insights with W3C correlation; Istio sends spans to a collector exporting to the same Application Insights', () => {
    const [diagnostic] = all(platform, 'azurerm_api_management_diagnostic');
    expect(diagnostic.http_correlation_protocol).toBe('W3C');
    const shared = all(workloads, 'kubernetes_config_map_v1').find((c) => c.metadata.name.startsWith('istio-shared-configmap-'));
    expect(shared.metadata).toEqual({ name: 'istio-shared-configmap-asm-1-30', namespace: 'aks-istio-system' });
    expect(parseYaml(shared.data.mesh)).toEqual({
      extensionProviders: [{ name: 'otel-tracing', opentelemetry: { service: 'otel-collector.otel-collector.svc.cluster.local', port: 4317 } }],
    });
    const telemetry = all(workloads, 'kubernetes_manifest').map((m) => m.manifest).find((m) => m.kind === 'Telemetry');
    expect(telemetry).toMatchObject({ metadata: { namespace: 'aks-istio-system' }, spec: { tracing: [{ providers: [{ name: 'otel-tracing' }], randomSamplingPercentage: 10 }] } });
    const config = parseYaml(all(workloads, 'kubernetes_config_map_v1').find((c) => c.metadata.name === 'otel-collector').data['config.yaml'].replace('$${', '${'));
    expect(config.service.pipelines.traces).toEqual({ receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['azuremonitor'] });
    const [secret] = all(workloads, 'kubernetes_secret_v1');
    expect(secret.data['connection-string']).toMatch(/azurerm_application_insights\.Insights\.connection_string|remote_state/);
  });

  test('managed Prometheus scrapes the annotated pods (Istio proxies) of the services\' and the gateway\'s namespaces', () => {
    const settings = all(workloads, 'kubernetes_config_map_v1').find((c) => c.metadata.name === 'ama-metrics-settings-configmap');
    expect(settings.metadata.namespace).toBe('kube-system');
    expect(settings.data['pod-annotation-based-scraping']).toBe('podannotationnamespaceregex = "^aks-istio-ingress$|^inventory$|^orders$|^payments$"');
  });

  test('Azure Managed Grafana reads the Azure Monitor workspace', () => {
    const [grafana] = all(platform, 'azurerm_dashboard_grafana');
    expect(grafana.azure_monitor_workspace_integrations).toEqual([{ resource_id: expect.stringMatching(/azurerm_monitor_workspace\./) }]);
    const reader = all(platform, 'azurerm_role_assignment').find((r) => r.role_definition_name === 'Monitoring Data Reader');
    expect(reader.scope).toMatch(/azurerm_monitor_workspace\./);
    expect(reader.principal_id).toMatch(/azurerm_dashboard_grafana\./);
    expect(grafana).toMatchObject({ sku: 'Standard', api_key_enabled: false, identity: { type: 'SystemAssigned' } });
  });

  test('the diagram shows the observability plane', () => {
    const model = TopologyDiagram.buildModel(topology.platform.node.root);
    const group = model.groups.find((g) => g.kind === TopologyGroupKind.OBSERVABILITY)!;
    const members = model.nodes.filter((n) => n.groupId === group.id);
    expect(members.map((n) => [n.kind, n.label])).toEqual([
      [TopologyNodeKind.MONITOR_WORKSPACE, 'amw-gwmesh'],
      [TopologyNodeKind.ACTION_GROUP, 'ag-gwmesh'],
      [TopologyNodeKind.GRAFANA, 'amg-gwmesh'],
    ]);
    expect(members[0].details).toEqual(['8 rule groups', '39 alert rules · 30 recording rules']);
    expect(members[1].details).toEqual(['48 metric alerts · 39 Prometheus alerts', '1 e-mail']);
    const gateway = model.nodes.find((n) => n.kind === TopologyNodeKind.APPLICATION_GATEWAY)!;
    expect(gateway.details).toContain('17 metric alerts');
    expect(model.groups.find((g) => g.kind === TopologyGroupKind.CLUSTER)!.details).toContain('11 metric alerts');
  });
});

describe('GatewayMeshMonitoring', () => {
  const placement = { resourceGroupName: 'rg', location: 'westeurope' };
  const setup = () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'platform');
    const network = new TieredNetwork(stack, 'Network', placement);
    const cluster = new MeshCluster(stack, 'Cluster', { ...placement, subnet: network.computeSubnet });
    return { app, stack, cluster };
  };

  test('overrides: off, threshold, severity; additions checked against the metric table', () => {
    const { stack, cluster } = setup();
    const monitoring = new GatewayMeshMonitoring(stack, 'Monitoring', { ...placement, alertWebhooks: ['https://hooks.example.com/alerts'] });
    monitoring.monitorCluster(cluster, {
      managedPrometheus: false,
      alerts: {
        overrides: { node_cpu_usage_percentage: { threshold: 80, severity: 2 }, kube_node_status_allocatable_cpu_cores: { enabled: false } },
        additional: [{ name: 'api-server-cpu', metricName: 'apiserver_cpu_usage_percentage', aggregation: 'Maximum', operator: 'GreaterThan', threshold: 90 }],
      },
    });
    expectValidStack(stack);
    const json = synthStack(stack);
    const alerts = all(json, 'azurerm_monitor_metric_alert');
    const cpu = alerts.find((a) => a.criteria?.[0].metric_name === 'node_cpu_usage_percentage');
    expect(cpu).toMatchObject({ severity: 2, criteria: [{ threshold: 80, aggregation: 'Average' }] });
    expect(alerts.find((a) => a.criteria?.[0].metric_name === 'kube_node_status_allocatable_cpu_cores')).toBeUndefined();
    expect(alerts.find((a) => a.criteria?.[0].metric_name === 'apiserver_cpu_usage_percentage')).toMatchObject({ window_size: 'PT5M', frequency: 'PT1M', severity: 3 });
    const [group] = all(json, 'azurerm_monitor_action_group');
    expect(group.webhook_receiver).toEqual([{ name: 'webhook-1', service_uri: 'https://hooks.example.com/alerts', use_common_alert_schema: true }]);
    expect(all(json, 'azurerm_monitor_workspace')).toEqual([]);
  });

  test.each([
    [{}, /alertEmails.*at least one e-mail address or webhook/],
    [{ alertWebhooks: ['http://hooks.example.com'] }, /alertWebhooks\[0\].*https:\/\//],
    [{ alertEmails: ['not-an-address'] }, /alertEmails\[0\]/],
    [{ actionGroupId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Insights/actionGroups/ag', alertEmails: ['a@b.example'] }, /no receivers with actionGroupId/],
    [{ actionGroupId: 'ag-1', alertEmails: [] }, /actionGroupId.*action group resource id/],
    [{ namePrefix: 'Bad_Prefix', alertEmails: ['a@b.example'] }, /namePrefix/],
  ])('fails when the destination of alerts is wrong: %j', (props, message) => {
    const { stack } = setup();
    expect(() => new GatewayMeshMonitoring(stack, 'Monitoring', { ...placement, ...props })).toThrow(message);
  });

  test.each([
    [{ overrides: { NoSuchMetric: { enabled: false } } }, /alerts\.overrides.*"NoSuchMetric".*node_cpu_usage_percentage/],
    [{ overrides: { node_cpu_usage_percentage: { severity: 7 } } }, /severity/],
    [{ additional: [{ name: 'x', metricName: 'node_cpu_usage', aggregation: 'Average', operator: 'GreaterThan', threshold: 1 }] }, /metricName.*"node_cpu_usage".*expected a platform metric/],
    [{ additional: [{ name: 'x', metricName: 'node_cpu_usage_percentage', aggregation: 'Total', operator: 'GreaterThan', threshold: 1 }] }, /aggregation.*Maximum, Average/],
    [{ additional: [{ name: 'x', metricName: 'cluster_autoscaler_unschedulable_pods_count', aggregation: 'Average', operator: 'GreaterThan', threshold: 0, windowSize: 'PT1M' }] }, /windowSize.*smallest time grain \(PT5M\)/],
    [{ additional: [{ name: 'x', metricName: 'node_cpu_usage_percentage', aggregation: 'Average', operator: 'GreaterThan', threshold: 1, dimensions: { zone: ['1'] } }] }, /dimensions.*"zone".*node, nodepool/],
    [{ additional: [{ name: 'node_cpu_usage_percentage', metricName: 'node_cpu_usage_percentage', aggregation: 'Average', operator: 'GreaterThan', threshold: 1 }] }, /name.*not used by another alert/],
  ])('fails when an alert option is wrong: %j', (options, message) => {
    const { stack, cluster } = setup();
    const monitoring = new GatewayMeshMonitoring(stack, 'Monitoring', { ...placement, alertEmails: ['ops@contoso.example'] });
    expect(() => monitoring.monitorCluster(cluster, { alerts: options as any })).toThrow(message);
  });

  test('without Grafana: a portal dashboard of the key metrics, each a real metric and aggregation of its resource', () => {
    const { stack, cluster } = setup();
    const monitoring = new GatewayMeshMonitoring(stack, 'Monitoring', { ...placement, alertEmails: ['ops@contoso.example'] });
    expect(() => monitoring.addPortalDashboard()).toThrow(/monitored gateway, API Management or cluster first/);
    monitoring.monitorCluster(cluster, { managedPrometheus: false });
    monitoring.addPortalDashboard();
    expectValidStack(stack);
    const [dashboard] = all(synthStack(stack), 'azurerm_portal_dashboard');
    const parts = Object.values<any>(JSON.parse(dashboard.dashboard_properties).lenses[0].parts);
    const metrics = parts.map((p) => p.metadata.inputs[0].value.chart.metrics[0]);
    expect(metrics.map((m) => m.name)).toEqual(['node_cpu_usage_percentage', 'node_memory_working_set_percentage', 'kube_pod_status_ready']);
    const table = SUPPORTED['Microsoft.ContainerService/managedClusters'];
    const codes: Record<number, string> = { 1: 'Total', 2: 'Minimum', 3: 'Maximum', 4: 'Average', 7: 'Count' };
    for (const m of metrics) {
      expect(m.resourceMetadata.id).toMatch(/^\$\{azurerm_kubernetes_cluster\.[^.]+\.id\}$/);
      expect(m.namespace).toBe(table.metricNamespace.toLowerCase());
      expect(table.metrics.find((x) => x.name === m.name)?.aggregations).toContain(codes[m.aggregationType]);
    }
  });

  test('a dynamic-threshold alert takes no threshold', () => {
    const stack = new TerraformStack(Testing.app(), 'x');
    expect(() => new ResourceAlerts(stack, 'Alerts', {
      resourceType: AlertedResourceType.APPLICATION_GATEWAY,
      targetResourceId: 'id',
      namePrefix: 'agw',
      resourceGroupName: 'rg',
      actionGroupId: 'ag',
      options: { overrides: { BackendLastByteResponseTime: { threshold: 100 } } },
    })).toThrow(/dynamic threshold/);
  });

  test('per-service thresholds, and services need managed Prometheus first', () => {
    const { app, stack, cluster } = setup();
    const monitoring = new GatewayMeshMonitoring(stack, 'Monitoring', { ...placement, alertEmails: ['ops@contoso.example'] });
    const workloads = new TerraformStack(app, 'workloads');
    const service = new MeshService(workloads, 'Orders', { mesh: addonMesh, image: 'acr.example/orders:1.0.0', ports: [MeshPort.http(8080)] });
    expect(() => monitoring.monitorService(service)).toThrow(/monitorCluster\(cluster\) before monitorService/);
    monitoring.monitorCluster(cluster);
    expect(() => monitoring.monitorService(service, { errorRatePercent: 0 })).toThrow(/errorRatePercent/);
    const group = monitoring.monitorService(service, { errorRatePercent: 1, p99LatencyMs: 250, mtlsAlert: false });
    const json = synthStack(stack);
    const synthesized = Object.values<any>(json.resource.azurerm_monitor_alert_prometheus_rule_group).find((g) => g.name === 'istio-golden-signals-orders-orders');
    expect(group.node.path).toBe('platform/Monitoring/Prometheus/Service-Orders');
    expect(synthesized.rule.map((r: any) => r.expression)).toEqual([
      errorRateExpression('orders', 'orders', 0.01), latencyExpression('orders', 'orders', 250),
    ]);
    expect(mtlsExpression('orders', 'orders')).toContain('istio_tcp_connections_opened_total');
    expectValidStack(stack);
  });
});

describe('Helm mode: the tracing provider goes into istiod\'s meshConfig', () => {
  test('istiod values carry the OpenTelemetry provider; the Telemetry validates against Istio 1.30', () => {
    const topology = buildReferenceTopology(new App(), { istioMode: IstioMode.HELM });
    const install = synthStack(topology.meshInstall!);
    const istiod = Object.values<any>(install.resource.helm_release).find((r) => r.chart === 'istiod');
    expect(istiod.set).toEqual(expect.arrayContaining([
      { name: 'meshConfig.extensionProviders[0].name', value: 'otel-tracing' },
      { name: 'meshConfig.extensionProviders[0].opentelemetry.service', value: 'otel-collector.otel-collector.svc.cluster.local' },
      { name: 'pilot.autoscaleMin', value: '2' },
    ]));
    const workloads = synthStack(topology.workloads);
    expect(all(workloads, 'kubernetes_config_map_v1').map((c) => c.metadata.name)).not.toContain('istio-shared-configmap-1.30.3');
    expectValidStack(topology.workloads, '1.30');
    expectValidStack(topology.meshInstall!, '1.30');
    expect(topology.checks.findings.filter((f) => f.suppressionReason === undefined)).toEqual([]);
  });
});
