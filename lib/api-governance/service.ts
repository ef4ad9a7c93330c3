/**
 * The API Management service that governance resources (APIs, products, named values,
 * version sets) belong to. Implemented by `ApiGovernance`.
 */
export interface IApiManagementService {
  /** Name of the API Management service. */
  readonly apiManagementName: string;
  /** Azure resource id of the service. */
  readonly apiManagementId: string;
  /** Resource group of the service. */
  readonly resourceGroupName: string;
}
