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
