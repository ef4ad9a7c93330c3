import { IConstruct } from 'constructs';
import { DefaultTokenResolver, StringConcat, TerraformOutput, TerraformResource, TerraformStack, TerraformVariable, Tokenization } from '../../core/cdktf';
import { IPolicyContext, PolicyResource } from '../types';
import { Json, isObject, referencedAddresses, untracked } from './values';

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** Resolves a value the way synthesis does; throws what synthesis would. */
function resolveIn(scope: IConstruct, value: unknown): any {
  return Tokenization.resolve(value, { scope, preparing: false, resolver: RESOLVER });
}

/** The stack-level escape hatches (`stack.addOverride(...)`), which synthesis merges into the stack's JSON last. */
function stackOverrides(stack: TerraformStack): Json | undefined {
  const raw = (stack as unknown as { rawOverrides?: unknown }).rawOverrides;
  return isObject(raw) && Object.keys(raw).length > 0 ? raw : undefined;
}

/**
 * cdktf's deepMerge (lib/util.js), which synthesis uses to apply overrides: objects merge, lists
 * concatenate, `undefined` deletes, anything else replaces.
 */
function deepMerge(target: Json, source: Json): Json {
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
      deepMerge(target[key], value);
    } else if (Array.isArray(value)) {
      target[key] = Array.isArray(target[key]) ? [...target[key], ...value] : value;
    } else if (value === undefined) {
      delete target[key];
    } else {
      target[key] = value;
    }
  }
  return target;
}

/** The configuration of one element in the stack's final JSON: its own (overrides included), then the stack's overrides for it. */
function finalConfig(stack: TerraformStack, own: unknown, section: string, type: string | undefined, id: string): Json | undefined {
  let config = own;
  const overrides = stackOverrides(stack);
  const forElement = type === undefined ? overrides?.[section]?.[id] : overrides?.[section]?.[type]?.[id];
  if (forElement !== undefined) {
    const resolved = resolveIn(stack, forElement);
    if (isObject(resolved) && isObject(config)) config = deepMerge(config, resolved);
    else config = resolved;
  }
  if (!isObject(config)) return undefined;
  const { ['//']: _metadata, ...rest } = config;
  return rest;
}

/**
 * Every Terraform resource of an app as the stack's final Terraform JSON holds it (the resource's own
 * configuration, its escape hatches, then the stack's `addOverride`s for it), with lookups by type
 * and address. For a stack whose final JSON is given (what synthesis writes), its resources are read
 * from that JSON; the other stacks' resources are resolved here, each once. Rules share it through
 * their context, so that cross-resource rules cost one lookup, not a scan of the app per resource.
 */
export class PolicyIndex {
  /** The configuration of one resource as synthesis writes it into the stack's JSON; undefined if it cannot be resolved. */
  public static resolve(resource: TerraformResource): PolicyResource | undefined {
    const type = resource.terraformResourceType;
    const id = resource.friendlyUniqueId;
    let config: Json | undefined;
    try {
      const json = resolveIn(resource, resource.toTerraform());
      config = finalConfig(TerraformStack.of(resource), json?.resource?.[type]?.[id], 'resource', type, id);
    } catch {
      // Synthesis reports the same error with more context; the pack does not judge what cannot be resolved.
      return undefined;
    }
    if (!config) return undefined;
    return { type, address: `${type}.${id}`, path: resource.node.path, config };
  }

  /** Number of constructs in the tree when the index was built, to notice a tree that grew since. */
  public readonly constructCount: number;
  private readonly byType = new Map<string, PolicyResource[]>();
  private readonly byAddress = new Map<string, PolicyResource>();
  private readonly byConstruct = new Map<TerraformResource, PolicyResource>();
  private readonly extraByStack = new Map<TerraformStack, PolicyResource[]>();
  private readonly byStack = new Map<TerraformStack, Array<[TerraformResource | TerraformStack, PolicyResource]>>();
  private readonly variablesUsed = new Map<PolicyResource, string[]>();
  private readonly derived = new Map<string, unknown>();

