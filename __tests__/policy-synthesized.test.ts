// The policy pack judges what Terraform will apply: the stack's final JSON (escape hatches at the
// resource and the stack level), values only known at plan time (cannot verify, strict), variable
// defaults, and suppressions that must name real rules (issue 16).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, Fn, TerraformResource, TerraformStack, TerraformVariable } from 'cdktf';
import { synthStack } from './support';
import { buildReferenceTopology } from '../examples/reference-topology';
import {
  ApiGovernance, CertificateVault, GatewayMeshChecks, GatewayMeshChecksProps, MeshCluster, MeshConnection, MeshPort, MeshService,
  PolicySuppressions, RuleLevel, SecureEdge, TieredNetwork,
} from '../lib';
import { PolicyIndex } from '../lib/policy/private/context';

const placement = { resourceGroupName: 'rg-shop', location: 'westeurope' };

interface Platform {
  readonly app: App;
  readonly stack: TerraformStack;
  readonly edge: SecureEdge;
  readonly cluster: MeshCluster;
  readonly checks: GatewayMeshChecks;
}

/** The README's example without services: it passes the pack. */
function platform(props: GatewayMeshChecksProps = {}): Platform {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'policy-synth-')) });
  // What must exist before the gateway reads its certificate (the AGM-DEP rules): the vault, a stack before.
  const foundation = new TerraformStack(app, 'foundation');
  new AzurermProvider(foundation, 'azurerm', { features: [{}] });
  const network = new TieredNetwork(foundation, 'Network', placement);
  const vault = new CertificateVault(foundation, 'Vault', { ...placement, subnet: network.computeSubnet });
  const stack = new TerraformStack(app, 'platform');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const cluster = new MeshCluster(stack, 'Cluster', { ...placement, subnet: network.computeSubnet, keyVaultId: vault.keyVaultId });
  const api = new ApiGovernance(stack, 'Api', {
    ...placement, name: 'apim-shop', subnet: network.apiSubnet, publisherName: 'Shop', publisherEmail: 'platform@shop.example',
  });
  const edge = new SecureEdge(stack, 'Edge', {
    ...placement,
    subnet: network.edgeSubnet,
    backend: api,
    keyVaultId: vault.keyVaultId,
    listeners: [{ id: 'public', hostNames: ['api.shop.example'], certificateSecretId: vault.secretId('edge-tls') }],
  });
  // The in-cluster side (mesh-wide STRICT mTLS, ...) that the cluster's rules look for.
  const workloads = new TerraformStack(app, 'workloads');
  new AzurermProvider(workloads, 'azurerm', { features: [{}] });
  cluster.connect(workloads, 'Mesh');
  const checks = GatewayMeshChecks.applyTo(app, props);
  return { app, stack, edge, cluster, checks };
}

const wafAddress = (p: Platform) => `resource.azurerm_web_application_firewall_policy.${p.edge.wafPolicy.friendlyUniqueId}`;
const aksAddress = (p: Platform) => `resource.azurerm_kubernetes_cluster.${p.cluster.resource.friendlyUniqueId}`;
const unsuppressed = (p: Platform) => p.checks.findings.filter((f) => f.suppressionReason === undefined);

