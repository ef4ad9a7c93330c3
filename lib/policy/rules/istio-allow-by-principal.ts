import { istioObjectOf } from '../private/istio';
import { Json, isObject } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

const ANY_ADDRESS = ['0.0.0.0/0', '::/0'];

function nonEmptyStrings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string') ? value : undefined;
}

/** A source names its callers: SPIFFE principals without wildcards, or (for gateways) bounded IP blocks. */
function identifiesCaller(source: Json): boolean | 'unknown' {
  const principals = nonEmptyStrings(source.principals);
  if (principals) {
    if (principals.some((p) => p.includes('${'))) return 'unknown';
    return principals.every((p) => !p.includes('*'));
  }
  for (const key of ['ipBlocks', 'remoteIpBlocks']) {
    const blocksList = nonEmptyStrings(source[key]);
    if (blocksList) {
      if (blocksList.some((b) => b.includes('${'))) return 'unknown';
      return blocksList.every((b) => !ANY_ADDRESS.includes(b.trim()));
    }
  }
  return false;
}

/** AGM-IS-004: ALLOW policies say who may call, by workload identity. */
export const istioAllowByPrincipal: IPolicyRule = {
  id: 'AGM-IS-004',
  description: 'ALLOW AuthorizationPolicies name their callers: every rule has a from.source with principals (SPIFFE identities, no wildcards) or bounded ipBlocks; namespaces alone, notPrincipals, "*" or a rule without from admit too much.',
  fix: 'Write from { source { principals: ["cluster.local/ns/<namespace>/sa/<service account>"] } } for each caller (MeshService.allowFrom does this); for the ingress gateway, ipBlocks of the APIM subnet.',
  level: RuleLevel.ERROR,
  scannerChecks: ['Istio security best practices: ALLOW with positive matching (istio.io/latest/docs/ops/best-practices/security/#use-allow-with-positive-matching-and-deny-with-negative-match-patterns)'],
  resourceTypes: ['kubernetes_manifest'],
  evaluate(config, context) {
    const policy = istioObjectOf(context.resource.type, config);
    if (!policy || policy.kind !== 'AuthorizationPolicy') return RuleResult.NOT_APPLICABLE;
    const action = policy.spec.action;
    if (action !== undefined && action !== null && action !== 'ALLOW') return RuleResult.NOT_APPLICABLE;
    const rules = policy.spec.rules;
    if (!Array.isArray(rules) || rules.length === 0) return RuleResult.NOT_APPLICABLE; // allow-nothing
    let unknown = false;
    for (const rule of rules) {
      const from = isObject(rule) && Array.isArray(rule.from) ? rule.from : [];
      if (from.length === 0) return RuleResult.NON_COMPLIANT;
      for (const f of from) {
        const source = isObject(f) && isObject(f.source) ? f.source : {};
        const ok = identifiesCaller(source);
        if (ok === false) return RuleResult.NON_COMPLIANT;
        if (ok === 'unknown') unknown = true;
      }
    }
    return unknown ? RuleResult.NOT_APPLICABLE : RuleResult.COMPLIANT;
  },
};
