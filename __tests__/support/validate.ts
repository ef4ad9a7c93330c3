/**
 * Offline validation of synthesized Terraform JSON, where no terraform binary or provider
 * plugin can be downloaded:
 *
 *  - every resource and data source against its provider's schema, as `terraform validate` checks
 *    structure: unknown arguments and blocks, missing required arguments and blocks, read-only
 *    (computed-only) arguments set, value types (string, number, bool, list, set, map, object,
 *    nested attributes), and nested block counts (min_items / max_items, single blocks);
 *  - every Istio resource inside a `kubernetes_manifest` against Istio's CRD openAPIV3Schema, with
 *    unknown fields as errors (what `kubectl apply --validate=strict` / server-side field validation does).
 *
 * Values that are Terraform expressions (`${...}`) are unknown until plan and pass any type check,
 * as in Terraform. What is not checked: provider blocks (the schemas we have hold no provider
 * configuration schema), CEL rules (`x-kubernetes-validations`) and string formats of the CRDs.
 */
import Ajv, { ValidateFunction } from 'ajv';
import azurerm from './schemas/azurerm-4.55.0.json';
import helm from './schemas/helm-3.0.2.json';
import istio126 from './schemas/istio-1.26.8-crds.json';
import istio130 from './schemas/istio-1.30.3-crds.json';
import kubernetes from './schemas/kubernetes-2.38.0.json';
import time from './schemas/time-0.13.1.json';

type Json = any;
interface Block { attributes?: Record<string, Attribute>; block_types?: Record<string, BlockType> }
interface Attribute { type?: Json; nested_type?: NestedType; required?: boolean; optional?: boolean; computed?: boolean }
interface NestedType { attributes: Record<string, Attribute>; nesting_mode: 'single' | 'list' | 'set' | 'map' }
interface BlockType { block: Block; nesting_mode: 'single' | 'group' | 'list' | 'set' | 'map'; min_items?: number; max_items?: number }

const PROVIDERS = [azurerm, kubernetes, helm, time] as Json[];
const RESOURCES: Record<string, { block: Block }> = Object.assign({}, ...PROVIDERS.map((p) => p.resource_schemas));
const DATA_SOURCES: Record<string, { block: Block }> = Object.assign({}, ...PROVIDERS.map((p) => p.data_source_schemas), {
  // Terraform's built-in provider (terraform.io/builtin/terraform), which cdktf uses for cross-stack references.
  terraform_remote_state: {
    block: {
      attributes: {
        backend: { type: 'string', required: true },
        config: { type: 'dynamic', optional: true },
        defaults: { type: 'dynamic', optional: true },
        workspace: { type: 'string', optional: true },
        outputs: { type: 'dynamic', computed: true },
      },
    },
  },
});

/** Terraform meta-arguments, allowed on every resource and data source. */
const META_ARGUMENTS = new Set(['//', 'count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection']);

/** The Istio CRD versions the library supports; the oldest is the default to validate against. */
export type IstioVersion = '1.26' | '1.30';
const ISTIO: Record<IstioVersion, Json> = { '1.26': istio126, '1.30': istio130 };

/** Options of `validateTerraformJson`. */
export interface ValidateOptions {
  /** Istio CRD version to check `kubernetes_manifest` Istio resources against. @default '1.26' */
  readonly istioVersion?: IstioVersion;
}

/** Every violation found in one synthesized stack (the parsed cdk.tf.json); empty when valid. */
export function validateTerraformJson(stack: Json, options: ValidateOptions = {}): string[] {
  const errors: string[] = [];
  for (const [section, schemas, label] of [['resource', RESOURCES, 'resource'], ['data', DATA_SOURCES, 'data source']] as const) {
    for (const [type, instances] of Object.entries<Json>(stack[section] ?? {})) {
      const schema = schemas[type];
      if (!schema) {
        errors.push(`${section}.${type}: unknown ${label} type (not in the pruned provider schemas; run \`npm run schemas\` after importing a new type)`);
        continue;
      }
      for (const [name, config] of Object.entries<Json>(instances)) {
        const where = `${section}.${type}.${name}`;
        validateBlock(where, config, schema.block, errors, META_ARGUMENTS);
        if (type === 'kubernetes_manifest' && config.manifest && typeof config.manifest === 'object') {
          errors.push(...validateIstioManifest(`${where}.manifest`, config.manifest, options.istioVersion ?? '1.26'));
        }
      }
    }
  }
  return errors;
}

