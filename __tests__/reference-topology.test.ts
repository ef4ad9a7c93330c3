import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { expectValidStack, synthStack } from './support';
import { StateBackendKind, stateBackendFromEnv } from '../examples/backend';
import { buildReferenceTopology, optionsFromContext, ReferenceTopology } from '../examples/reference-topology';
import { IstioMode } from '../lib';

const all = (json: any, type: string): any[] => Object.values(json.resource?.[type] ?? {});
const manifests = (json: any, kind: string): any[] => all(json, 'kubernetes_manifest').map((m) => m.manifest).filter((m) => m.kind === kind);

describe('reference topology (AKS Istio add-on, the default)', () => {
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

  test('three stacks (foundation, platform, workloads), each valid against the provider schemas and the Istio 1.26 CRDs', () => {
    expect(topology.meshInstall).toBeUndefined();
    expectValidStack(topology.foundation);
    expectValidStack(topology.platform);
    expectValidStack(topology.workloads);
    expect(foundation).toMatchSnapshot('foundation');
    expect(platform).toMatchSnapshot('platform');
    expect(workloads).toMatchSnapshot('workloads');
  });

  test('passes the policy pack with zero findings', () => {
    expect(topology.checks.findings.filter((f) => f.suppressionReason === undefined)).toEqual([]);
    expect(topology.checks.findings.map((f) => f.ruleId)).toEqual(['AGM-K8S-007']); // suppressed, with a reason
  });

  test('the workloads stack reads the cluster through cross-stack references', () => {
    expect(Object.keys(workloads.data.terraform_remote_state).sort()).toEqual(['cross-stack-reference-input-foundation', 'cross-stack-reference-input-platform']);
    expect(Object.keys(platform.data.terraform_remote_state)).toEqual(['cross-stack-reference-input-foundation']);
    expect(Object.keys(platform.output).length).toBeGreaterThan(0);
    expect(foundation.data?.terraform_remote_state).toBeUndefined();
  });

  test('one VNet, three layers, each subnet with its own NSG', () => {
    expect(all(foundation, 'azurerm_virtual_network')).toHaveLength(1);
    expect(all(foundation, 'azurerm_subnet').map((s) => s.name).sort()).toEqual(['snet-api', 'snet-compute', 'snet-edge']);
    const associations = all(platform, 'azurerm_subnet_network_security_group_association');
    expect(associations).toHaveLength(3);
    expect(new Set(associations.map((a) => a.subnet_id)).size).toBe(3);
  });

  test('edge: WAF_v2 in Prevention mode, OWASP + bot manager, HTTPS to APIM with its host name and status probe', () => {
    const [waf] = all(platform, 'azurerm_web_application_firewall_policy');
    expect(waf.policy_settings.mode).toBe('Prevention');
    const ruleSets = waf.managed_rules.managed_rule_set.map((r: any) => `${r.type} ${r.version}`);
    expect(ruleSets).toEqual(expect.arrayContaining(['OWASP 3.2', 'Microsoft_BotManagerRuleSet 1.0']));
    const [gateway] = all(platform, 'azurerm_application_gateway');
    expect(gateway.sku.tier).toBe('WAF_v2');
    expect(gateway.zones).toEqual(['1', '2', '3']);
    const apimHost = `${all(platform, 'azurerm_api_management')[0].name}.azure-api.net`;
    expect(apimHost).toMatch(/^apim-gwmesh-\$\{substr\(sha1\(/);
    expect(gateway.probe[0]).toMatchObject({ path: '/status-0123456789abcdef', protocol: 'Https', host: apimHost });
    expect(gateway.backend_http_settings[0]).toMatchObject({ protocol: 'Https', port: 443, host_name: apimHost });
    expect(gateway.ssl_policy).toMatchObject({ policy_type: 'Predefined', policy_name: 'AppGwSslPolicy20220101S' });
  });

  test('API layer: APIM in Internal VNet mode, legacy protocols off, versioned and throttled APIs', () => {
    const [apim] = all(platform, 'azurerm_api_management');
    expect(apim.virtual_network_type).toBe('Internal');
    expect(apim.public_network_access_enabled).toBe(true);
    expect(Object.entries(apim.security).filter(([, on]) => on === true)).toEqual([]);
    const apis = all(platform, 'azurerm_api_management_api');
    expect(apis.map((a) => `${a.path} ${a.version}`).sort()).toEqual(['orders v1', 'orders v2']);
    expect(all(platform, 'azurerm_api_management_api_version_set')[0].versioning_scheme).toBe('Segment');
    const [global] = all(platform, 'azurerm_api_management_policy');
    expect(global.xml_content).toMatch(/<rate-limit-by-key calls="600" renewal-period="60"/);
    expect(all(platform, 'azurerm_api_management_backend').every((b) => b.url === 'https://orders.mesh.internal')).toBe(true);
    expect(all(platform, 'azurerm_private_dns_zone').map((z) => z.name)).toEqual(expect.arrayContaining(['azure-api.net', 'mesh.internal']));
  });

  test('compute: hardened AKS with the Istio add-on, internal ingress gateway only', () => {
    const [aks] = all(platform, 'azurerm_kubernetes_cluster');
    expect(aks.service_mesh_profile).toMatchObject({ mode: 'Istio', internal_ingress_gateway_enabled: true, external_ingress_gateway_enabled: false });
    expect(aks.service_mesh_profile.revisions).toEqual([expect.stringMatching(/^asm-1-\d+$/)]);
    expect(aks).toMatchObject({ local_account_disabled: true, sku_tier: 'Standard', oidc_issuer_enabled: true, workload_identity_enabled: true, azure_policy_enabled: true });
    expect(aks.network_profile).toMatchObject({ network_plugin: 'azure', network_plugin_mode: 'overlay' });
    expect(aks.private_cluster_enabled === true || (aks.api_server_access_profile?.authorized_ip_ranges ?? []).length > 0).toBe(true);
    const [vault] = all(foundation, 'azurerm_key_vault');
    expect(all(platform, 'azurerm_key_vault')).toEqual([]);
    expect(vault).toMatchObject({ rbac_authorization_enabled: true, purge_protection_enabled: true });
    expect(vault.network_acls.default_action).toBe('Deny');
  });

  test('mesh: STRICT mTLS mesh-wide, default deny per namespace, gateway -> orders -> inventory, payments and nothing else', () => {
    const peer = manifests(workloads, 'PeerAuthentication');
    expect(peer).toEqual([expect.objectContaining({ metadata: expect.objectContaining({ namespace: 'aks-istio-system' }), spec: { mtls: { mode: 'STRICT' } } })]);
    const policies = manifests(workloads, 'AuthorizationPolicy');
    const denyAll = policies.filter((p) => Object.keys(p.spec).length === 0).map((p) => p.metadata.namespace).sort();
    expect(denyAll).toEqual(['inventory', 'orders', 'payments']);
    const allows = policies.filter((p) => p.spec.action === 'ALLOW').flatMap((p) => p.spec.rules.flatMap((r: any) =>
      r.from.flatMap((f: any) => f.source.principals.map((caller: string) => `${caller} -> ${p.metadata.namespace}`))));
    expect(allows.sort()).toEqual([
      'cluster.local/ns/aks-istio-ingress/sa/aks-istio-ingressgateway-internal -> orders',
      'cluster.local/ns/orders/sa/orders -> inventory',
      'cluster.local/ns/orders/sa/orders -> payments',
    ]);
    expect(manifests(workloads, 'DestinationRule').every((d) => d.spec.trafficPolicy.tls.mode === 'ISTIO_MUTUAL')).toBe(true);
    // The OpenTelemetry collector (examples/observability.ts) stays outside the mesh: sidecars send it spans in plain OTLP.
    const namespaces = all(workloads, 'kubernetes_namespace_v1').filter((n) => n.metadata.name !== 'otel-collector').map((n) => n.metadata.labels);
    expect(namespaces.every((labels) => labels['istio.io/rev'] === topology.cluster.resource.serviceMeshProfile.revisionsInput?.[0])).toBe(true);
  });

  test('services: hardened pods, pinned images, 2+ replicas, PDBs, never the default namespace', () => {
    const deployments = all(workloads, 'kubernetes_deployment_v1').filter((d) => ['orders', 'inventory', 'payments'].includes(d.metadata.name));
    expect(deployments).toHaveLength(3);
    for (const d of deployments) {
      const pod = d.spec.template.spec;
      const [container] = pod.container;
      expect(container.security_context).toMatchObject({ run_as_non_root: true, read_only_root_filesystem: true, allow_privilege_escalation: false, capabilities: { drop: ['ALL'] } });
      expect(container.image).toMatch(/:\d+\.\d+\.\d+$/);
      expect(container.resources.limits).toBeDefined();
      expect(container.liveness_probe && container.readiness_probe).toBeTruthy();
      expect(Number(d.spec.replicas ?? 2)).toBeGreaterThanOrEqual(2);
    }
    expect(all(workloads, 'kubernetes_pod_disruption_budget_v1').length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(workloads)).not.toMatch(/"namespace":\s*"default"/);
  });
});

describe('reference topology (upstream Istio by Helm)', () => {
  test('four stacks: foundation, platform, mesh-install (charts, CRDs), workloads; all valid', () => {
    const topology = buildReferenceTopology(new App(), { istioMode: IstioMode.HELM });
    expect(topology.meshInstall).toBeDefined();
    for (const stack of [topology.foundation, topology.platform, topology.meshInstall!, topology.workloads]) expectValidStack(stack);
    expect(topology.checks.findings.filter((f) => f.suppressionReason === undefined)).toEqual([]);
    const install = synthStack(topology.meshInstall!);
    expect(all(install, 'helm_release').map((r) => r.chart).sort()).toEqual(['base', 'gateway', 'istiod']);
    const gateway = all(install, 'helm_release').find((r) => r.chart === 'gateway');
    expect(JSON.stringify(gateway)).toMatch(/azure-load-balancer-internal/);
    const [aks] = all(synthStack(topology.platform), 'azurerm_kubernetes_cluster');
    expect(aks.service_mesh_profile).toBeUndefined();
  });
});

describe('options and backends', () => {
  test('names, region and address space come from context', () => {
    const app = new App({ context: { prefix: 'contoso', location: 'northeurope', addressSpace: '10.42.0.0/16' } });
    const topology = buildReferenceTopology(app, optionsFromContext(app, {}));
    const json = synthStack(topology.foundation);
    expect(all(json, 'azurerm_resource_group')[0]).toMatchObject({ name: 'rg-contoso', location: 'northeurope' });
    expect(all(json, 'azurerm_virtual_network')[0].address_space).toEqual(['10.42.0.0/16']);
  });

  test('Terraform Cloud: one workspace per stack, organization and project from the environment', () => {
    const backend = stateBackendFromEnv({ TOPOLOGY_BACKEND: 'tfc', TF_CLOUD_ORGANIZATION: 'contoso', TF_CLOUD_PROJECT: 'platform' });
    expect(backend.kind).toBe(StateBackendKind.TERRAFORM_CLOUD);
    const topology = buildReferenceTopology(new App(), { backend });
    const workspaces = [topology.foundation, topology.platform, topology.workloads].map((s) => synthStack(s).terraform.cloud);
    expect(workspaces).toEqual([
      { organization: 'contoso', workspaces: { name: 'gateway-mesh-foundation', project: 'platform' } },
      { organization: 'contoso', workspaces: { name: 'gateway-mesh-platform', project: 'platform' } },
      { organization: 'contoso', workspaces: { name: 'gateway-mesh-workloads', project: 'platform' } },
    ]);
  });

  test('azurerm backend: one state blob per stack', () => {
    const backend = stateBackendFromEnv({ TOPOLOGY_BACKEND: 'azurerm', TOPOLOGY_STATE_RESOURCE_GROUP: 'rg-state', TOPOLOGY_STATE_STORAGE_ACCOUNT: 'sttfstate' });
    const topology = buildReferenceTopology(new App(), { backend });
    expect(synthStack(topology.workloads).terraform.backend.azurerm).toMatchObject({ key: 'gateway-mesh-workloads.tfstate', storage_account_name: 'sttfstate' });
  });

  test('fails when the backend or options are not usable', () => {
    expect(() => stateBackendFromEnv({ TOPOLOGY_BACKEND: 's3' })).toThrow(/TOPOLOGY_BACKEND="s3": expected one of local, tfc, azurerm/);
    expect(() => buildReferenceTopology(new App(), { backend: { kind: StateBackendKind.TERRAFORM_CLOUD } })).toThrow(/needs an organization: set TF_CLOUD_ORGANIZATION/);
    expect(() => buildReferenceTopology(new App(), { prefix: 'Bad_Prefix' })).toThrow(/prefix="Bad_Prefix"/);
    expect(() => optionsFromContext(new App({ context: { istioMode: 'linkerd' } }), {})).toThrow(/istioMode="linkerd"/);
  });
});

describe('the main job', () => {
  test('`node scripts/app.js --diagram` (npm run synth) writes the stacks and the topology diagrams into the outdir', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
    execFileSync(process.execPath, ['scripts/app.js', '--diagram'], { cwd: path.join(__dirname, '..'), env: { ...process.env, CDKTF_OUTDIR: outdir }, stdio: 'pipe' });
    expect(fs.readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(['foundation', 'platform', 'team-reviews', 'workloads']);
    const svg = fs.readFileSync(path.join(outdir, 'topology.svg'), 'utf8');
    for (const name of ['agw-gwmesh', 'apim-gwmesh', 'aks-gwmesh', 'orders', 'inventory', 'payments', 'reviews', 'ratings']) expect(svg).toContain(name);
    expect(fs.readFileSync(path.join(outdir, 'topology.drawio'), 'utf8')).toMatch(/<mxfile /);
    // The README shows docs/topology.svg: it must be what the main job draws today.
    expect(fs.readFileSync(path.join(__dirname, '..', 'docs', 'topology.svg'), 'utf8')).toBe(svg);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('a bad option fails the app with the message, not a line of the minified bundle', () => {
    let stderr = '';
    try {
      execFileSync(process.execPath, ['scripts/app.js'], { cwd: path.join(__dirname, '..'), env: { ...process.env, TOPOLOGY_PREFIX: 'Bad_', CDKTF_OUTDIR: os.tmpdir() }, stdio: 'pipe' });
    } catch (error: any) {
      expect(error.status).toBe(1);
      stderr = String(error.stderr);
    }
    expect(stderr).toMatch(/^Error: prefix="Bad_": expected 3-12 lower-case letters/);
    expect(stderr.length).toBeLessThan(400);
  });
});

// scripts/bundle.js leaves cdktf's token stack traces out of the synth bundle and adds fast paths to
// cdktf's resolve(): the bundle must write exactly what the library writes unbundled.
describe('the synth bundle (scripts/bundle.js)', () => {
  const ROOT = path.join(__dirname, '..');
  const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TOPOLOGY_') && !k.startsWith('CDKTF_')));
  const stacksOf = (outdir: string) => Object.fromEntries(fs.readdirSync(path.join(outdir, 'stacks')).sort()
    .map((s) => [s, fs.readFileSync(path.join(outdir, 'stacks', s, 'cdk.tf.json'), 'utf8')]));

  test.each(['aks-addon', 'helm'])('writes the reference topology (%s mode) byte for byte as the unbundled library does', (mode) => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-'));
    const env = { ...cleanEnv, TOPOLOGY_ISTIO_MODE: mode };
    const app = new App({ outdir: path.join(work, 'library') });
    buildReferenceTopology(app, { ...optionsFromContext(app, env), backend: stateBackendFromEnv(env) });
    app.synth();
    execFileSync(process.execPath, ['scripts/app.js'], { cwd: ROOT, env: { ...env, CDKTF_OUTDIR: path.join(work, 'bundle') }, stdio: 'pipe' });
    const library = stacksOf(path.join(work, 'library'));
    expect(Object.keys(library)).toContain(mode === 'helm' ? 'mesh-install' : 'workloads');
    expect(stacksOf(path.join(work, 'bundle'))).toEqual(library);
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('writes the benchmark\'s service workload (policy pack on) byte for byte as the unbundled library does', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { bundle } = require('../scripts/bundle.js') as { bundle: (entry: string, outfile: string) => Promise<void> };
    await bundle(path.join(ROOT, 'bench', 'services-app.ts'), path.join(work, 'services-app.js'));
    execFileSync(process.execPath, [path.join(work, 'services-app.js'), '12'], { cwd: ROOT, env: { ...cleanEnv, CDKTF_OUTDIR: path.join(work, 'bundle') }, stdio: 'pipe' });
    // The same app in this process, unbundled: it reads the count from argv and the outdir from CDKTF_OUTDIR.
    const saved = { argv: process.argv, outdir: process.env.CDKTF_OUTDIR };
    process.argv = [process.execPath, 'services-app.ts', '12'];
    process.env.CDKTF_OUTDIR = path.join(work, 'library');
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      jest.isolateModules(() => require('../bench/services-app'));
    } finally {
      process.argv = saved.argv;
      if (saved.outdir === undefined) delete process.env.CDKTF_OUTDIR;
      else process.env.CDKTF_OUTDIR = saved.outdir;
    }
    const library = stacksOf(path.join(work, 'library'));
    expect(library.services).toMatch(/svc-11/);
    expect(stacksOf(path.join(work, 'bundle'))).toEqual(library);
    fs.rmSync(work, { recursive: true, force: true });
  });
});
