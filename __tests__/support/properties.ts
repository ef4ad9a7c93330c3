/**
 * The property every construct must hold (issue 8): for any props, either the stack synthesizes,
 * validates against the provider schemas and Istio CRDs, and passes the policy pack with no error,
 * or construction/synth throws the library's own `ConstructValidationError` naming the prop.
 * Never a TypeError, never `undefined` or `NaN` in the synthesized JSON.
 */
import { App, TerraformStack } from 'cdktf';
import * as fc from 'fast-check';
import { synthStack } from './index';
import { validateTerraformJson } from './validate';
import { GatewayMeshChecks, RuleLevel } from '../../lib';

/** What one generated case ended as, for the tests' statistics. */
export type Outcome = 'synthesized' | 'rejected';

/**
 * Builds a stack with `build(stack, props)` and checks the property. `propNames` are the props the
 * generator may set: a rejection must name one of them (as `'prop'`, `'prop.x'` or `'prop[0]...'`).
 * Returns the outcome; throws (failing the fast-check property) when the property does not hold.
 */
export function checkConstructProperty<P>(props: P, propNames: string[], build: (stack: TerraformStack, props: P) => void): Outcome {
  const app = new App();
  const stack = new TerraformStack(app, 'prop');
  let json: any;
  let checks: GatewayMeshChecks;
  try {
    build(stack, props);
    checks = GatewayMeshChecks.applyTo(stack);
    json = synthStack(stack);
  } catch (error: any) {
    const named = propNames.some((p) => new RegExp(`'${escape(p)}(['.\\[])`).test(String(error?.message)));
    if (error?.name === 'ConstructValidationError' && named) return 'rejected';
    // Validations run at synth (node.addValidation) are collected into one Error by synthStack.
    if (/^Validation failed with the following errors/.test(String(error?.message)) && named && !/AGM-[A-Z0-9]+-\d+/.test(error.message)) return 'rejected';
    throw new Error(`not a validation error naming one of ${propNames.join(', ')}: ${error?.name}: ${error?.message}\nprops: ${safeJson(props)}`);
  }
  const text = JSON.stringify(json);
  if (/\bundefined\b|\bNaN\b|Infinity/.test(text)) throw new Error(`undefined/NaN/Infinity in the JSON for props ${safeJson(props)}`);
  const errors = validateTerraformJson(json);
  if (errors.length > 0) throw new Error(`schema violations for props ${safeJson(props)}:\n${errors.join('\n')}`);
  const failing = checks!.findings.filter((f) => f.level === RuleLevel.ERROR && f.suppressionReason === undefined);
  if (failing.length > 0) throw new Error(`policy errors for props ${safeJson(props)}:\n${failing.map((f) => f.message).join('\n')}`);
  return 'synthesized';
}

/**
 * Runs the property over `numRuns` generated prop sets (1000 by default) and returns how many
 * synthesized and how many were rejected, so a test can require both kinds to occur.
 */
export function assertConstructProperty<P>(
  arbitrary: fc.Arbitrary<P>,
  propNames: string[],
  build: (stack: TerraformStack, props: P) => void,
  numRuns = 1000,
): Record<Outcome, number> {
  const counts: Record<Outcome, number> = { synthesized: 0, rejected: 0 };
  // cdktf and the providers capture a full stack trace for every token they create (a KubernetesCluster
  // makes hundreds), and under jest each one is source-mapped: most of the cost of a run. The property
  // reads error messages only, not stacks.
  const { captureStackTrace, prepareStackTrace } = Error;
  Error.captureStackTrace = () => undefined;
  Error.prepareStackTrace = () => '';
  try {
    fc.assert(fc.property(arbitrary, (props) => {
      counts[checkConstructProperty(props, propNames, build)]++;
    }), { numRuns, seed: Number(process.env.FC_SEED ?? 20261126) });
  } finally {
    Error.captureStackTrace = captureStackTrace;
    Error.prepareStackTrace = prepareStackTrace;
  }
  return counts;
}

/** Either undefined or a value from `arbitrary`: optional props. */
export function optional<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arbitrary, { nil: undefined, freq: 3 });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
  } catch {
    return String(value);
  }
}
