import { IConstruct } from 'constructs';
import { Token } from './cdktf';

/**
 * The error every construct of this library throws for bad input, at synth time.
 *
 * Its message names the construct (type and path), the prop, the value received and
 * what is allowed, so that a user can fix the call without reading the library's code.
 */
export class ConstructValidationError extends Error {
  /** The prop that was rejected, e.g. `minCapacity` or `routes[0].weight`. */
  public readonly prop: string;

  constructor(scope: IConstruct, prop: string, value: unknown, allowed: string) {
    super(`${describeConstruct(scope)}: invalid '${prop}': got ${describeValue(value)}; ${allowed}`);
    this.name = 'ConstructValidationError';
    this.prop = prop;
  }
}

/** `SecureEdge at 'platform/edge'` */
export function describeConstruct(scope: IConstruct): string {
  return `${scope.constructor.name} at '${scope.node.path}'`;
}

/** A short, unambiguous rendering of a received value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  try {
    const text = JSON.stringify(value);
    return text.length > 200 ? `${text.slice(0, 197)}...` : text;
  } catch {
    return String(value);
  }
}

/**
 * True when the value is a Terraform token (not known until deploy), which validation must let through;
 * an element of a list token (`Token.asList(...)[0]`, e.g. an address space read by a data source) is one too.
 */
export function isUnresolved(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  return Token.isUnresolved(value) || (typeof value === 'string' && value.includes('#{TfToken['));
}
