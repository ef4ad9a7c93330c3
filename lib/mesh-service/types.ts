import { IMeshPeer } from '../core/contracts';

/** How Istio treats a port's traffic (Istio's protocol selection, from the Service port's `appProtocol`). */
export enum MeshProtocol {
  /** HTTP/1.1 or HTTP/2: routes, retries, fault injection and method/path rules apply. */
  HTTP = 'http',
  /** gRPC (HTTP/2): routes and retries apply. */
  GRPC = 'grpc',
  /** Opaque TCP: only connection-level policy applies. */
  TCP = 'tcp',
}

/** Options of the `MeshPort` factories. */
export interface MeshPortOptions {
  /**
   * The port the container listens on, when it differs from the Service port.
   * @default - the Service port
   */
  readonly containerPort?: number;
}

/**
 * A port of a mesh service, typed by protocol: `MeshPort.http(8080)`, `MeshPort.grpc(9090)`, `MeshPort.tcp(5432)`.
 * The range (1-65535, not a port reserved by the Istio sidecar) is checked by the construct that uses it.
 */
export class MeshPort {
  /** An HTTP port. */
  public static http(port: number, options: MeshPortOptions = {}): MeshPort {
    return new MeshPort(MeshProtocol.HTTP, port, options.containerPort ?? port);
  }

  /** A gRPC port. */
  public static grpc(port: number, options: MeshPortOptions = {}): MeshPort {
    return new MeshPort(MeshProtocol.GRPC, port, options.containerPort ?? port);
  }

  /** A plain TCP port. */
  public static tcp(port: number, options: MeshPortOptions = {}): MeshPort {
    return new MeshPort(MeshProtocol.TCP, port, options.containerPort ?? port);
  }

  /** Protocol of the port. */
  public readonly protocol: MeshProtocol;
  /** Port of the Kubernetes Service, which callers and routes use. */
  public readonly port: number;
  /** Port the container listens on, which probes and AuthorizationPolicies use. */
  public readonly containerPort: number;

  private constructor(protocol: MeshProtocol, port: number, containerPort: number) {
    this.protocol = protocol;
    this.port = port;
    this.containerPort = containerPort;
  }

  /** Name of the port on the Service and the container, e.g. `http-8080` (at most 15 characters). */
  public get name(): string {
    return `${this.protocol}-${this.port}`;
  }

  /** True for HTTP and gRPC ports, the ones Istio routes at layer 7. */
  public get isLayer7(): boolean {
    return this.protocol !== MeshProtocol.TCP;
  }
}

/**
 * A duration for Istio fields (timeouts, intervals), in whole milliseconds:
 * `MeshDuration.seconds(5)` renders `5s`, `MeshDuration.millis(250)` renders `250ms`.
 */
export class MeshDuration {
  /** A duration in milliseconds. */
  public static millis(amount: number): MeshDuration {
    return new MeshDuration(amount);
  }

  /** A duration in seconds. */
  public static seconds(amount: number): MeshDuration {
    return new MeshDuration(amount * 1000);
  }

  /** A duration in minutes. */
  public static minutes(amount: number): MeshDuration {
    return new MeshDuration(amount * 60_000);
  }

  /** The duration in milliseconds. */
  public readonly milliseconds: number;

  private constructor(milliseconds: number) {
    this.milliseconds = milliseconds;
  }

  /** Istio's (protobuf) rendering: `5s` for whole seconds, else `250ms`. */
  public toIstioString(): string {
    return this.milliseconds % 1000 === 0 ? `${this.milliseconds / 1000}s` : `${this.milliseconds}ms`;
  }
}

/** The kind of check a `MeshProbe` makes. */
export enum MeshProbeType {
  /** An HTTP GET that must answer 200-399. */
  HTTP_GET = 'http-get',
  /** A TCP connection that must open. */
  TCP_SOCKET = 'tcp-socket',
  /** The gRPC health checking protocol. */
  GRPC = 'grpc',
}

/** Timing and target of a probe. */
export interface MeshProbeOptions {
  /**
   * Container port to probe.
   * @default - the container port of the service's first port
   */
  readonly port?: number;
  /**
   * Seconds after the container starts before the first probe.
   * @default 0
   */
  readonly initialDelaySeconds?: number;
  /**
   * Seconds between probes.
   * @default 10
   */
  readonly periodSeconds?: number;
  /**
   * Seconds after which a probe times out.
   * @default 1
   */
  readonly timeoutSeconds?: number;
  /**
   * Consecutive failures before the container is restarted (liveness) or taken out of the Service (readiness).
   * @default 3
   */
  readonly failureThreshold?: number;
}

/**
 * A liveness or readiness probe. Istio rewrites HTTP, TCP and gRPC probes to go through the sidecar's agent,
 * so they keep working under STRICT mTLS.
 */
