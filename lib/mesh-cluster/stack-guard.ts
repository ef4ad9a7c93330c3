import { IConstruct, IValidation } from 'constructs';
import { TerraformResource, TerraformStack } from '../core/cdktf';

// The stacks already guarded, so that applying the guard twice adds one validation.
const GUARDED = new WeakSet<TerraformStack>();

/**
 * Refuses, at synth, a stack that both creates an AKS cluster (`azurerm_kubernetes_cluster`)
 * and plans `kubernetes_manifest` resources.
 *
 * `kubernetes_manifest` reads the cluster's API (and the CRDs it serves) at plan time, so it
 * cannot be planned in the Terraform run that creates the cluster: the first plan fails, and
 * every later plan that replaces the cluster fails too. Cluster and in-cluster resources
 * belong to separate stacks, applied in order (see `MeshCluster.connect`).
 *
 * `MeshCluster` and `MeshConnection` apply it to their stacks; other constructs that create
 * either kind of resource can apply it to theirs with `ClusterStackGuard.apply(this)`.
 */
export class ClusterStackGuard implements IValidation {
  /**
   * Adds the guard to the stack holding `scope` (once per stack).
   * @returns the stack that is guarded
   */
  public static apply(scope: IConstruct): TerraformStack {
    const stack = TerraformStack.of(scope);
    if (!GUARDED.has(stack)) {
      GUARDED.add(stack);
      stack.node.addValidation(new ClusterStackGuard(stack));
    }
    return stack;
  }

  private constructor(private readonly stack: TerraformStack) {}

  /** The violation, if any: one message naming the cluster(s) and manifest(s) found together. */
  public validate(): string[] {
    const clusters: string[] = [];
    const manifests: string[] = [];
    for (const node of this.stack.node.findAll()) {
      if (!TerraformResource.isTerraformResource(node)) continue;
      if (node.terraformResourceType === 'azurerm_kubernetes_cluster') clusters.push(node.node.path);
      if (node.terraformResourceType === 'kubernetes_manifest') manifests.push(node.node.path);
    }
    if (clusters.length === 0 || manifests.length === 0) return [];
    return [
      `Stack '${this.stack.node.path}' creates the AKS cluster ${list(clusters)} and also plans kubernetes_manifest `
      + `resources (${list(manifests)}). kubernetes_manifest reads the cluster's API at plan time, so it cannot be `
      + 'planned in the Terraform run that creates the cluster. Keep the cluster in this stack and put in-cluster '
      + 'resources in a second stack applied after it: `cluster.connect(workloadsStack, id)` configures that '
      + 'stack\'s kubernetes and helm providers from the cluster.',
    ];
  }
}

function list(paths: string[]): string {
  const shown = paths.slice(0, 3).map((p) => `'${p}'`).join(', ');
  return paths.length > 3 ? `${shown} and ${paths.length - 3} more` : shown;
}
