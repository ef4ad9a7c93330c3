// The built-in rules, one per file, in catalog order.
import { IPolicyRule } from '../types';
import { wafPreventionMode } from './waf-prevention-mode';
import { wafManagedRuleSets } from './waf-managed-rule-sets';
import { appGatewayWafEnabled } from './appgw-waf-enabled';
import { appGatewayTlsPolicy } from './appgw-tls-policy';
import { appGatewayHttpsListeners } from './appgw-https-listeners';
import { nsgNoAdminPortsFromInternet } from './nsg-no-admin-ports-from-internet';
import { subnetHasNsg } from './subnet-has-nsg';
import { keyVaultPurgeProtection } from './key-vault-purge-protection';
import { keyVaultRbac } from './key-vault-rbac';
import { keyVaultNetworkDeny } from './key-vault-network-deny';
import { aksPrivateApiServer } from './aks-private-api-server';
import { aksLocalAccountsDisabled } from './aks-local-accounts-disabled';
import { aksEntraRbac } from './aks-entra-rbac';
import { aksAzurePolicy } from './aks-azure-policy';
import { aksNetworkPolicy } from './aks-network-policy';
import { aksAzureCni } from './aks-azure-cni';
import { aksWorkloadIdentity } from './aks-workload-identity';
import { aksSecretsRotation } from './aks-secrets-rotation';
import { aksMaxPods } from './aks-max-pods';
import { aksNoNodePublicIp } from './aks-no-node-public-ip';
import { aksAutomaticUpgrades } from './aks-automatic-upgrades';
import { aksStandardTier } from './aks-standard-tier';
import { aksHostEncryption } from './aks-host-encryption';
import { aksSystemPoolCriticalOnly } from './aks-system-pool-critical-only';
import { apimInternalVnet } from './apim-internal-vnet';
import { apimNoLegacyProtocols } from './apim-no-legacy-protocols';
import { apimManagedIdentity } from './apim-managed-identity';
import { apimSecretNamedValues } from './apim-secret-named-values';
import { k8sRunAsNonRoot } from './k8s-run-as-non-root';
import { k8sReadOnlyRootFilesystem } from './k8s-read-only-root-filesystem';
import { k8sNoPrivilegeEscalation } from './k8s-no-privilege-escalation';
import { k8sDropAllCapabilities } from './k8s-drop-all-capabilities';
import { k8sSeccompProfile } from './k8s-seccomp-profile';
import { k8sResources } from './k8s-resources';
import { k8sProbes } from './k8s-probes';
import { k8sPinnedImages } from './k8s-pinned-images';
import { k8sReplicas } from './k8s-replicas';
import { k8sDisruptionBudget } from './k8s-disruption-budget';
import { k8sNoDefaultNamespace } from './k8s-no-default-namespace';
import { k8sNoPrivileged } from './k8s-no-privileged';
import { k8sNoHostNamespaces } from './k8s-no-host-namespaces';
import { k8sNoServiceAccountToken } from './k8s-no-service-account-token';
import { istioMeshWideStrictMtls } from './istio-mesh-wide-strict-mtls';
import { istioNoPermissiveMtls } from './istio-no-permissive-mtls';
import { istioDefaultDeny } from './istio-default-deny';
import { istioAllowByPrincipal } from './istio-allow-by-principal';
import { istioNoTlsDisable } from './istio-no-tls-disable';
import { appGatewayApimHealthProbe } from './appgw-apim-health-probe';
import { apimSubnetNsg } from './apim-subnet-nsg';
import { appGatewaySubnetNsg } from './appgw-subnet-nsg';
import { istioIngressInternal } from './istio-ingress-internal';
import { istioGatewayHttpsOnly } from './istio-gateway-https-only';
import { istioAddonRevisionLabel } from './istio-addon-revision-label';

