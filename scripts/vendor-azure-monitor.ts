/**
 * Vendors the Azure Monitor reference data of ../shared/azure-monitor into the project, pruned to the
 * resource types the library creates, so that neither the library nor the tests need ../shared:
 *
 *  - lib/monitoring/catalog/amba.generated.ts: the Azure Monitor Baseline Alerts (AMBA) recommended metric
 *    alerts of App Gateway, API Management, AKS, Key Vault and public IPs (Azure/azure-monitor-baseline-alerts,
 *    services/<ns>/<type>/alerts.yaml), with the few adjustments listed in ADJUSTMENTS below (each with its
 *    reason), and the supported metrics of those types (name, aggregations, dimensions, smallest time grain)
 *    from MicrosoftDocs' supported-metrics tables, which the library uses to check user-added alerts;
 *  - lib/monitoring/catalog/prometheus.generated.ts: Azure's recommended Prometheus alert rule groups for AKS
 *    and the default (Linux) recording rules (Azure/prometheus-collector GeneratedMonitoringArtifacts/Default);
 *  - __tests__/support/azure-monitor/*.json: the source data the tests check the catalogs against (AMBA's
 *    metric alerts verbatim, supported metrics and log categories of the types we create, the AKS ARM file,
 *    Istio's standard metric names).
 *
 * Run it (`npm run vendor-monitoring`) after the shared data
 * changes. Sources and commits are written into every output.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..');
const SHARED = process.env.SHARED_DIR ?? path.resolve(ROOT, '..', 'shared');
const DATA = path.join(SHARED, 'azure-monitor');
const TEST_OUT = path.join(ROOT, '__tests__', 'support', 'azure-monitor');
const LIB_OUT = path.join(ROOT, 'lib', 'monitoring', 'catalog');

/** ARM type -> the catalog key the library uses. Only the types the constructs create. */
const ALERTED_TYPES: Record<string, string> = {
  'Microsoft.Network/applicationGateways': 'applicationGateway',
  'Microsoft.ApiManagement/service': 'apiManagement',
  'Microsoft.ContainerService/managedClusters': 'kubernetesCluster',
  'Microsoft.KeyVault/vaults': 'keyVault',
  'Microsoft.Network/publicIPAddresses': 'publicIp',
};
/** Types the library or the reference topology creates that have diagnostic log categories. */
const LOGGED_TYPES = [
  ...Object.keys(ALERTED_TYPES),
  'Microsoft.Network/networkSecurityGroups',
  'Microsoft.OperationalInsights/workspaces',
  'Microsoft.Insights/components',
];

/**
 * Where AMBA's definition cannot be used as it stands, the change and why. The aggregation must be one the
 * metric supports (supported-metrics.json): AMBA's other choices are not in the metric's documented set.
 */
const ADJUSTMENTS: Record<string, { timeAggregation: string; reason: string }> = {
  'Microsoft.Network/applicationGateways/BackendLastByteResponseTime': {
    timeAggregation: 'Average',
    reason: 'AMBA aggregates with Total, which the metric does not support (Average, Maximum): a sum of response times is no latency. Average, with AMBA\'s dynamic threshold.',
  },
  'Microsoft.KeyVault/vaults/ServiceApiResult': {
    timeAggregation: 'Count',
    reason: 'AMBA aggregates with Average; the metric supports Count only (the number of API results), which the dynamic threshold then learns.',
  },
  'Microsoft.KeyVault/vaults/ServiceApiHit': {
    timeAggregation: 'Count',
    reason: 'AMBA aggregates with Average; the metric supports Count only. With Count, AMBA\'s threshold (>= 80) reads "80 or more Key Vault API hits in 5 minutes".',
  },
  'Microsoft.Network/publicIPAddresses/PacketsInDDoS': {
    timeAggregation: 'Maximum',
    reason: 'AMBA aggregates with Total; the metric supports Maximum only (inbound packets per second during DDoS).',
  },
};

const SEVERITY_RANGE = [0, 1, 2, 3, 4];

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(path.join(DATA, file), 'utf8'));
}

