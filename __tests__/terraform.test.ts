import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { App, LocalBackend, TerraformOutput, TerraformResource, TerraformStack } from 'cdktf';
import { formatDiagnostics, StackCheck, terraformBinary, terraformCheck } from './support/terraform';
import { StackLocalBackend } from '../examples/backend';
import { buildReferenceTopology } from '../examples/reference-topology';
import { IstioMode } from '../lib';
import { DATA_SOURCE_READS } from './support/terraform/provider-server';

// Terraform 1.11 itself, offline (support/terraform.ts): `terraform validate` and `terraform plan` on every
// stack the app synthesizes, with the vendored provider schemas served as provider plugins.

const TIMEOUT = 300_000;
const outdir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tf-app-'));
const stacksOf = (app: App) => app.node.findAll().filter(TerraformStack.isStack).map((s) => s.node.id).sort();

describe('the reference topology under terraform validate and terraform plan', () => {
  const modes = [IstioMode.AKS_ADDON, IstioMode.HELM];
  const results: Record<string, { stacks: string[]; checks: StackCheck[] }> = {};
  beforeAll(async () => {
    // The world after step 2 of the README: the certificates and the mesh CA are in the vault.
    DATA_SOURCE_READS.set('azurerm_key_vault_certificates', { names: ['edge-tls', 'mesh-gateway'] });
    DATA_SOURCE_READS.set('azurerm_key_vault_secrets', { names: ['mesh-gateway-ca'] });
    // Both modes at once: each checks two stacks at a time.
    await Promise.all(modes.map(async (mode) => {
      const app = new App({ outdir: outdir(), stackTraces: false });
      buildReferenceTopology(app, { istioMode: mode });
      const checks = await terraformCheck(app);
      results[mode] = { stacks: stacksOf(app), checks };
    }));
  }, TIMEOUT);

  test.each(modes)('%s: every stack validates and plans with zero errors and zero warnings', (mode) => {
    const { stacks, checks } = results[mode];
    expect(checks.map((c) => c.stack).sort()).toEqual(stacks);
    expect(formatDiagnostics(checks)).toEqual([]);
    // A completed plan of every stack, creating its resources.
    for (const check of checks) expect({ stack: check.stack, planned: check.planned }).toEqual({ stack: check.stack, planned: expect.any(Number) });
    expect(checks.every((c) => c.planned! > 0)).toBe(true);
  });

  test('before the certificate step, the platform plan fails in seconds, naming each missing certificate and the command', async () => {
    DATA_SOURCE_READS.set('azurerm_key_vault_certificates', { names: ['edge-tls'] });
    DATA_SOURCE_READS.set('azurerm_key_vault_secrets', { names: [] });
    try {
      const app = new App({ outdir: outdir(), stackTraces: false });
      buildReferenceTopology(app);
      const started = Date.now();
      const checks = await terraformCheck(app);
      const errors = formatDiagnostics(checks).sort().reverse();
      expect(errors).toEqual([
        expect.stringMatching(/^platform plan error: Resource postcondition failed: Secret "mesh-gateway-ca" is not in Key Vault \S+ yet: store the root CA .*az keyvault secret set --vault-name \S+ --name mesh-gateway-ca/),
        expect.stringMatching(/^platform plan error: Resource postcondition failed: Certificate "mesh-gateway" is not in Key Vault \S+ yet: import it \(README, "Deploying to Azure", step 2\): az keyvault certificate import --vault-name \S+ --name mesh-gateway --file mesh-gateway\.pfx/),
      ]);
      expect(Date.now() - started).toBeLessThan(120_000);
    } finally {
      DATA_SOURCE_READS.clear();
    }
  }, TIMEOUT);

  test('while the internal load balancer has no IP, the workloads plan stops at the precondition, not "Invalid index"', async () => {
    DATA_SOURCE_READS.set('azurerm_key_vault_certificates', { names: ['edge-tls', 'mesh-gateway'] });
    DATA_SOURCE_READS.set('azurerm_key_vault_secrets', { names: ['mesh-gateway-ca'] });
    DATA_SOURCE_READS.set('kubernetes_service_v1', { status: [{ load_balancer: [{ ingress: [] }] }] });
    try {
      const app = new App({ outdir: outdir(), stackTraces: false });
      buildReferenceTopology(app);
      const errors = formatDiagnostics(await terraformCheck(app));
      expect(errors).toEqual([expect.stringMatching(/^workloads plan error: Resource precondition failed: The Istio ingress gateway Service aks-istio-ingress\/aks-istio-ingressgateway-internal has no load balancer IP yet/)]);
      expect(errors.join('\n')).not.toMatch(/Invalid index/);
    } finally {
      DATA_SOURCE_READS.clear();
    }
  }, TIMEOUT);
});

