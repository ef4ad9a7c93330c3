import { IPolicyContext, RuleResult } from '../types';
import { ContainerView, PodView, WorkloadView, allContainers, workloadOf } from './k8s';
import { Unknown, UNKNOWN } from './values';

/** One verdict from several: non-compliant wins, then not applicable (some part unknown); no parts is not applicable. */
export function combine(results: RuleResult[]): RuleResult {
  if (results.length === 0) return RuleResult.NOT_APPLICABLE;
  if (results.includes(RuleResult.NON_COMPLIANT)) return RuleResult.NON_COMPLIANT;
  if (results.includes(RuleResult.NOT_APPLICABLE)) return RuleResult.NOT_APPLICABLE;
  return RuleResult.COMPLIANT;
}

/** Compliant when `ok`, non-compliant otherwise; not applicable when the value is unknown. */
export function when(ok: boolean | Unknown): RuleResult {
  if (ok === UNKNOWN) return RuleResult.NOT_APPLICABLE;
  return ok ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
}

/** Judges each container of the workload a resource creates (init containers included unless told). */
export function judgeContainers(
  config: { [key: string]: any },
  context: IPolicyContext,
  judge: (container: ContainerView, pod: PodView, workload: WorkloadView) => RuleResult,
  includeInit = true,
): RuleResult {
  const workload = workloadOf(context.resource.type, config);
  if (!workload) return RuleResult.NOT_APPLICABLE;
  const containers = includeInit ? allContainers(workload.pod) : workload.pod.containers;
  return combine(containers.map((c) => judge(c, workload.pod, workload)));
}

/** A container setting, falling back to the pod's (Kubernetes applies the container's when both are set). */
export function effective<T>(container: T | undefined | Unknown, pod: T | undefined | Unknown): T | undefined | Unknown {
  return container !== undefined ? container : pod;
}