export class MeshProbe {
  /** An HTTP GET on `path`. */
  public static httpGet(path: string, options: MeshProbeOptions = {}): MeshProbe {
    return new MeshProbe(MeshProbeType.HTTP_GET, options, path);
  }

  /** A TCP connection. */
  public static tcpSocket(options: MeshProbeOptions = {}): MeshProbe {
    return new MeshProbe(MeshProbeType.TCP_SOCKET, options);
  }

  /** A gRPC health check (grpc.health.v1). */
  public static grpc(options: MeshProbeOptions = {}): MeshProbe {
    return new MeshProbe(MeshProbeType.GRPC, options);
  }

  /** The kind of check. */
  public readonly probeType: MeshProbeType;
  /** Timing and target. */
  public readonly options: MeshProbeOptions;
  /** Path of an HTTP GET probe. */
  public readonly path?: string;

  private constructor(probeType: MeshProbeType, options: MeshProbeOptions, path?: string) {
    this.probeType = probeType;
    this.options = options;
    this.path = path;
  }
}

/** TLS modes of an Istio DestinationRule (`ClientTLSSettings.TLSmode`). */
export enum IstioTlsMode {
  /** Plain text: refused, it breaks STRICT mTLS between sidecars. */
  DISABLE = 'DISABLE',
  /** One-way TLS to a server outside the mesh: refused for a mesh service. */
  SIMPLE = 'SIMPLE',
  /** mTLS with user-supplied certificates: refused for a mesh service. */
  MUTUAL = 'MUTUAL',
  /** mTLS with the certificates Istio issues to each workload: the only mode a mesh service takes. */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
}

/**
 * A caller outside this library's constructs, named by its SPIFFE principal: a workload in another
 * namespace, a job, a gateway. `MeshService` is itself an `IMeshPeer`.
 */
export class MeshPeer implements IMeshPeer {
  /**
   * A caller by principal, `cluster.local/ns/<namespace>/sa/<service account>`.
   * @param principal the caller's principal (no wildcards)
   * @param peerName short name used in ids and policy names; by default `<namespace>-<service account>`
   */
  public static fromPrincipal(principal: string, peerName?: string): IMeshPeer {
    const match = /^[^/]+\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal ?? '');
    return new MeshPeer(principal, peerName ?? (match ? `${match[1]}-${match[2]}` : principal));
  }

  /**
   * A caller by Kubernetes service account, in the trust domain `cluster.local` (the one AKS's Istio add-on
   * and a default upstream install use).
   */
  public static fromServiceAccount(namespace: string, serviceAccount: string): IMeshPeer {
    return new MeshPeer(`cluster.local/ns/${namespace}/sa/${serviceAccount}`, `${namespace}-${serviceAccount}`);
  }

  /** `cluster.local/ns/<namespace>/sa/<service account>` */
  public readonly principal: string;
  /** Short name for ids and policy names. */
  public readonly peerName: string;

  private constructor(principal: string, peerName: string) {
    this.principal = principal;
    this.peerName = peerName;
  }
}

/** An additional version of a service (a canary), deployed next to the primary one and routed to as a subset. */
export interface MeshVersion {
  /** Version label and DestinationRule subset name, e.g. `v2` (a DNS-1123 label). */
  readonly name: string;
  /** Pinned image of this version (a tag other than `latest`, or a digest). */
  readonly image: string;
  /**
   * Fixed number of pods of this version (the autoscaler scales the primary version only).
   * @default 2
   */
  readonly replicas?: number;
}

/** Which requests a route takes. All conditions given must hold. */
export interface MeshRouteMatch {
  /**
   * URI prefix, e.g. `/api/`.
   * @default - any path
   */
  readonly pathPrefix?: string;
  /**
   * Exact URI path; not together with `pathPrefix`.
   * @default - any path
   */
  readonly pathExact?: string;
  /**
   * HTTP method, e.g. `GET`.
   * @default - any method
   */
  readonly method?: string;
  /**
   * Request headers that must have exactly these values.
   * @default - no header condition
   */
  readonly headers?: { [name: string]: string };
}

/** One destination of a route, with its share of the traffic. */
export interface MeshRouteDestination {
  /** The version (DestinationRule subset) receiving the traffic: the primary version or one of `versions`. */
  readonly version: string;
  /**
   * Percentage of the route's traffic; the weights of a route's destinations must sum to 100.
   * @default 100 when the route has a single destination
   */
  readonly weight?: number;
}

/** Retries of a route. */
export interface MeshRetryPolicy {
  /** Number of retries (0 disables retries, which Istio otherwise does twice by default). */
  readonly attempts: number;
  /**
   * Timeout of each attempt.
   * @default - the route's timeout
   */
  readonly perTryTimeout?: MeshDuration;
  /**
   * Conditions that trigger a retry (Envoy's `x-envoy-retry-on` / `x-envoy-retry-grpc-on` names or status codes).
   * @default - Istio's default (`connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes`)
   */
  readonly retryOn?: string[];
}

