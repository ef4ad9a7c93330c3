// Wrongly shaped input never escapes as a raw TypeError (issue 16): every public construct and
// method is called with a valid set of props, then with each prop (and each prop of a nested object
// or list item) replaced by a value of the wrong shape: a single item where a list belongs, a string
// for a list, an object for a string, a number, a list for an object, null; and with no props object
// at all. Each call either synthesizes or throws the library's ConstructValidationError naming the prop.
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { synthStack } from './support';
import {
  ApiBackend, ApiGovernance, ApiPolicy, HttpMethod, MeshCluster, MeshNamespace, MeshPort, MeshProbe, MeshService, RateLimitKey,
  SecureEdge, TieredNetwork,
} from '../lib';
import { addonMesh } from './support/fixtures';

type Props = { [key: string]: any };
const placement = { resourceGroupName: 'rg-shop', location: 'westeurope' };
const kvSecret = 'https://kv-shop.vault.azure.net/secrets/edge-tls';

interface Platform { stack: TerraformStack; network: TieredNetwork; cluster: MeshCluster; api: ApiGovernance; edge: SecureEdge }

function platform(stack: TerraformStack): Platform {
  const network = new TieredNetwork(stack, 'Network', placement);
  const cluster = new MeshCluster(stack, 'Cluster', { ...placement, subnet: network.computeSubnet, keyVaultName: 'kv-shop' });
  const api = new ApiGovernance(stack, 'Api', { ...placement, name: 'apim-shop', subnet: network.apiSubnet, publisherName: 'Shop', publisherEmail: 'ops@shop.example' });
  const edge = new SecureEdge(stack, 'Edge', {
    ...placement,
    subnet: network.edgeSubnet,
    backend: api,
    keyVaultId: cluster.keyVaultId,
    listeners: [{ id: 'public', hostNames: ['api.shop.example'], certificateSecretId: kvSecret }],
  });
  return { stack, network, cluster, api, edge };
}

const service = (stack: TerraformStack, id = 'Orders', props: Props = {}) =>
  new MeshService(stack, id, { mesh: addonMesh, image: 'shop.azurecr.io/orders:1.4.2', ports: [MeshPort.http(8080)], ...props });

/** An entry point: valid props, and how to call it with (possibly mutated) props. */
interface EntryPoint {
  readonly name: string;
  readonly props: () => Props;
  readonly call: (stack: TerraformStack, props: any) => void;
}

