import { DeploymentV1, DeploymentV1SpecTemplateSpecContainerLivenessProbe } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { HorizontalPodAutoscalerV2 } from '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { Construct } from 'constructs';
import { MeshNamespace } from './mesh-namespace';
import { DNS_1035_LABEL, DNS_1035_LABEL_TEXT, DNS_1123_LABEL, DNS_1123_LABEL_TEXT, kebab, sanitize } from './names';
import { directedPolicy, namespaceOfPrincipal, peerSelector } from './network-policy';
import {
  AllowFromOptions, ExposeViaGatewayOptions, IstioTlsMode, MeshConnectionPool, MeshDuration, MeshFaultInjection, MeshOutlierDetection,
  MeshPort, MeshProbe, MeshProbeType, MeshResources, MeshRoute, MeshVersion,
} from './types';
import { Lazy } from '../core/cdktf';
import { IApiBackend, IBackendNetwork, IMesh, IMeshPeer } from '../core/contracts';
import { ConstructValidationError, describeConstruct, isUnresolved } from '../core/errors';
import { checkGuid, checkHeaderName, checkImage, checkInteger, checkLists, checkNumber, checkObject, checkPattern, checkPropsObject, checkRequired, checkUnique } from '../core/validate';

/** Props of `MeshService`. */
export interface MeshServiceProps {
  /** The mesh the service joins (the in-cluster side of `MeshCluster`, or any `IMesh`). */
  readonly mesh: IMesh;
  /** Pinned container image of the primary version: a tag other than `latest`, or a digest (`@sha256:...`). */
  readonly image: string;
  /**
   * Name of the Service, Deployment and service account (a DNS-1035 label).
   * @default - the construct id in kebab case (`ServiceA` becomes `service-a`)
   */
  readonly name?: string;
  /**
   * The namespace, to share it with other services.
   * @default - a `MeshNamespace` named after the service, created as child `Namespace` of this construct
   */
  readonly namespace?: MeshNamespace;
  /**
   * Ports of the service. The first one is the default for probes.
   * @default [MeshPort.http(8080)]
   */
  readonly ports?: MeshPort[];
  /**
   * Entrypoint of the container.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Arguments of the entrypoint.
   * @default - the image's command
   */
  readonly args?: string[];
  /**
   * Environment variables of the container (plain values; secrets belong in a secret store).
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * CPU and memory requests and limits.
   * @default - 100m/500m CPU, 128Mi/256Mi memory
   */
  readonly resources?: MeshResources;
  /**
   * Liveness probe.
   * @default - a TCP probe of the first port
   */
  readonly livenessProbe?: MeshProbe;
  /**
   * Readiness probe.
   * @default - a TCP probe of the first port
   */
  readonly readinessProbe?: MeshProbe;
  /**
   * Fewest pods of the primary version (the autoscaler's minimum).
   * @default 2
   */
  readonly minReplicas?: number;
  /**
   * Most pods of the primary version.
   * @default 10
   */
  readonly maxReplicas?: number;
  /**
   * Average CPU use, in percent of the request, that the autoscaler aims at.
   * @default 70
   */
  readonly targetCpuUtilization?: number;
  /**
   * Opt-out: allow a single replica (`minReplicas: 1`, versions with `replicas: 1`). A single pod goes down at
   * every node drain; the PodDisruptionBudget then only allows one pod down at a time instead of keeping one up.
   * @default false
   */
  readonly allowSingleReplica?: boolean;
  /**
   * UID and GID the container runs as (not 0, not 1337, the Istio proxy's UID).
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * Paths that stay writable under the read-only root file system, each an `emptyDir` volume.
   * @default ["/tmp"]
   */
  readonly writablePaths?: string[];
  /**
   * Mount the service account's token in the pod (only needed to call the Kubernetes API).
   * The Istio sidecar and Azure workload identity get their own tokens either way.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
  /**
   * Client id of an Entra ID managed identity for Azure workload identity (annotates the service account and
   * labels the pods `azure.workload.identity/use`).
   * @default - no workload identity
   */
  readonly workloadIdentityClientId?: string;
  /**
   * Version label of the primary Deployment, and name of its DestinationRule subset.
   * @default "v1"
   */
  readonly primaryVersion?: string;
  /**
   * Additional versions (canaries), each its own Deployment and subset. They get traffic only from routes
   * that name them.
   * @default - the primary version only
   */
  readonly versions?: MeshVersion[];
  /**
   * HTTP routes, in order, used in the mesh and at the gateway. Needs an HTTP or gRPC port.
   * @default - one route sending all traffic to the primary version
   */
  readonly routes?: MeshRoute[];
  /**
   * Connection pool limits (circuit breaking) that callers' sidecars apply.
   * @default - Istio's defaults (no limits)
   */
  readonly connectionPool?: MeshConnectionPool;
  /**
   * Outlier detection that callers' sidecars apply.
   * @default - none
   */
  readonly outlierDetection?: MeshOutlierDetection;
  /**
   * TLS mode of the DestinationRule. Only `ISTIO_MUTUAL` is accepted; the prop exists so that a policy
   * carried over from a manifest fails loudly instead of turning mTLS off.
   * @default IstioTlsMode.ISTIO_MUTUAL
   */
  readonly tlsMode?: IstioTlsMode;
}

