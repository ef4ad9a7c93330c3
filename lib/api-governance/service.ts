import type { ApiOptions, ApiVersionSet, ManagedApi, VersionSetOptions } from './api';
import type { ApimNamedValue, NamedValueOptions } from './named-value';
import type { ApiPolicy } from './policy';
import type { ApiProduct, ProductOptions } from './product';

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

/** Attributes of an existing API Management service, for `ApiGovernance.fromServiceAttributes`. */
export interface ApiManagementServiceAttributes {
  /** Name of the existing API Management service. */
  readonly name: string;
  /** Resource group of the service. */
  readonly resourceGroupName: string;
}

/**
 * An API Management service that APIs, version sets, products, named values and policies can be
 * added to: `ApiGovernance`, or an existing service imported with `ApiGovernance.fromServiceAttributes`.
 */
export interface IApiGovernance extends IApiManagementService {
  /**
   * Adds an API routed to `options.backend`. Two APIs may share a path only as different versions in
   * the same version set.
   *
   * @example
   * api.addApi('Orders', {
   *   path: 'orders',
   *   backend: orders, // a MeshService exposed through the gateway, or ApiBackend.fromUrl(...)
   *   operations: [{ operationId: 'list', method: HttpMethod.GET, urlTemplate: '/orders' }],
   * });
   */
  addApi(id: string, options: ApiOptions): ManagedApi;
  /** Adds a version set, for the versions of one API. */
  addVersionSet(id: string, options?: VersionSetOptions): ApiVersionSet;
  /** Adds a product. */
  addProduct(id: string, options?: ProductOptions): ApiProduct;
  /** Adds a named value: a literal, a referenced secret, or a Key Vault secret. */
  addNamedValue(id: string, options: NamedValueOptions): ApimNamedValue;
  /** Adds a policy at global scope (runs for every API of the service). */
  addPolicy(policy: ApiPolicy): void;
}