describe('the pack judges the stack Terraform applies', () => {
  test('the platform passes as built', () => {
    const p = platform();
    synthStack(p.stack);
    expect(unsuppressed(p)).toEqual([]);
  });

  test('fails synth on a stack-level override setting the WAF policy to Detection, reported on the WAF policy construct', () => {
    const p = platform();
    p.stack.addOverride(`${wafAddress(p)}.policy_settings.mode`, 'Detection');
    expect(() => synthStack(p.stack)).toThrow(/\[platform\/Edge\/WafPolicy\] AGM-AZ-001/);
    expect(() => p.app.synth()).toThrow(/AGM-AZ-001/);
  });

  test('fails synth on a stack-level override turning off private_cluster_enabled, reported on the cluster construct', () => {
    const p = platform();
    p.stack.addOverride(`${aksAddress(p)}.private_cluster_enabled`, false);
    expect(() => synthStack(p.stack)).toThrow(/\[platform\/Cluster\/Resource\] AGM-AZ-011/);
    expect(unsuppressed(p).map((f) => [f.ruleId, f.path])).toEqual([['AGM-AZ-011', 'platform/Cluster/Resource']]);
  });

  test('judges a stack-level override of a whole block and one at the level of the resource type', () => {
    const p = platform();
    p.stack.addOverride('resource.azurerm_web_application_firewall_policy', {
      [p.edge.wafPolicy.friendlyUniqueId]: { policy_settings: { enabled: false } },
    });
    expect(() => synthStack(p.stack)).toThrow(/\[platform\/Edge\/WafPolicy\] AGM-AZ-001/);
  });

  test('a stack-level override that makes a resource compliant is judged too', () => {
    const p = platform();
    p.edge.wafPolicy.addOverride('policy_settings.mode', 'Detection');
    p.stack.addOverride(`${wafAddress(p)}.policy_settings.mode`, 'Prevention');
    synthStack(p.stack);
    expect(unsuppressed(p)).toEqual([]);
  });

  test('judges a resource that only a stack-level override writes, reported on the stack', () => {
    const p = platform();
    p.stack.addOverride('resource.azurerm_web_application_firewall_policy.handwritten', {
      name: 'waf-extra',
      resource_group_name: 'rg-shop',
      location: 'westeurope',
      policy_settings: { enabled: true, mode: 'Detection' },
      managed_rules: { managed_rule_set: [{ type: 'OWASP', version: '3.2' }, { type: 'Microsoft_BotManagerRuleSet', version: '1.0' }] },
    });
    expect(() => synthStack(p.stack)).toThrow(/\[platform\] AGM-AZ-001/);
    expect(unsuppressed(p).map((f) => [f.ruleId, f.path, f.address])).toEqual([
      ['AGM-AZ-001', 'platform', 'azurerm_web_application_firewall_policy.handwritten'],
    ]);
  });

  test('the configuration each rule sees is the resource in cdk.tf.json (overrides at every level)', () => {
    const p = platform();
    p.edge.wafPolicy.addOverride('policy_settings.request_body_check', true);
    p.stack.addOverride(`${wafAddress(p)}.tags`, { owner: 'edge-team' });
    p.stack.addOverride(`${aksAddress(p)}.default_node_pool.max_pods`, 90);
    p.app.synth();
    const json = JSON.parse(fs.readFileSync(path.join(p.app.outdir, 'stacks', 'platform', 'cdk.tf.json'), 'utf8'));
    let compared = 0;
    for (const [type, byId] of Object.entries<any>(json.resource)) {
      for (const [id, config] of Object.entries<any>(byId)) {
        // The construct that owns a resource of the JSON, by the path cdktf writes in its metadata.
        const { ['//']: metadata, ...rest } = config;
        const construct = p.stack.node.findAll().find((c) => c.node.path === metadata.metadata.path) as TerraformResource;
        expect(`${construct.terraformResourceType}.${construct.friendlyUniqueId}`).toBe(`${type}.${id}`);
        // What the rules see before literal references are put in: the resource exactly as cdk.tf.json holds it.
        expect(PolicyIndex.resolve(construct)?.config).toEqual(rest);
        compared++;
      }
    }
    expect(json.resource.azurerm_web_application_firewall_policy[p.edge.wafPolicy.friendlyUniqueId].tags).toEqual({ owner: 'edge-team' });
    expect(compared).toBeGreaterThan(20);
  });
});

describe('judging the written JSON', () => {
  test('changes nothing of it: the reference topology as written equals a fresh toTerraform() of each stack', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'judged-')) });
    buildReferenceTopology(app, {});
    app.synth();
    const stacks = app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
    expect(stacks.length).toBeGreaterThanOrEqual(4);
    for (const stack of stacks) {
      const written = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8'));
      expect(written).toEqual(JSON.parse(JSON.stringify(stack.toTerraform())));
    }
    fs.rmSync(app.outdir, { recursive: true, force: true });
  });
});

