import { blocks } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** A read of a Kubernetes Service's load balancer IP: `...status[0].load_balancer[0].ingress[0].ip`. */
const LOAD_BALANCER_IP = /status\[0\]\.load_balancer\[0\]\.ingress\[0\]\.(ip|hostname)/;

/** AGM-DEP-004: a DNS record of a load balancer's IP does not fail the plan while the IP is pending. */
export const loadBalancerIpGuarded: IPolicyRule = {
  id: 'AGM-DEP-004',
  description: 'A DNS record that takes a Kubernetes Service\'s load balancer IP reads it with try() and has a precondition: while the load balancer has no IP (it is pending), a bare [0] index fails the plan with "Invalid index" and no hint of the cause.',
  fix: 'Write the record as try(<service>.status[0].load_balancer[0].ingress[0].ip, "") with a lifecycle precondition that the IP is not empty and an error message saying what to check (MeshConnection does this).',
  level: RuleLevel.ERROR,
  scannerChecks: ['Kubernetes: a Service of type LoadBalancer has no status.loadBalancer.ingress until the cloud assigns its frontend'],
  resourceTypes: ['azurerm_private_dns_a_record', 'azurerm_dns_a_record'],
  evaluate(config) {
    const records = Array.isArray(config.records) ? config.records : [config.records];
    const reads = records.filter((r: unknown): r is string => typeof r === 'string' && LOAD_BALANCER_IP.test(r));
    if (reads.length === 0) return RuleResult.NOT_APPLICABLE;
    const guarded = reads.every((r: string) => /^\$\{try\(/.test(r.trim()));
    const lifecycle = Array.isArray(config.lifecycle) ? config.lifecycle[0] : config.lifecycle;
    const preconditions = blocks(lifecycle, 'precondition').filter((p) => typeof p.condition === 'string' && LOAD_BALANCER_IP.test(p.condition));
    return guarded && preconditions.length > 0 ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
