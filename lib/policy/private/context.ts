import { IConstruct } from 'constructs';
import { DefaultTokenResolver, StringConcat, TerraformResource, Tokenization } from '../../core/cdktf';
import { IPolicyContext, PolicyResource } from '../types';
import { referencedAddresses } from './values';

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * Every Terraform resource of an app, each resolved once, with lookups by type and address.
 * Rules share it through their context, so that cross-resource rules cost one lookup,
 * not a scan of the app per resource.
 */
export class PolicyIndex {
  /** The resolved configuration of one resource, as synthesis writes it; undefined if it cannot be resolved. */
  public static resolve(resource: TerraformResource): PolicyResource | undefined {
    let json: any;
    try {
      json = Tokenization.resolve(resource.toTerraform(), { scope: resource, preparing: false, resolver: RESOLVER });
    } catch {
      // Synthesis reports the same error with more context; the pack does not judge what cannot be resolved.
      return undefined;
    }
    const type = resource.terraformResourceType;
    const config = json?.resource?.[type]?.[resource.friendlyUniqueId];
    if (config === undefined || config === null || typeof config !== 'object') return undefined;
    const { ['//']: _metadata, ...rest } = config;
    return { type, address: `${type}.${resource.friendlyUniqueId}`, path: resource.node.path, config: rest };
  }

  /** Number of constructs in the tree when the index was built, to notice a tree that grew since. */
  public readonly constructCount: number;
  private readonly byType = new Map<string, PolicyResource[]>();
  private readonly byAddress = new Map<string, PolicyResource>();
  private readonly byConstruct = new Map<TerraformResource, PolicyResource>();
  private readonly derived = new Map<string, unknown>();

  constructor(root: IConstruct) {
    const all = root.node.findAll();
    this.constructCount = all.length;
    for (const construct of all) {
      if (!TerraformResource.isTerraformResource(construct)) continue;
      const resource = PolicyIndex.resolve(construct);
      if (!resource) continue;
      this.byConstruct.set(construct, resource);
      this.byAddress.set(resource.address, resource);
      const list = this.byType.get(resource.type);
      if (list) list.push(resource);
      else this.byType.set(resource.type, [resource]);
    }
  }

  /** The resolved resource of a construct of this tree. */
  public resourceOf(construct: TerraformResource): PolicyResource | undefined {
    return this.byConstruct.get(construct);
  }

  public resourcesOfType(type: string): PolicyResource[] {
    return this.byType.get(type) ?? [];
  }

  public findReferenced(expression: string): PolicyResource | undefined {
    for (const address of referencedAddresses(expression)) {
      const found = this.byAddress.get(address);
      if (found) return found;
    }
    return undefined;
  }

  /** A value derived from the whole app, computed once. */
  public derive<T>(key: string, compute: () => T): T {
    if (!this.derived.has(key)) this.derived.set(key, compute());
    return this.derived.get(key) as T;
  }
}

/** The context handed to a rule for one resource. */
export class ResourceContext implements IPolicyContext {
  constructor(public readonly index: PolicyIndex, public readonly resource: PolicyResource) {}

  public resourcesOfType(type: string): PolicyResource[] {
    return this.index.resourcesOfType(type);
  }

  public findReferenced(expression: string): PolicyResource | undefined {
    return this.index.findReferenced(expression);
  }
}

/**
 * A lookup table derived from the whole app (e.g. "NSG associations by subnet"), computed once per
 * app when the context comes from the pack, so that cross-resource rules stay linear. `compute`
 * must depend only on the app, never on the resource being judged.
 */
export function derive<T>(context: IPolicyContext, key: string, compute: (context: IPolicyContext) => T): T {
  if (context instanceof ResourceContext) return context.index.derive(key, () => compute(context));
  return compute(context);
}
