import { IConstruct } from 'constructs';
import { ConstructValidationError } from '../core/errors';

/** A rule that does not apply to a construct and its children, and why. */
export interface PolicySuppression {
  /** Id of the rule to suppress, e.g. `AGM-AZ-011`. */
  readonly id: string;
  /** Why the finding is acceptable here; reported with the suppressed finding. At least 10 characters. */
  readonly reason: string;
}

/** Metadata type under which suppressions are recorded on a construct. */
export const SUPPRESSIONS_METADATA = 'gateway-mesh/policy-suppressions';

/** The shortest reason accepted: a reason must say something. */
const MIN_REASON_LENGTH = 10;

/**
 * Suppresses policy rules on a construct and every construct below it. Each suppression needs a
 * reason; suppressed findings are still reported, as info naming the reason. For example, on a
 * development cluster: `PolicySuppressions.add(cluster, [{ id: 'AGM-AZ-022', reason: 'Dev cluster: the Free tier is accepted' }])`.
 */
export class PolicySuppressions {
  /** Records suppressions on `scope` (as construct metadata). Throws when an id or reason is missing or too short. */
  public static add(scope: IConstruct, suppressions: PolicySuppression[]): void {
    if (!Array.isArray(suppressions) || suppressions.length === 0) {
      throw new ConstructValidationError(scope, 'suppressions', suppressions, 'expected at least one { id, reason }.');
    }
    suppressions.forEach((s, i) => {
      const id = s?.id;
      if (typeof id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id.trim())) {
        throw new ConstructValidationError(scope, `suppressions[${i}].id`, id, 'expected the id of a policy rule, e.g. "AGM-AZ-001".');
      }
      const reason = s?.reason;
      if (typeof reason !== 'string' || reason.trim().length < MIN_REASON_LENGTH) {
        throw new ConstructValidationError(scope, `suppressions[${i}].reason`, reason,
          `a reason of at least ${MIN_REASON_LENGTH} characters is required: say why the finding is acceptable here.`);
      }
    });
    scope.node.addMetadata(SUPPRESSIONS_METADATA, suppressions.map((s) => ({ id: s.id.trim(), reason: s.reason.trim() })));
  }

  /** The suppressions in force on `scope`: its own and those of every construct above it. */
  public static of(scope: IConstruct): PolicySuppression[] {
    const out: PolicySuppression[] = [];
    for (const node of scope.node.scopes) {
      for (const entry of node.node.metadata) {
        if (entry.type === SUPPRESSIONS_METADATA && Array.isArray(entry.data)) out.push(...entry.data);
      }
    }
    return out;
  }
}
