import { IPolicyContext, IPolicyRule } from '../types';

/**
 * A rule whose findings say which instance broke it (e.g. the path, port and NSG rule). The pack
 * appends the explanation to the rule's message when the resource is non-compliant.
 */
export interface IExplainedPolicyRule extends IPolicyRule {
  /** What exactly is non-compliant on the resource, one sentence per item. */
  explain(config: { [key: string]: any }, context: IPolicyContext): string[];
}

/** True for a rule that can explain its findings. */
export function isExplained(rule: IPolicyRule): rule is IExplainedPolicyRule {
  return typeof (rule as Partial<IExplainedPolicyRule>).explain === 'function';
}