function isoMinutes(duration: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(duration);
  if (!m) throw new Error(`not an ISO-8601 duration: ${duration}`);
  return Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** PT05M -> PT5M, PT60M -> PT1H, PT360M -> PT6H: the canonical form Azure returns (no plan drift). */
export function canonicalDuration(duration: string): string {
  const minutes = isoMinutes(duration);
  if (minutes % 1440 === 0) return `P${minutes / 1440}D`;
  if (minutes % 60 === 0) return `PT${minutes / 60}H`;
  return `PT${minutes}M`;
}

function vendorAmba(metrics: any) {
  const source = readJson('amba/SOURCE.json');
  const alerts: Record<string, any[]> = {};
  const raw: Record<string, any[]> = {};
  for (const [armType, key] of Object.entries(ALERTED_TYPES)) {
    const [, ns, type] = /^Microsoft\.([^/]+)\/(.+)$/.exec(armType)!;
    const file = path.join(DATA, 'amba', ns, type, 'alerts.yaml');
    const entries: any[] = parse(fs.readFileSync(file, 'utf8'));
    const metricEntries = entries.filter((e) => e.type === 'Metric');
    raw[armType] = metricEntries.map((e) => ({ name: e.name, guid: e.guid, description: e.description, properties: e.properties }));
    const table = metrics.types[armType];
    alerts[key] = metricEntries.map((e) => {
      const p = e.properties;
      const metric = table.metrics.find((m: any) => m.name === p.metricName);
      if (!metric) throw new Error(`${armType}: AMBA alert ${e.name} names metric ${p.metricName}, not in supported-metrics.json`);
      const adjustment = ADJUSTMENTS[`${armType}/${p.metricName}`];
      const aggregation = adjustment?.timeAggregation ?? p.timeAggregation;
      if (!metric.aggregations.includes(aggregation)) {
        throw new Error(`${armType}/${p.metricName}: aggregation ${aggregation} not in ${metric.aggregations.join(', ')}; add an ADJUSTMENT with its reason`);
      }
      if (!SEVERITY_RANGE.includes(p.severity)) throw new Error(`${armType}/${p.metricName}: severity ${p.severity}`);
      const dynamic = p.criterionType === 'DynamicThresholdCriterion';
      return {
        metricName: p.metricName,
        displayName: e.name,
        description: String(e.description ?? '').replace(/\s+/g, ' ').trim(),
        metricNamespace: p.metricNamespace,
        aggregation,
        operator: p.operator,
        ...(dynamic ? {
          dynamic: {
            alertSensitivity: p.alertSensitivity,
            evaluationTotalCount: p.failingPeriods?.numberOfEvaluationPeriods ?? 4,
            evaluationFailureCount: p.failingPeriods?.minFailingPeriodsToAlert ?? 4,
          },
        } : { threshold: p.threshold }),
        windowSize: canonicalDuration(p.windowSize),
        frequency: canonicalDuration(p.evaluationFrequency),
        severity: p.severity,
        ...(p.autoMitigate !== undefined ? { autoMitigate: p.autoMitigate } : {}),
        dimensions: (p.dimensions ?? []).map((d: any) => ({ name: d.name, operator: d.operator, values: d.values.map(String) })),
        ...(adjustment ? { adjustment: adjustment.reason } : {}),
        ambaGuid: e.guid,
      };
    });
  }
  const metricTable: Record<string, any> = {};
  for (const [armType, key] of Object.entries(ALERTED_TYPES)) {
    const t = metrics.types[armType];
    metricTable[key] = {
      armType,
      metricNamespace: t.metricNamespace,
      metrics: Object.fromEntries(t.metrics.map((m: any) => [m.name, {
        aggregations: m.aggregations,
        dimensions: m.dimensions,
        minTimeGrain: [...m.timeGrains].sort((a: string, b: string) => isoMinutes(a) - isoMinutes(b))[0],
      }])),
    };
  }
  return { source, alerts, raw, metricTable };
}

function vendorPrometheus() {
  const source = readJson('prometheus/SOURCE.json');
  const alertsArm = readJson('prometheus/aks-recommended-alerts.arm.json');
  const recordingArm = readJson('prometheus/aks-default-recording-rules.arm.json');
  const groupSuffix = (name: string) => /'-([A-Za-z-]+)'\)\]$/.exec(name)?.[1] ?? name;
  const alertGroups = alertsArm.resources.map((r: any) => ({
    name: groupSuffix(r.name),
    interval: canonicalDuration(r.properties.interval),
    rules: r.properties.rules.map((rule: any) => ({
      alert: rule.alert,
      expression: rule.expression,
      for: canonicalDuration(rule.for),
      severity: rule.severity,
      labels: rule.labels ?? {},
      annotations: rule.annotations ?? {},
      autoResolved: rule.resolveConfiguration?.autoResolved ?? true,
      timeToResolve: canonicalDuration(rule.resolveConfiguration?.timeToResolve ?? 'PT10M'),
    })),
  }));
  // Linux only: MeshCluster's node pools are Linux (the Windows groups need the windows-exporter).
  const recordingGroups = recordingArm.resources
    .filter((r: any) => !/Win'\)\]$/.test(r.name))
    .map((r: any) => ({
      name: /variables\('(\w+)RecordingRuleGroupName'\)/.exec(r.name)?.[1] ?? r.name,
      interval: canonicalDuration(r.properties.interval),
      rules: r.properties.rules.map((rule: any) => ({ record: rule.record, expression: rule.expression })),
    }));
  return { source, alertGroups, recordingGroups, alertsArm };
}

function header(lines: string[]): string {
  return ['/* eslint-disable */', '// GENERATED by scripts/vendor-azure-monitor.ts from ../shared/azure-monitor: do not edit.', ...lines.map((l) => `// ${l}`), ''].join('\n');
}

