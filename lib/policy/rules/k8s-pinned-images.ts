import { isPinnedImage } from '../../core/validate';
import { WORKLOAD_TYPES } from '../private/k8s';
import { UNKNOWN } from '../private/values';
import { judgeContainers } from '../private/verdicts';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

export { isPinnedImage };

/** AGM-K8S-008: what runs is what was tested. */
export const k8sPinnedImages: IPolicyRule = {
  id: 'AGM-K8S-008',
  description: 'Container images are pinned to a version tag other than latest, or to a digest.',
  fix: 'Reference images as registry/name:1.2.3 or registry/name@sha256:<digest>, never :latest or without a tag.',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_K8S_14', 'KSV013', 'kube-score container-image-tag'],
  resourceTypes: WORKLOAD_TYPES,
  evaluate(config, context) {
    return judgeContainers(config, context, (c) => {
      if (c.image === UNKNOWN) return RuleResult.NOT_APPLICABLE;
      if (c.image === undefined) return RuleResult.NON_COMPLIANT;
      return isPinnedImage(c.image) ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
    });
  },
};
