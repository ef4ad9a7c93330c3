import { IConstruct } from 'constructs';
import { ConstructValidationError, isUnresolved } from './errors';

// Small checks shared by every construct. Each throws ConstructValidationError naming the
// construct, the prop, the value and what is allowed; each lets unresolved tokens through.

/** A whole number in [min, max]. */
export function checkInteger(scope: IConstruct, prop: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConstructValidationError(scope, prop, value, `expected a whole number from ${min} to ${max}.`);
  }
}

/** A finite number in [min, max]. */
export function checkNumber(scope: IConstruct, prop: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new ConstructValidationError(scope, prop, value, `expected a number from ${min} to ${max}.`);
  }
}

/** A required value: not undefined, null or an empty string. */
export function checkRequired(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined || value === null || value === '') {
    throw new ConstructValidationError(scope, prop, value, 'a value is required.');
  }
}

/** A string matching a pattern; `allowed` says in words what matches. */
export function checkPattern(scope: IConstruct, prop: string, value: string | undefined, pattern: RegExp, allowed: string): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new ConstructValidationError(scope, prop, value, `expected ${allowed}.`);
  }
}

/** One of a fixed set of values. */
export function checkOneOf<T>(scope: IConstruct, prop: string, value: T | undefined, allowed: readonly T[]): void {
  if (value === undefined || isUnresolved(value)) return;
  if (!allowed.includes(value)) {
    throw new ConstructValidationError(scope, prop, value, `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}.`);
  }
}

/** No two items share a key. */
export function checkUnique<T>(scope: IConstruct, prop: string, items: readonly T[], key: (item: T) => string): void {
  const seen = new Set<string>();
  for (const item of items) {
    const k = key(item);
    if (isUnresolved(k)) continue;
    if (seen.has(k)) {
      throw new ConstructValidationError(scope, prop, k, 'each value must be unique; this one appears twice.');
    }
    seen.add(k);
  }
}

/**
 * An Azure resource name: length and characters as Azure's naming rules for the resource type.
 * @param rule e.g. `{ min: 1, max: 50, pattern: /^[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]$/, description: '...' }`
 */
export interface AzureNameRule {
  /** Fewest characters. */
  readonly min: number;
  /** Most characters. */
  readonly max: number;
  /** The characters and shape Azure accepts. */
  readonly pattern: RegExp;
  /** Azure's rule in words, for the error message. */
  readonly description: string;
}

export function checkAzureName(scope: IConstruct, prop: string, value: string | undefined, rule: AzureNameRule): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'string' || value.length < rule.min || value.length > rule.max || !rule.pattern.test(value)) {
    throw new ConstructValidationError(scope, prop, value, `expected ${rule.min}-${rule.max} characters: ${rule.description}.`);
  }
}

/** Options of `checkTags`. */
export interface TagRules {
  /**
   * The tags also go on private DNS zones, whose tag names must start with a letter or underscore
   * and have no spaces.
   * @default false
   */
  readonly dnsZoneSafe?: boolean;
}

/** Azure's limits on resource tags: at most 50, names of 1-512 characters without `<>%&\?/`, values of at most 256. */
export function checkTags(scope: IConstruct, tags: { [key: string]: string } | undefined, rules: TagRules = {}): void {
  if (tags === undefined || tags === null || isUnresolved(tags)) return;
  if (typeof tags !== 'object' || Array.isArray(tags)) {
    throw new ConstructValidationError(scope, 'tags', tags, 'expected a map of tag names to values, e.g. { env: "prod" }.');
  }
  const entries = Object.entries(tags);
  if (entries.length > 50) {
    throw new ConstructValidationError(scope, 'tags', `${entries.length} tags`, 'expected at most 50 tags (Azure\'s limit per resource).');
  }
  const name = rules.dnsZoneSafe ? /^[a-zA-Z_][^<>%&\\?/\s]{0,511}$/ : /^[^<>%&\\?/]{1,512}$/;
  for (const [key, value] of entries) {
    if (isUnresolved(key)) continue;
    if (!name.test(key)) {
      throw new ConstructValidationError(scope, 'tags', key, 'expected tag names of 1-512 characters without < > % & \\ ? /'
        + (rules.dnsZoneSafe ? ', starting with a letter or underscore and without spaces (the tags also go on private DNS zones).' : '.'));
    }
    if (!isUnresolved(value) && (typeof value !== 'string' || value.length > 256)) {
      throw new ConstructValidationError(scope, `tags.${key}`, value, 'expected a tag value of at most 256 characters.');
    }
  }
}