/** Istio's reserved ports (sidecar, agent, telemetry) and UID: an application must not use them. */
const ISTIO_RESERVED_PORTS = [15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090];
const ISTIO_PROXY_UID = 1337;
const INT32_MAX = 2_147_483_647;
const MAX_DURATION_MS = 365 * 24 * 3600 * 1000;
const QUANTITY = /^([0-9]+(\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const PRINCIPAL = /^[A-Za-z0-9.-]+\/ns\/[a-z0-9]([-a-z0-9]*[a-z0-9])?\/sa\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;

interface PeerPolicy {
  readonly principal: string;
  readonly policy: Manifest;
  readonly rules: unknown[];
  readonly ruleKeys: Set<string>;
  /** The NetworkPolicy admitting the peer's pods to this service's pods, and its container ports. */
  readonly ingressPolicy: NetworkPolicyV1;
  /** When the peer is a MeshService: the NetworkPolicy letting its pods out to this service's pods. */
  readonly egressPolicy?: NetworkPolicyV1;
  readonly ports: Set<number>;
}

/**
 * A workload in the mesh: its Deployment (hardened), Service, service account, autoscaler and disruption
 * budget, the Istio traffic policy to it (VirtualService routes, DestinationRule with ISTIO_MUTUAL, subsets,
 * circuit breaking) and who may call it: nothing, until `allowFrom(peer)` adds an ALLOW AuthorizationPolicy
 * naming the caller by principal. `exposeViaGateway()` routes the mesh's ingress gateway to it and allows
 * exactly the gateway; the service is then an `IApiBackend` for API Management.
 *
 * Goes in the workloads stack, next to (not in) the stack that creates the cluster: `kubernetes_manifest`
 * reads the cluster's API at plan time.
 *
 * @example
 * const orders = new MeshService(workloads, 'Orders', {
 *   mesh, image: 'shop.azurecr.io/orders:1.4.2', ports: [MeshPort.http(8080)],
 *   readinessProbe: MeshProbe.httpGet('/ready', { port: 8080 }),
 * });
 * orders.exposeViaGateway();
 */
export class MeshService extends Construct implements IMeshPeer, IApiBackend {
  /** Name of the Service, Deployment and service account. */
  public readonly name: string;
  /** The mesh the service is in. */
  public readonly mesh: IMesh;
  /** The service's namespace. */
  public readonly namespace: MeshNamespace;
  /** `cluster.local/ns/<namespace>/sa/<name>`: how callees name this service in `allowFrom`. */
  public readonly principal: string;
  /** Short name used in the ids and names of the policies that allow this service. */
  public readonly peerName: string;
  /** Labels of this service's pods (`app: <name>`), for the NetworkPolicies of the services it may call. */
  public readonly podLabels?: { [key: string]: string };
  private readonly appLabels: { [key: string]: string };
  /** In-cluster host name, `<name>.<namespace>.svc.cluster.local`. */
  public readonly host: string;
  /** The service's ports. */
  public readonly ports: MeshPort[];
  /** Version label of the primary Deployment. */
  public readonly primaryVersion: string;
  /** The primary Deployment. */
  public readonly resource: DeploymentV1;
  /** The Deployments of the additional versions, in the order of `versions`. */
  public readonly versionDeployments: DeploymentV1[];
  /** The service account, whose identity is the service's principal. */
  public readonly serviceAccount: ServiceAccountV1;
  /** The Kubernetes Service. */
  public readonly service: ServiceV1;
  /** The autoscaler of the primary Deployment. */
  public readonly autoscaler: HorizontalPodAutoscalerV2;
  /** The PodDisruptionBudget of the service's pods. */
  public readonly disruptionBudget: PodDisruptionBudgetV1;
  /** The DestinationRule (ISTIO_MUTUAL, subsets, connection pool, outlier detection). */
  public readonly destinationRule: Manifest;
  /** The VirtualService used inside the mesh; none for a service without HTTP or gRPC port. */
  public readonly virtualService?: Manifest;

  private readonly subsets: string[];
  private readonly routes: MeshRoute[];
  private readonly peerPolicies = new Map<string, PeerPolicy>();
  private gatewayVs?: Manifest;
  private usedAsBackend = false;

  constructor(scope: Construct, id: string, props: MeshServiceProps) {
    super(scope, id);
    props = checkPropsObject(this, 'props', props);
    checkRequired(this, 'mesh', props.mesh);
    checkLists(this, props, ['ports', 'command', 'args', 'writablePaths', 'versions', 'routes']);
    (props.routes ?? []).forEach((route, i) => {
      checkObject(this, `routes[${i}]`, route);
      checkLists(this, route, ['destinations'], `routes[${i}].`);
      checkObject(this, `routes[${i}].match`, route.match);
      checkObject(this, `routes[${i}].match.headers`, route.match?.headers);
      Object.keys(route.match?.headers ?? {}).forEach((name) => checkHeaderName(this, `routes[${i}].match.headers`, name, true));
    });
    (props.versions ?? []).forEach((version, i) => checkObject(this, `versions[${i}]`, version));
    for (const prop of ['env', 'resources', 'connectionPool', 'outlierDetection'] as const) checkObject(this, prop, props[prop]);
    checkGuid(this, 'workloadIdentityClientId', props.workloadIdentityClientId, 'the client id of the user-assigned identity');
    checkRequired(this, 'image', props.image);
    this.mesh = props.mesh;
    this.name = props.name ?? kebab(id);
    checkPattern(this, 'name', this.name, DNS_1035_LABEL, DNS_1035_LABEL_TEXT);
    checkImage(this, 'image', props.image);

    this.ports = props.ports ?? [MeshPort.http(8080)];
    if (this.ports.length === 0) {
      throw new ConstructValidationError(this, 'ports', this.ports, 'expected at least one port: a mesh workload must belong to a Service.');
    }
    this.ports.forEach((port, i) => {
      checkPort(this, `ports[${i}].port`, port.port);
      checkPort(this, `ports[${i}].containerPort`, port.containerPort);
    });
    checkUnique(this, 'ports', this.ports, (p) => String(p.port));
    checkUnique(this, 'ports (containerPort)', this.ports, (p) => String(p.containerPort));

    const allowSingle = props.allowSingleReplica ?? false;
    const minReplicas = props.minReplicas ?? 2;
    checkReplicas(this, 'minReplicas', minReplicas, allowSingle);
    const maxReplicas = props.maxReplicas ?? Math.max(10, minReplicas);
    checkInteger(this, 'maxReplicas', maxReplicas, minReplicas, 1000);
    const targetCpu = props.targetCpuUtilization ?? 70;
    checkInteger(this, 'targetCpuUtilization', targetCpu, 1, 100);
    const runAsUser = props.runAsUser ?? 10001;
    checkInteger(this, 'runAsUser', runAsUser, 1, INT32_MAX);
    if (runAsUser === ISTIO_PROXY_UID) {
      throw new ConstructValidationError(this, 'runAsUser', runAsUser, 'expected a UID other than 1337, which Istio reserves for its sidecar proxy (its traffic bypasses the proxy).');
    }
    const writablePaths = props.writablePaths ?? ['/tmp'];
    writablePaths.forEach((path, i) => checkPattern(this, `writablePaths[${i}]`, path, /^\/[^/\s]\S*$/, 'an absolute path other than "/"'));
    checkUnique(this, 'writablePaths', writablePaths, (p) => p);
    for (const name of Object.keys(props.env ?? {})) {
      checkPattern(this, `env.${name}`, name, /^[-._a-zA-Z][-._a-zA-Z0-9]*$/, 'an environment variable name: letters, digits, "_", "-" and ".", not starting with a digit');
    }
    const resources = resolveResources(this, props.resources ?? {});

    this.primaryVersion = props.primaryVersion ?? 'v1';
    checkPattern(this, 'primaryVersion', this.primaryVersion, DNS_1123_LABEL, DNS_1123_LABEL_TEXT);
    const versions = props.versions ?? [];
    versions.forEach((version, i) => {
      checkRequired(this, `versions[${i}].name`, version.name);
      checkPattern(this, `versions[${i}].name`, version.name, DNS_1123_LABEL, DNS_1123_LABEL_TEXT);
      checkRequired(this, `versions[${i}].image`, version.image);
      checkImage(this, `versions[${i}].image`, version.image);
      checkReplicas(this, `versions[${i}].replicas`, version.replicas ?? 2, allowSingle);
    });
    this.subsets = [this.primaryVersion, ...versions.map((v) => v.name)];
    checkUnique(this, 'versions', this.subsets, (v) => v);

    const layer7 = this.ports.some((p) => p.isLayer7);
    this.routes = props.routes ?? [];
    if (this.routes.length > 0 && !layer7) {
      throw new ConstructValidationError(this, 'routes', `${this.routes.length} route(s)`, 'expected an HTTP or gRPC port: routes are HTTP routes; a TCP-only service takes no routes.');
    }
    this.routes.forEach((route, i) => this.checkRoute(route, `routes[${i}]`));
    const tlsMode = props.tlsMode ?? IstioTlsMode.ISTIO_MUTUAL;
    if (tlsMode !== IstioTlsMode.ISTIO_MUTUAL) {
      throw new ConstructValidationError(this, 'tlsMode', tlsMode,
        'expected ISTIO_MUTUAL: traffic between sidecars is mutual TLS with Istio\'s certificates; DISABLE sends plain text (refused under STRICT PeerAuthentication), SIMPLE and MUTUAL are for servers outside the mesh.');
    }
    if (props.connectionPool) checkConnectionPool(this, props.connectionPool);
    if (props.outlierDetection) checkOutlierDetection(this, props.outlierDetection);

    this.namespace = props.namespace ?? new MeshNamespace(this, 'Namespace', { mesh: props.mesh, name: this.name });
    this.namespace._registerService(this, this.name);
    const ns = this.namespace.name;
    this.principal = `cluster.local/ns/${ns}/sa/${this.name}`;
    this.peerName = ns === this.name ? this.name : `${ns}-${this.name}`;
    this.appLabels = { app: this.name };
    this.podLabels = this.appLabels;
    this.host = `${this.name}.${ns}.svc.cluster.local`;
    const nsRef = this.namespace.resource.metadata.name;
    const appLabels = { app: this.name };

    const automount = props.automountServiceAccountToken ?? false;
    this.serviceAccount = new ServiceAccountV1(this, 'ServiceAccount', {
      metadata: {
        name: this.name,
        namespace: nsRef,
        labels: appLabels,
        annotations: props.workloadIdentityClientId ? { 'azure.workload.identity/client-id': props.workloadIdentityClientId } : undefined,
      },
      automountServiceAccountToken: automount,
    });

    const probe = (p: MeshProbe | undefined, prop: string) => renderProbe(this, prop, p ?? MeshProbe.tcpSocket(), this.ports[0].containerPort);
    const livenessProbe = probe(props.livenessProbe, 'livenessProbe');
    const readinessProbe = probe(props.readinessProbe, 'readinessProbe');
    const deployment = (childId: string, deploymentName: string, version: string, image: string, replicas: number, autoscaled: boolean) => {
      const selector = { app: this.name, version };
      const podLabels = {
        ...selector,
        ...(props.workloadIdentityClientId ? { 'azure.workload.identity/use': 'true' } : {}),
      };
      return new DeploymentV1(this, childId, {
        metadata: { name: deploymentName, namespace: nsRef, labels: selector },
        spec: {
          replicas: String(replicas),
          selector: { matchLabels: selector },
          template: {
            metadata: { labels: podLabels, annotations: { 'kubectl.kubernetes.io/default-container': this.name } },
            spec: {
              serviceAccountName: this.serviceAccount.metadata.name,
              automountServiceAccountToken: automount,
              enableServiceLinks: false,
              securityContext: {
                runAsNonRoot: true,
                runAsUser: String(runAsUser),
                runAsGroup: String(runAsUser),
                fsGroup: String(runAsUser),
                seccompProfile: { type: 'RuntimeDefault' },
              },
              container: [{
                name: this.name,
                image,
                imagePullPolicy: 'Always',
                command: props.command,
                args: props.args,
                env: props.env && Object.keys(props.env).length > 0
                  ? Object.entries(props.env).map(([name, value]) => ({ name, value }))
                  : undefined,
                port: this.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: 'TCP' })),
                resources: {
                  requests: { cpu: resources.cpuRequest, memory: resources.memoryRequest },
                  limits: { cpu: resources.cpuLimit, memory: resources.memoryLimit },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  runAsUser: String(runAsUser),
                  runAsGroup: String(runAsUser),
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                livenessProbe,
                readinessProbe,
                volumeMount: writablePaths.map((mountPath, i) => ({ name: `writable-${i}`, mountPath })),
              }],
              volume: writablePaths.map((_, i) => ({ name: `writable-${i}`, emptyDir: {} })),
              // Soft spreading over zones and nodes, so that one zone or node going down leaves pods running.
              topologySpreadConstraint: ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
                maxSkew: 1,
                topologyKey,
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: [{ matchLabels: selector }],
              })),
            },
          },
        },
        // The autoscaler owns the replica count once the Deployment exists.
        lifecycle: autoscaled ? { ignoreChanges: ['spec[0].replicas'] } : undefined,
      });
    };
    this.resource = deployment('Resource', this.name, this.primaryVersion, props.image, minReplicas, true);
    this.versionDeployments = versions.map((v) => deployment(`Deployment-${v.name}`, `${this.name}-${v.name}`, v.name, v.image, v.replicas ?? 2, false));

    this.service = new ServiceV1(this, 'Service', {
      metadata: { name: this.name, namespace: nsRef, labels: appLabels },
      spec: {
        type: 'ClusterIP',
        selector: appLabels,
        // appProtocol tells Istio the protocol, whatever the port's name.
        port: this.ports.map((p) => ({ name: p.name, port: p.port, targetPort: String(p.containerPort), protocol: 'TCP', appProtocol: p.protocol })),
      },
    });

    this.autoscaler = new HorizontalPodAutoscalerV2(this, 'Autoscaler', {
      metadata: { name: this.name, namespace: nsRef, labels: appLabels },
      spec: {
        minReplicas,
        maxReplicas,
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.resource.metadata.name },
        metric: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: targetCpu } } }],
      },
    });

    this.disruptionBudget = new PodDisruptionBudgetV1(this, 'DisruptionBudget', {
      metadata: { name: this.name, namespace: nsRef, labels: appLabels },
      spec: {
        // With one replica, "keep one up" would block every node drain: allow one down instead.
        ...(minReplicas < 2 ? { maxUnavailable: '1' } : { minAvailable: '1' }),
        selector: { matchLabels: appLabels },
      },
    });

    this.destinationRule = this.istio('DestinationRule', 'networking.istio.io/v1', 'DestinationRule', this.name, {
      host: this.host,
      trafficPolicy: compact({
        tls: { mode: IstioTlsMode.ISTIO_MUTUAL },
        connectionPool: props.connectionPool ? renderConnectionPool(props.connectionPool) : undefined,
        outlierDetection: props.outlierDetection ? renderOutlierDetection(props.outlierDetection) : undefined,
      }),
      subsets: this.subsets.map((version) => ({ name: version, labels: { version } })),
    });

    if (layer7) {
      // The sidecar builds routes per port, so the destination port is left to the port the caller used.
      this.virtualService = this.istio('VirtualService', 'networking.istio.io/v1', 'VirtualService', this.name, {
        hosts: [this.host],
        http: this.renderRoutes(),
      });
    }

    this.node.addValidation({
      validate: () => (this.usedAsBackend && !this.gatewayVs
        ? [`${describeConstruct(this)}: used as an API backend (backendUrl or backendHostName was read) but not exposed: call exposeViaGateway() so that the ingress gateway routes to it and may call it.`]
        : []),
    });
  }

  /** `https://<name>.<mesh.hostDomain>`: the URL API Management calls, through the ingress gateway. Needs `exposeViaGateway()`. */
  public get backendUrl(): string {
    return `https://${this.backendHostName}`;
  }

  /** `<name>.<mesh.hostDomain>`: the host the gateway's VirtualService answers to. Needs `exposeViaGateway()`. */
  public get backendHostName(): string {
    this.usedAsBackend = true;
    return `${this.name}.${this.mesh.hostDomain}`;
  }

  /** Where API Management reaches this service in the VNet: the mesh's internal ingress gateway. */
  public get network(): IBackendNetwork | undefined {
    return this.mesh.ingressGatewayNetwork;
  }

  /** The VirtualService bound to the ingress gateway, once `exposeViaGateway()` was called. */
  public get gatewayVirtualService(): Manifest | undefined {
    return this.gatewayVs;
  }

  /** The ALLOW AuthorizationPolicies of this service, one per allowed peer. */
  public get authorizationPolicies(): Manifest[] {
    return [...this.peerPolicies.values()].map((p) => p.policy);
  }

  /** The NetworkPolicies admitting each allowed peer's pods (one per peer, written by `allowFrom`). */
  public get networkPolicies(): NetworkPolicyV1[] {
    return [...this.peerPolicies.values()].map((p) => p.ingressPolicy);
  }

  /**
   * Allows `peer` to call this service: an ALLOW AuthorizationPolicy (id `AllowFrom-<peerName>`) naming the
   * peer by principal, limited to the service's ports (or `options.ports`) and optionally to methods and paths.
   *
   * Idempotent like aws-cdk's `connections.allowFrom`: allowing the same peer again with the same options adds
   * nothing; with other options it adds a rule to the same policy. Returns the peer's policy.
   *
   * The same call writes the L3/L4 side: a NetworkPolicy (id `NetworkPolicyFrom-<peerName>`) admitting the peer's
   * pods (its principal's namespace, and `peer.podLabels` when given) to this service's pods on the same container
   * ports, and, when the peer is a `MeshService` (whose namespace denies egress by default), one in the peer
   * (id `NetworkPolicyTo-<this peerName>`) letting its pods out to this service. For other peers, egress from
   * their namespace is theirs to allow.
   * @example
   * stock.allowFrom(orders);                                          // ALLOW cluster.local/ns/orders/sa/orders
   * payments.allowFrom(orders, { methods: ['POST'], paths: ['/payments'] });
   * reviews.allowFrom(MeshPeer.fromServiceAccount('orders', 'orders'));  // a caller of another stack, by identity
   */
  public allowFrom(peer: IMeshPeer, options: AllowFromOptions = {}): Manifest {
    checkRequired(this, 'peer', peer);
    options = checkPropsObject(this, 'options', options, true);
    checkLists(this, options, ['methods', 'paths', 'ports'], 'options.');
    if (peer instanceof MeshService && !sameMesh(peer.mesh, this.mesh)) {
      throw new ConstructValidationError(this, 'peer', peer.node.path,
        'expected a service of the same mesh: this one joins another cluster\'s mesh, whose identities this mesh does not trust (Istio multi-cluster is not set up by this library); use MeshPeer.fromPrincipal for a federated identity.');
    }
    checkRequired(this, 'peer.principal', peer.principal);
    checkPattern(this, 'peer.principal', peer.principal, PRINCIPAL,
      'a principal "<trust domain>/ns/<namespace>/sa/<service account>" naming one service account (no wildcards)');
    if (peer.principal === this.principal) {
      throw new ConstructValidationError(this, 'peer', peer.principal, 'expected another workload: a service cannot allow itself.');
    }
    (options.methods ?? []).forEach((m, i) => checkPattern(this, `options.methods[${i}]`, m, /^[A-Z]+$/, 'an HTTP method in upper case, e.g. "GET"'));
    (options.paths ?? []).forEach((p, i) => checkPattern(this, `options.paths[${i}]`, p, /^(\/\S*|\*\S+)$/, 'an exact path ("/orders"), a prefix ("/orders/*") or a suffix ("*.json")'));
    const ports = (options.ports ?? this.ports.map((p) => p.port)).map((number, i) => {
      const port = this.ports.find((p) => p.port === number);
      if (!port) {
        throw new ConstructValidationError(this, `options.ports[${i}]`, number, `expected a port of the service: ${this.ports.map((p) => p.port).join(', ')}.`);
      }
      return port;
    });

    const peerName = sanitize(peer.peerName ?? '');
    let entry = this.peerPolicies.get(peerName);
    if (entry && entry.principal !== peer.principal) {
      throw new ConstructValidationError(this, 'peer.peerName', peer.peerName,
        `another peer of this name (${entry.principal}) is already allowed; give each peer a distinct peerName (ids and policy names derive from it).`);
    }
    if (!entry) {
      const rules: unknown[] = [];
      const policy = this.istio(`AllowFrom-${peerName}`, 'security.istio.io/v1', 'AuthorizationPolicy',
        `${this.name}-from-${peerName}`.slice(0, 253).replace(/-+$/, ''), {
          selector: { matchLabels: { app: this.name } },
          action: 'ALLOW',
          // Lazy: rules added by later calls still render.
          rules: Lazy.anyValue({ produce: () => rules }),
        });
      // L3/L4, from the same call: the peer's pods (its namespace, and its pod labels when known) may reach
      // this service's pods on the same container ports; a MeshService peer's namespace, which denies egress
      // by default, lets its pods out to this service.
      const netPorts = new Set<number>();
      const ingressPolicy = directedPolicy(this, `NetworkPolicyFrom-${peerName}`, {
        name: `${this.name}-from-${peerName}`,
        namespace: this.namespace.resource.metadata.name,
        podLabels: this.appLabels,
        direction: 'Ingress',
        peer: peerSelector(namespaceOfPrincipal(peer.principal), peer.podLabels),
        ports: netPorts,
      });
      const egressPolicy = peer instanceof MeshService
        ? directedPolicy(peer, `NetworkPolicyTo-${this.peerName}`, {
          name: `${peer.name}-to-${this.peerName}`,
          namespace: peer.namespace.resource.metadata.name,
          podLabels: peer.appLabels,
          direction: 'Egress',
          peer: peerSelector(this.namespace.name, this.appLabels),
          ports: netPorts,
        })
        : undefined;
      entry = { principal: peer.principal, policy, rules, ruleKeys: new Set(), ingressPolicy, egressPolicy, ports: netPorts };
      this.peerPolicies.set(peerName, entry);
    }
    ports.forEach((p) => entry!.ports.add(p.containerPort));
    const operation = compact({
      // AuthorizationPolicy ports are the workload's (container) ports.
      ports: [...new Set(ports.map((p) => String(p.containerPort)))].sort(),
      methods: options.methods && options.methods.length > 0 ? [...new Set(options.methods)].sort() : undefined,
      paths: options.paths && options.paths.length > 0 ? [...new Set(options.paths)].sort() : undefined,
    });
    const key = JSON.stringify(operation);
    if (!entry.ruleKeys.has(key)) {
      entry.ruleKeys.add(key);
      entry.rules.push({ from: [{ source: { principals: [peer.principal] } }], to: [{ operation }] });
    }
    return entry.policy;
  }

  /**
   * Routes the mesh's ingress gateway to this service: a VirtualService (id `GatewayVirtualService`) bound to
   * `mesh.gatewayRef` for host `<name>.<mesh.hostDomain>`, with the service's routes, and an ALLOW policy for
   * exactly `mesh.ingressGatewayPeer` on that port. Call it once. Returns the VirtualService.
   *
   * @example
   * orders.exposeViaGateway();   // https://orders.mesh.internal through the internal ingress gateway
   * api.addApi('Orders', { path: 'orders', backend: orders,
   *   operations: [{ operationId: 'list', method: HttpMethod.GET, urlTemplate: '/orders' }] });
   */
  public exposeViaGateway(options: ExposeViaGatewayOptions = {}): Manifest {
    options = checkPropsObject(this, 'options', options, true);
    if (this.gatewayVs) {
      throw new ConstructValidationError(this, 'exposeViaGateway', this.name, 'the service is already exposed through the gateway; call exposeViaGateway() once.');
    }
    const candidates = this.ports.filter((p) => p.isLayer7);
    const port = options.port === undefined ? candidates[0] : candidates.find((p) => p.port === options.port);
    if (!port) {
      throw new ConstructValidationError(this, 'options.port', options.port,
        `expected an HTTP or gRPC port of the service (${candidates.map((p) => p.port).join(', ') || 'it has none'}): the gateway routes HTTP.`);
    }
    const hostName = `${this.name}.${this.mesh.hostDomain}`;
    this.gatewayVs = this.istio('GatewayVirtualService', 'networking.istio.io/v1', 'VirtualService', `${this.name}-gateway`, {
      hosts: [hostName],
      gateways: [this.mesh.gatewayRef],
      // The gateway listens on its own port: name the service port.
      http: this.renderRoutes(port.port),
    });
    this.allowFrom(this.mesh.ingressGatewayPeer, { ports: [port.port] });
    return this.gatewayVs;
  }

  private istio(id: string, apiVersion: string, kind: string, name: string, spec: { [key: string]: unknown }): Manifest {
    return new Manifest(this, id, {
      manifest: { apiVersion, kind, metadata: { name, namespace: this.namespace.name }, spec },
      // Literal namespace (the manifest is planned against the API) and an explicit order instead.
      dependsOn: [this.namespace.resource],
    });
  }

  private renderRoutes(port?: number): unknown[] {
    const routes: MeshRoute[] = this.routes.length > 0 ? this.routes : [{}];
    const withSubsets = this.subsets.length > 1;
    return routes.map((route) => {
      const destinations = route.destinations && route.destinations.length > 0
        ? route.destinations
        : [{ version: this.primaryVersion }];
      const match = route.match;
      return compact({
        name: route.name,
        match: match && Object.values(match).some((v) => v !== undefined) ? [compact({
          uri: match.pathExact !== undefined ? { exact: match.pathExact } : match.pathPrefix !== undefined ? { prefix: match.pathPrefix } : undefined,
          method: match.method !== undefined ? { exact: match.method } : undefined,
          headers: match.headers && Object.keys(match.headers).length > 0
            ? Object.fromEntries(Object.entries(match.headers).map(([k, v]) => [k, { exact: v }]))
            : undefined,
        })] : undefined,
        route: destinations.map((d) => compact({
          destination: compact({
            host: this.host,
            port: port !== undefined ? { number: port } : undefined,
            // Without versions every pod is the primary version: no subset needed.
            subset: withSubsets || route.destinations ? d.version : undefined,
          }),
          weight: destinations.length > 1 ? d.weight ?? 0 : undefined,
        })),
        timeout: route.timeout?.toIstioString(),
        retries: route.retries ? compact({
          attempts: route.retries.attempts,
          perTryTimeout: route.retries.perTryTimeout?.toIstioString(),
          retryOn: route.retries.retryOn && route.retries.retryOn.length > 0 ? route.retries.retryOn.join(',') : undefined,
        }) : undefined,
        fault: route.fault ? renderFault(route.fault) : undefined,
      });
    });
  }

  private checkRoute(route: MeshRoute, prop: string): void {
    const match = route.match ?? {};
    if (match.pathExact !== undefined && match.pathPrefix !== undefined) {
      throw new ConstructValidationError(this, `${prop}.match`, match, 'expected at most one of pathExact and pathPrefix.');
    }
    checkPattern(this, `${prop}.match.pathExact`, match.pathExact, /^\/\S*$/, 'a path starting with "/"');
    checkPattern(this, `${prop}.match.pathPrefix`, match.pathPrefix, /^\/\S*$/, 'a path starting with "/"');
    checkPattern(this, `${prop}.match.method`, match.method, /^[A-Z]+$/, 'an HTTP method in upper case, e.g. "GET"');
    const destinations = route.destinations ?? [];
    destinations.forEach((d, i) => {
      checkRequired(this, `${prop}.destinations[${i}].version`, d.version);
      if (!isUnresolved(d.version) && !this.subsets.includes(d.version)) {
        throw new ConstructValidationError(this, `${prop}.destinations[${i}].version`, d.version,
          `expected a subset of the service: one of ${this.subsets.map((s) => JSON.stringify(s)).join(', ')} (primaryVersion and versions).`);
      }
      checkInteger(this, `${prop}.destinations[${i}].weight`, d.weight, 0, 100);
    });
    checkUnique(this, `${prop}.destinations`, destinations, (d) => d.version);
    if (destinations.length > 0) {
      const weights = destinations.map((d) => d.weight ?? (destinations.length === 1 ? 100 : 0));
      const sum = weights.reduce((a, b) => a + b, 0);
      if (!weights.some(isUnresolved) && sum !== 100) {
        throw new ConstructValidationError(this, `${prop}.destinations`, destinations.map((d) => `${d.version}=${d.weight ?? '-'}`).join(', '),
          `expected weights that sum to 100; these sum to ${sum}.`);
      }
    }
    checkDuration(this, `${prop}.timeout`, route.timeout);
    if (route.retries) {
      checkInteger(this, `${prop}.retries.attempts`, route.retries.attempts, 0, 1000);
      checkDuration(this, `${prop}.retries.perTryTimeout`, route.retries.perTryTimeout);
      (route.retries.retryOn ?? []).forEach((c, i) => checkPattern(this, `${prop}.retries.retryOn[${i}]`, c, /^[a-z0-9-]+$/,
        'a retry condition such as "5xx", "gateway-error", "connect-failure" or a status code'));
    }
    if (route.fault) {
      const fault = route.fault;
      if (fault.delay === undefined && fault.abortHttpStatus === undefined) {
        throw new ConstructValidationError(this, `${prop}.fault`, fault, 'expected a delay, an abortHttpStatus or both.');
      }
      checkDuration(this, `${prop}.fault.delay`, fault.delay);
      checkNumber(this, `${prop}.fault.delayPercentage`, fault.delayPercentage, 0, 100);
      checkInteger(this, `${prop}.fault.abortHttpStatus`, fault.abortHttpStatus, 200, 599);
      checkNumber(this, `${prop}.fault.abortPercentage`, fault.abortPercentage, 0, 100);
    }
  }
}

