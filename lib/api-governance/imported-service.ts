import { DataAzurermApiManagement } from '@cdktf/provider-azurerm/lib/data-azurerm-api-management';
import { Construct } from 'constructs';
import { ApiOptions, ApiVersionSet, ManagedApi, VersionSetOptions } from './api';
import { checkNewApi, checkNewNamedValue, checkNewProduct, checkNewVersionSet } from './children';
import { checkChildId } from './internal';
import { ApimNamedValue, NamedValueOptions } from './named-value';
import { ApiPolicy } from './policy';
import { ApiProduct, ProductOptions } from './product';
import { ApiManagementServiceAttributes, IApiGovernance } from './service';
import { ConstructValidationError, isUnresolved } from '../core/errors';
import { checkRequired } from '../core/validate';

/**
 * An API Management service that exists outside this app (owned by a platform team), read with the
 * `azurerm_api_management` data source. APIs, version sets, products and named values are added to
 * it as to an `ApiGovernance`; what would change the service itself (its global policy) is refused.
 * Create it with `ApiGovernance.fromServiceAttributes`.
 *
 * @example
 * const apim = ApiGovernance.fromServiceAttributes(teamStack, 'Apim', { name: 'apim-shop', resourceGroupName: 'rg-shop' });
 * apim.addProduct('Reviews', { apis: [apim.addApi('Reviews', { path: 'reviews', backend: reviews,
 *   operations: [{ operationId: 'list', method: HttpMethod.GET, urlTemplate: '/reviews' }] })] });
 */
export class ImportedApiManagementService extends Construct implements IApiGovernance {
  /** The service, as read from Azure. */
  public readonly service: DataAzurermApiManagement;
  public readonly apiManagementName: string;
  public readonly apiManagementId: string;
  public readonly resourceGroupName: string;
  private readonly managedApis: ManagedApi[] = [];
  private readonly namedValues: ApimNamedValue[] = [];
  private readonly products: ApiProduct[] = [];

  constructor(scope: Construct, id: string, attrs: ApiManagementServiceAttributes) {
    super(scope, id);
    checkRequired(this, 'name', attrs.name);
    checkRequired(this, 'resourceGroupName', attrs.resourceGroupName);
    if (!isUnresolved(attrs.name) && !/^[a-zA-Z](?:[a-zA-Z0-9-]{0,48}[a-zA-Z0-9])?$/.test(attrs.name)) {
      throw new ConstructValidationError(this, 'name', attrs.name, 'expected the name of an API Management service: 1-50 letters, digits and hyphens, starting with a letter.');
    }
    this.service = new DataAzurermApiManagement(this, 'Service', { name: attrs.name, resourceGroupName: attrs.resourceGroupName });
    // Child entities name the service by the names given, so a plan shows them literally.
    this.apiManagementName = attrs.name;
    this.resourceGroupName = attrs.resourceGroupName;
    this.apiManagementId = this.service.id;
  }

  public addApi(id: string, options: ApiOptions): ManagedApi {
    checkChildId(this, 'id', id, ['Service']);
    options = checkNewApi(this, id, options, this.managedApis);
    const api = new ManagedApi(this, id, { ...options, service: this });
    this.managedApis.push(api);
    return api;
  }

  public addVersionSet(id: string, options: VersionSetOptions = {}): ApiVersionSet {
    checkChildId(this, 'id', id, ['Service']);
    options = checkNewVersionSet(this, id, options);
    return new ApiVersionSet(this, id, { ...options, service: this });
  }

  public addProduct(id: string, options: ProductOptions = {}): ApiProduct {
    checkChildId(this, 'id', id, ['Service']);
    options = checkNewProduct(this, id, options, this.products);
    const product = new ApiProduct(this, id, { ...options, service: this });
    this.products.push(product);
    return product;
  }

  /**
   * Adds a named value. A Key Vault secret is read with the service's identity, whose access to the
   * vault is the service owner's to grant.
   */
  public addNamedValue(id: string, options: NamedValueOptions): ApimNamedValue {
    checkChildId(this, 'id', id, ['Service']);
    options = checkNewNamedValue(this, id, options, this.namedValues);
    const namedValue = new ApimNamedValue(this, id, { ...options, service: this });
    this.namedValues.push(namedValue);
    return namedValue;
  }

  /** Refused: the global policy belongs to the service's owner. Add policies to your APIs, operations or products. */
  public addPolicy(policy: ApiPolicy): void {
    throw new ConstructValidationError(this, 'addPolicy', policy?.policyName,
      `the global policy of an imported API Management service ("${this.apiManagementName}") belongs to the stack that owns the service; `
      + 'add the policy to an API (`api.addPolicy`), an operation or a product instead.');
  }

  /** The APIs added so far. */
  public get apis(): ManagedApi[] {
    return [...this.managedApis];
  }
}
