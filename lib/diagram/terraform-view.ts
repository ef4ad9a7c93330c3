import { IConstruct } from 'constructs';
import { TerraformResource, TerraformStack } from '../core/cdktf';

// A read-only view of the Terraform resources of a construct tree, with their configuration
// as Terraform will see it (tokens resolved to `${...}` expressions), and the means to follow
// references between resources, across stacks too. Internal to the diagram.

/** One Terraform resource of the tree and its resolved configuration. */
export interface ResourceRecord {
  readonly construct: TerraformResource;
  readonly stack: TerraformStack;
  /** e.g. `azurerm_subnet` */
  readonly type: string;
  /** e.g. `azurerm_subnet.Network_EdgeSubnet_1A2B3C4D` */
  readonly address: string;
  /** Construct path, unique in the tree. */
  readonly path: string;
  /** The resource's block as in cdk.tf.json (attributes in snake_case). */
  readonly config: any;
}

/** A reference from a configuration value to (an attribute of) a resource. */
export interface Reference {
  readonly target: ResourceRecord;
  /** Attribute path after the address, e.g. `['metadata', 0, 'name']`. */
  readonly attribute: Array<string | number>;
}

const EXPRESSION = /\$\{([^}]*)\}/g;
const REFERENCE = /(data\.)?\b([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)((?:\.[A-Za-z_][A-Za-z0-9_-]*|\[[0-9]+\])*)/g;
const REMOTE_STATE_PREFIX = 'cross-stack-reference-input-';

export class TerraformView {
  /** Every resource of the tree, in construct order. */
  public readonly resources: ResourceRecord[] = [];
  private readonly stacks = new Map<string, TerraformStack>();
  private readonly stackJson = new Map<TerraformStack, any>();
  private readonly index = new Map<string, ResourceRecord>();

  constructor(root: IConstruct) {
    for (const construct of root.node.findAll()) {
      if (TerraformStack.isStack(construct)) this.stacks.set(construct.node.path, construct);
    }
    for (const construct of root.node.findAll()) {
      if (!TerraformResource.isTerraformResource(construct)) continue;
      const stack = TerraformStack.of(construct);
      const type = construct.terraformResourceType;
      const logicalId = construct.friendlyUniqueId;
      const config = this.json(stack).resource?.[type]?.[logicalId];
      if (config === undefined) continue;
      const record: ResourceRecord = { construct, stack, type, address: `${type}.${logicalId}`, path: construct.node.path, config };
      this.resources.push(record);
      this.index.set(`${stack.node.path}|${record.address}`, record);
    }
  }

  /** The resources of the given types, in construct order. */
  public ofType(...types: string[]): ResourceRecord[] {
    return this.resources.filter((r) => types.includes(r.type));
  }

  /** The provider blocks of a kind (e.g. `kubernetes`) in a stack. */
  public providers(stack: TerraformStack, name: string): any[] {
    const blocks = this.json(stack).provider?.[name];
    if (blocks === undefined) return [];
    return Array.isArray(blocks) ? blocks : [blocks];
  }

  /** Every resource referenced anywhere inside `value`, a configuration value of `stack`. */
  public references(stack: TerraformStack, value: unknown): Reference[] {
    const found: Reference[] = [];
    const visit = (v: unknown): void => {
      if (typeof v === 'string') {
        for (const expression of v.matchAll(EXPRESSION)) {
          for (const match of expression[1].matchAll(REFERENCE)) {
            found.push(...this.follow(stack, match));
          }
        }
      } else if (Array.isArray(v)) {
        v.forEach(visit);
      } else if (v !== null && typeof v === 'object') {
        Object.keys(v).forEach((k) => visit((v as any)[k]));
      }
    };
    visit(value);
    return found;
  }

  /** Resources of the given types referenced inside `value`, without duplicates. */
  public referencedOfType(stack: TerraformStack, value: unknown, ...types: string[]): ResourceRecord[] {
    const out: ResourceRecord[] = [];
    for (const ref of this.references(stack, value)) {
      if (types.includes(ref.target.type) && !out.includes(ref.target)) out.push(ref.target);
    }
    return out;
  }

  /**
   * The literal string a configuration value stands for: the value itself when it holds no
   * expression, or the literal configured on the resource that a bare reference points to
   * (`${kubernetes_namespace_v1.Ns.metadata[0].name}` -> the namespace's literal name).
   */
  public literal(stack: TerraformStack, value: unknown, depth = 0): string | undefined {
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (typeof value !== 'string') return undefined;
    if (!value.includes('${')) return value;
    const bare = /^\$\{([^}]*)\}$/.exec(value);
    if (!bare || depth > 8) return undefined;
    const expression = bare[1].trim();
    REFERENCE.lastIndex = 0;
    const match = REFERENCE.exec(expression);
    REFERENCE.lastIndex = 0;
    if (!match || match.index !== 0 || match[0].length !== expression.length) return undefined;
    if (match[1]) {
      const output = this.remoteOutput(stack, match);
      return output ? this.literal(output.stack, output.value, depth + 1) : undefined;
    }
    const target = this.index.get(`${stack.node.path}|${match[2]}.${match[3]}`);
    if (!target) return undefined;
    return this.literal(target.stack, dig(target.config, parseAttribute(match[4])), depth + 1);
  }

  private follow(stack: TerraformStack, match: RegExpMatchArray): Reference[] {
    if (match[1]) {
      const output = this.remoteOutput(stack, match);
      return output ? this.references(output.stack, output.value) : [];
    }
    const target = this.index.get(`${stack.node.path}|${match[2]}.${match[3]}`);
    return target ? [{ target, attribute: parseAttribute(match[4]) }] : [];
  }

  /** `data.terraform_remote_state.cross-stack-reference-input-<stack>.outputs.<name>` -> the output's value in that stack. */
  private remoteOutput(stack: TerraformStack, match: RegExpMatchArray): { stack: TerraformStack; value: unknown } | undefined {
    if (match[2] !== 'terraform_remote_state' || !match[3].startsWith(REMOTE_STATE_PREFIX)) return undefined;
    const producer = this.stacks.get(match[3].slice(REMOTE_STATE_PREFIX.length));
    const attribute = parseAttribute(match[4]);
    if (!producer || producer === stack || attribute[0] !== 'outputs' || typeof attribute[1] !== 'string') return undefined;
    const output = this.json(producer).output?.[attribute[1]];
    return output ? { stack: producer, value: output.value } : undefined;
  }

  private json(stack: TerraformStack): any {
    let json = this.stackJson.get(stack);
    if (json === undefined) {
      // The stack's Terraform JSON as synth writes it; before synth, references to other
      // stacks resolve to plain addresses, after synth to remote-state outputs: both are followed.
      json = stack.toTerraform();
      this.stackJson.set(stack, json);
    }
    return json;
  }
}

/** `.metadata[0].name` -> `['metadata', 0, 'name']` */
function parseAttribute(text: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const part of text.matchAll(/\.([A-Za-z_][A-Za-z0-9_-]*)|\[([0-9]+)\]/g)) {
    out.push(part[1] !== undefined ? part[1] : Number(part[2]));
  }
  return out;
}

/** Walks a configuration value; a single block rendered as an object answers index 0 too. */
export function dig(value: any, path: Array<string | number>): any {
  let current = value;
  for (const step of path) {
    if (current === undefined || current === null) return undefined;
    if (typeof step === 'number') {
      current = Array.isArray(current) ? current[step] : step === 0 ? current : undefined;
    } else {
      current = Array.isArray(current) ? current[0]?.[step] : current[step];
    }
  }
  return current;
}

/** The first element of a block list, or the block itself. */
export function first(value: any): any {
  return Array.isArray(value) ? value[0] : value;
}

/** A block list as an array (a single block rendered as an object becomes a one-element list). */
export function list(value: any): any[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