function checkPort(scope: Construct, prop: string, port: number): void {
  checkInteger(scope, prop, port, 1, 65535);
  if (ISTIO_RESERVED_PORTS.includes(port)) {
    throw new ConstructValidationError(scope, prop, port, `expected a port Istio does not reserve for its sidecar (${ISTIO_RESERVED_PORTS.join(', ')}).`);
  }
}

function checkReplicas(scope: Construct, prop: string, replicas: number, allowSingle: boolean): void {
  checkInteger(scope, prop, replicas, 1, 1000);
  if (replicas < 2 && !allowSingle && !isUnresolved(replicas)) {
    throw new ConstructValidationError(scope, prop, replicas,
      'expected at least 2 replicas, so that a node drain or a crash leaves a pod serving; set allowSingleReplica: true to run one.');
  }
}

/** A pinned image: a tag other than `latest`, or a digest. */
function checkDuration(scope: Construct, prop: string, duration: MeshDuration | undefined): void {
  if (duration === undefined) return;
  checkInteger(scope, `${prop}.milliseconds`, duration.milliseconds, 1, MAX_DURATION_MS);
}

function checkConnectionPool(scope: Construct, pool: MeshConnectionPool): void {
  checkInteger(scope, 'connectionPool.maxConnections', pool.maxConnections, 1, INT32_MAX);
  checkInteger(scope, 'connectionPool.http1MaxPendingRequests', pool.http1MaxPendingRequests, 1, INT32_MAX);
  checkInteger(scope, 'connectionPool.http2MaxRequests', pool.http2MaxRequests, 1, INT32_MAX);
  checkInteger(scope, 'connectionPool.maxRequestsPerConnection', pool.maxRequestsPerConnection, 1, INT32_MAX);
  checkInteger(scope, 'connectionPool.maxRetries', pool.maxRetries, 0, INT32_MAX);
  checkDuration(scope, 'connectionPool.connectTimeout', pool.connectTimeout);
  checkDuration(scope, 'connectionPool.idleTimeout', pool.idleTimeout);
}

