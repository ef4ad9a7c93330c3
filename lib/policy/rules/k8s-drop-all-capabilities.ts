import { WORKLOAD_TYPES } from '../private/k8s';
import { UNKNOWN } from '../private/values';
import { judgeContainers } from '../private/verdicts';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-K8S-004: containers keep no Linux capabilities they do not need. */
export const k8sDropAllCapabilities: IPolicyRule = {
  id: 'AGM-K8S-004',
  description: 'Containers drop ALL Linux capabilities and add back none but NET_BIND_SERVICE.',
  fix: 'Set securityContext.capabilities.drop = ["ALL"] and remove capabilities.add (NET_BIND_SERVICE only if the process binds a port below 1024).',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_K8S_37', 'CKV_K8S_28', 'KSV003'],
  resourceTypes: WORKLOAD_TYPES,
  evaluate(config, context) {
    return judgeContainers(config, context, (c) => {
      if (c.capabilitiesDrop === UNKNOWN || c.capabilitiesAdd === UNKNOWN) return RuleResult.NOT_APPLICABLE;
      const dropsAll = c.capabilitiesDrop.some((cap) => cap.toUpperCase() === 'ALL');
      const addsOnlyBind = c.capabilitiesAdd.every((cap) => cap.toUpperCase().replace(/^CAP_/, '') === 'NET_BIND_SERVICE');
      return dropsAll && addsOnlyBind ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
    });
  },
};
