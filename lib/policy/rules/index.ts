// The built-in rules, one per file; BUILT_IN_RULES lists them in id order.
import { IPolicyRule } from '../types';
import { aksAutomaticUpgrades } from './aks-automatic-upgrades';
import { aksAzureCni } from './aks-azure-cni';
import { aksAzurePolicy } from './aks-azure-policy';
import { aksEntraRbac } from './aks-entra-rbac';
import { aksHostEncryption } from './aks-host-encryption';
import { aksLocalAccountsDisabled } from './aks-local-accounts-disabled';
import { aksMaxPods } from './aks-max-pods';
import { aksNetworkPolicy } from './aks-network-policy';
import { aksNoNodePublicIp } from './aks-no-node-public-ip';
import { aksPrivateApiServer } from './aks-private-api-server';
import { aksSecretsRotation } from './aks-secrets-rotation';
import { aksStandardTier } from './aks-standard-tier';
import { aksSystemPoolCriticalOnly } from './aks-system-pool-critical-only';
import { aksWorkloadIdentity } from './aks-workload-identity';
import { apimInternalVnet } from './apim-internal-vnet';
import { apimManagedIdentity } from './apim-managed-identity';
import { apimNoLegacyProtocols } from './apim-no-legacy-protocols';
import { apimSecretNamedValues } from './apim-secret-named-values';
import { apimSubnetNsg } from './apim-subnet-nsg';
import { appGatewayApimHealthProbe } from './appgw-apim-health-probe';
import { appGatewayHttpsListeners } from './appgw-https-listeners';
import { appGatewaySubnetNsg } from './appgw-subnet-nsg';
import { appGatewayTlsPolicy } from './appgw-tls-policy';
import { appGatewayWafEnabled } from './appgw-waf-enabled';
import { aksWaitsForSubnetRole } from './dep-aks-subnet-role';
import { apimWaitsForVaultRole } from './dep-apim-role-propagation';
import { appGatewayCertificateExists } from './dep-appgw-certificate-exists';
import { appGatewayWaitsForVaultRole } from './dep-appgw-role-propagation';
import { loadBalancerIpGuarded } from './dep-load-balancer-ip-guarded';
import { vaultReaderWaitsForPrivateEndpoint } from './dep-vault-private-endpoint';
import { istioAddonRevisionLabel } from './istio-addon-revision-label';
import { istioAllowByPrincipal } from './istio-allow-by-principal';
import { istioDefaultDeny } from './istio-default-deny';
import { istioGatewayHttpsOnly } from './istio-gateway-https-only';
import { istioIngressInternal } from './istio-ingress-internal';
import { istioMeshWideStrictMtls } from './istio-mesh-wide-strict-mtls';
import { istioNoPermissiveMtls } from './istio-no-permissive-mtls';
import { istioNoTlsDisable } from './istio-no-tls-disable';
import { k8sDisruptionBudget } from './k8s-disruption-budget';
import { k8sDropAllCapabilities } from './k8s-drop-all-capabilities';
import { k8sNoDefaultNamespace } from './k8s-no-default-namespace';
import { k8sNoHostNamespaces } from './k8s-no-host-namespaces';
import { k8sNoPrivilegeEscalation } from './k8s-no-privilege-escalation';
import { k8sNoPrivileged } from './k8s-no-privileged';
import { k8sNoServiceAccountToken } from './k8s-no-service-account-token';
import { k8sPinnedImages } from './k8s-pinned-images';
import { k8sProbes } from './k8s-probes';
import { k8sReadOnlyRootFilesystem } from './k8s-read-only-root-filesystem';
import { k8sReplicas } from './k8s-replicas';
import { k8sResources } from './k8s-resources';
import { k8sRunAsNonRoot } from './k8s-run-as-non-root';
import { k8sSeccompProfile } from './k8s-seccomp-profile';
import { keyVaultNetworkDeny } from './key-vault-network-deny';
import { keyVaultPurgeProtection } from './key-vault-purge-protection';
import { keyVaultRbac } from './key-vault-rbac';
import { monitoringAlertActionGroup } from './monitoring-alert-action-group';
import { monitoringCriticalAlerts } from './monitoring-critical-alerts';
import { netLayerContract } from './net-layer-contract';
import { netMeshDefaultDeny } from './net-mesh-default-deny';
import { netRequiredPaths } from './net-required-paths';
import { nsgNoAdminPortsFromInternet } from './nsg-no-admin-ports-from-internet';
import { subnetHasNsg } from './subnet-has-nsg';
import { wafManagedRuleSets } from './waf-managed-rule-sets';
import { wafPreventionMode } from './waf-prevention-mode';

