// L3/L4 beside L7: the Kubernetes NetworkPolicies that MeshNamespace and MeshService write from the
// same calls that write AuthorizationPolicies, so that the two layers admit the same callers.
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { Construct } from 'constructs';
import { Lazy } from '../core/cdktf';

/** The label Kubernetes (1.22+) sets on every namespace to its name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The namespace of a principal `<trust domain>/ns/<namespace>/sa/<service account>`. */
export function namespaceOfPrincipal(principal: string): string {
  const match = /\/ns\/([^/]+)\/sa\//.exec(principal);
  return match ? match[1] : principal;
}

/** A peer of a NetworkPolicy rule (snake_case, as rendered). */
export function peerSelector(namespace: string, podLabels?: { [key: string]: string }): { [key: string]: unknown } {
  return {
    namespace_selector: { match_labels: { [NAMESPACE_NAME_LABEL]: namespace } },
    ...(podLabels && Object.keys(podLabels).length > 0 ? { pod_selector: { match_labels: { ...podLabels } } } : {}),
  };
}

/**
 * A NetworkPolicy of one direction whose single rule admits `peer` on a growing set of TCP ports
 * (allowFrom may be called again with more ports: the rule is rendered at synthesis).
 */
export function directedPolicy(scope: Construct, id: string, props: {
  readonly name: string;
  readonly namespace: string;
  readonly podLabels: { [key: string]: string };
  readonly direction: 'Ingress' | 'Egress';
  readonly peer: { [key: string]: unknown };
  readonly ports: Set<number>;
}): NetworkPolicyV1 {
  const rule = Lazy.anyValue({
    produce: () => [{
      [props.direction === 'Ingress' ? 'from' : 'to']: [props.peer],
      ports: [...props.ports].sort((a, b) => a - b).map((port) => ({ port: String(port), protocol: 'TCP' })),
    }],
  });
  return new NetworkPolicyV1(scope, id, {
    metadata: { name: props.name.slice(0, 253).replace(/-+$/, ''), namespace: props.namespace },
    spec: {
      podSelector: { matchLabels: props.podLabels },
      policyTypes: [props.direction],
      ...(props.direction === 'Ingress' ? { ingress: rule } : { egress: rule }),
    },
  });
}