  constructor(root: IConstruct, finalJson: ReadonlyMap<TerraformStack, Json> = new Map()) {
    const all = root.node.findAll();
    this.constructCount = all.length;
    const crossStack = new CrossStackReferences(all);
    const resolved: Array<[TerraformResource | TerraformStack, PolicyResource]> = [];
    const stacks: TerraformStack[] = [];
    const variables = new Map<TerraformStack, Map<string, unknown>>();
    const addresses = new Map<TerraformStack, Set<string>>();
    // The resource constructs of the stacks whose final JSON is given, by address.
    const owners = new Map<TerraformStack, Map<string, TerraformResource>>();
    for (const construct of all) {
      if (TerraformStack.isStack(construct)) {
        stacks.push(construct);
        continue;
      }
      if (finalJson.size > 0) {
        const stack = construct.node.scopes.find((c): c is TerraformStack => TerraformStack.isStack(c));
        if (stack && finalJson.has(stack)) {
          if (TerraformResource.isTerraformResource(construct)) {
            const byAddress = owners.get(stack) ?? new Map<string, TerraformResource>();
            byAddress.set(`${construct.terraformResourceType}.${construct.friendlyUniqueId}`, construct);
            owners.set(stack, byAddress);
          }
          continue;
        }
      }
      if (construct instanceof TerraformVariable) {
        const stack = TerraformStack.of(construct);
        const id = construct.friendlyUniqueId;
        let config: Json | undefined;
        try {
          config = finalConfig(stack, resolveIn(construct, construct.toTerraform())?.variable?.[id], 'variable', undefined, id);
        } catch {
          continue;
        }
        if (config && 'default' in config && config.default !== null) {
          const map = variables.get(stack) ?? new Map<string, unknown>();
          map.set(id, config.default);
          variables.set(stack, map);
        }
        continue;
      }
      if (!TerraformResource.isTerraformResource(construct)) continue;
      const raw = PolicyIndex.resolve(construct);
      if (!raw) continue;
      const resource = crossStack.empty ? raw : { ...raw, config: crossStack.substitute(raw.config) };
      const stack = TerraformStack.of(construct);
      const set = addresses.get(stack) ?? new Set<string>();
      set.add(resource.address);
      addresses.set(stack, set);
      resolved.push([construct, resource]);
      this.byAddress.set(resource.address, resource);
    }
    // A stack with final JSON: everything from there. Otherwise the resources that only a stack-level
    // override writes (no construct): judged too, reported on the stack.
    for (const stack of stacks) {
      const json = finalJson.get(stack);
      if (json) {
        this.readFinalJson(stack, json, owners.get(stack), crossStack, resolved, variables);
        continue;
      }
      const written = stackOverrides(stack)?.resource;
      if (!isObject(written)) continue;
      for (const [type, byId] of Object.entries(written)) {
        if (!isObject(byId)) continue;
        for (const id of Object.keys(byId)) {
          const address = `${type}.${id}`;
          if (addresses.get(stack)?.has(address)) continue;
          let config: Json | undefined;
          try {
            config = finalConfig(stack, undefined, 'resource', type, id);
          } catch {
            continue;
          }
          if (!config) continue;
          const resource: PolicyResource = { type, address, path: stack.node.path, config };
          resolved.push([stack, resource]);
          this.byAddress.set(address, resource);
        }
      }
    }
    // References to arguments another resource of the app sets literally (a namespace's name, an
    // NSG's name) are known at synth time, and so are the defaults of the stack's variables: rules
    // see the value instead of the expression.
    const literals = new Dereferencer(this.byAddress);
    for (const [owner, raw] of resolved) {
      const stack = TerraformStack.isStack(owner) ? owner : TerraformStack.of(owner);
      const used: string[] = [];
      const resource = { ...raw, config: literals.substitute(raw.config, 0, variables.get(stack), used) };
      if (used.length > 0) this.variablesUsed.set(resource, [...new Set(used)]);
      if (TerraformStack.isStack(owner)) {
        const list = this.extraByStack.get(owner) ?? [];
        list.push(resource);
        this.extraByStack.set(owner, list);
      } else {
        this.byConstruct.set(owner, resource);
      }
      const ofStack = this.byStack.get(stack);
      if (ofStack) ofStack.push([owner, resource]);
      else this.byStack.set(stack, [[owner, resource]]);
      this.byAddress.set(resource.address, resource);
      const list = this.byType.get(resource.type);
      if (list) list.push(resource);
      else this.byType.set(resource.type, [resource]);
    }
  }