const ENTRY_POINTS: EntryPoint[] = [
  {
    name: 'TieredNetwork',
    props: () => ({ ...placement, name: 'vnet-shop', addressSpace: '10.0.0.0/16', edgeSubnetPrefix: '10.0.0.0/24', apiSubnetPrefix: '10.0.1.0/24', computeSubnetPrefix: '10.0.16.0/20' }),
    call: (stack, props) => new TieredNetwork(stack, 'Network', props),
  },
  {
    name: 'MeshCluster',
    props: () => ({
      ...placement,
      name: 'aks-shop',
      adminGroupObjectIds: ['00000000-0000-0000-0000-000000000001'],
      zones: ['1', '2', '3'],
      systemNodePool: { vmSize: 'Standard_D4ds_v5', minCount: 3, maxCount: 5, maxPods: 110 },
      maintenanceWindow: { dayOfWeek: 'Sunday', startTime: '02:00', durationHours: 4 },
      istio: { revision: 'asm-1-26' },
    }),
    call: (stack, props) => {
      const network = new TieredNetwork(stack, 'Network', placement);
      new MeshCluster(stack, 'Cluster', props === undefined ? undefined : { ...props, subnet: network.computeSubnet });
    },
  },
  {
    name: 'ApiGovernance',
    props: () => ({ ...placement, name: 'apim-shop', publisherName: 'Shop', publisherEmail: 'ops@shop.example', zones: [], throttle: { calls: 100, renewalPeriod: 60 } }),
    call: (stack, props) => {
      const network = new TieredNetwork(stack, 'Network', placement);
      new ApiGovernance(stack, 'Api', props === undefined ? undefined : { ...props, subnet: network.apiSubnet });
    },
  },
  {
    name: 'SecureEdge',
    props: () => ({
      ...placement,
      name: 'agw-shop',
      zones: ['1', '2', '3'],
      minCapacity: 2,
      maxCapacity: 10,
      publicSourceAddressPrefixes: ['0.0.0.0/0'],
      listeners: [{ id: 'public', hostNames: ['api.shop.example'], certificateSecretId: kvSecret, priority: 100 }],
    }),
    call: (stack, props) => {
      const p = platform(new TerraformStack(stack.node.root, 'other'));
      const network = new TieredNetwork(stack, 'Network', placement);
      new SecureEdge(stack, 'Edge2', props === undefined ? undefined : { ...props, subnet: network.edgeSubnet, backend: p.api, keyVaultId: p.cluster.keyVaultId });
    },
  },
  {
    name: 'SecureEdge.addListener',
    props: () => ({ hostNames: ['www.shop.example'], certificateSecretId: kvSecret, redirectHttp: true, priority: 200 }),
    call: (stack, props) => platform(stack).edge.addListener('www', props),
  },
  {
    name: 'SecureEdge.addRoute',
    props: () => ({ paths: ['/orders/*'] }),
    call: (stack, props) => {
      const p = platform(stack);
      p.edge.addRoute('orders', props === undefined ? undefined as any : { ...props, listener: p.edge.listeners[0] });
    },
  },
  {
    name: 'MeshService',
    props: () => ({
      name: 'orders',
      image: 'shop.azurecr.io/orders:1.4.2',
      command: ['/app/orders'],
      args: ['--port', '8080'],
      env: { LOG_LEVEL: 'info' },
      resources: { cpuRequest: '100m', memoryLimit: '256Mi' },
      minReplicas: 2,
      maxReplicas: 5,
      writablePaths: ['/tmp'],
      workloadIdentityClientId: '00000000-0000-0000-0000-000000000002',
      versions: [{ name: 'v2', image: 'shop.azurecr.io/orders:2.0.0' }],
      routes: [{ match: { pathPrefix: '/v2', headers: { 'x-canary': 'true' } }, destinations: [{ version: 'v2', weight: 100 }] }],
    }),
    call: (stack, props) => new MeshService(stack, 'Orders', props === undefined ? undefined as any : { mesh: addonMesh, ports: [MeshPort.http(8080)], ...props }),
  },
  {
    name: 'MeshService.allowFrom',
    props: () => ({ methods: ['GET'], paths: ['/orders'], ports: [8080] }),
    call: (stack, props) => service(stack).allowFrom(service(stack, 'Web', { name: 'web' }), props),
  },
  {
    name: 'MeshService.exposeViaGateway',
    props: () => ({ port: 8080 }),
    call: (stack, props) => service(stack).exposeViaGateway(props),
  },
  {
    name: 'MeshNamespace',
    props: () => ({ name: 'shop', labels: { team: 'orders' }, annotations: { owner: 'orders' } }),
    call: (stack, props) => new MeshNamespace(stack, 'Namespace', props === undefined ? undefined as any : { mesh: addonMesh, ...props }),
  },
  {
    name: 'MeshCluster.connect',
    props: () => ({ providerAlias: 'mesh', kubeloginEnv: { AAD_LOGIN_METHOD: 'azurecli' }, restrictEgress: true }),
    call: (stack, props) => {
      const p = platform(stack);
      const workloads = new TerraformStack(stack.node.root, 'workloads');
      new AzurermProvider(workloads, 'azurerm', { features: [{}] });
      p.cluster.connect(workloads, 'Mesh', props);
    },
  },
  {
    name: 'ApiGovernance.addApi',
    props: () => ({
      path: 'orders',
      displayName: 'Orders',
      protocols: ['https'],
      operations: [{ operationId: 'list', method: HttpMethod.GET, urlTemplate: '/orders/{id}' }],
      policies: [ApiPolicy.rateLimitByKey({ calls: 10, renewalPeriod: 60, key: RateLimitKey.header('x-client') })],
    }),
    call: (stack, props) => platform(stack).api.addApi('Orders', props === undefined ? undefined as any : { backend: ApiBackend.fromUrl('https://orders.mesh.internal'), ...props }),
  },
  {
    name: 'ApiGovernance.addProduct',
    props: () => ({ productId: 'standard', displayName: 'Standard', subscriptionsLimit: 10, terms: 'Be nice.' }),
    call: (stack, props) => platform(stack).api.addProduct('Standard', props),
  },
  {
    name: 'ApiGovernance.addNamedValue',
    props: () => ({ namedValueName: 'backend-key', keyVaultSecretId: 'https://kv-shop.vault.azure.net/secrets/backend-key', tags: ['backend'] }),
    call: (stack, props) => platform(stack).api.addNamedValue('BackendKey', props),
  },
  {
    name: 'ApiGovernance.addVersionSet',
    props: () => ({ displayName: 'Orders', versionSetName: 'orders' }),
    call: (stack, props) => platform(stack).api.addVersionSet('Orders', props),
  },
  {
    name: 'ApiPolicy.validateJwt',
    props: () => ({
      issuer: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
      audiences: ['api://orders'],
      openIdConfigUrl: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0/.well-known/openid-configuration',
      requiredClaims: [{ name: 'roles', values: ['reader'] }],
    }),
    call: (stack, props) => platform(stack).api.addPolicy(ApiPolicy.validateJwt(props)),
  },
  {
    name: 'ApiPolicy.cors',
    props: () => ({ allowedOrigins: ['https://shop.example'], allowedMethods: ['GET'], allowedHeaders: ['content-type'] }),
    call: (stack, props) => platform(stack).api.addPolicy(ApiPolicy.cors(props)),
  },
  {
    name: 'ApiPolicy.header',
    props: () => ({ name: 'x-served-by', values: ['apim'] }),
    call: (stack, props) => platform(stack).api.addPolicy(ApiPolicy.header(props)),
  },
  {
    name: 'ApiPolicy.quotaByKey',
    props: () => ({ calls: 1000, renewalPeriod: 3600 }),
    call: (stack, props) => platform(stack).api.addPolicy(ApiPolicy.quotaByKey(props)),
  },
  {
    name: 'MeshProbe.httpGet',
    props: () => ({ port: 8080, initialDelaySeconds: 5, periodSeconds: 10 }),
    call: (stack, props) => service(stack, 'Orders', { livenessProbe: MeshProbe.httpGet('/healthz', props) }),
  },
];