function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

function validateBlock(where: string, value: Json, block: Block, errors: string[], allowed: Set<string> = new Set()): void {
  if (isExpression(value)) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    errors.push(`${where}: expected a block (object), got ${JSON.stringify(value)}`);
    return;
  }
  const attributes = block.attributes ?? {};
  const blockTypes = block.block_types ?? {};
  for (const [key, item] of Object.entries<Json>(value)) {
    if (allowed.has(key)) continue;
    const attribute = attributes[key];
    const blockType = blockTypes[key];
    if (attribute) {
      if (attribute.computed && !attribute.optional && !attribute.required) {
        errors.push(`${where}.${key}: read-only attribute, cannot be set`);
      } else {
        validateAttribute(`${where}.${key}`, item, attribute, errors);
      }
    } else if (blockType) {
      validateNestedBlocks(`${where}.${key}`, item, blockType, errors);
    } else {
      errors.push(`${where}.${key}: unsupported argument or block (not in the provider schema)`);
    }
  }
  for (const [key, attribute] of Object.entries(attributes)) {
    if (attribute.required && (value[key] === undefined || value[key] === null)) {
      errors.push(`${where}.${key}: required argument is missing`);
    }
  }
  for (const [key, blockType] of Object.entries(blockTypes)) {
    if ((blockType.min_items ?? 0) > 0 && value[key] === undefined) {
      errors.push(`${where}.${key}: at least ${blockType.min_items} block(s) required, found none`);
    }
  }
}

function validateNestedBlocks(where: string, value: Json, blockType: BlockType, errors: string[]): void {
  if (isExpression(value)) return;
  if (blockType.nesting_mode === 'map') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      errors.push(`${where}: expected a map of blocks`);
      return;
    }
    for (const [key, item] of Object.entries<Json>(value)) validateBlock(`${where}.${key}`, item, blockType.block, errors);
    return;
  }
  // Terraform JSON takes one block as an object or any number as an array of objects.
  const items: Json[] = Array.isArray(value) ? value : [value];
  const max = blockType.nesting_mode === 'single' || blockType.nesting_mode === 'group' ? 1 : blockType.max_items;
  if (max !== undefined && max > 0 && items.length > max) {
    errors.push(`${where}: at most ${max} block(s) allowed, found ${items.length}`);
  }
  if (blockType.min_items !== undefined && items.length < blockType.min_items) {
    errors.push(`${where}: at least ${blockType.min_items} block(s) required, found ${items.length}`);
  }
  items.forEach((item, i) => validateBlock(items.length > 1 || Array.isArray(value) ? `${where}[${i}]` : where, item, blockType.block, errors));
}

function validateAttribute(where: string, value: Json, attribute: Attribute, errors: string[]): void {
  if (value === null || isExpression(value)) return;
  if (attribute.nested_type) {
    validateNestedAttributes(where, value, attribute.nested_type, errors);
  } else {
    validateType(where, value, attribute.type, errors);
  }
}

function validateNestedAttributes(where: string, value: Json, nested: NestedType, errors: string[]): void {
  const asBlock: Block = { attributes: nested.attributes };
  switch (nested.nesting_mode) {
    case 'single':
      validateBlock(where, value, asBlock, errors);
      return;
    case 'list':
    case 'set':
      if (!Array.isArray(value)) {
        errors.push(`${where}: expected a list of objects, got ${describe(value)}`);
        return;
      }
      value.forEach((item, i) => validateBlock(`${where}[${i}]`, item, asBlock, errors));
      return;
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value)) {
        errors.push(`${where}: expected a map of objects, got ${describe(value)}`);
        return;
      }
      for (const [key, item] of Object.entries<Json>(value)) validateBlock(`${where}.${key}`, item, asBlock, errors);
  }
}