/** Every rule of the pack, in id order. */
export const BUILT_IN_RULES: IPolicyRule[] = [
  wafPreventionMode,
  wafManagedRuleSets,
  appGatewayWafEnabled,
  appGatewayTlsPolicy,
  appGatewayHttpsListeners,
  nsgNoAdminPortsFromInternet,
  subnetHasNsg,
  keyVaultPurgeProtection,
  keyVaultRbac,
  keyVaultNetworkDeny,
  aksPrivateApiServer,
  aksLocalAccountsDisabled,
  aksEntraRbac,
  aksAzurePolicy,
  aksNetworkPolicy,
  aksAzureCni,
  aksWorkloadIdentity,
  aksSecretsRotation,
  aksMaxPods,
  aksNoNodePublicIp,
  aksAutomaticUpgrades,
  aksStandardTier,
  aksHostEncryption,
  aksSystemPoolCriticalOnly,
  apimInternalVnet,
  apimNoLegacyProtocols,
  apimManagedIdentity,
  apimSecretNamedValues,
  k8sRunAsNonRoot,
  k8sReadOnlyRootFilesystem,
  k8sNoPrivilegeEscalation,
  k8sDropAllCapabilities,
  k8sSeccompProfile,
  k8sResources,
  k8sProbes,
  k8sPinnedImages,
  k8sReplicas,
  k8sDisruptionBudget,
  k8sNoDefaultNamespace,
  k8sNoPrivileged,
  k8sNoHostNamespaces,
  k8sNoServiceAccountToken,
  istioMeshWideStrictMtls,
  istioNoPermissiveMtls,
  istioDefaultDeny,
  istioAllowByPrincipal,
  istioNoTlsDisable,
  appGatewayApimHealthProbe,
  apimSubnetNsg,
  appGatewaySubnetNsg,
  istioIngressInternal,
  istioGatewayHttpsOnly,
  istioAddonRevisionLabel,
];

export * from './waf-prevention-mode';
export * from './waf-managed-rule-sets';
export * from './appgw-waf-enabled';
export * from './appgw-tls-policy';
export * from './appgw-https-listeners';
export * from './nsg-no-admin-ports-from-internet';
export * from './subnet-has-nsg';
export * from './key-vault-purge-protection';
export * from './key-vault-rbac';
export * from './key-vault-network-deny';
export * from './aks-private-api-server';
export * from './aks-local-accounts-disabled';
export * from './aks-entra-rbac';
export * from './aks-azure-policy';
export * from './aks-network-policy';
export * from './aks-azure-cni';
export * from './aks-workload-identity';
export * from './aks-secrets-rotation';
export * from './aks-max-pods';
export * from './aks-no-node-public-ip';
export * from './aks-automatic-upgrades';
export * from './aks-standard-tier';
export * from './aks-host-encryption';
export * from './aks-system-pool-critical-only';
export * from './apim-internal-vnet';
export * from './apim-no-legacy-protocols';
export * from './apim-managed-identity';
export * from './apim-secret-named-values';
export * from './k8s-run-as-non-root';
export * from './k8s-read-only-root-filesystem';
export * from './k8s-no-privilege-escalation';
export * from './k8s-drop-all-capabilities';
export * from './k8s-seccomp-profile';
export * from './k8s-resources';
export * from './k8s-probes';
export * from './k8s-pinned-images';
export * from './k8s-replicas';
export * from './k8s-disruption-budget';
export * from './k8s-no-default-namespace';
export * from './k8s-no-privileged';
export * from './k8s-no-host-namespaces';
export * from './k8s-no-service-account-token';
export * from './istio-mesh-wide-strict-mtls';
export * from './istio-no-permissive-mtls';
export * from './istio-default-deny';
export * from './istio-allow-by-principal';
export * from './istio-no-tls-disable';
export * from './appgw-apim-health-probe';
export * from './apim-subnet-nsg';
export * from './appgw-subnet-nsg';
export * from './istio-ingress-internal';
export * from './istio-gateway-https-only';
export * from './istio-addon-revision-label';
