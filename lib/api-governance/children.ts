// The checks an API Management service makes before it adds a child, the same for a service this app
// owns (ApiGovernance) and one it imports (ApiGovernance.fromServiceAttributes).
import { IConstruct } from 'constructs';
import { ApiOptions, ManagedApi, VersionSetOptions } from './api';
import { defaultChildName } from './internal';
import { ApimNamedValue, NamedValueOptions } from './named-value';
import { ApiProduct, ProductOptions } from './product';
import { ConstructValidationError, isUnresolved } from '../core/errors';
import { checkLists, checkPropsObject } from '../core/validate';

/** An API's options: their shape, a unique API name, and a path shared only by versions of one version set. */
export function checkNewApi(scope: IConstruct, id: string, options: ApiOptions, existing: ManagedApi[]): ApiOptions {
  options = checkPropsObject(scope, `apis.${id}`, options);
  checkLists(scope, options, ['protocols', 'operations', 'policies'], `apis.${id}.`);
  const apiName = options.apiName ?? defaultChildName(id);
  // Resolved once, not per existing API: a service with hundreds of APIs checks each new one against all.
  const knownName = isUnresolved(apiName) ? undefined : apiName;
  const path = typeof options.path === 'string' && !isUnresolved(options.path) ? options.path.toLowerCase() : undefined;
  for (const other of existing) {
    if (knownName !== undefined && knownName === other.apiName) {
      throw new ConstructValidationError(scope, `apis.${id}.apiName`, apiName, `each API name must be unique; API '${other.node.id}' has it.`);
    }
    if (path === undefined || path !== other.path.toLowerCase()) continue;
    const sameSet = options.versionSet !== undefined && options.versionSet === other.versionSet;
    if (!sameSet || options.version === other.version) {
      const what = options.version !== undefined ? `path "${options.path}" with version "${options.version}"` : `path "${options.path}"`;
      throw new ConstructValidationError(scope, `apis.${id}.path`, options.path,
        `duplicate API path: ${what} is already used by API '${other.node.id}'; APIs may share a path only as different versions in one version set.`);
    }
  }
  return options;
}

/** A version set's options: their shape. */
export function checkNewVersionSet(scope: IConstruct, id: string, options: VersionSetOptions): VersionSetOptions {
  return checkPropsObject(scope, `versionSets.${id}`, options, true);
}

/** A product's options: their shape and a product id unique in the service. */
export function checkNewProduct(scope: IConstruct, id: string, options: ProductOptions, existing: ApiProduct[]): ProductOptions {
  options = checkPropsObject(scope, `products.${id}`, options, true);
  checkLists(scope, options, ['apis', 'policies'], `products.${id}.`);
  const productId = options.productId ?? defaultChildName(id);
  const clash = existing.find((p) => !isUnresolved(productId) && p.productId === productId);
  if (clash) {
    throw new ConstructValidationError(scope, `products.${id}.productId`, productId, `each product id must be unique in the service; product '${clash.node.id}' has it.`);
  }
  return options;
}

/** A named value's options: their shape, and a name and display name unique in the service. */
export function checkNewNamedValue(scope: IConstruct, id: string, options: NamedValueOptions, existing: ApimNamedValue[]): NamedValueOptions {
  options = checkPropsObject(scope, `namedValues.${id}`, options);
  checkLists(scope, options, ['tags'], `namedValues.${id}.`);
  const name = options.namedValueName ?? defaultChildName(id);
  const displayName = options.displayName ?? name;
  const clash = existing.find((nv) => nv.displayName === displayName || nv.namedValueName === name);
  if (clash) {
    throw new ConstructValidationError(scope, `namedValues.${id}`, name,
      `each named value name and display name must be unique; '${clash.node.id}' already uses it.`);
  }
  return options;
}