function main(): void {
  const metrics = readJson('supported-metrics.json');
  const logs = readJson('supported-log-categories.json');
  const amba = vendorAmba(metrics);
  const prom = vendorPrometheus();
  fs.mkdirSync(TEST_OUT, { recursive: true });
  fs.mkdirSync(LIB_OUT, { recursive: true });

  const pick = (all: any, types: string[]) => ({
    _source: { ...all._source, prunedBy: 'scripts/vendor-azure-monitor.ts (types the library creates)' },
    types: Object.fromEntries(types.map((t) => [t, all.types[t]])),
  });
  const write = (file: string, data: unknown) => fs.writeFileSync(path.join(TEST_OUT, file), JSON.stringify(data, null, 1) + '\n');
  write('supported-metrics.json', pick(metrics, Object.keys(ALERTED_TYPES)));
  write('supported-log-categories.json', pick(logs, LOGGED_TYPES));
  write('amba-metric-alerts.json', { _source: { ...amba.source, note: 'type: Metric entries of alerts.yaml, fields verbatim' }, types: amba.raw });
  write('aks-recommended-alerts.arm.json', prom.alertsArm);
  fs.writeFileSync(path.join(TEST_OUT, 'istio-standard-metrics.yaml'), fs.readFileSync(path.join(DATA, 'prometheus', 'istio-standard-metrics.yaml')));
  fs.writeFileSync(path.join(TEST_OUT, 'SOURCE.md'), [
    '# Vendored Azure Monitor reference data',
    '',
    'Copied and pruned from `../shared/azure-monitor` by `scripts/vendor-azure-monitor.ts`; do not edit by hand.',
    '',
    `- AMBA alerts: ${amba.source.repo} @ ${amba.source.commit} (MIT, Copyright (c) Microsoft Corporation)`,
    `- AKS Prometheus alerts and recording rules: ${prom.source.repo} @ ${prom.source.commit} (MIT, Copyright (c) Microsoft Corporation)`,
    `- Supported metrics / log categories: ${metrics._source.base.repo} @ ${metrics._source.base.commit} (+ overlay rows, see _source in the files; CC BY 4.0)`,
    '- Istio standard metrics: istio/istio.io (see the file header; Apache 2.0 / CC BY 4.0)',
    '',
  ].join('\n'));

  fs.writeFileSync(path.join(LIB_OUT, 'amba.generated.ts'), header([
    `Azure Monitor Baseline Alerts: ${amba.source.repo} @ ${amba.source.commit} (MIT, Copyright (c) Microsoft Corporation).`,
    `Supported metrics: ${metrics._source.base.repo} @ ${metrics._source.base.commit} and the overlay rows it lists.`,
  ]) + [
    "import { CatalogMetricAlert, CatalogMetricTable } from './types';",
    '',
    '/** AMBA\'s recommended metric alerts per resource type (`adjustment` says where and why the library differs). */',
    `export const AMBA_METRIC_ALERTS: { readonly [resourceType: string]: CatalogMetricAlert[] } = ${JSON.stringify(amba.alerts, null, 2)};`,
    '',
    '/** Supported platform metrics of the alerted types: aggregations, dimensions and smallest time grain. */',
    `export const SUPPORTED_METRICS: { readonly [resourceType: string]: CatalogMetricTable } = ${JSON.stringify(amba.metricTable, null, 2)};`,
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(LIB_OUT, 'prometheus.generated.ts'), header([
    `Azure's recommended AKS Prometheus alerts and default recording rules: ${prom.source.repo} @ ${prom.source.commit}`,
    '(GeneratedMonitoringArtifacts/Default; MIT, Copyright (c) Microsoft Corporation). Durations in canonical ISO-8601.',
  ]) + [
    "import { CatalogPrometheusAlertGroup, CatalogRecordingGroup } from './types';",
    '',
    '/** The recommended alert rule groups (Cluster-level, Node-level, Pod-level). */',
    `export const AKS_RECOMMENDED_ALERT_GROUPS: CatalogPrometheusAlertGroup[] = ${JSON.stringify(prom.alertGroups, null, 2)};`,
    '',
    '/** The default Linux recording rule groups (node-exporter, kubernetes), which Azure\'s Grafana dashboards read. */',
    `export const AKS_DEFAULT_RECORDING_GROUPS: CatalogRecordingGroup[] = ${JSON.stringify(prom.recordingGroups, null, 2)};`,
    '',
  ].join('\n'));
  console.log(`AMBA: ${Object.entries(amba.alerts).map(([k, v]) => `${k} ${v.length}`).join(', ')}; `
    + `Prometheus: ${prom.alertGroups.map((g: any) => `${g.name} ${g.rules.length}`).join(', ')}; recording ${prom.recordingGroups.map((g: any) => `${g.name} ${g.rules.length}`).join(', ')}`);
}

main();
