import { IMesh, IstioMode, MeshPeer } from '../../lib';

// The two Istio modes, as the in-cluster side of MeshCluster (`MeshCluster.connect`) describes them,
// for tests of constructs that need an IMesh without building a cluster.

/** The AKS Istio add-on. */
export const addonMesh: IMesh = {
  istioMode: IstioMode.AKS_ADDON,
  revision: 'asm-1-26',
  rootNamespace: 'aks-istio-system',
  ingressGatewayNamespace: 'aks-istio-ingress',
  ingressGatewaySelector: { istio: 'aks-istio-ingressgateway-internal' },
  ingressGatewayPeer: MeshPeer.fromPrincipal('cluster.local/ns/aks-istio-ingress/sa/aks-istio-ingressgateway-internal', 'ingress-gateway'),
  gatewayRef: 'aks-istio-ingress/mesh-gateway',
  hostDomain: 'mesh.internal',
  injectionLabels: { 'istio.io/rev': 'asm-1-26' },
};

/** Upstream Istio installed by Helm. */
export const helmMesh: IMesh = {
  istioMode: IstioMode.HELM,
  revision: '1.26.8',
  rootNamespace: 'istio-system',
  ingressGatewayNamespace: 'istio-ingress',
  ingressGatewaySelector: { istio: 'ingressgateway' },
  ingressGatewayPeer: MeshPeer.fromPrincipal('cluster.local/ns/istio-ingress/sa/istio-ingressgateway', 'ingress-gateway'),
  gatewayRef: 'istio-ingress/mesh-gateway',
  hostDomain: 'mesh.internal',
  injectionLabels: { 'istio-injection': 'enabled' },
};