function checkOutlierDetection(scope: Construct, outlier: MeshOutlierDetection): void {
  checkInteger(scope, 'outlierDetection.consecutive5xxErrors', outlier.consecutive5xxErrors, 1, INT32_MAX);
  checkInteger(scope, 'outlierDetection.maxEjectionPercent', outlier.maxEjectionPercent, 0, 100);
  checkDuration(scope, 'outlierDetection.interval', outlier.interval);
  checkDuration(scope, 'outlierDetection.baseEjectionTime', outlier.baseEjectionTime);
}

function renderFault(fault: MeshFaultInjection): { [key: string]: unknown } {
  return compact({
    delay: fault.delay
      ? { fixedDelay: fault.delay.toIstioString(), percentage: { value: fault.delayPercentage ?? 100 } }
      : undefined,
    abort: fault.abortHttpStatus !== undefined
      ? { httpStatus: fault.abortHttpStatus, percentage: { value: fault.abortPercentage ?? 100 } }
      : undefined,
  });
}

function renderConnectionPool(pool: MeshConnectionPool): { [key: string]: unknown } {
  const tcp = compact({ maxConnections: pool.maxConnections, connectTimeout: pool.connectTimeout?.toIstioString() });
  const http = compact({
    http1MaxPendingRequests: pool.http1MaxPendingRequests,
    http2MaxRequests: pool.http2MaxRequests,
    maxRequestsPerConnection: pool.maxRequestsPerConnection,
    maxRetries: pool.maxRetries,
    idleTimeout: pool.idleTimeout?.toIstioString(),
  });
  return compact({ tcp: Object.keys(tcp).length > 0 ? tcp : undefined, http: Object.keys(http).length > 0 ? http : undefined });
}