/** Every rule of the pack, in id order. */
export const BUILT_IN_RULES: IPolicyRule[] = [
  wafPreventionMode, // AGM-AZ-001
  wafManagedRuleSets, // AGM-AZ-002
  appGatewayWafEnabled, // AGM-AZ-003
  appGatewayTlsPolicy, // AGM-AZ-004
  appGatewayHttpsListeners, // AGM-AZ-005
  nsgNoAdminPortsFromInternet, // AGM-AZ-006
  subnetHasNsg, // AGM-AZ-007
  keyVaultPurgeProtection, // AGM-AZ-008
  keyVaultRbac, // AGM-AZ-009
  keyVaultNetworkDeny, // AGM-AZ-010
  aksPrivateApiServer, // AGM-AZ-011
  aksLocalAccountsDisabled, // AGM-AZ-012
  aksEntraRbac, // AGM-AZ-013
  aksAzurePolicy, // AGM-AZ-014
  aksNetworkPolicy, // AGM-AZ-015
  aksAzureCni, // AGM-AZ-016
  aksWorkloadIdentity, // AGM-AZ-017
  aksSecretsRotation, // AGM-AZ-018
  aksMaxPods, // AGM-AZ-019
  aksNoNodePublicIp, // AGM-AZ-020
  aksAutomaticUpgrades, // AGM-AZ-021
  aksStandardTier, // AGM-AZ-022
  aksHostEncryption, // AGM-AZ-023
  aksSystemPoolCriticalOnly, // AGM-AZ-024
  apimInternalVnet, // AGM-AZ-025
  apimNoLegacyProtocols, // AGM-AZ-026
  apimManagedIdentity, // AGM-AZ-027
  apimSecretNamedValues, // AGM-AZ-028
  k8sRunAsNonRoot, // AGM-K8S-001
  k8sReadOnlyRootFilesystem, // AGM-K8S-002
  k8sNoPrivilegeEscalation, // AGM-K8S-003
  k8sDropAllCapabilities, // AGM-K8S-004
  k8sSeccompProfile, // AGM-K8S-005
  k8sResources, // AGM-K8S-006
  k8sProbes, // AGM-K8S-007
  k8sPinnedImages, // AGM-K8S-008
  k8sReplicas, // AGM-K8S-009
  k8sDisruptionBudget, // AGM-K8S-010
  k8sNoDefaultNamespace, // AGM-K8S-011
  k8sNoPrivileged, // AGM-K8S-012
  k8sNoHostNamespaces, // AGM-K8S-013
  k8sNoServiceAccountToken, // AGM-K8S-014
  istioMeshWideStrictMtls, // AGM-IS-001
  istioNoPermissiveMtls, // AGM-IS-002
  istioDefaultDeny, // AGM-IS-003
  istioAllowByPrincipal, // AGM-IS-004
  istioNoTlsDisable, // AGM-IS-005
  appGatewayApimHealthProbe, // AGM-JT-001
  apimSubnetNsg, // AGM-JT-002
  appGatewaySubnetNsg, // AGM-JT-003
  istioIngressInternal, // AGM-JT-004
  istioGatewayHttpsOnly, // AGM-JT-005
  istioAddonRevisionLabel, // AGM-JT-006
  appGatewayWaitsForVaultRole, // AGM-DEP-001
  appGatewayCertificateExists, // AGM-DEP-002
  apimWaitsForVaultRole, // AGM-DEP-003
  loadBalancerIpGuarded, // AGM-DEP-004
  vaultReaderWaitsForPrivateEndpoint, // AGM-DEP-005
  aksWaitsForSubnetRole, // AGM-DEP-006
  monitoringCriticalAlerts, // AGM-OB-001
  monitoringAlertActionGroup, // AGM-OB-002
  netLayerContract, // AGM-NET-001
  netRequiredPaths, // AGM-NET-002
  netMeshDefaultDeny, // AGM-NET-003
];

export * from './aks-automatic-upgrades';
export * from './aks-azure-cni';
export * from './aks-azure-policy';
export * from './aks-entra-rbac';
export * from './aks-host-encryption';
export * from './aks-local-accounts-disabled';
export * from './aks-max-pods';
export * from './aks-network-policy';
export * from './aks-no-node-public-ip';
export * from './aks-private-api-server';
export * from './aks-secrets-rotation';
export * from './aks-standard-tier';
export * from './aks-system-pool-critical-only';
export * from './aks-workload-identity';
export * from './apim-internal-vnet';
export * from './apim-managed-identity';
export * from './apim-no-legacy-protocols';
export * from './apim-secret-named-values';
export * from './apim-subnet-nsg';
export * from './appgw-apim-health-probe';
export * from './appgw-https-listeners';
export * from './appgw-subnet-nsg';
export * from './appgw-tls-policy';
export * from './appgw-waf-enabled';
export * from './dep-aks-subnet-role';
export * from './dep-apim-role-propagation';
export * from './dep-appgw-certificate-exists';
export * from './dep-appgw-role-propagation';
export * from './dep-load-balancer-ip-guarded';
export * from './dep-vault-private-endpoint';
export * from './istio-addon-revision-label';
export * from './istio-allow-by-principal';
export * from './istio-default-deny';
export * from './istio-gateway-https-only';
export * from './istio-ingress-internal';
export * from './istio-mesh-wide-strict-mtls';
export * from './istio-no-permissive-mtls';
export * from './istio-no-tls-disable';
export * from './k8s-disruption-budget';
export * from './k8s-drop-all-capabilities';
export * from './k8s-no-default-namespace';
export * from './k8s-no-host-namespaces';
export * from './k8s-no-privilege-escalation';
export * from './k8s-no-privileged';
export * from './k8s-no-service-account-token';
export * from './k8s-pinned-images';
export * from './k8s-probes';
export * from './k8s-read-only-root-filesystem';
export * from './k8s-replicas';
export * from './k8s-resources';
export * from './k8s-run-as-non-root';
export * from './k8s-seccomp-profile';
export * from './key-vault-network-deny';
export * from './key-vault-purge-protection';
export * from './key-vault-rbac';
export * from './monitoring-alert-action-group';
export * from './monitoring-critical-alerts';
export * from './net-layer-contract';
export * from './net-mesh-default-deny';
export * from './net-required-paths';
export * from './nsg-no-admin-ports-from-internet';
export * from './subnet-has-nsg';
export * from './waf-managed-rule-sets';
export * from './waf-prevention-mode';
