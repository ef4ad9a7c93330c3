import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { Construct, IConstruct } from 'constructs';
import { DNS_1123_LABEL, DNS_1123_LABEL_TEXT } from './names';
import { NAMESPACE_NAME_LABEL } from './network-policy';
import { TerraformStack } from '../core/cdktf';
import { IMesh } from '../core/contracts';
import { ConstructValidationError, isUnresolved } from '../core/errors';
import { checkObject, checkPattern, checkPropsObject, checkRequired } from '../core/validate';

/** Namespaces that belong to Kubernetes, AKS or Istio and never hold workloads (besides `kube-*`). */
const SYSTEM_NAMESPACES = [
  'default', 'istio-system', 'istio-ingress', 'aks-istio-system', 'aks-istio-ingress', 'aks-istio-egress',
  'aks-command', 'gatekeeper-system', 'calico-system', 'tigera-operator',
];

/** Props of `MeshNamespace`. */
export interface MeshNamespaceProps {
  /** The mesh whose sidecars the namespace's pods get (decides the injection labels). */
  readonly mesh: IMesh;
  /** Name of the namespace: a DNS-1123 label, not `default` nor a system namespace. */
  readonly name: string;
  /**
   * Extra labels of the namespace. The mesh's injection labels always win over these.
   * @default - the injection labels only
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations of the namespace.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

// The namespaces of each stack by name, so that one Kubernetes namespace is defined once.
const NAMESPACES = new WeakMap<TerraformStack, Map<string, MeshNamespace>>();

/**
 * A Kubernetes namespace in the mesh: labelled so that its pods get sidecars the way the cluster's
 * Istio mode needs (`istio.io/rev=asm-1-NN` for the AKS add-on, `istio-injection=enabled` for Helm), with
 * an allow-nothing AuthorizationPolicy so that nothing reaches its workloads until a `MeshService.allowFrom`
 * says so. Several `MeshService`s share a namespace by taking the same `MeshNamespace`.
 *
 * @example
 * const namespace = new MeshNamespace(workloads, 'ShopNamespace', { mesh, name: 'shop' });
 * new MeshService(workloads, 'Cart', { mesh, namespace, image: 'shop.azurecr.io/cart:1.0.0', ports: [MeshPort.http(8080)] });
 */
export class MeshNamespace extends Construct {
  /** The namespace's name. */
  public readonly name: string;
  /** The mesh the namespace belongs to. */
  public readonly mesh: IMesh;
  /** The namespace. */
  public readonly resource: NamespaceV1;
  /** `AuthorizationPolicy` `allow-nothing` (an ALLOW policy without rules denies every request). */
  public readonly allowNothingPolicy: Manifest;
  /** NetworkPolicy `default-deny`: every pod of the namespace, no ingress and no egress unless another policy allows it. */
  public readonly defaultDenyNetworkPolicy: NetworkPolicyV1;
  /** NetworkPolicy `allow-dns-and-istiod`: egress to the cluster DNS (kube-system) and to istiod (the root namespace). */
  public readonly meshEgressNetworkPolicy: NetworkPolicyV1;
  private readonly services = new Map<string, string>();

  constructor(scope: Construct, id: string, props: MeshNamespaceProps) {
    super(scope, id);
    props = checkPropsObject(this, 'props', props);
    checkObject(this, 'labels', props.labels);
    checkObject(this, 'annotations', props.annotations);
    checkRequired(this, 'mesh', props.mesh);
    checkRequired(this, 'name', props.name);
    checkPattern(this, 'name', props.name, DNS_1123_LABEL, DNS_1123_LABEL_TEXT);
    if (!isUnresolved(props.name)) {
      const reserved = [...SYSTEM_NAMESPACES, props.mesh.rootNamespace, props.mesh.ingressGatewayNamespace];
      if (reserved.includes(props.name) || props.name.startsWith('kube-')) {
        throw new ConstructValidationError(this, 'name', props.name,
          `workloads never go into the 'default' namespace nor a system one (kube-*, ${[...new Set(reserved)].join(', ')}); choose a namespace of their own.`);
      }
      const byName = namespacesOf(this);
      const existing = byName.get(props.name);
      if (existing) {
        throw new ConstructValidationError(this, 'name', props.name,
          `the namespace is already defined in this stack by '${existing.node.path}'; pass that MeshNamespace as the 'namespace' prop to share it.`);
      }
      byName.set(props.name, this);
    }
    this.name = props.name;
    this.mesh = props.mesh;

    this.resource = new NamespaceV1(this, 'Resource', {
      metadata: {
        name: props.name,
        // Injection labels last: a user label must not switch sidecar injection off.
        labels: { ...props.labels, ...props.mesh.injectionLabels },
        annotations: props.annotations,
      },
    });

    // Istio's recommended baseline: deny by default, then ALLOW policies per caller.
    this.allowNothingPolicy = new Manifest(this, 'AllowNothing', {
      manifest: {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name: 'allow-nothing', namespace: props.name },
        spec: {},
      },
      dependsOn: [this.resource],
    });

    // The same baseline at L3/L4 (a pod that escapes its sidecar, or runs without one, is still held):
    // nothing in or out, then what every sidecar needs, then what MeshService.allowFrom adds per caller.
    const namespace = this.resource.metadata.name;
    this.defaultDenyNetworkPolicy = new NetworkPolicyV1(this, 'DefaultDeny', {
      metadata: { name: 'default-deny', namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    this.meshEgressNetworkPolicy = new NetworkPolicyV1(this, 'AllowMeshEgress', {
      metadata: { name: 'allow-dns-and-istiod', namespace },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          // CoreDNS (label k8s-app=kube-dns on AKS) in kube-system.
          {
            to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }],
          },
          // istiod: xDS configuration and certificate signing (15012, TLS), the only port sidecars call.
          {
            to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: props.mesh.rootNamespace } }, podSelector: { matchLabels: { app: 'istiod' } } }],
            ports: [{ port: '15012', protocol: 'TCP' }],
          },
        ],
      },
    });
  }

  /**
   * Records a service of the namespace; a second service with the same name is refused, since both would
   * write the same Deployment, Service and policies.
   * @internal
   */
  public _registerService(service: IConstruct, name: string): void {
    if (isUnresolved(name)) return;
    const existing = this.services.get(name);
    if (existing !== undefined) {
      throw new ConstructValidationError(service, 'name', name,
        `namespace '${this.name}' already has a service of this name (at '${existing}'); give each service of a namespace its own name.`);
    }
    this.services.set(name, service.node.path);
  }
}

function namespacesOf(scope: IConstruct): Map<string, MeshNamespace> {
  const stack = TerraformStack.of(scope);
  let byName = NAMESPACES.get(stack);
  if (!byName) {
    byName = new Map();
    NAMESPACES.set(stack, byName);
  }
  return byName;
}