function renderOutlierDetection(outlier: MeshOutlierDetection): { [key: string]: unknown } {
  return {
    consecutive5xxErrors: outlier.consecutive5xxErrors ?? 5,
    interval: (outlier.interval ?? MeshDuration.seconds(10)).toIstioString(),
    baseEjectionTime: (outlier.baseEjectionTime ?? MeshDuration.seconds(30)).toIstioString(),
    maxEjectionPercent: outlier.maxEjectionPercent ?? 10,
  };
}

const QUANTITY_SUFFIX: { [suffix: string]: number } = {
  '': 1,
  'm': 1e-3,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

function resolveResources(scope: Construct, resources: MeshResources): Required<MeshResources> {
  const out: Required<MeshResources> = {
    cpuRequest: resources.cpuRequest ?? '100m',
    cpuLimit: resources.cpuLimit ?? '500m',
    memoryRequest: resources.memoryRequest ?? '128Mi',
    memoryLimit: resources.memoryLimit ?? '256Mi',
  };
  const amount = (prop: keyof MeshResources): number | undefined => {
    const value = out[prop];
    if (isUnresolved(value)) return undefined;
    checkPattern(scope, `resources.${prop}`, value, QUANTITY, 'a Kubernetes quantity such as "250m", "1", "512Mi" or "1Gi"');
    const [, number, , suffix] = QUANTITY.exec(value)!;
    return Number(number) * QUANTITY_SUFFIX[suffix ?? ''];
  };
  for (const [request, limit] of [['cpuRequest', 'cpuLimit'], ['memoryRequest', 'memoryLimit']] as const) {
    const r = amount(request);
    const l = amount(limit);
    if (r !== undefined && l !== undefined && r > l) {
      throw new ConstructValidationError(scope, `resources.${request}`, out[request], `expected at most the limit ${limit} (${out[limit]}); Kubernetes refuses a request above its limit.`);
    }
  }
  return out;
}

function renderProbe(scope: Construct, prop: string, probe: MeshProbe, defaultPort: number): DeploymentV1SpecTemplateSpecContainerLivenessProbe {
  const o = probe.options ?? {};
  const port = o.port ?? defaultPort;
  checkPort(scope, `${prop}.port`, port);
  checkInteger(scope, `${prop}.initialDelaySeconds`, o.initialDelaySeconds, 0, 3600);
  checkInteger(scope, `${prop}.periodSeconds`, o.periodSeconds, 1, 3600);
  checkInteger(scope, `${prop}.timeoutSeconds`, o.timeoutSeconds, 1, 3600);
  checkInteger(scope, `${prop}.failureThreshold`, o.failureThreshold, 1, 100);
  const timing = {
    initialDelaySeconds: o.initialDelaySeconds ?? 0,
    periodSeconds: o.periodSeconds ?? 10,
    timeoutSeconds: o.timeoutSeconds ?? 1,
    failureThreshold: o.failureThreshold ?? 3,
  };
  switch (probe.probeType) {
    case MeshProbeType.HTTP_GET:
      checkPattern(scope, `${prop}.path`, probe.path, /^\/\S*$/, 'a path starting with "/"');
      return { ...timing, httpGet: { path: probe.path ?? '/', port: String(port) } };
    case MeshProbeType.GRPC:
      return { ...timing, grpc: [{ port }] };
    default:
      return { ...timing, tcpSocket: [{ port: String(port) }] };
  }
}

/** The object without its undefined values, so that no `undefined` reaches the JSON. */
function compact<T extends { [key: string]: unknown }>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * True when two meshes are the same: the same object, the in-cluster sides of the same cluster
 * (`MeshCluster.connect` in two stacks), or meshes with the same facts.
 */
function sameMesh(a: IMesh, b: IMesh): boolean {
  if (a === b) return true;
  const clusterOf = (m: IMesh) => (m as { cluster?: unknown }).cluster;
  if (clusterOf(a) !== undefined || clusterOf(b) !== undefined) return clusterOf(a) === clusterOf(b);
  const facts = (m: IMesh) => JSON.stringify([
    m.istioMode, m.revision, m.rootNamespace, m.ingressGatewayNamespace, m.gatewayRef, m.hostDomain, m.ingressGatewayPeer?.principal,
  ]);
  return facts(a) === facts(b);
}
