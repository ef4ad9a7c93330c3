/**
 * The alerts the policy pack requires at least (AGM-OB-001): losing backends or answering with
 * errors at the edge, running out of API Management capacity or failing its requests, nodes not ready.
 */
export const CRITICAL_ALERTS: { readonly [terraformType: string]: string[] } = {
  azurerm_application_gateway: ['UnhealthyHostCount', 'ResponseStatus'],
  azurerm_api_management: ['Capacity', 'FailedRequests'],
  azurerm_kubernetes_cluster: ['kube_node_status_condition', 'node_cpu_usage_percentage'],
};
