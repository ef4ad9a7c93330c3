// A workloads stack with N MeshServices (argv[2]), each in its own namespace, each allowed to be
// called by the one before it and exposed through the gateway: the per-service cost of synth.
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { IMesh, IstioMode, MeshService } from '../lib';

const count = Number(process.argv[2] ?? 10);
const gatewayPeer = { principal: 'cluster.local/ns/aks-istio-ingress/sa/aks-istio-ingressgateway-internal', peerName: 'ingress-gateway' };
const mesh: IMesh = {
  istioMode: IstioMode.AKS_ADDON,
  revision: 'asm-1-26',
  rootNamespace: 'aks-istio-system',
  ingressGatewayNamespace: 'aks-istio-ingress',
  ingressGatewaySelector: { istio: 'aks-istio-ingressgateway-internal' },
  ingressGatewayPeer: gatewayPeer,
  gatewayRef: 'aks-istio-ingress/mesh-gateway',
  hostDomain: 'mesh.internal',
  injectionLabels: { 'istio.io/rev': 'asm-1-26' },
};

const app = new App();
const stack = new TerraformStack(app, 'services');
new KubernetesProvider(stack, 'kubernetes', {});
let previous: MeshService | undefined;
for (let i = 0; i < count; i++) {
  const service = new MeshService(stack, `Service${i}`, { mesh, name: `svc-${i}`, image: `example.azurecr.io/svc:1.0.${i}` });
  service.exposeViaGateway();
  if (previous) service.allowFrom(previous);
  previous = service;
}
app.synth();