describe('unknown is not compliant', () => {
  test('a WAF mode given as a Terraform expression is reported as "cannot verify policy_settings.mode" (a warning)', () => {
    const p = platform();
    p.edge.wafPolicy.addOverride('policy_settings.mode', Fn.lower('${local.mode}'));
    synthStack(p.stack);
    const findings = unsuppressed(p);
    expect(findings.map((f) => [f.ruleId, f.level, f.path, f.unverifiedAttributes])).toEqual([
      ['AGM-AZ-001', RuleLevel.WARNING, 'platform/Edge/WafPolicy', ['policy_settings.mode']],
    ]);
    expect(findings[0].message).toMatch(/cannot verify policy_settings\.mode: only known at plan time/);
  });

  test('names the attribute only on the rule that reads it, when several rules share one view of a workload', () => {
    const p = platform();
    const workloads = p.app.node.findChild('workloads') as TerraformStack;
    const mesh = workloads.node.findChild('Mesh') as MeshConnection;
    const orders = new MeshService(workloads, 'Orders', { mesh, image: 'shop.azurecr.io/orders:1.4.2', ports: [MeshPort.http(8080)] });
    orders.resource.addOverride('spec.template.spec.container.0.image', '${var.image}');
    synthStack(workloads);
    // Only the rule that reads the image reports it, though every workload rule reads the same view of the Deployment.
    expect(unsuppressed(p).map((f) => [f.ruleId, f.path, f.unverifiedAttributes])).toEqual([
      ['AGM-K8S-008', orders.resource.node.path, ['spec.template.spec.container.image']],
    ]);
  });

  test('fails synth under strict', () => {
    const p = platform({ strict: true });
    const mode = new TerraformVariable(p.stack, 'aks_private', { type: 'bool' });
    p.cluster.resource.addOverride('private_cluster_enabled', mode.booleanValue);
    expect(() => synthStack(p.stack)).toThrow(/\[platform\/Cluster\/Resource\] AGM-AZ-011: cannot verify private_cluster_enabled/);
  });

  test('judges the default of a variable: Detection fails synth, naming the variable', () => {
    const p = platform();
    const mode = new TerraformVariable(p.stack, 'waf_mode', { type: 'string', default: 'Detection' });
    p.stack.addOverride(`${wafAddress(p)}.policy_settings.mode`, mode.stringValue);
    expect(() => synthStack(p.stack)).toThrow(/\[platform\/Edge\/WafPolicy\] AGM-AZ-001: .*judged with the default of variable waf_mode/);
  });

  test('judges the default of a variable: Prevention passes', () => {
    const p = platform();
    const mode = new TerraformVariable(p.stack, 'waf_mode', { type: 'string', default: 'Prevention' });
    p.edge.wafPolicy.addOverride('policy_settings.mode', mode.stringValue);
    synthStack(p.stack);
    expect(unsuppressed(p)).toEqual([]);
  });

  test('a variable default of false for private_cluster_enabled fails synth', () => {
    const p = platform();
    const isPrivate = new TerraformVariable(p.stack, 'private', { type: 'bool', default: false });
    p.cluster.resource.addOverride('private_cluster_enabled', isPrivate.booleanValue);
    expect(() => synthStack(p.stack)).toThrow(/AGM-AZ-011: .*judged with the default of variable private/);
  });

  test('cannot-verify findings can be suppressed with a reason', () => {
    const p = platform({ strict: true });
    p.edge.wafPolicy.addOverride('policy_settings.mode', '${var.mode}');
    PolicySuppressions.add(p.edge, [{ id: 'AGM-AZ-001', reason: 'The mode is set per environment by the pipeline' }]);
    synthStack(p.stack);
    expect(p.checks.findings.map((f) => [f.ruleId, f.suppressionReason])).toEqual([['AGM-AZ-001', 'The mode is set per environment by the pipeline']]);
  });
});

describe('suppressions name real rules', () => {
  test('an unknown id fails synth, listing the closest known ids', () => {
    const p = platform();
    PolicySuppressions.add(p.cluster, [{ id: 'AGM-AZ-0022', reason: 'Dev cluster: the Free tier is accepted' }]);
    expect(() => synthStack(p.stack)).toThrow(/\[platform\/Cluster\] PolicySuppressions: unknown rule id "AGM-AZ-0022".*Did you mean AGM-AZ-002, AGM-AZ-022/);
  });

  test('a wrongly cased id is unknown too (ids match exactly)', () => {
    const p = platform();
    PolicySuppressions.add(p.edge, [{ id: 'agm-az-001', reason: 'Lower-case ids do not match anything' }]);
    expect(() => p.app.synth()).toThrow(/unknown rule id "agm-az-001".*Did you mean AGM-AZ-001/);
  });

  test('ids of additional rules and of disabled built-in rules are known', () => {
    const p = platform({
      disabledRules: ['AGM-AZ-022'],
      additionalRules: [{
        id: 'ACME-001',
        description: 'Nothing.',
        fix: 'Nothing.',
        level: RuleLevel.WARNING,
        scannerChecks: [],
        resourceTypes: [],
        evaluate: () => { throw new Error('never evaluated'); },
      }],
    });
    PolicySuppressions.add(p.cluster, [{ id: 'AGM-AZ-022', reason: 'Disabled anyway, kept for clarity' }, { id: 'ACME-001', reason: 'Our own rule, not here' }]);
    synthStack(p.stack);
    expect(unsuppressed(p)).toEqual([]);
  });
});
