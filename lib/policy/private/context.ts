import { IConstruct } from 'constructs';
import { DefaultTokenResolver, StringConcat, TerraformOutput, TerraformResource, TerraformStack, Tokenization } from '../../core/cdktf';
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
    const crossStack = new CrossStackReferences(all);
    const resolved: Array<[TerraformResource, PolicyResource]> = [];
    for (const construct of all) {
      if (!TerraformResource.isTerraformResource(construct)) continue;
      const raw = PolicyIndex.resolve(construct);
      if (!raw) continue;
      const resource = crossStack.empty ? raw : { ...raw, config: crossStack.substitute(raw.config) };
      resolved.push([construct, resource]);
      this.byAddress.set(resource.address, resource);
    }
    // References to arguments another resource of the app sets literally (a namespace's name, an
    // NSG's name) are known at synth time: rules see the value instead of the expression.
    const literals = new Dereferencer(this.byAddress);
    for (const [construct, raw] of resolved) {
      const resource = { ...raw, config: literals.substitute(raw.config) };
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

/** A cdktf cross-stack reference: the consumer reads the producer's output through remote state. */
const REMOTE_OUTPUT = /data\.terraform_remote_state\.cross-stack-reference-input-([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g;

/**
 * Sees through cdktf's cross-stack references: `data.terraform_remote_state.<input>.outputs.<output>`
 * becomes the producing stack's expression (`azurerm_subnet.x.id`), so that rules follow a reference
 * to a resource in another stack of the app (an NSG association in the platform stack to a subnet of
 * the foundation stack) as Terraform does across the applies.
 */
class CrossStackReferences {
  private readonly expressions = new Map<string, string>();

  constructor(all: IConstruct[]) {
    for (const construct of all) {
      if (!(construct instanceof TerraformOutput) || !construct.node.id.startsWith('cross-stack-output-')) continue;
      let value: unknown;
      try {
        value = Tokenization.resolve(construct.value, { scope: construct, preparing: false, resolver: RESOLVER });
      } catch {
        continue;
      }
      const inner = typeof value === 'string' ? /^\$\{(.+)\}$/s.exec(value)?.[1] : undefined;
      if (inner && !inner.includes('${')) this.expressions.set(`${TerraformStack.of(construct).node.id}/${construct.friendlyUniqueId}`, inner);
    }
  }

  public get empty(): boolean {
    return this.expressions.size === 0;
  }

  public substitute(value: any): any {
    if (typeof value === 'string') {
      if (!value.includes('terraform_remote_state')) return value;
      return value.replace(REMOTE_OUTPUT, (match, stack: string, output: string) => this.expressions.get(`${stack}/${output}`) ?? match);
    }
    if (Array.isArray(value)) return value.map((v) => this.substitute(v));
    if (value !== null && typeof value === 'object') {
      const out: { [key: string]: any } = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.substitute(v);
      return out;
    }
    return value;
  }
}

/** A simple reference `${type.name.attr[0].attr}`, inside a string. */
const REFERENCE = /\$\{([a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)((?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])+)\}/g;

/** Replaces references to literal arguments of other resources by their values. */
class Dereferencer {
  constructor(private readonly byAddress: Map<string, PolicyResource>) {}

  public substitute(value: any, depth = 0): any {
    if (typeof value === 'string') return value.includes('${') && depth < 5 ? this.substituteText(value, depth) : value;
    if (Array.isArray(value)) return value.map((v) => this.substitute(v, depth));
    if (value !== null && typeof value === 'object') {
      const out: { [key: string]: any } = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.substitute(v, depth);
      return out;
    }
    return value;
  }

  private substituteText(text: string, depth: number): any {
    const whole = new RegExp(`^${REFERENCE.source}$`).exec(text);
    if (whole) {
      // A whole-string reference keeps the referenced value's type (number, boolean).
      const literal = this.literal(whole[1], whole[2], depth);
      return literal === undefined ? text : literal;
    }
    return text.replace(REFERENCE, (match, address: string, path: string) => {
      const literal = this.literal(address, path, depth);
      return literal === undefined ? match : String(literal);
    });
  }

  /** The literal value at `path` of a resource's configuration; undefined when unset, computed or an expression. */
  private literal(address: string, path: string, depth: number): string | number | boolean | undefined {
    let node: any = this.byAddress.get(address)?.config;
    for (const step of path.match(/\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\]/g) ?? []) {
      if (node === undefined || node === null) return undefined;
      if (step.startsWith('[')) {
        // Blocks that hold one item are written as an object, and read back as `[0]`.
        node = Array.isArray(node) ? node[Number(step.slice(1, -1))] : node;
      } else {
        node = Array.isArray(node) ? undefined : node[step.slice(1)];
      }
    }
    if (typeof node === 'string') {
      if (!node.includes('${')) return node;
      const resolved = this.substitute(node, depth + 1);
      return typeof resolved === 'string' && !resolved.includes('${') ? resolved : undefined;
    }
    return typeof node === 'number' || typeof node === 'boolean' ? node : undefined;
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
