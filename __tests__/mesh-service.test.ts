import { App, TerraformStack, Testing } from 'cdktf';
import * as fc from 'fast-check';
import {
  IstioTlsMode, MeshDuration, MeshNamespace, MeshPeer, MeshPort, MeshProbe, MeshService,
  MeshServiceProps,
} from '../lib';
import { expectValidStack, synthStack } from './support';
import { addonMesh, helmMesh } from './support/fixtures';

const IMAGE = 'myacr.azurecr.io/orders:1.4.2';
const newStack = () => new TerraformStack(new App(), 'test');
const service = (props: Partial<MeshServiceProps> = {}, id = 'Orders', stack = newStack()) =>
  new MeshService(stack, id, { mesh: addonMesh, image: IMAGE, ...props });

/** The `kubernetes_manifest` resources of a synthesized stack, by kind. */
const manifests = (json: any, kind: string): any[] =>
  Object.values<any>(json.resource.kubernetes_manifest ?? {}).map((r) => r.manifest).filter((m) => m.kind === kind);
const only = (json: any, type: string): any => {
  const all = Object.values<any>(json.resource[type] ?? {});
  expect(all).toHaveLength(1);
  return all[0];
};

describe('MeshService', () => {
  test('defaults', () => {
    const stack = newStack();
    const orders = new MeshService(stack, 'Orders', { mesh: addonMesh, image: IMAGE });
    expectValidStack(stack);
    const json = synthStack(stack);
    expect(json).toMatchSnapshot();
    const text = JSON.stringify(json);

    // Namespace of its own, labelled for the add-on's revision, with allow-nothing.
    expect(Testing.toHaveResourceWithProperties(text, 'kubernetes_namespace_v1', { metadata: { name: 'orders', labels: { 'istio.io/rev': 'asm-1-26' } } })).toBe(true);
    expect(manifests(json, 'AuthorizationPolicy')).toEqual([{
      apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'allow-nothing', namespace: 'orders' }, spec: {},
    }]);

    // Hardened Deployment.
    const deployment = only(json, 'kubernetes_deployment_v1');
    const pod = deployment.spec.template.spec;
    const container = pod.container[0];
    expect(deployment.spec.replicas).toBe('2');
    expect(deployment.lifecycle.ignore_changes).toEqual(['spec[0].replicas']);
    expect(pod.automount_service_account_token).toBe(false);
    expect(pod.security_context).toMatchObject({ run_as_non_root: true, seccomp_profile: { type: 'RuntimeDefault' } });
    expect(container.security_context).toEqual({
      allow_privilege_escalation: false,
      privileged: false,
      read_only_root_filesystem: true,
      run_as_non_root: true,
      run_as_user: '10001',
      run_as_group: '10001',
      capabilities: { drop: ['ALL'] },
      seccomp_profile: { type: 'RuntimeDefault' },
    });
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(container.liveness_probe.tcp_socket).toEqual([{ port: '8080' }]);
    expect(container.readiness_probe.tcp_socket).toEqual([{ port: '8080' }]);
    expect(container.image).toBe(IMAGE);
    expect(container.volume_mount).toEqual([{ name: 'writable-0', mount_path: '/tmp' }]);
    expect(only(json, 'kubernetes_service_account_v1').automount_service_account_token).toBe(false);

    // Service, autoscaler and disruption budget.
    expect(only(json, 'kubernetes_service_v1').spec.port).toEqual([{ name: 'http-8080', port: 8080, target_port: '8080', protocol: 'TCP', app_protocol: 'http' }]);
    expect(only(json, 'kubernetes_horizontal_pod_autoscaler_v2').spec).toMatchObject({ min_replicas: 2, max_replicas: 10 });
    expect(only(json, 'kubernetes_pod_disruption_budget_v1').spec).toEqual({ min_available: '1', selector: { match_labels: { app: 'orders' } } });

    // Traffic policy: ISTIO_MUTUAL always, one subset, a default route.
    const [rule] = manifests(json, 'DestinationRule');
    expect(rule.spec).toEqual({ host: 'orders.orders.svc.cluster.local', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } }, subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    const [vs] = manifests(json, 'VirtualService');
    expect(vs.spec).toEqual({ hosts: ['orders.orders.svc.cluster.local'], http: [{ route: [{ destination: { host: 'orders.orders.svc.cluster.local' } }] }] });

    // Identity and construct contract.
    expect(orders.principal).toBe('cluster.local/ns/orders/sa/orders');
    expect(orders.peerName).toBe('orders');
    expect(orders.node.defaultChild).toBe(orders.resource);
    expect(orders.gatewayVirtualService).toBeUndefined();
    expect(orders.authorizationPolicies).toEqual([]);
  });

  test('defaults with upstream Istio (Helm): the namespace opts in with istio-injection', () => {
    const stack = newStack();
    new MeshService(stack, 'Orders', { mesh: helmMesh, image: IMAGE }).exposeViaGateway();
    expectValidStack(stack);
    const json = synthStack(stack);
    expect(only(json, 'kubernetes_namespace_v1').metadata.labels).toEqual({ 'istio-injection': 'enabled' });
    const gatewayVs = manifests(json, 'VirtualService').find((m) => m.metadata.name === 'orders-gateway');
    expect(gatewayVs.spec.gateways).toEqual(['istio-ingress/mesh-gateway']);
    const allow = manifests(json, 'AuthorizationPolicy').find((m) => m.spec.action === 'ALLOW');
    expect(allow.spec.rules[0].from).toEqual([{ source: { principals: ['cluster.local/ns/istio-ingress/sa/istio-ingressgateway'] } }]);
  });

  test('all options', () => {
    const stack = newStack();
    const shop = new MeshNamespace(stack, 'Shop', { mesh: addonMesh, name: 'shop', labels: { 'team': 'checkout', 'istio.io/rev': 'ignored' }, annotations: { owner: 'checkout@example.com' } });
    const payments = new MeshService(stack, 'Payments', { mesh: addonMesh, image: 'myacr.azurecr.io/payments@sha256:' + 'a'.repeat(64), namespace: shop });
    const orders = new MeshService(stack, 'Orders', {
      mesh: addonMesh,
      name: 'orders-api',
      namespace: shop,
      image: IMAGE,
      ports: [MeshPort.http(80, { containerPort: 8080 }), MeshPort.grpc(9090), MeshPort.tcp(9000)],
      command: ['/app/orders'],
      args: ['--listen', ':8080'],
      env: { LOG_LEVEL: 'info' },
      resources: { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '512Mi' },
      livenessProbe: MeshProbe.httpGet('/healthz', { initialDelaySeconds: 5, periodSeconds: 15, timeoutSeconds: 2, failureThreshold: 4 }),
      readinessProbe: MeshProbe.grpc({ port: 9090 }),
      minReplicas: 3,
      maxReplicas: 12,
      targetCpuUtilization: 60,
      runAsUser: 20000,
      writablePaths: ['/tmp', '/var/cache/orders'],
      automountServiceAccountToken: true,
      workloadIdentityClientId: '00000000-0000-0000-0000-000000000001',
      primaryVersion: 'v1',
      versions: [{ name: 'v2', image: 'myacr.azurecr.io/orders:2.0.0-rc.1', replicas: 2 }],
      routes: [
        {
          name: 'canary-header',
          match: { pathPrefix: '/orders', method: 'GET', headers: { 'x-canary': 'true' } },
          destinations: [{ version: 'v2' }],
        },
        {
          name: 'exact',
          match: { pathExact: '/orders/health' },
          fault: { abortHttpStatus: 503, abortPercentage: 1.5 },
        },
        {
          name: 'split',
          destinations: [{ version: 'v1', weight: 90 }, { version: 'v2', weight: 10 }],
          timeout: MeshDuration.seconds(5),
          retries: { attempts: 3, perTryTimeout: MeshDuration.millis(1500), retryOn: ['5xx', 'connect-failure'] },
          fault: { delay: MeshDuration.millis(200), delayPercentage: 5 },
        },
      ],
      connectionPool: {
        maxConnections: 100,
        connectTimeout: MeshDuration.seconds(3),
        http1MaxPendingRequests: 50,
        http2MaxRequests: 200,
        maxRequestsPerConnection: 10,
        maxRetries: 3,
        idleTimeout: MeshDuration.minutes(5),
      },
      outlierDetection: {
        consecutive5xxErrors: 3, interval: MeshDuration.seconds(5), baseEjectionTime: MeshDuration.minutes(1), maxEjectionPercent: 50,
      },
      tlsMode: IstioTlsMode.ISTIO_MUTUAL,
    });
    orders.exposeViaGateway({ port: 80 });
    orders.allowFrom(MeshPeer.fromServiceAccount('jobs', 'reconciler'), { methods: ['POST', 'GET'], paths: ['/orders/*'], ports: [80] });
    payments.allowFrom(orders, { methods: ['POST'], paths: ['/payments'] });
    expectValidStack(stack);
    expectValidStack(stack, '1.30');
    const json = synthStack(stack);
    expect(json).toMatchSnapshot();

    // Shared namespace: one namespace, one allow-nothing, injection labels win.
    expect(only(json, 'kubernetes_namespace_v1').metadata.labels).toEqual({ 'team': 'checkout', 'istio.io/rev': 'asm-1-26' });
    expect(manifests(json, 'AuthorizationPolicy').filter((m) => m.metadata.name === 'allow-nothing')).toHaveLength(1);
    expect(orders.principal).toBe('cluster.local/ns/shop/sa/orders-api');
    expect(orders.peerName).toBe('shop-orders-api');

    // Two Deployments: the autoscaled primary and the fixed canary.
    const deployments = Object.values<any>(json.resource.kubernetes_deployment_v1).filter((d) => d.metadata.labels.app === 'orders-api');
    expect(deployments.map((d) => [d.metadata.name, d.metadata.labels.version, d.spec.replicas, d.lifecycle?.ignore_changes])).toEqual([
      ['orders-api', 'v1', '3', ['spec[0].replicas']],
      ['orders-api-v2', 'v2', '2', undefined],
    ]);
    expect(orders.versionDeployments).toHaveLength(1);
    const primary = deployments[0].spec.template;
    expect(primary.metadata.labels['azure.workload.identity/use']).toBe('true');
    expect(primary.spec.automount_service_account_token).toBe(true);
    expect(primary.spec.container[0].liveness_probe.http_get).toEqual({ path: '/healthz', port: '8080' });
    expect(primary.spec.container[0].readiness_probe.grpc).toEqual([{ port: 9090 }]);

    // Routes: header canary, fault, weighted split with timeout and retries, at the mesh and at the gateway.
    const [meshVs, gatewayVs] = ['orders-api', 'orders-api-gateway'].map((name) => manifests(json, 'VirtualService').find((m) => m.metadata.name === name));
    expect(meshVs.spec.http[2]).toEqual({
      name: 'split',
      route: [
        { destination: { host: 'orders-api.shop.svc.cluster.local', subset: 'v1' }, weight: 90 },
        { destination: { host: 'orders-api.shop.svc.cluster.local', subset: 'v2' }, weight: 10 },
      ],
      timeout: '5s',
      retries: { attempts: 3, perTryTimeout: '1500ms', retryOn: '5xx,connect-failure' },
      fault: { delay: { fixedDelay: '200ms', percentage: { value: 5 } } },
    });
    expect(meshVs.spec.http[1].route).toEqual([{ destination: { host: 'orders-api.shop.svc.cluster.local', subset: 'v1' } }]);
    expect(gatewayVs.spec.hosts).toEqual(['orders-api.mesh.internal']);
    expect(gatewayVs.spec.http[2].route[0].destination.port).toEqual({ number: 80 });
    const [rule] = manifests(json, 'DestinationRule').filter((m) => m.metadata.name === 'orders-api');
    expect(rule.spec.trafficPolicy.connectionPool).toEqual({
      tcp: { maxConnections: 100, connectTimeout: '3s' },
      http: { http1MaxPendingRequests: 50, http2MaxRequests: 200, maxRequestsPerConnection: 10, maxRetries: 3, idleTimeout: '300s' },
    });
    expect(rule.spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2']);

    // The gateway is allowed on the exposed (container) port only.
    const fromGateway = manifests(json, 'AuthorizationPolicy').find((m) => m.metadata.name === 'orders-api-from-ingress-gateway');
    expect(fromGateway.spec.rules).toEqual([{
      from: [{ source: { principals: ['cluster.local/ns/aks-istio-ingress/sa/aks-istio-ingressgateway-internal'] } }],
      to: [{ operation: { ports: ['8080'] } }],
    }]);
    expect(orders.backendUrl).toBe('https://orders-api.mesh.internal');
    expect(orders.backendHostName).toBe('orders-api.mesh.internal');
  });

  test('allowFrom between services in different namespaces', () => {
    const stack = newStack();
    const a = service({}, 'ServiceA', stack);
    const b = service({ ports: [MeshPort.http(8080), MeshPort.grpc(9090)] }, 'ServiceB', stack);
    const policy = b.allowFrom(a);
    expectValidStack(stack);
    const json = synthStack(stack);
    const [allow] = manifests(json, 'AuthorizationPolicy').filter((m) => m.spec.action === 'ALLOW');
    expect(allow).toEqual({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'service-b-from-service-a', namespace: 'service-b' },
      spec: {
        selector: { matchLabels: { app: 'service-b' } },
        action: 'ALLOW',
        rules: [{ from: [{ source: { principals: ['cluster.local/ns/service-a/sa/service-a'] } }], to: [{ operation: { ports: ['8080', '9090'] } }] }],
      },
    });
    // Deterministic id from the peer's name.
    expect(policy.node.id).toBe('AllowFrom-service-a');
    expect(b.authorizationPolicies).toEqual([policy]);
  });

  test('the reference topology: A reachable from the gateway, A allowed to call B and C, nothing else', () => {
    const stack = newStack();
    const a = service({}, 'ServiceA', stack);
    const b = service({}, 'ServiceB', stack);
    const c = service({}, 'ServiceC', stack);
    a.exposeViaGateway();
    b.allowFrom(a);
    c.allowFrom(a);
    expect(a.backendUrl).toBe('https://service-a.mesh.internal');
    expectValidStack(stack);
    const json = synthStack(stack);
    const allows = manifests(json, 'AuthorizationPolicy').filter((m) => m.spec.action === 'ALLOW')
      .map((m) => `${m.spec.rules.map((r: any) => r.from[0].source.principals.join()).join()} -> ${m.metadata.namespace}/${m.spec.selector.matchLabels.app}`);
    expect(allows.sort()).toEqual([
      'cluster.local/ns/aks-istio-ingress/sa/aks-istio-ingressgateway-internal -> service-a/service-a',
      'cluster.local/ns/service-a/sa/service-a -> service-b/service-b',
      'cluster.local/ns/service-a/sa/service-a -> service-c/service-c',
    ]);
    expect(manifests(json, 'AuthorizationPolicy').filter((m) => m.metadata.name === 'allow-nothing').map((m) => m.metadata.namespace).sort())
      .toEqual(['service-a', 'service-b', 'service-c']);
  });

  test('allowFrom dedupes the same peer and options, adds rules for other options, and renders rules added later', () => {
    const stack = newStack();
    const b = service({}, 'ServiceB', stack);
    const caller = MeshPeer.fromServiceAccount('jobs', 'reconciler');
    const first = b.allowFrom(caller, { methods: ['GET'] });
    expect(b.allowFrom(caller, { methods: ['GET'] })).toBe(first);
    synthStack(stack); // synthesized once before the later rule
    expect(b.allowFrom(caller, { methods: ['POST'], paths: ['/orders'] })).toBe(first);
    const json = synthStack(stack);
    const [allow] = manifests(json, 'AuthorizationPolicy').filter((m) => m.spec.action === 'ALLOW');
    expect(allow.metadata.name).toBe('service-b-from-jobs-reconciler');
    expect(allow.spec.rules.map((r: any) => r.to[0].operation)).toEqual([
      { ports: ['8080'], methods: ['GET'] },
      { ports: ['8080'], methods: ['POST'], paths: ['/orders'] },
    ]);
  });

  test('MeshPeer names callers outside the library', () => {
    expect(MeshPeer.fromServiceAccount('jobs', 'reconciler')).toEqual({ principal: 'cluster.local/ns/jobs/sa/reconciler', peerName: 'jobs-reconciler' });
    expect(MeshPeer.fromPrincipal('cluster.local/ns/jobs/sa/reconciler')).toEqual({ principal: 'cluster.local/ns/jobs/sa/reconciler', peerName: 'jobs-reconciler' });
    expect(MeshPeer.fromPrincipal('cluster.local/ns/jobs/sa/reconciler', 'reconciler').peerName).toBe('reconciler');
  });

  test('allowSingleReplica lets one pod run and relaxes the disruption budget', () => {
    const stack = newStack();
    service({ minReplicas: 1, allowSingleReplica: true, versions: [{ name: 'v2', image: IMAGE, replicas: 1 }] }, 'Orders', stack);
    expectValidStack(stack);
    const json = synthStack(stack);
    expect(only(json, 'kubernetes_pod_disruption_budget_v1').spec).toEqual({ max_unavailable: '1', selector: { match_labels: { app: 'orders' } } });
    expect(only(json, 'kubernetes_horizontal_pod_autoscaler_v2').spec.min_replicas).toBe(1);
  });

  test('a TCP-only service has no VirtualService', () => {
    const stack = newStack();
    const db = service({ ports: [MeshPort.tcp(5432)] }, 'Ledger', stack);
    expectValidStack(stack);
    expect(db.virtualService).toBeUndefined();
    expect(manifests(synthStack(stack), 'VirtualService')).toEqual([]);
  });

  test('fails at synth when used as an API backend without being exposed', () => {
    const stack = newStack();
    const a = service({}, 'ServiceA', stack);
    expect(a.backendUrl).toBe('https://service-a.mesh.internal');
    expect(() => synthStack(stack)).toThrow(/MeshService at 'test\/ServiceA': used as an API backend \(backendUrl or backendHostName was read\) but not exposed: call exposeViaGateway\(\)/);
    a.exposeViaGateway();
    expect(() => synthStack(stack)).not.toThrow();
  });

  // ------------------------------------------------------------------ failures

  test('fails when the weights of a split do not sum to 100', () => {
    expect(() => service({ versions: [{ name: 'v2', image: IMAGE }], routes: [{ destinations: [{ version: 'v1', weight: 90 }, { version: 'v2', weight: 20 }] }] }))
      .toThrow(/MeshService at 'test\/Orders': invalid 'routes\[0\]\.destinations': got "v1=90, v2=20"; expected weights that sum to 100; these sum to 110/);
  });

  test('fails when a route names an unknown subset', () => {
    expect(() => service({ routes: [{ destinations: [{ version: 'v3' }] }] }))
      .toThrow(/invalid 'routes\[0\]\.destinations\[0\]\.version': got "v3"; expected a subset of the service: one of "v1"/);
  });

  test('fails when a route names the same version twice', () => {
    expect(() => service({ routes: [{ destinations: [{ version: 'v1', weight: 50 }, { version: 'v1', weight: 50 }] }] }))
      .toThrow(/invalid 'routes\[0\]\.destinations': got "v1"; each value must be unique/);
  });

  test('fails when a weight is out of range', () => {
    expect(() => service({ versions: [{ name: 'v2', image: IMAGE }], routes: [{ destinations: [{ version: 'v1', weight: 110 }, { version: 'v2', weight: -10 }] }] }))
      .toThrow(/invalid 'routes\[0\]\.destinations\[0\]\.weight': got 110; expected a whole number from 0 to 100/);
  });

  test('fails when a port is out of range', () => {
    expect(() => service({ ports: [MeshPort.http(70000)] })).toThrow(/invalid 'ports\[0\]\.port': got 70000; expected a whole number from 1 to 65535/);
    expect(() => service({ ports: [MeshPort.http(80, { containerPort: 0 })] })).toThrow(/invalid 'ports\[0\]\.containerPort': got 0; expected a whole number from 1 to 65535/);
  });

  test('fails when a port is reserved by the Istio sidecar', () => {
    expect(() => service({ ports: [MeshPort.http(15006)] })).toThrow(/invalid 'ports\[0\]\.port': got 15006; expected a port Istio does not reserve/);
  });

  test('fails when two ports share a number', () => {
    expect(() => service({ ports: [MeshPort.http(8080), MeshPort.grpc(8080)] })).toThrow(/invalid 'ports': got "8080"; each value must be unique/);
  });

  test('fails when there is no port', () => {
    expect(() => service({ ports: [] })).toThrow(/invalid 'ports': got \[\]; expected at least one port/);
  });

  test('fails when a service allows itself', () => {
    const a = service();
    expect(() => a.allowFrom(a)).toThrow(/invalid 'peer': got "cluster.local\/ns\/orders\/sa\/orders"; expected another workload: a service cannot allow itself/);
  });

  test('fails when two services have the same name in a namespace', () => {
    const stack = newStack();
    const shop = new MeshNamespace(stack, 'Shop', { mesh: addonMesh, name: 'shop' });
    service({ namespace: shop }, 'Orders', stack);
    expect(() => service({ namespace: shop, name: 'orders' }, 'OrdersAgain', stack))
      .toThrow(/MeshService at 'test\/OrdersAgain': invalid 'name': got "orders"; namespace 'shop' already has a service of this name \(at 'test\/Orders'\)/);
  });

  test('fails when a namespace is defined twice in a stack', () => {
    const stack = newStack();
    service({}, 'Orders', stack);
    expect(() => new MeshNamespace(stack, 'Orders2', { mesh: addonMesh, name: 'orders' }))
      .toThrow(/MeshNamespace at 'test\/Orders2': invalid 'name': got "orders"; the namespace is already defined in this stack by 'test\/Orders\/Namespace'/);
  });

  test('fails when the image is :latest or untagged', () => {
    expect(() => service({ image: 'myacr.azurecr.io/orders:latest' })).toThrow(/invalid 'image': got "myacr.azurecr.io\/orders:latest"; expected a pinned image/);
    expect(() => service({ image: 'myacr.azurecr.io:5000/orders' })).toThrow(/invalid 'image': got "myacr.azurecr.io:5000\/orders"; expected a pinned image/);
    expect(() => service({ versions: [{ name: 'v2', image: 'nginx' }] })).toThrow(/invalid 'versions\[0\]\.image': got "nginx"; expected a pinned image/);
  });

  test('fails when the image is missing or malformed', () => {
    expect(() => service({ image: '' })).toThrow(/invalid 'image': got ""; a value is required/);
    expect(() => service({ image: 'my orders:1.0' })).toThrow(/invalid 'image': got "my orders:1.0"; expected an image reference "\[registry\/\]repository\[:tag\]/);
  });

  test('fails when replicas < 2 without the opt-out', () => {
    expect(() => service({ minReplicas: 1 })).toThrow(/invalid 'minReplicas': got 1; expected at least 2 replicas, .*set allowSingleReplica: true/);
    expect(() => service({ versions: [{ name: 'v2', image: IMAGE, replicas: 1 }] })).toThrow(/invalid 'versions\[0\]\.replicas': got 1; expected at least 2 replicas/);
  });

  test('fails when maxReplicas is below minReplicas', () => {
    expect(() => service({ minReplicas: 4, maxReplicas: 3 })).toThrow(/invalid 'maxReplicas': got 3; expected a whole number from 4 to 1000/);
  });

  test('fails when the namespace is default or a system namespace', () => {
    const ns = (name: string) => () => new MeshNamespace(newStack(), 'Ns', { mesh: addonMesh, name });
    expect(ns('default')).toThrow(/MeshNamespace at 'test\/Ns': invalid 'name': got "default"; workloads never go into the 'default' namespace nor a system one/);
    expect(ns('kube-system')).toThrow(/invalid 'name': got "kube-system"; workloads never go into the 'default' namespace/);
    expect(ns('aks-istio-system')).toThrow(/invalid 'name': got "aks-istio-system"/);
    expect(() => service({ name: 'default' })).toThrow(/MeshNamespace at 'test\/Orders\/Namespace': invalid 'name': got "default"/);
  });

  test('fails when a name is not a DNS label', () => {
    expect(() => service({ name: 'Orders_API' })).toThrow(/invalid 'name': got "Orders_API"; expected a DNS-1035 label/);
    expect(() => service({ name: '1orders' })).toThrow(/invalid 'name': got "1orders"; expected a DNS-1035 label/);
    expect(() => new MeshNamespace(newStack(), 'Ns', { mesh: addonMesh, name: 'Shop' })).toThrow(/invalid 'name': got "Shop"; expected a DNS-1123 label/);
    expect(() => service({ primaryVersion: 'V1' })).toThrow(/invalid 'primaryVersion': got "V1"; expected a DNS-1123 label/);
    expect(() => service({ versions: [{ name: 'v2.0', image: IMAGE }] })).toThrow(/invalid 'versions\[0\]\.name': got "v2.0"; expected a DNS-1123 label/);
  });

  test('fails when two versions share a name', () => {
    expect(() => service({ versions: [{ name: 'v1', image: IMAGE }] })).toThrow(/invalid 'versions': got "v1"; each value must be unique/);
  });

  test('fails when the DestinationRule TLS mode is DISABLE', () => {
    expect(() => service({ tlsMode: IstioTlsMode.DISABLE })).toThrow(/invalid 'tlsMode': got "DISABLE"; expected ISTIO_MUTUAL/);
    expect(() => service({ tlsMode: IstioTlsMode.SIMPLE })).toThrow(/invalid 'tlsMode': got "SIMPLE"; expected ISTIO_MUTUAL/);
  });

  test('fails when the container would run as the Istio proxy UID or root', () => {
    expect(() => service({ runAsUser: 1337 })).toThrow(/invalid 'runAsUser': got 1337; expected a UID other than 1337/);
    expect(() => service({ runAsUser: 0 })).toThrow(/invalid 'runAsUser': got 0; expected a whole number from 1/);
  });

  test('fails when a TCP-only service is given routes', () => {
    expect(() => service({ ports: [MeshPort.tcp(5432)], routes: [{ timeout: MeshDuration.seconds(1) }] }))
      .toThrow(/invalid 'routes': got "1 route\(s\)"; expected an HTTP or gRPC port/);
  });

  test('fails when a route matches both an exact path and a prefix', () => {
    expect(() => service({ routes: [{ match: { pathExact: '/a', pathPrefix: '/b' } }] })).toThrow(/invalid 'routes\[0\]\.match': .*expected at most one of pathExact and pathPrefix/);
    expect(() => service({ routes: [{ match: { pathPrefix: 'orders' } }] })).toThrow(/invalid 'routes\[0\]\.match\.pathPrefix': got "orders"; expected a path starting with "\/"/);
    expect(() => service({ routes: [{ match: { method: 'get' } }] })).toThrow(/invalid 'routes\[0\]\.match\.method': got "get"; expected an HTTP method in upper case/);
  });

  test('fails when a fault injects nothing or out of range', () => {
    expect(() => service({ routes: [{ fault: {} }] })).toThrow(/invalid 'routes\[0\]\.fault': got \{\}; expected a delay, an abortHttpStatus or both/);
    expect(() => service({ routes: [{ fault: { abortHttpStatus: 503, abortPercentage: 150 } }] })).toThrow(/invalid 'routes\[0\]\.fault\.abortPercentage': got 150; expected a number from 0 to 100/);
  });

  test('fails when a duration is not a positive whole number of milliseconds', () => {
    expect(() => service({ routes: [{ timeout: MeshDuration.millis(0.5) }] })).toThrow(/invalid 'routes\[0\]\.timeout\.milliseconds': got 0.5; expected a whole number from 1/);
    expect(() => service({ outlierDetection: { interval: MeshDuration.seconds(0) } })).toThrow(/invalid 'outlierDetection\.interval\.milliseconds': got 0/);
  });

  test('fails when retries or connection limits are out of range', () => {
    expect(() => service({ routes: [{ retries: { attempts: -1 } }] })).toThrow(/invalid 'routes\[0\]\.retries\.attempts': got -1/);
    expect(() => service({ routes: [{ retries: { attempts: 2, retryOn: ['5xx,reset'] } }] })).toThrow(/invalid 'routes\[0\]\.retries\.retryOn\[0\]': got "5xx,reset"; expected a retry condition/);
    expect(() => service({ connectionPool: { maxConnections: 0 } })).toThrow(/invalid 'connectionPool\.maxConnections': got 0/);
    expect(() => service({ outlierDetection: { maxEjectionPercent: 101 } })).toThrow(/invalid 'outlierDetection\.maxEjectionPercent': got 101/);
  });

  test('fails when a resource request is above its limit or not a quantity', () => {
    expect(() => service({ resources: { memoryRequest: '1Gi', memoryLimit: '512Mi' } })).toThrow(/invalid 'resources\.memoryRequest': got "1Gi"; expected at most the limit memoryLimit \(512Mi\)/);
    expect(() => service({ resources: { cpuLimit: 'two' } })).toThrow(/invalid 'resources\.cpuLimit': got "two"; expected a Kubernetes quantity/);
  });

  test('fails when a probe, writable path or env name is malformed', () => {
    expect(() => service({ livenessProbe: MeshProbe.httpGet('healthz') })).toThrow(/invalid 'livenessProbe\.path': got "healthz"; expected a path starting with "\/"/);
    expect(() => service({ readinessProbe: MeshProbe.tcpSocket({ periodSeconds: 0 }) })).toThrow(/invalid 'readinessProbe\.periodSeconds': got 0/);
    expect(() => service({ writablePaths: ['/'] })).toThrow(/invalid 'writablePaths\[0\]': got "\/"; expected an absolute path other than "\/"/);
    expect(() => service({ env: { '1BAD': 'x' } })).toThrow(/invalid 'env\.1BAD': got "1BAD"; expected an environment variable name/);
  });

  test('fails when allowFrom gets a wildcard principal, an unknown port or bad methods and paths', () => {
    const b = service();
    expect(() => b.allowFrom(MeshPeer.fromPrincipal('cluster.local/ns/jobs/sa/*')))
      .toThrow(/invalid 'peer\.principal': got "cluster.local\/ns\/jobs\/sa\/\*"; expected a principal/);
    expect(() => b.allowFrom(MeshPeer.fromServiceAccount('jobs', 'x'), { ports: [9999] })).toThrow(/invalid 'options\.ports\[0\]': got 9999; expected a port of the service: 8080/);
    expect(() => b.allowFrom(MeshPeer.fromServiceAccount('jobs', 'x'), { methods: ['get'] })).toThrow(/invalid 'options\.methods\[0\]': got "get"/);
    expect(() => b.allowFrom(MeshPeer.fromServiceAccount('jobs', 'x'), { paths: ['orders'] })).toThrow(/invalid 'options\.paths\[0\]': got "orders"/);
  });

  test('fails when two different peers share a peerName', () => {
    const b = service();
    b.allowFrom(MeshPeer.fromPrincipal('cluster.local/ns/a/sa/worker', 'worker'));
    expect(() => b.allowFrom(MeshPeer.fromPrincipal('cluster.local/ns/b/sa/worker', 'worker')))
      .toThrow(/invalid 'peer\.peerName': got "worker"; another peer of this name \(cluster.local\/ns\/a\/sa\/worker\) is already allowed/);
  });

  test('fails when exposed twice or without an HTTP port', () => {
    const a = service();
    a.exposeViaGateway();
    expect(() => a.exposeViaGateway()).toThrow(/invalid 'exposeViaGateway': got "orders"; the service is already exposed through the gateway/);
    expect(() => service({ ports: [MeshPort.tcp(5432)] }).exposeViaGateway()).toThrow(/invalid 'options\.port': got undefined; expected an HTTP or gRPC port of the service \(it has none\)/);
    expect(() => service({ ports: [MeshPort.http(8080), MeshPort.tcp(5432)] }).exposeViaGateway({ port: 5432 })).toThrow(/invalid 'options\.port': got 5432; expected an HTTP or gRPC port of the service \(8080\)/);
  });

  // ------------------------------------------------------------------ properties

  test('property: a split is accepted exactly when its weights sum to 100', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 2, maxLength: 4 }), (weights) => {
      const versions = weights.slice(1).map((_, i) => ({ name: `v${i + 2}`, image: IMAGE }));
      const create = () => service({ versions, routes: [{ destinations: weights.map((weight, i) => ({ version: `v${i + 1}`, weight })) }] });
      const sum = weights.reduce((a, b) => a + b, 0);
      if (sum === 100) expect(create).not.toThrow();
      else expect(create).toThrow(/expected weights that sum to 100/);
    }), { numRuns: 60 });
  });

  test('property: any tag but latest pins an image; no tag never does', () => {
    const tag = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/);
    fc.assert(fc.property(tag, (t) => {
      const create = () => service({ image: `myacr.azurecr.io:5000/team/orders:${t}` });
      if (t === 'latest') expect(create).toThrow(/expected a pinned image/);
      else expect(create).not.toThrow();
      // Without a tag: not pinned, or (for a tag that is no repository name, e.g. "0_") not an image reference.
      expect(() => service({ image: `myacr.azurecr.io:5000/team/${t}` })).toThrow(/invalid 'image'/);
    }), { numRuns: 60 });
  });

  test('property: ports are accepted exactly in 1-65535 outside Istio\'s reserved ones', () => {
    const reserved = [15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090];
    fc.assert(fc.property(fc.integer({ min: -10, max: 70000 }), (port) => {
      const create = () => service({ ports: [MeshPort.tcp(port)] });
      if (port >= 1 && port <= 65535 && !reserved.includes(port)) expect(create).not.toThrow();
      else expect(create).toThrow(/invalid 'ports\[0\]\.port'/);
    }), { numRuns: 80 });
  });
});