describe('the harness reports what Terraform reports', () => {
  let checks: Record<string, StackCheck>;
  beforeAll(async () => {
    const app = new App({ outdir: outdir(), stackTraces: false });
    const stack = (id: string) => {
      const s = new TerraformStack(app, id);
      new AzurermProvider(s, 'azurerm', { features: [{}] });
      return s;
    };
    const group = (s: TerraformStack, id: string, extra: Record<string, unknown> = {}) =>
      new ResourceGroup(s, id, { name: `rg-${id.toLowerCase()}`, location: 'westeurope', ...extra });

    // Terraform reports these five in one run; a cycle only once the configuration is otherwise valid.
    const broken = stack('broken');
    group(broken, 'UnknownArgument').addOverride('no_such_argument', 'x');
    group(broken, 'WrongType').addOverride('tags', 'not-a-map');
    const other = group(broken, 'Other');
    group(broken, 'MissingAttribute', { tags: { of: `\${${other.terraformResourceType}.${other.friendlyUniqueId}.no_such_attribute}` } });
    group(broken, 'BadDependsOn').addOverride('depends_on', ['azurerm_resource_group.NoSuchGroup']);
    group(broken, 'BadFunction', { tags: { upper: '${upper(["a list"])}' } });
    // The provider configuration block, as the harness declares it from azurerm's source: `features` is required.
    new AzurermProvider(new TerraformStack(app, 'no-features'), 'azurerm', { features: [] });
    group(app.node.findChild('no-features') as TerraformStack, 'Group');
    const cycle = stack('cycle');
    const a = group(cycle, 'A');
    const b = group(cycle, 'B', { tags: { after: a.id } });
    a.addOverride('tags', { after: b.id });

    // Cross-stack references: cdktf's own LocalBackend with a relative path gives the consumer a path
    // that Terraform resolves in the consumer's working directory; StackLocalBackend reads the producer's.
    for (const [prefix, backend] of [['relative', (s: TerraformStack, file: string) => new LocalBackend(s, { path: file })],
      ['stack', (s: TerraformStack, file: string) => new StackLocalBackend(s, file)]] as const) {
      const producer = stack(`${prefix}-producer`);
      backend(producer, 'terraform.tfstate');
      const consumer = stack(`${prefix}-consumer`);
      backend(consumer, 'terraform.tfstate');
      const source = group(producer, 'Source');
      group(consumer, 'Copy', { location: source.location });
      new TerraformOutput(consumer, 'SourceName', { value: source.name });
    }
    // A consumer reading an output its producer does not define.
    const reader = stack('missing-output');
    const copy = group(reader, 'Copy', { location: (app.node.findChild('stack-producer').node.findChild('Source') as ResourceGroup).location });
    copy.addOverride('tags', { from: '${data.terraform_remote_state.cross-stack-reference-input-stack-producer.outputs.no_such_output}' });

    // The time provider (time_sleep), through any binding: here a plain TerraformResource.
    const timed = stack('time');
    timed.addOverride('terraform.required_providers.time', { source: 'hashicorp/time', version: '0.13.1' });
    const first = group(timed, 'First');
    const sleep = new TerraformResource(timed, 'Settle', { terraformResourceType: 'time_sleep', dependsOn: [first] });
    sleep.addOverride('create_duration', '30s');
    group(timed, 'Second', { dependsOn: [sleep], tags: { after: sleep.getStringAttribute('id') } });

    checks = Object.fromEntries((await terraformCheck(app)).map((c) => [c.stack, c]));
  }, TIMEOUT);

  const errors = (stack: string) => [...checks[stack].validate, ...checks[stack].plan].filter((d) => d.severity === 'error');

  test('one error each, with its message: an unknown argument, a wrong type, a missing attribute, a bad depends_on, a function misused', () => {
    expect(errors('broken')).toEqual(expect.arrayContaining([
      // The JSON syntax's wording of "Unsupported argument".
      expect.objectContaining({ summary: 'Extraneous JSON object property', detail: 'No argument or block type is named "no_such_argument".' }),
      expect.objectContaining({ summary: 'Incorrect attribute value type', detail: 'Inappropriate value for attribute "tags": map of string required.' }),
      expect.objectContaining({ summary: 'Unsupported attribute', detail: 'This object has no argument, nested block, or exported attribute named "no_such_attribute".' }),
      expect.objectContaining({
        summary: 'Reference to undeclared resource',
        detail: 'A managed resource "azurerm_resource_group" "NoSuchGroup" has not been declared in the root module.',
      }),
      expect.objectContaining({ summary: 'Invalid function argument', detail: 'Invalid value for "str" parameter: string required.' }),
    ]));
    expect(errors('broken')).toHaveLength(5);
  });

  test('a provider block without what its schema requires', () => {
    expect(errors('no-features')).toEqual([expect.objectContaining({ summary: 'Insufficient features blocks', detail: 'At least 1 "features" blocks are required.' })]);
  });

  test('a cycle', () => {
    expect(errors('cycle')).toEqual([expect.objectContaining({
      summary: expect.stringMatching(/^Cycle: azurerm_resource_group\.(A, azurerm_resource_group\.B|B, azurerm_resource_group\.A)$/),
    })]);
  });

  test('cross-stack remote state: read from the producing stack, or reported', () => {
    expect(errors('stack-producer')).toEqual([]);
    expect(errors('stack-consumer')).toEqual([]);
    expect(checks['stack-consumer'].planned).toBe(1);
    expect(errors('relative-consumer').map((d) => d.summary)).toEqual(['Remote state of no stack', 'Unable to find remote state']);
    expect(errors('missing-output')).toEqual([expect.objectContaining({
      summary: 'Unsupported attribute',
      detail: 'This object does not have an attribute named "no_such_output".',
    })]);
  });

  test('the time provider is served: time_sleep between two resources plans', () => {
    expect(checks.time.validate).toEqual([]);
    expect(checks.time.plan).toEqual([]);
    expect(checks.time.planned).toBe(3);
  });
});

describe('without a terraform binary', () => {
  test('the check fails, saying so', () => {
    expect(() => terraformBinary({ PATH: '/nonexistent' })).toThrow(/terraform binary not found \(no terraform on PATH\)/);
    expect(() => terraformBinary({ TERRAFORM_BINARY: '/nonexistent/terraform' })).toThrow(/terraform binary not found/);
  });

  test('this machine has one', () => {
    expect(fs.existsSync(terraformBinary())).toBe(true);
  });
});
