import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { ApiManagementApiOperation } from '@cdktf/provider-azurerm/lib/api-management-api-operation';
import { ApiManagementApiOperationPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-operation-policy';
import { ApiManagementApiPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-policy';
import { ApiManagementApiVersionSet } from '@cdktf/provider-azurerm/lib/api-management-api-version-set';
import { ApiManagementBackend } from '@cdktf/provider-azurerm/lib/api-management-backend';
import { Construct } from 'constructs';
import { checkChildId, checkHttpsUrl, hostHeaderFor, renderPolicyDocument, CHILD_NAME_RULE, defaultChildName } from './internal';
import { ApiPolicy } from './policy';
import { IApiManagementService } from './service';
import { renderXml } from './xml';
import { Lazy } from '../core/cdktf';
import { IApiBackend } from '../core/contracts';
import { ConstructValidationError, isUnresolved } from '../core/errors';
import { checkAzureName, checkOneOf, checkPattern, checkRequired, checkUnique, checkUrlTemplate } from '../core/validate';

/** Where the version of a versioned API is read from. */
export enum VersioningScheme {
  /** A path segment after the API path: `/orders/v2/...`. */
  SEGMENT = 'Segment',
  /** A request header (`Api-Version` by default). */
  HEADER = 'Header',
  /** A query parameter (`api-version` by default). */
  QUERY = 'Query',
}

/** Protocols an API accepts on the gateway. */
export enum ApiProtocol {
  /** HTTPS. */
  HTTPS = 'https',
  /** Plain HTTP: an explicit, insecure opt-in. */
  HTTP = 'http',
  /** Secure WebSocket. */
  WSS = 'wss',
  /** Plain WebSocket: an explicit, insecure opt-in. */
  WS = 'ws',
}

/** HTTP methods of operations. */
export enum HttpMethod {
  GET = 'GET',
  POST = 'POST',
  PUT = 'PUT',
  PATCH = 'PATCH',
  DELETE = 'DELETE',
  HEAD = 'HEAD',
  OPTIONS = 'OPTIONS',
  TRACE = 'TRACE',
}

/** An API definition imported at creation (`import { content_format, content_value }`). */
export class OpenApiDocument {
  /** An OpenAPI 3 (or Swagger 2 accepted as OpenAPI) document as JSON text, e.g. `Fn.file(...)` or a literal. */
  public static fromJson(content: string): OpenApiDocument {
    return new OpenApiDocument('openapi+json', content);
  }

  /** An OpenAPI 3 document as YAML text. */
  public static fromYaml(content: string): OpenApiDocument {
    return new OpenApiDocument('openapi', content);
  }

  /** An OpenAPI 3 JSON document API Management downloads from an HTTPS URL. */
  public static fromUrl(url: string): OpenApiDocument {
    return new OpenApiDocument('openapi+json-link', url);
  }

  private constructor(
    /** The provider's `content_format`. */
    public readonly contentFormat: string,
    /** The provider's `content_value`: the document, or its URL. */
    public readonly contentValue: string,
  ) {}
}

/** Options of `ApiGovernance.addVersionSet`. */
export interface VersionSetOptions {
  /**
   * Where clients put the version.
   * @default VersioningScheme.SEGMENT
   */
  readonly scheme?: VersioningScheme;
  /**
   * Display name.
   * @default - the construct id
   */
  readonly displayName?: string;
  /**
   * Entity name.
   * @default - the construct id, lower-cased, other characters replaced by hyphens
   */
  readonly versionSetName?: string;
  /**
   * Header carrying the version (Header scheme only).
   * @default "Api-Version"
   */
  readonly headerName?: string;
  /**
   * Query parameter carrying the version (Query scheme only).
   * @default "api-version"
   */
  readonly queryName?: string;
  /**
   * Description.
   * @default - none
   */
  readonly description?: string;
}

/** Props of `ApiVersionSet`. */
export interface ApiVersionSetProps extends VersionSetOptions {
  /** The service the version set belongs to. */
  readonly service: IApiManagementService;
}

/** A version set: the versions of one API, told apart by path segment, header or query parameter. *
/** A version set: the versions of one API, told apart by path segment, header or query parameter. * @example
/** A version set: the versions of one API, told apart by path segment, header or query parameter. * const versions = api.addVersionSet('OrdersVersions', { displayName: 'Orders', scheme: VersioningScheme.SEGMENT });
/** A version set: the versions of one API, told apart by path segment, header or query parameter. * api.addApi('OrdersV2', { path: 'orders', version: 'v2', versionSet: versions, backend: orders,
/** A version set: the versions of one API, told apart by path segment, header or query parameter. *   operations: [{ operationId: 'list', method: HttpMethod.GET, urlTemplate: '/orders' }] });
/** A version set: the versions of one API, told apart by path segment, header or query parameter. */
export class ApiVersionSet extends Construct {
  /** The version set. */
  public readonly resource: ApiManagementApiVersionSet;
  /** How versions are told apart. */
  public readonly scheme: VersioningScheme;
  /** Entity name. */
  public readonly versionSetName: string;

  constructor(scope: Construct, id: string, props: ApiVersionSetProps) {
    super(scope, id);
    this.scheme = props.scheme ?? VersioningScheme.SEGMENT;
    this.versionSetName = props.versionSetName ?? defaultChildName(id);
    checkAzureName(this, 'versionSetName', this.versionSetName, CHILD_NAME_RULE);
    if (props.headerName !== undefined && this.scheme !== VersioningScheme.HEADER) {
      throw new ConstructValidationError(this, 'headerName', props.headerName, 'only valid with VersioningScheme.HEADER.');
    }
    if (props.queryName !== undefined && this.scheme !== VersioningScheme.QUERY) {
      throw new ConstructValidationError(this, 'queryName', props.queryName, 'only valid with VersioningScheme.QUERY.');
    }
    const headerName = this.scheme === VersioningScheme.HEADER ? props.headerName ?? 'Api-Version' : undefined;
    const queryName = this.scheme === VersioningScheme.QUERY ? props.queryName ?? 'api-version' : undefined;
    checkPattern(this, 'headerName', headerName, /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'an HTTP header name');
    checkPattern(this, 'queryName', queryName, /^[A-Za-z0-9._~-]+$/, 'a query parameter name (letters, digits, . _ ~ -)');

    this.resource = new ApiManagementApiVersionSet(this, 'Resource', {
      name: this.versionSetName,
      apiManagementName: props.service.apiManagementName,
      resourceGroupName: props.service.resourceGroupName,
      displayName: props.displayName ?? id,
      versioningScheme: this.scheme,
      versionHeaderName: headerName,
      versionQueryName: queryName,
      description: props.description,
    });
  }
}

/** Options of an operation. */
export interface ApiOperationOptions {
  /** HTTP method. */
  readonly method: HttpMethod;
  /** URL template relative to the API path, starting with `/`; `{name}` marks a template parameter. */
  readonly urlTemplate: string;
  /**
   * Display name.
   * @default - the operation id
   */
  readonly displayName?: string;
  /**
   * Description.
   * @default - none
   */
  readonly description?: string;
  /**
   * Policies at operation scope.
   * @default - none (the operation inherits the API's)
   */
  readonly policies?: ApiPolicy[];
}

/** An operation declared with its API (`ApiOptions.operations`). */
export interface ApiOperationDefinition extends ApiOperationOptions {
  /** Operation id, unique in the API, e.g. `list-orders`; also the construct id. */
  readonly operationId: string;
}

/** Props of `ApiOperation`. */
export interface ApiOperationProps extends ApiOperationOptions {
  /** The API the operation belongs to. */
  readonly api: ManagedApi;
}

/** An operation of an API, with its own policies. *
/** An operation of an API, with its own policies. * @example
/** An operation of an API, with its own policies. * const operation = ordersApi.addOperation('cancel-order', { method: HttpMethod.DELETE, urlTemplate: '/orders/{id}' });
/** An operation of an API, with its own policies. */
export class ApiOperation extends Construct {
  /** The operation. */
  public readonly resource: ApiManagementApiOperation;
  /** Operation id. */
  public readonly operationId: string;
  /** HTTP method. */
  public readonly method: HttpMethod;
  /** URL template. */
  public readonly urlTemplate: string;
  private readonly policies: ApiPolicy[] = [];
  private policyResource?: ApiManagementApiOperationPolicy;
  private readonly api: ManagedApi;

  constructor(scope: Construct, id: string, props: ApiOperationProps) {
    super(scope, id);
    this.api = props.api;
    this.operationId = id;
    checkAzureName(this, 'operationId', id, CHILD_NAME_RULE);
    this.method = props.method;
    checkRequired(this, 'method', props.method);
    checkOneOf(this, 'method', props.method, Object.values(HttpMethod));
    this.urlTemplate = props.urlTemplate;
    checkRequired(this, 'urlTemplate', props.urlTemplate);
    checkUrlTemplate(this, 'urlTemplate', props.urlTemplate);
    const parameters = isUnresolved(props.urlTemplate) ? [] : [...props.urlTemplate.matchAll(/\{\*?([^{}*]+)\}/g)].map((m) => m[1]);
    checkUnique(this, 'urlTemplate', parameters, (p) => p);

    this.resource = new ApiManagementApiOperation(this, 'Resource', {
      operationId: id,
      apiName: props.api.resource.name,
      apiManagementName: props.api.service.apiManagementName,
      resourceGroupName: props.api.service.resourceGroupName,
      displayName: props.displayName ?? id,
      method: props.method,
      urlTemplate: props.urlTemplate,
      description: props.description,
      // Azure refuses a template whose parameters are not declared.
      templateParameter: parameters.map((name) => ({ name, required: true, type: 'string' })),
    });
    (props.policies ?? []).forEach((p) => this.addPolicy(p));
  }

  /** Adds a policy at operation scope (after the API's, through `<base />`). */
  public addPolicy(policy: ApiPolicy): void {
    policy.render(this);
    this.policies.push(policy);
    if (!this.policyResource) {
      this.policyResource = new ApiManagementApiOperationPolicy(this, 'Policy', {
        apiName: this.api.resource.name,
        apiManagementName: this.api.service.apiManagementName,
        resourceGroupName: this.api.service.resourceGroupName,
        operationId: this.resource.operationId,
        xmlContent: Lazy.stringValue({ produce: () => renderPolicyDocument(this, this.policies, { global: false }) }),
      });
    }
  }

  /** The operation-scope policy document; created with the first policy. */
  public get policy(): ApiManagementApiOperationPolicy | undefined {
    return this.policyResource;
  }
}

/** Options of `ApiGovernance.addApi`. */
export interface ApiOptions {
  /** Path of the API on the gateway, e.g. `orders` (no leading or trailing `/`). */
  readonly path: string;
  /** Where the API's calls go: a `MeshService`, or `ApiBackend.fromUrl(...)`. HTTPS only. */
  readonly backend: IApiBackend;
  /**
   * Entity name of the API (at most 72 characters, so that its backend's name fits).
   * @default - the construct id, lower-cased, other characters replaced by hyphens
   */
  readonly apiName?: string;
  /**
   * Display name.
   * @default - the construct id
   */
  readonly displayName?: string;
  /**
   * Description.
   * @default - none
   */
  readonly description?: string;
  /**
   * Protocols accepted on the gateway.
   * @default [ApiProtocol.HTTPS]
   */
  readonly protocols?: ApiProtocol[];
  /**
   * Version of the API, e.g. `v1`; needs `versionSet`.
   * @default - not versioned
   */
  readonly version?: string;
  /**
   * The version set the API is a version of; needs `version`.
   * @default - not versioned
   */
  readonly versionSet?: ApiVersionSet;
  /**
   * Description of the version.
   * @default - none
   */
  readonly versionDescription?: string;
  /**
   * Revision of the API (changing it makes a new revision current).
   * @default "1"
   */
  readonly revision?: string;
  /**
   * Description of the revision.
   * @default - none
   */
  readonly revisionDescription?: string;
  /**
   * Operations of the API.
   * @default - none: `openApi` must then define them
   */
  readonly operations?: ApiOperationDefinition[];
  /**
   * An OpenAPI document that defines the operations.
   * @default - none: `operations` must then define them
   */
  readonly openApi?: OpenApiDocument;
  /**
   * Whether callers need a subscription key (through a product).
   * @default true
   */
  readonly subscriptionRequired?: boolean;
  /**
   * Policies at API scope.
   * @default - none beyond routing to the backend
   */
  readonly policies?: ApiPolicy[];
}

/** Props of `ManagedApi`. */
export interface ManagedApiProps extends ApiOptions {
  /** The service the API belongs to. */
  readonly service: IApiManagementService;
}

/** The naming rule of APIs: child entity rule, shortened so that `<api>-backend` stays within 80. */
const API_NAME_RULE = { ...CHILD_NAME_RULE, max: 72 };

/**
 * An API of API Management: its definition, its backend entity (HTTPS, certificate chain and
 * name validated) and its policy document, which routes every call to that backend.
 *
 * @example
 * const orders = api.addApi('Orders', { path: 'orders', backend: ordersService,
 *   operations: [{ operationId: 'list', method: HttpMethod.GET, urlTemplate: '/orders' }] });
 * orders.addPolicy(ApiPolicy.rateLimitByKey({ calls: 60, renewalPeriod: 60 }));
 */
export class ManagedApi extends Construct {
  /** The API. */
  public readonly resource: ApiManagementApi;
  /** The backend entity the API's calls are routed to. */
  public readonly backendResource: ApiManagementBackend;
  /** The API-scope policy document. */
  public readonly policy: ApiManagementApiPolicy;
  /** The service. */
  public readonly service: IApiManagementService;
  /** Entity name. */
  public readonly apiName: string;
  /** Path on the gateway. */
  public readonly path: string;
  /** Version, if versioned. */
  public readonly version?: string;
  /** Version set, if versioned. */
  public readonly versionSet?: ApiVersionSet;
  /** The backend. */
  public readonly backend: IApiBackend;
  private readonly policies: ApiPolicy[] = [];
  private readonly operations: ApiOperation[] = [];
  private readonly operationPolicies: Record<string, ApiPolicy[]> = {};
  private readonly hasOpenApi: boolean;

  constructor(scope: Construct, id: string, props: ManagedApiProps) {
    super(scope, id);
    this.service = props.service;
    this.apiName = props.apiName ?? defaultChildName(id);
    checkAzureName(this, 'apiName', this.apiName, API_NAME_RULE);
    this.path = props.path;
    checkRequired(this, 'path', props.path);
    checkPattern(this, 'path', props.path, /^[\w.][\w\-/.:]{0,398}[\w-]$|^\w$/,
      'a path of 1-400 URL characters (letters, digits, - _ . / :), not starting or ending with "/"');
    this.version = props.version;
    this.versionSet = props.versionSet;
    if (props.version !== undefined && props.versionSet === undefined) {
      throw new ConstructValidationError(this, 'version', props.version, 'a version needs a version set: pass `versionSet` (ApiGovernance.addVersionSet).');
    }
    if (props.versionSet !== undefined && props.version === undefined) {
      throw new ConstructValidationError(this, 'versionSet', props.versionSet.node.path, 'an API in a version set needs a `version`.');
    }
    checkPattern(this, 'version', props.version, /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, '1-63 letters, digits, periods, hyphens and underscores, e.g. "v1" or "2024-06-01"');
    const revision = props.revision ?? '1';
    checkPattern(this, 'revision', revision, /^[1-9][0-9]{0,8}$/, 'a positive whole number as text, e.g. "2"');
    const protocols = props.protocols ?? [ApiProtocol.HTTPS];
    if (protocols.length === 0) {
      throw new ConstructValidationError(this, 'protocols', protocols, 'expected at least one protocol.');
    }
    protocols.forEach((p, i) => checkOneOf(this, `protocols[${i}]`, p, Object.values(ApiProtocol)));
    checkUnique(this, 'protocols', protocols, (p) => p);
    this.backend = props.backend;
    checkHttpsUrl(this, 'backend.backendUrl', props.backend?.backendUrl);
    checkRequired(this, 'backend.backendHostName', props.backend.backendHostName);
    checkPattern(this, 'backend.backendHostName', props.backend.backendHostName, /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/, 'a DNS host name');
    if (props.openApi && props.openApi.contentFormat.endsWith('-link')) {
      checkHttpsUrl(this, 'openApi', props.openApi.contentValue);
    }
    this.hasOpenApi = props.openApi !== undefined;

    this.resource = new ApiManagementApi(this, 'Resource', {
      name: this.apiName,
      apiManagementName: this.service.apiManagementName,
      resourceGroupName: this.service.resourceGroupName,
      displayName: props.displayName ?? id,
      description: props.description,
      path: props.path,
      protocols,
      revision,
      revisionDescription: props.revisionDescription,
      version: props.version,
      versionSetId: props.versionSet?.resource.id,
      versionDescription: props.versionDescription,
      serviceUrl: props.backend.backendUrl,
      subscriptionRequired: props.subscriptionRequired ?? true,
      import: props.openApi ? { contentFormat: props.openApi.contentFormat, contentValue: props.openApi.contentValue } : undefined,
    });

    this.backendResource = new ApiManagementBackend(this, 'Backend', {
      name: `${this.apiName}-backend`,
      apiManagementName: this.service.apiManagementName,
      resourceGroupName: this.service.resourceGroupName,
      description: `Backend of API ${this.apiName}`,
      protocol: 'http', // API Management's value for HTTP(S) backends; the URL says https.
      url: props.backend.backendUrl,
      tls: { validateCertificateChain: true, validateCertificateName: true },
    });

    // Routing to the backend entity is the first inbound statement of the API, after <base />.
    const hostHeader = hostHeaderFor(props.backend);
    const routing = [
      ApiPolicy.routeToBackend({ backendId: `${this.apiName}-backend` }),
      ...hostHeader.map((statement) => ApiPolicy.fromXml(renderXml(statement))),
    ];
    this.policy = new ApiManagementApiPolicy(this, 'Policy', {
      apiName: this.resource.name,
      apiManagementName: this.service.apiManagementName,
      resourceGroupName: this.service.resourceGroupName,
      xmlContent: Lazy.stringValue({ produce: () => renderPolicyDocument(this, [...routing, ...this.policies], { global: false }) }),
      dependsOn: [this.backendResource],
    });

    (props.operations ?? []).forEach((op) => this.addOperation(op.operationId, op));
    (props.policies ?? []).forEach((p) => this.addPolicy(p));

    this.node.addValidation({
      validate: () => (this.operations.length === 0 && !this.hasOpenApi
        ? [`${this.constructor.name} at '${this.node.path}': invalid 'operations': the API has no operations and no OpenAPI document; add operations (addOperation) or pass 'openApi'.`]
        : []),
    });
  }

  /** Adds an operation; its id must be unique in the API, and so must its method and URL template. */
  public addOperation(operationId: string, options: ApiOperationOptions): ApiOperation {
    const key = `${options.method} ${String(options.urlTemplate).replace(/\{[^}]*\}/g, '{}').toLowerCase()}`;
    const clash = this.operations.find((op) => op.operationId === operationId || `${op.method} ${op.urlTemplate.replace(/\{[^}]*\}/g, '{}').toLowerCase()}` === key);
    if (clash) {
      throw new ConstructValidationError(this, 'operations', `${operationId}: ${options.method} ${options.urlTemplate}`,
        `each operation id and each method + URL template must be unique in the API; '${clash.operationId}' (${clash.method} ${clash.urlTemplate}) already has it.`);
    }
    checkChildId(this, 'operationId', operationId);
    const operation = new ApiOperation(this, operationId, { ...options, api: this });
    this.operations.push(operation);
    return operation;
  }

  /** Adds a policy at API scope. */
  public addPolicy(policy: ApiPolicy): void {
    policy.render(this);
    this.policies.push(policy);
  }

  /**
   * Adds a policy to an operation: one declared with `addOperation`, or one that the OpenAPI
   * document defines (named by its operation id).
   */
  public addOperationPolicy(operationId: string, policy: ApiPolicy): void {
    checkRequired(this, 'operationId', operationId);
    checkPattern(this, 'operationId', operationId, /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, 'an operation id: 1-80 letters, digits, periods, hyphens and underscores');
    const declared = this.operations.find((op) => op.operationId === operationId);
    if (declared) {
      declared.addPolicy(policy);
      return;
    }
    if (!this.hasOpenApi) {
      throw new ConstructValidationError(this, 'operationId', operationId, 'expected the id of an operation of this API (addOperation), or an API with an OpenAPI document.');
    }
    policy.render(this);
    let policies = this.operationPolicies[operationId];
    if (!policies) {
      policies = this.operationPolicies[operationId] = [];
      const list = policies;
      new ApiManagementApiOperationPolicy(this, `OperationPolicy-${operationId}`, {
        apiName: this.resource.name,
        apiManagementName: this.service.apiManagementName,
        resourceGroupName: this.service.resourceGroupName,
        operationId,
        xmlContent: Lazy.stringValue({ produce: () => renderPolicyDocument(this, list, { global: false }) }),
      });
    }
    policies.push(policy);
  }

  /** The operations declared so far. */
  public get declaredOperations(): ApiOperation[] {
    return [...this.operations];
  }
}