  /** Takes a stack's resources and variable defaults from its final JSON, each owned by its construct (or the stack: an override wrote it). */
  private readFinalJson(stack: TerraformStack, json: Json, owners: Map<string, TerraformResource> | undefined, crossStack: CrossStackReferences,
    resolved: Array<[TerraformResource | TerraformStack, PolicyResource]>, variables: Map<TerraformStack, Map<string, unknown>>): void {
    for (const [id, variable] of Object.entries<Json>(isObject(json.variable) ? json.variable : {})) {
      if (!isObject(variable) || !('default' in variable) || variable.default === null) continue;
      const map = variables.get(stack) ?? new Map<string, unknown>();
      map.set(id, variable.default);
      variables.set(stack, map);
    }
    if (!isObject(json.resource)) return;
    for (const [type, byId] of Object.entries<Json>(json.resource)) {
      if (!isObject(byId)) continue;
      for (const [id, written] of Object.entries<Json>(byId)) {
        if (!isObject(written)) continue;
        const { ['//']: _metadata, ...config } = written;
        const address = `${type}.${id}`;
        const owner = owners?.get(address);
        const path = (owner ?? stack).node.path;
        const resource: PolicyResource = { type, address, path, config: crossStack.empty ? config : crossStack.substitute(config) };
        resolved.push([owner ?? stack, resource]);
        this.byAddress.set(address, resource);
      }
    }
  }

  /** The resolved resource of a construct of this tree. */
  public resourceOf(construct: TerraformResource): PolicyResource | undefined {
    return this.byConstruct.get(construct);
  }

  /** A stack's resources, each with the construct that owns it (the stack, for one only an override writes). */
  public resourcesOfStack(stack: TerraformStack): Array<[TerraformResource | TerraformStack, PolicyResource]> {
    return this.byStack.get(stack) ?? [];
  }

  /** Resources that a stack-level override writes without a construct behind them. */
  public resourcesWithoutConstruct(stack: TerraformStack): PolicyResource[] {
    return this.extraByStack.get(stack) ?? [];
  }

  /** The variables whose defaults were put in place of `${var.<name>}` in a resource's configuration. */
  public variableDefaultsUsed(resource: PolicyResource): string[] {
    return this.variablesUsed.get(resource) ?? [];
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

  /** A value derived from the whole app, computed once (what it reads is not the judged resource's: not tracked as unknown). */
  public derive<T>(key: string, compute: () => T): T {
    if (!this.derived.has(key)) this.derived.set(key, untracked(compute));
    return this.derived.get(key) as T;
  }
}

/**
 * A list or object with `fn` applied to each item or value, copied only where `fn` changed something
 * (the same value back otherwise, so that unchanged configuration is shared, not copied); any other
 * value as it is.
 */
function mapChildren(value: any, fn: (child: any) => any): any {
  if (Array.isArray(value)) {
    let out: any[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = fn(value[i]);
      if (v !== value[i] && !out) out = value.slice(0, i);
      out?.push(v);
    }
    return out ?? value;
  }
  if (value !== null && typeof value === 'object') {
    let out: { [key: string]: any } | undefined;
    for (const k of Object.keys(value)) {
      const v = fn(value[k]);
      if (v !== value[k]) (out ??= { ...value })[k] = v;
    }
    return out ?? value;
  }
  return value;
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
    // Copied only where something changed: most of a configuration holds no cross-stack reference.
    return mapChildren(value, (v) => this.substitute(v));
  }
}

/** A simple reference `${type.name.attr[0].attr}`, inside a string. */
const REFERENCE = /\$\{([a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)((?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])+)\}/g;
const WHOLE_REFERENCE = new RegExp(`^${REFERENCE.source}$`);
/** A variable `${var.name}`, inside a string. */
const VARIABLE = /\$\{var\.([A-Za-z_][A-Za-z0-9_-]*)\}/g;
const WHOLE_VARIABLE = /^\$\{var\.([A-Za-z_][A-Za-z0-9_-]*)\}$/;

/** Replaces references to literal arguments of other resources, and variables with a default, by their values. */
class Dereferencer {
  constructor(private readonly byAddress: Map<string, PolicyResource>) {}

  /** The value with references replaced; objects and lists without any are returned as they are (not copied). */
  public substitute(value: any, depth = 0, variables?: Map<string, unknown>, used?: string[]): any {
    if (typeof value === 'string') return value.includes('${') && depth < 5 ? this.substituteText(value, depth, variables, used) : value;
    return mapChildren(value, (v) => this.substitute(v, depth, variables, used));
  }

  private substituteText(text: string, depth: number, variables: Map<string, unknown> | undefined, used: string[] | undefined): any {
    if (variables) {
      const variable = WHOLE_VARIABLE.exec(text);
      if (variable) {
        // A whole-string variable takes its default's value and type (a list, a number).
        if (!variables.has(variable[1])) return text;
        used?.push(variable[1]);
        return variables.get(variable[1]);
      }
      text = text.replace(VARIABLE, (match, name: string) => {
        const value = variables.get(name);
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return match;
        used?.push(name);
        return String(value);
      });
      if (!text.includes('${')) return text;
    }
    const whole = WHOLE_REFERENCE.exec(text);
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