/** Checks a value against a Terraform type constraint, with Terraform's automatic primitive conversions. */
function validateType(where: string, value: Json, type: Json, errors: string[]): void {
  if (value === null || isExpression(value) || type === 'dynamic') return;
  if (type === 'string') {
    if (!['string', 'number', 'boolean'].includes(typeof value)) errors.push(`${where}: expected a string, got ${describe(value)}`);
    return;
  }
  if (type === 'number') {
    const ok = (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)));
    if (!ok) errors.push(`${where}: expected a number, got ${describe(value)}`);
    return;
  }
  if (type === 'bool') {
    if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') errors.push(`${where}: expected a bool, got ${describe(value)}`);
    return;
  }
  const [kind, inner, optionalAttributes] = type as [string, Json, string[] | undefined];
  if (kind === 'list' || kind === 'set' || kind === 'tuple') {
    if (!Array.isArray(value)) {
      errors.push(`${where}: expected a ${kind}, got ${describe(value)}`);
      return;
    }
    value.forEach((item, i) => validateType(`${where}[${i}]`, item, kind === 'tuple' ? inner[i] : inner, errors));
    if (kind === 'tuple' && value.length !== inner.length) errors.push(`${where}: expected a tuple of ${inner.length} elements, got ${value.length}`);
    return;
  }
  if (kind === 'map' || kind === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) {
      errors.push(`${where}: expected ${kind === 'map' ? 'a map' : 'an object'}, got ${describe(value)}`);
      return;
    }
    if (kind === 'map') {
      for (const [key, item] of Object.entries<Json>(value)) validateType(`${where}.${key}`, item, inner, errors);
      return;
    }
    const optional = new Set(optionalAttributes ?? []);
    for (const [key, item] of Object.entries<Json>(value)) {
      if (!(key in inner)) errors.push(`${where}.${key}: unsupported attribute of the object type`);
      else validateType(`${where}.${key}`, item, inner[key], errors);
    }
    for (const key of Object.keys(inner)) {
      if (!optional.has(key) && value[key] === undefined) errors.push(`${where}.${key}: attribute required by the object type is missing`);
    }
    return;
  }
  errors.push(`${where}: the validator does not know the type ${JSON.stringify(type)}`);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// ---------------------------------------------------------------- Istio

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const compiled = new Map<string, ValidateFunction>();

/** Errors of one manifest; resources that are not Istio's are left to Kubernetes and not checked here. */
export function validateIstioManifest(where: string, manifest: Json, version: IstioVersion = '1.26'): string[] {
  const apiVersion: unknown = manifest.apiVersion;
  if (typeof apiVersion !== 'string' || !apiVersion.includes('istio.io/')) return [];
  const [group, groupVersion] = apiVersion.split('/');
  const crd = ISTIO[version].kinds[`${group}/${manifest.kind}`];
  if (!crd) return [`${where}: ${apiVersion} ${manifest.kind} is not a kind of Istio ${version}`];
  const schema = crd.versions[groupVersion];
  if (!schema) return [`${where}: ${manifest.kind} has no served version ${groupVersion} in Istio ${version} (served: ${Object.keys(crd.versions).join(', ')})`];
  const errors: string[] = [];
  const metadata = manifest.metadata ?? {};
  if (typeof metadata.name !== 'string' || metadata.name === '') errors.push(`${where}.metadata.name: required`);
  if (crd.namespaced && (typeof metadata.namespace !== 'string' || metadata.namespace === '')) {
    errors.push(`${where}.metadata.namespace: required for the namespaced kind ${manifest.kind} (kubernetes_manifest does not default it)`);
  }
  const key = `${version}/${group}/${manifest.kind}/${groupVersion}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(toStrictSchema({ ...schema, properties: { ...schema.properties, apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } } }));
    compiled.set(key, validate);
  }
  if (!validate(manifest)) {
    for (const e of validate.errors ?? []) {
      const extra = e.keyword === 'additionalProperties' ? `: unknown field '${(e.params as any).additionalProperty}'` : '';
      errors.push(`${where}${e.instancePath.replace(/\//g, '.')}: ${e.message}${extra} (Istio ${version} ${manifest.kind} CRD)`);
    }
  }
  return errors;
}

/**
 * Turns a Kubernetes structural schema into a JSON schema that Ajv checks as the API server does
 * with strict field validation: objects with declared properties reject unknown fields, int-or-string
 * takes both, Kubernetes extensions are dropped.
 */
function toStrictSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toStrictSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries<Json>(node)) {
    if (key.startsWith('x-kubernetes-') || key === 'format') continue;
    out[key] = ['properties', 'patternProperties', 'definitions'].includes(key)
      ? Object.fromEntries(Object.entries<Json>(value).map(([k, v]) => [k, toStrictSchema(v)]))
      : toStrictSchema(value);
  }
  if (node['x-kubernetes-int-or-string']) {
    delete out.type;
    return { ...out, anyOf: [{ type: 'integer' }, { type: 'string' }] };
  }
  if (node.type === 'object' && node.properties && !node['x-kubernetes-preserve-unknown-fields'] && node.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}