/**
 * The props (or options) object of a construct or method: a plain object. When every field is
 * optional, undefined (or null) means `{}`; otherwise it is refused, naming `prop`.
 */
export function checkPropsObject<T extends object>(scope: IConstruct, prop: string, value: T | undefined, allOptional = false): T {
  if (value === undefined || value === null) {
    if (allOptional) return {} as T;
    throw new ConstructValidationError(scope, prop, value, 'expected an object with the required fields.');
  }
  if (typeof value !== 'object' || Array.isArray(value) || isUnresolved(value)) {
    throw new ConstructValidationError(scope, prop, value, 'expected an object (not a list, string or number).');
  }
  return value;
}

/** A list: undefined (not set) or an array; a single item, a string, an object or null is refused (wrap one value in [ ]). */
export function checkList(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined || Array.isArray(value)) return;
  if (typeof value === 'string' && isUnresolved(value)) return; // a list token given as a string is refused by the caller's own checks
  throw new ConstructValidationError(scope, prop, value, 'expected a list, e.g. ["a", "b"] (wrap a single value in [ ]).');
}

/** Each named field of `props` that is set must be a list (see `checkList`); `prefix` is put before the names in errors. */
export function checkLists(scope: IConstruct, props: object, names: readonly string[], prefix = ''): void {
  for (const name of names) checkList(scope, `${prefix}${name}`, (props as { [key: string]: unknown })[name]);
}

/** An object-valued field: undefined (not set) or a plain object; a string, number, list or null is refused. */
export function checkObject(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConstructValidationError(scope, prop, value, 'expected an object (not a list, string or number).');
  }
}

/** A GUID such as "00000000-0000-0000-0000-000000000000" (Entra ID object, client and tenant ids). */
export const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A GUID; `what` names it in the error, e.g. "the client id of a user-assigned identity". */
export function checkGuid(scope: IConstruct, prop: string, value: string | undefined, what: string): void {
  checkPattern(scope, prop, value, GUID, `${what}: a GUID such as "11111111-2222-3333-4444-555555555555"`);
}

/** `resourceGroupName` and `location`: required, non-blank strings. */
export function checkPlacement(scope: IConstruct, props: { readonly resourceGroupName: string; readonly location: string }): void {
  for (const prop of ['resourceGroupName', 'location'] as const) {
    const value = props[prop];
    checkRequired(scope, prop, value);
    if (!isUnresolved(value) && (typeof value !== 'string' || value.trim() === '')) {
      throw new ConstructValidationError(scope, prop, value, prop === 'location' ? 'expected an Azure region, e.g. "westeurope".' : 'expected the name of a resource group.');
    }
  }
}

/** An OCI image reference, parsed: `[domain/]path[:tag][@digest]`. */
export interface ImageReference {
  /** Registry host (with port), when the reference names one. */
  readonly domain?: string;
  /** Repository path, e.g. `team/orders`. */
  readonly path: string;
  /** Tag, when given. */
  readonly tag?: string;
  /** Digest, when given: `sha256:` and 64 lower-case hex digits. */
  readonly digest?: string;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]{1,5})?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * Parses an image reference by the grammar of the OCI distribution reference (docker's): the first
 * component is a registry when it holds a "." or ":" or is "localhost"; repository components are
 * lower case; a tag is 1-128 word characters, dots and dashes; a digest is `sha256:` + 64 lower-case hex.
 * Undefined when the reference does not parse.
 */
export function parseImageReference(image: string): ImageReference | undefined {
  if (typeof image !== 'string' || image.length === 0 || image.length > 512) return undefined;
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const parts = rest.split('/');
  let domain: string | undefined;
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) {
    domain = parts.shift();
    if (!DOMAIN.test(domain!)) return undefined;
  }
  const path = parts.join('/');
  if (path.length === 0 || path.length > 255 || !parts.every((p) => PATH_COMPONENT.test(p))) return undefined;
  return { domain, path, tag, digest };
}

