import { DataAzurermApiManagement } from '@cdktf/provider-azurerm/lib/data-azurerm-api-management';
import { Construct } from 'constructs';
import { ApiOptions, ApiVersionSet, ManagedApi, VersionSetOptions } from './api';
import { checkChildId, defaultChildName } from './internal';
import { ApimNamedValue, NamedValueOptions } from './named-value';
import { ApiPolicy } from './policy';
import { ApiProduct, ProductOptions } from './product';
import { ApiManagementServiceAttributes, IApiGovernance } from './service';
import { ConstructValidationError, isUnresolved } from '../core/errors';
import { checkLists, checkPropsObject, checkRequired } from '../core/validate';

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
    // The same shape checks as ApiGovernance.addApi: a missing options object or a single item for a list gets the library's error.
    options = checkPropsObject(this, `apis.${id}`, options);
    checkLists(this, options, ['protocols', 'operations', 'policies'], `apis.${id}.`);
    const apiName = options.apiName ?? defaultChildName(id);
    for (const other of this.managedApis) {
      if (!isUnresolved(apiName) && apiName === other.apiName) {
        throw new ConstructValidationError(this, `apis.${id}.apiName`, apiName, `each API name must be unique; API '${other.node.id}' has it.`);
      }
      if (typeof options.path !== 'string' || isUnresolved(options.path) || options.path.toLowerCase() !== other.path.toLowerCase()) continue;
      const sameSet = options.versionSet !== undefined && options.versionSet === other.versionSet;
      if (!sameSet || options.version === other.version) {
        throw new ConstructValidationError(this, `apis.${id}.path`, options.path,
          `duplicate API path: "${options.path}" is already used by API '${other.node.id}'; APIs may share a path only as different versions in one version set.`);
      }
    }
    const api = new ManagedApi(this, id, { ...options, service: this });
    this.managedApis.push(api);
    return api;
  }

  public addVersionSet(id: string, options: VersionSetOptions = {}): ApiVersionSet {
    checkChildId(this, 'id', id, ['Service']);
    return new ApiVersionSet(this, id, { ...options, service: this });
  }

  public addProduct(id: string, options: ProductOptions = {}): ApiProduct {
    checkChildId(this, 'id', id, ['Service']);
    return new ApiProduct(this, id, { ...options, service: this });
  }

  /**
   * Adds a named value. A Key Vault secret is read with the service's identity, whose access to the
   * vault is the service owner's to grant.
   */
  public addNamedValue(id: string, options: NamedValueOptions): ApimNamedValue {
    checkChildId(this, 'id', id, ['Service']);
    const name = options.namedValueName ?? defaultChildName(id);
    const displayName = options.displayName ?? name;
    const clash = this.namedValues.find((nv) => nv.displayName === displayName || nv.namedValueName === name);
    if (clash) {
      throw new ConstructValidationError(this, `namedValues.${id}`, name, `each named value name and display name must be unique; '${clash.node.id}' already uses it.`);
    }
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
