// Readers for resolved Terraform JSON. A value is one of: absent (undefined or null), known
// (a literal), or unknown (a Terraform expression such as "${var.x}", only known at plan time).
// Rules never judge an unknown value: they answer NOT_APPLICABLE instead, and the readers record
// which attribute was unknown, so that the pack reports "cannot verify <attribute>" (unknown is not
// compliant).

/** Marks a value that Terraform only knows at plan time. */
export const UNKNOWN = Symbol('unknown');
export type Unknown = typeof UNKNOWN;

/** A plain JSON object. */
export type Json = { [key: string]: any };

/** An attribute a reader found unknown: the object holding it and its key. */
export interface UnknownRead {
  readonly parent: Json;
  readonly key: string;
}

let unknownReads: UnknownRead[] | undefined;

/** Runs `fn`, returning what it returned and every attribute the readers found unknown meanwhile. */
export function trackUnknowns<T>(fn: () => T): { result: T; reads: UnknownRead[] } {
  const outer = unknownReads;
  const reads: UnknownRead[] = [];
  unknownReads = reads;
  try {
    return { result: fn(), reads };
  } finally {
    unknownReads = outer;
    outer?.push(...reads);
  }
}

/**
 * `compute(key)`, computed once per key object: later calls replay the unknown reads of the first,
 * so that a view shared by several rules (e.g. a workload's containers) still reports them.
 */
export function memoized<K extends object, T>(cache: WeakMap<K, { value: T; reads: UnknownRead[] }>, key: K, compute: () => T): T {
  const hit = cache.get(key);
  if (hit) {
    unknownReads?.push(...hit.reads);
    return hit.value;
  }
  const { result, reads } = trackUnknowns(compute);
  cache.set(key, { value: result, reads });
  return result;
}

/** Records `reads` as unknown reads of the running rule, and returns `value`. */
export function replayUnknowns<T>(reads: UnknownRead[], value: T): T {
  unknownReads?.push(...reads);
  return value;
}

/** Runs `fn` without recording what it finds unknown (for tables derived from the whole app, not the judged resource). */
export function untracked<T>(fn: () => T): T {
  const outer = unknownReads;
  unknownReads = undefined;
  try {
    return fn();
  } finally {
    unknownReads = outer;
  }
}

/** Records that `parent[key]` is unknown (for the "cannot verify" report) and returns UNKNOWN. */
export function unknownAt(parent: Json, key: string): Unknown {
  unknownReads?.push({ parent, key });
  return UNKNOWN;
}

/** True for a string holding a Terraform expression (`${...}`). */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

/** True for undefined and null (Terraform JSON writes null for unset attributes of object lists). */
export function isAbsent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/** A nested block: the object itself, or the first element when the block is written as a list. */
export function block(parent: unknown, key: string): Json | undefined {
  if (!isObject(parent)) return undefined;
  const value = parent[key];
  if (Array.isArray(value)) return isObject(value[0]) ? value[0] : undefined;
  return isObject(value) ? value : undefined;
}

/** A repeated block or list of objects: always an array (empty when absent). */
export function blocks(parent: unknown, key: string): Json[] {
  if (!isObject(parent)) return [];
  const value = parent[key];
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** A list of strings; unknown when the list itself is an expression, or holds one. */
export function strings(parent: unknown, key: string): string[] | Unknown {
  if (!isObject(parent)) return [];
  const value = parent[key];
  if (isAbsent(value)) return [];
  if (isExpression(value)) return unknownAt(parent, key);
  const list = Array.isArray(value) ? value : [value];
  if (list.some(isExpression)) return unknownAt(parent, key);
  return list.filter((v) => typeof v === 'string' || typeof v === 'number').map(String);
}

/** A string attribute: undefined when absent, UNKNOWN for an expression. */
export function text(parent: unknown, key: string): string | undefined | Unknown {
  if (!isObject(parent)) return undefined;
  const value = parent[key];
  if (isAbsent(value)) return undefined;
  if (isExpression(value)) return unknownAt(parent, key);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A string attribute as written, Terraform expressions included (for references between resources). */
export function rawText(parent: unknown, key: string): string | undefined {
  if (!isObject(parent)) return undefined;
  const value = parent[key];
  return typeof value === 'string' ? value : undefined;
}

/** A boolean attribute (Terraform also accepts "true"/"false" strings). */
export function flag(parent: unknown, key: string): boolean | undefined | Unknown {
  if (!isObject(parent)) return undefined;
  const value = parent[key];
  if (isAbsent(value)) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return unknownAt(parent, key);
}

/** A number attribute (Terraform also accepts numeric strings). */
export function num(parent: unknown, key: string): number | undefined | Unknown {
  if (!isObject(parent)) return undefined;
  const value = parent[key];
  if (isAbsent(value)) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return unknownAt(parent, key);
}

/** A map of strings (labels, annotations, resource quantities); UNKNOWN when the map is an expression. */
export function stringMap(parent: unknown, key: string): { [key: string]: string } | Unknown {
  if (!isObject(parent)) return {};
  const value = parent[key];
  if (isAbsent(value)) return {};
  if (!isObject(value)) return unknownAt(parent, key);
  const out: { [key: string]: string } = {};
  for (const [k, v] of Object.entries(value)) {
    if (!isAbsent(v)) out[k] = String(v);
  }
  return out;
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Case-insensitive equality of a known string with any of the given values. */
export function equalsAny(value: string | undefined | Unknown, ...candidates: string[]): boolean {
  return typeof value === 'string' && candidates.some((c) => c.toLowerCase() === value.toLowerCase());
}

/** Every `type.name` address that a value (string, list or object, searched deeply) refers to. */
export function referencedAddresses(value: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      if (!v.includes('${')) return;
      for (const match of v.matchAll(/(?<![\w.])([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)(?=[.[\s}])/g)) {
        if (match[1] === 'data' || match[1] === 'var' || match[1] === 'local' || match[1] === 'module' || match[1] === 'each' || match[1] === 'count') continue;
        out.push(`${match[1]}.${match[2]}`);
      }
    } else if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (isObject(v)) {
      Object.values(v).forEach(visit);
    }
  };
  visit(value);
  return out;
}

/** A port range such as "22", "1000-2000" or "*"; undefined when it is not one. */
export function parsePortRange(value: string): [number, number] | undefined {
  const v = value.trim();
  if (v === '*' || v.toLowerCase() === 'any') return [0, 65535];
  const single = /^(\d{1,5})$/.exec(v);
  if (single) return [Number(single[1]), Number(single[1])];
  const range = /^(\d{1,5})\s*-\s*(\d{1,5})$/.exec(v);
  if (range) return [Number(range[1]), Number(range[2])];
  return undefined;
}