/**
 * True when an image reference names an exact version: a sha256 digest, or a tag other than
 * `latest` (in any case: `:LATEST` is refused too). The constructs and the policy pack both use it.
 */
export function isPinnedImage(image: string): boolean {
  const ref = parseImageReference(image);
  if (!ref) return false;
  return ref.digest !== undefined || (ref.tag !== undefined && ref.tag.toLowerCase() !== 'latest');
}

/** A pinned image reference (see `parseImageReference` and `isPinnedImage`); tokens pass. */
export function checkImage(scope: IConstruct, prop: string, image: string | undefined): void {
  if (image === undefined || isUnresolved(image)) return;
  if (typeof image !== 'string' || !parseImageReference(image)) {
    throw new ConstructValidationError(scope, prop, image, 'expected an image reference "[registry/]repository[:tag][@sha256:<64 lower-case hex>]" '
      + 'with a lower-case repository, e.g. "myacr.azurecr.io/orders:1.4.2".');
  }
  if (!isPinnedImage(image)) {
    throw new ConstructValidationError(scope, prop, image,
      'expected a pinned image: a tag other than "latest" (e.g. "myacr.azurecr.io/orders:1.4.2") or a digest ("...@sha256:<64 hex>"); an untagged image means "latest".');
  }
}

/** An HTTP header name (RFC 9110 token: letters, digits and !#$%&'*+.^_`|~-). */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A required HTTP header name; `lowerCase` for Istio's header matches, whose keys must be lower case. */
export function checkHeaderName(scope: IConstruct, prop: string, value: string | undefined, lowerCase = false): void {
  checkRequired(scope, prop, value);
  if (isUnresolved(value)) return;
  if (typeof value !== 'string' || !HEADER_NAME.test(value) || (lowerCase && value !== value.toLowerCase())) {
    throw new ConstructValidationError(scope, prop, value, `expected an HTTP header name (${lowerCase ? 'lower-case ' : ''}letters, digits and !#$%&'*+.^_\`|~-).`);
  }
}

const URL_PCHAR = "(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})";
const URL_TEMPLATE_PARAMETER = '\\{[A-Za-z_][A-Za-z0-9_.-]*\\}';
const URL_TEMPLATE_WILDCARD = '\\{\\*[A-Za-z_][A-Za-z0-9_.-]*\\}';
/** An APIM operation URL template: "/" segments of URL path characters and {parameters}; a {*wildcard} only at the end. */
const URL_TEMPLATE = new RegExp(`^(?:/(?:${URL_PCHAR}|${URL_TEMPLATE_PARAMETER})*)+(?:/?${URL_TEMPLATE_WILDCARD})?$`);

/**
 * An API Management operation URL template such as "/orders/{id}": starts with "/", holds only the
 * characters a URL path can (RFC 3986, or %-escapes), braces only around parameter names (balanced,
 * not nested), a `{*rest}` wildcard only at the end, no query or fragment.
 */
export function checkUrlTemplate(scope: IConstruct, prop: string, value: string | undefined): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'string' || value.length > 1000 || !URL_TEMPLATE.test(value)) {
    throw new ConstructValidationError(scope, prop, value, 'expected a URL template starting with "/" (e.g. "/orders/{id}"): URL path characters '
      + '(letters, digits, -._~!$&\'()*+,;=:@ or %-escapes), {parameter} names in balanced braces, a {*wildcard} only at the end, no query or fragment.');
  }
}
