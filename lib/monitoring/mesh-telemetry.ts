import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { Construct } from 'constructs';
import { Lazy } from '../core/cdktf';
import { IstioMode } from '../core/contracts';
import { ConstructValidationError } from '../core/errors';
import { checkNumber, checkPattern } from '../core/validate';
import { MeshConnection } from '../mesh-cluster/mesh-connection';

/** Distributed tracing of the mesh into Application Insights. */
export interface MeshTracingOptions {
  /**
   * Connection string of the Application Insights resource the spans land in (the one API Management logs
   * to, so that one trace spans both). Kept in a Kubernetes secret the collector reads.
   */
  readonly applicationInsightsConnectionString: string;
  /**
   * Percentage of requests traced when no caller decided (a `traceparent` from API Management with the sampled
   * flag is honoured).
   * @default 10
   */
  readonly samplingPercentage?: number;
  /**
   * OpenTelemetry Collector (contrib distribution, which has the Azure Monitor exporter) image, pinned.
   * @default "otel/opentelemetry-collector-contrib:0.115.1"
   */
  readonly collectorImage?: string;
}

/** Options of `GatewayMeshMonitoring.monitorMesh`. */
export interface MeshTelemetryOptions {
  /**
   * Istio tracing (OpenTelemetry, W3C trace context) through a collector into Application Insights.
   * @default - no tracing
   */
  readonly tracing?: MeshTracingOptions;
}

/** Props of `MeshTelemetry`. */
export interface MeshTelemetryProps extends MeshTelemetryOptions {
  /** The connected cluster. */
  readonly mesh: MeshConnection;
  /** Namespaces whose annotated pods (Istio proxies) managed Prometheus scrapes. */
  readonly scrapedNamespaces: string[];
}

/** Name of the Istio extension provider the Telemetry resource enables. */
export const TRACING_PROVIDER = 'otel-tracing';
const COLLECTOR_NAMESPACE = 'otel-collector';
const COLLECTOR_NAME = 'otel-collector';
const COLLECTOR_PORT = 4317;
const DEFAULT_COLLECTOR_IMAGE = 'otel/opentelemetry-collector-contrib:0.115.1';

/**
 * The in-cluster side of observability, in the connection's stack:
 *  - `ama-metrics-settings-configmap` (kube-system): managed Prometheus scrapes, by their
 *    `prometheus.io/*` annotations, the pods of the given namespaces: the Istio sidecars and gateways, which
 *    both Istio modes annotate for port 15020 `/stats/prometheus` (merged metrics), served in plain HTTP by
 *    the Istio agent (outside mTLS);
 *  - with tracing: an OpenTelemetry Collector (2 replicas, hardened) exporting to Application Insights, the
 *    Istio extension provider pointing at it (add-on: `istio-shared-configmap-<revision>`; Helm: istiod's
 *    `meshConfig`), and a mesh-wide `Telemetry` enabling it.
 */
export class MeshTelemetry extends Construct {
  /** The ama-metrics settings. */
  public readonly scrapeSettings: ConfigMapV1;
  /** Add-on mode with tracing: the shared mesh configuration. */
  public readonly sharedMeshConfig?: ConfigMapV1;
  /** With tracing: the mesh-wide Telemetry resource. */
  public readonly telemetry?: Manifest;
  /** With tracing: the collector's Deployment. */
  public readonly collector?: DeploymentV1;

