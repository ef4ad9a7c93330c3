import { LocalBackend, TerraformBackend, TerraformStack, Testing } from 'cdktf';
// eslint-disable-next-line import/no-extraneous-dependencies
import { invokeAspects } from 'cdktf/lib/synthesize/synthesizer';
import { IstioVersion, validateTerraformJson } from './validate';

export { validateTerraformJson, validateIstioManifest } from './validate';
export type { IstioVersion } from './validate';

/**
 * The parsed Terraform JSON (cdk.tf.json) of a stack, after its Aspects and every construct
 * validation of the stack have run (as at `cdktf synth`). Constructs create no provider blocks, so cdktf's "resources without a
 * matching provider" check is the one validation left out: test stacks need no providers.
 */
export function synthStack(stack: TerraformStack): any {
  prepareApp(stack);
  // As in app.synth(): Aspects (e.g. the policy pack) run before the validations.
  invokeAspects(stack);
  const errors = stack.node.findAll()
    .flatMap((c) => c.node.validate())
    .filter((message) => !/without a matching provider construct/.test(message));
  if (errors.length > 0) {
    throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  }
  return JSON.parse(Testing.synth(stack, false));
}

const prepared = new WeakSet<object>();

/**
 * As `app.synth()` does before writing stacks: prepare every stack of the app once, which wires
 * cross-stack references (outputs in the producing stack, `terraform_remote_state` in the consumer).
 */
function prepareApp(stack: TerraformStack): void {
  const root = stack.node.root;
  if (prepared.has(root)) return;
  prepared.add(root);
  const stacks = root.node.findAll().filter(TerraformStack.isStack);
  for (const s of stacks) {
    // cdktf's default local backend holds the absolute working directory, which would make snapshots
    // (and the remote state of cross-stack references) depend on the machine: use a relative path.
    if (!s.node.children.some(TerraformBackend.isBackend)) new LocalBackend(s, { path: `terraform.${s.node.id}.tfstate` });
  }
  stacks.forEach((s) => s.prepareStack());
}

/**
 * Throws, listing every violation, unless the stack validates against the provider schemas and
 * every Istio resource against Istio's CRDs (1.26 by default, the oldest supported).
 */
export function expectValidStack(stack: TerraformStack, istioVersion: IstioVersion = '1.26'): void {
  const errors = validateTerraformJson(synthStack(stack), { istioVersion });
  if (errors.length > 0) {
    throw new Error(`${stack.node.path}: ${errors.length} schema violation(s):\n  ${errors.join('\n  ')}`);
  }
}