/** Wrongly shaped replacements for a value. */
function wrongShapes(value: unknown): Array<[string, unknown]> {
  if (Array.isArray(value)) {
    return [['a single item instead of a list', value[0] ?? 'item'], ['a string instead of a list', 'text'], ['an object instead of a list', { a: 1 }], ['null', null]];
  }
  if (typeof value === 'string') return [['an object instead of a string', { a: 1 }], ['a list instead of a string', [value]], ['a number instead of a string', 42]];
  if (typeof value === 'number') return [['a string instead of a number', '10'], ['an object instead of a number', { a: 1 }]];
  if (typeof value === 'boolean') return [['a string instead of a boolean', 'true'], ['an object instead of a boolean', { a: 1 }]];
  if (value !== null && typeof value === 'object') return [['a string instead of an object', 'text'], ['a list instead of an object', [value]], ['a number instead of an object', 42]];
  return [];
}

interface Mutation { readonly path: string[]; readonly description: string; readonly props: Props }

/** Each prop, each prop of a nested plain object, and each prop of a list's first plain-object item, replaced by each wrong shape. */
function mutations(props: Props): Mutation[] {
  const out: Mutation[] = [];
  const visit = (node: any, path: string[], replace: (v: unknown) => Props, depth: number) => {
    for (const key of Object.keys(node)) {
      const value = node[key];
      const at = [...path, key];
      const replaceHere = (v: unknown) => replace({ ...node, [key]: v });
      for (const [description, wrong] of wrongShapes(value)) out.push({ path: at, description, props: replaceHere(wrong) });
      if (depth >= 2) continue;
      if (isPlain(value)) visit(value, at, replaceHere, depth + 1);
      if (Array.isArray(value) && isPlain(value[0])) {
        visit(value[0], [...at, '0'], (v) => replaceHere([v, ...value.slice(1)]), depth + 1);
      }
    }
  };
  visit(props, [], (v) => v as Props, 0);
  return out;
}

function isPlain(value: unknown): value is Props {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** undefined when the call synthesizes or throws ConstructValidationError naming a prop of `path`; else what went wrong. */
function problem(entry: EntryPoint, props: Props | undefined, path: string[]): string | undefined {
  const app = new App();
  const stack = new TerraformStack(app, 'shapes');
  try {
    entry.call(stack, props);
    synthStack(stack);
    return undefined;
  } catch (error: any) {
    const message = String(error?.message);
    const names = path.filter((p) => !/^\d+$/.test(p));
    const named = names.length === 0 || names.some((p) => message.includes(`'${p}`) || message.includes(`.${p}`) || message.includes(`${p}[`) || message.includes(`${p}'`));
    if (error?.name === 'ConstructValidationError' && named) return undefined;
    if (/^Validation failed with the following errors/.test(message) && named && !/AGM-[A-Z0-9]+-\d+/.test(message)) return undefined;
    return `${error?.name}: ${message.split('\n').slice(0, 3).join(' ').slice(0, 300)}`;
  }
}

describe('wrongly shaped input gets ConstructValidationError naming the prop', () => {
  const { captureStackTrace, prepareStackTrace } = Error;
  beforeAll(() => {
    // Stack traces of cdktf tokens are most of the cost; the test reads messages only.
    Error.captureStackTrace = () => undefined;
    Error.prepareStackTrace = () => '';
  });
  afterAll(() => {
    Error.captureStackTrace = captureStackTrace;
    Error.prepareStackTrace = prepareStackTrace;
  });

  test.each(ENTRY_POINTS.map((e) => [e.name, e] as const))('%s', (_name, entry) => {
    expect(problem(entry, entry.props(), [])).toBeUndefined();
    const failures: string[] = [];
    const none = problem(entry, undefined, []);
    if (none) failures.push(`no props object: ${none}`);
    for (const m of mutations(entry.props())) {
      const p = problem(entry, m.props, m.path);
      if (p) failures.push(`${m.path.join('.')} = ${m.description}: ${p}`);
    }
    expect(failures).toEqual([]);
  });
});