  constructor(scope: Construct, id: string, props: MeshTelemetryProps) {
    super(scope, id);
    const mesh = props.mesh;
    const provider = mesh.kubernetesProvider;
    // Keys the ama-metrics add-on reads (Azure/prometheus-collector otelcollector/configmaps/ama-metrics-settings-configmap.yaml).
    this.scrapeSettings = new ConfigMapV1(this, 'ScrapeSettings', {
      provider,
      metadata: { name: 'ama-metrics-settings-configmap', namespace: 'kube-system' },
      data: {
        'schema-version': 'v1',
        'config-version': 'ver1',
        'pod-annotation-based-scraping': Lazy.stringValue({
          produce: () => `podannotationnamespaceregex = "${[...props.scrapedNamespaces].sort().map((ns) => `^${ns}$`).join('|')}"`,
        }),
      },
    });

    const tracing = props.tracing;
    if (!tracing) return;
    const sampling = tracing.samplingPercentage ?? 10;
    checkNumber(this, 'tracing.samplingPercentage', sampling, 0, 100);
    const image = tracing.collectorImage ?? DEFAULT_COLLECTOR_IMAGE;
    checkPattern(this, 'tracing.collectorImage', image, /^[a-z0-9./_-]+(:[\w][\w.-]{0,127}(@sha256:[a-f0-9]{64})?|@sha256:[a-f0-9]{64})$/,
      'an image pinned by a tag other than "latest" or by a digest');
    if (/:latest$/i.test(image)) throw new ConstructValidationError(this, 'tracing.collectorImage', image, 'an image pinned by a tag other than "latest" or by a digest.');

    const labels = { 'app.kubernetes.io/name': COLLECTOR_NAME };
    const namespace = new NamespaceV1(this, 'CollectorNamespace', { provider, metadata: { name: COLLECTOR_NAMESPACE, labels } });
    const secret = new SecretV1(this, 'CollectorSecret', {
      provider,
      metadata: { name: `${COLLECTOR_NAME}-appinsights`, namespace: namespace.metadata.name },
      data: { 'connection-string': tracing.applicationInsightsConnectionString },
    });
    // `$${...}` is Terraform's escape: the collector sees `${env:...}` and reads the secret from its environment.
    const config = [
      'receivers:',
      '  otlp:',
      '    protocols:',
      `      grpc: { endpoint: "0.0.0.0:${COLLECTOR_PORT}" }`,
      'processors:',
      '  batch: {}',
      '  memory_limiter: { check_interval: 1s, limit_percentage: 80, spike_limit_percentage: 20 }',
      'exporters:',
      '  azuremonitor:',
      '    connection_string: "$${env:APPLICATIONINSIGHTS_CONNECTION_STRING}"',
      'extensions:',
      '  health_check: { endpoint: "0.0.0.0:13133" }',
      'service:',
      '  extensions: [health_check]',
      '  pipelines:',
      '    traces: { receivers: [otlp], processors: [memory_limiter, batch], exporters: [azuremonitor] }',
      '',
    ].join('\n');
    const configMap = new ConfigMapV1(this, 'CollectorConfig', {
      provider,
      metadata: { name: COLLECTOR_NAME, namespace: namespace.metadata.name },
      data: { 'config.yaml': config },
    });
    const probe = (path: string) => ({ httpGet: { path, port: '13133' }, periodSeconds: 10 });
    this.collector = new DeploymentV1(this, 'Collector', {
      provider,
      metadata: { name: COLLECTOR_NAME, namespace: namespace.metadata.name, labels },
      spec: {
        replicas: '2',
        selector: { matchLabels: labels },
        template: {
          metadata: { labels, annotations: { 'checksum/config': config.length.toString() } },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: '10001', runAsGroup: '10001', seccompProfile: { type: 'RuntimeDefault' } },
            topologySpreadConstraint: [{
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: [{ matchLabels: labels }],
            }],
            container: [{
              name: 'collector',
              image,
              args: ['--config=/conf/config.yaml'],
              port: [{ name: 'otlp-grpc', containerPort: COLLECTOR_PORT }, { name: 'health', containerPort: 13133 }],
              env: [{
                name: 'APPLICATIONINSIGHTS_CONNECTION_STRING',
                valueFrom: { secretKeyRef: { name: secret.metadata.name, key: 'connection-string' } },
              }],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
              livenessProbe: probe('/'),
              readinessProbe: probe('/'),
              volumeMount: [{ name: 'config', mountPath: '/conf', readOnly: true }],
            }],
            volume: [{ name: 'config', configMap: { name: configMap.metadata.name } }],
          },
        },
      },
    });
    new PodDisruptionBudgetV1(this, 'CollectorDisruptionBudget', {
      provider,
      metadata: { name: COLLECTOR_NAME, namespace: namespace.metadata.name, labels },
      spec: { minAvailable: '1', selector: { matchLabels: labels } },
    });
    const service = new ServiceV1(this, 'CollectorService', {
      provider,
      metadata: { name: COLLECTOR_NAME, namespace: namespace.metadata.name, labels },
      spec: { selector: labels, port: [{ name: 'grpc-otlp', port: COLLECTOR_PORT, targetPort: 'otlp-grpc', appProtocol: 'grpc' }] },
    });

    const collectorHost = `${COLLECTOR_NAME}.${COLLECTOR_NAMESPACE}.svc.cluster.local`;
    if (mesh.istioMode === IstioMode.AKS_ADDON) {
      // The add-on merges this map into its mesh config (its own settings win); extensionProviders is a supported field.
      this.sharedMeshConfig = new ConfigMapV1(this, 'SharedMeshConfig', {
        provider,
        metadata: { name: `istio-shared-configmap-${mesh.revision}`, namespace: mesh.rootNamespace },
        data: {
          mesh: [
            'extensionProviders:',
            `- name: ${TRACING_PROVIDER}`,
            '  opentelemetry:',
            `    service: ${collectorHost}`,
            `    port: ${COLLECTOR_PORT}`,
            '',
          ].join('\n'),
        },
      });
    } else {
      const istiod = mesh.istioInstall?.istiodRelease;
      if (!istiod) {
        throw new ConstructValidationError(this, 'mesh', mesh.node.path, 'a Helm-mode connection that installs Istio (its istiod release carries the tracing provider).');
      }
      const current = (istiod.set.internalValue ?? []) as Array<{ name: string; value?: string; type?: string }>;
      istiod.putSet([
        ...current,
        { name: 'meshConfig.extensionProviders[0].name', value: TRACING_PROVIDER },
        { name: 'meshConfig.extensionProviders[0].opentelemetry.service', value: collectorHost },
        { name: 'meshConfig.extensionProviders[0].opentelemetry.port', value: String(COLLECTOR_PORT) },
      ]);
    }
    this.telemetry = new Manifest(this, 'Telemetry', {
      provider,
      manifest: {
        apiVersion: 'telemetry.istio.io/v1',
        kind: 'Telemetry',
        metadata: { name: 'mesh-default', namespace: mesh.rootNamespace },
        spec: { tracing: [{ providers: [{ name: TRACING_PROVIDER }], randomSamplingPercentage: sampling }] },
      },
      dependsOn: [service, ...(this.sharedMeshConfig ? [this.sharedMeshConfig] : [])],
    });
  }
}