/** Faults injected into a route, to test callers' resilience. At least one of `delay` and `abortHttpStatus`. */
export interface MeshFaultInjection {
  /**
   * A fixed delay added before forwarding.
   * @default - no delay
   */
  readonly delay?: MeshDuration;
  /**
   * Percentage of requests delayed.
   * @default 100
   */
  readonly delayPercentage?: number;
  /**
   * HTTP status returned instead of forwarding.
   * @default - no abort
   */
  readonly abortHttpStatus?: number;
  /**
   * Percentage of requests aborted.
   * @default 100
   */
  readonly abortPercentage?: number;
}

/** An HTTP route of the service's VirtualServices (in the mesh and, when exposed, at the gateway). */
export interface MeshRoute {
  /**
   * Name of the route, shown in Istio's metrics and logs.
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * Which requests the route takes.
   * @default - every request (routes are evaluated in order, so a catch-all route goes last)
   */
  readonly match?: MeshRouteMatch;
  /**
   * Where the traffic goes, with weights for a canary split.
   * @default - all traffic to the primary version
   */
  readonly destinations?: MeshRouteDestination[];
  /**
   * Timeout of the whole request, retries included.
   * @default - Istio's default (no timeout)
   */
  readonly timeout?: MeshDuration;
  /**
   * Retries.
   * @default - Istio's default (2 attempts)
   */
  readonly retries?: MeshRetryPolicy;
  /**
   * Fault injection.
   * @default - none
   */
  readonly fault?: MeshFaultInjection;
}

/** Connection pool limits of the DestinationRule (circuit breaking). */
export interface MeshConnectionPool {
  /**
   * Most TCP connections to all pods of the service, per calling sidecar.
   * @default - Istio's default (2^32-1)
   */
  readonly maxConnections?: number;
  /**
   * TCP connect timeout.
   * @default - Istio's default (10s)
   */
  readonly connectTimeout?: MeshDuration;
  /**
   * Most HTTP/1.1 requests queued while waiting for a connection.
   * @default - Istio's default (2^32-1)
   */
  readonly http1MaxPendingRequests?: number;
  /**
   * Most concurrent HTTP/2 requests.
   * @default - Istio's default (2^32-1)
   */
  readonly http2MaxRequests?: number;
  /**
   * Most requests per connection (1 disables keep-alive).
   * @default - unlimited
   */
  readonly maxRequestsPerConnection?: number;
  /**
   * Most retries outstanding at once to the service.
   * @default - Istio's default (2^32-1)
   */
  readonly maxRetries?: number;
  /**
   * Idle timeout of upstream connections.
   * @default - Istio's default (1h)
   */
  readonly idleTimeout?: MeshDuration;
}

/** Outlier detection of the DestinationRule: pods that keep failing are ejected from the load-balancing pool. */
export interface MeshOutlierDetection {
  /**
   * Consecutive 5xx responses (or connection errors) before a pod is ejected.
   * @default 5
   */
  readonly consecutive5xxErrors?: number;
  /**
   * Time between ejection sweeps.
   * @default MeshDuration.seconds(10)
   */
  readonly interval?: MeshDuration;
  /**
   * Minimum ejection time (multiplied by the number of times the pod was ejected).
   * @default MeshDuration.seconds(30)
   */
  readonly baseEjectionTime?: MeshDuration;
  /**
   * Most pods ejected at once, in percent.
   * @default 10
   */
  readonly maxEjectionPercent?: number;
}

/** CPU and memory requests and limits of the service's container. */
export interface MeshResources {
  /**
   * CPU request (Kubernetes quantity).
   * @default "100m"
   */
  readonly cpuRequest?: string;
  /**
   * CPU limit.
   * @default "500m"
   */
  readonly cpuLimit?: string;
  /**
   * Memory request.
   * @default "128Mi"
   */
  readonly memoryRequest?: string;
  /**
   * Memory limit.
   * @default "256Mi"
   */
  readonly memoryLimit?: string;
}

/** Options of `MeshService.allowFrom`. */
export interface AllowFromOptions {
  /**
   * HTTP methods the caller may use (HTTP ports only: Istio does not apply such a rule to TCP traffic).
   * @default - any method
   */
  readonly methods?: string[];
  /**
   * Request paths the caller may use: exact (`/orders`), prefix (`/orders/*`) or suffix (`*.json`).
   * @default - any path
   */
  readonly paths?: string[];
  /**
   * Service ports (as in `MeshPort.port`) the caller may reach.
   * @default - every port of the service
   */
  readonly ports?: number[];
}

/** Options of `MeshService.exposeViaGateway`. */
export interface ExposeViaGatewayOptions {
  /**
   * Service port (an HTTP or gRPC one) that the gateway forwards to.
   * @default - the service's first HTTP or gRPC port
   */
  readonly port?: number;
}
