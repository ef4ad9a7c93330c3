import { ApiManagementProduct } from '@cdktf/provider-azurerm/lib/api-management-product';
import { ApiManagementProductApi } from '@cdktf/provider-azurerm/lib/api-management-product-api';
import { ApiManagementProductPolicy } from '@cdktf/provider-azurerm/lib/api-management-product-policy';
import { Construct } from 'constructs';
import { ManagedApi } from './api';
import { renderPolicyDocument, CHILD_NAME_RULE, defaultChildName } from './internal';
import { ApiPolicy } from './policy';
import { IApiManagementService } from './service';
import { Lazy } from '../core/cdktf';
import { ConstructValidationError } from '../core/errors';
import { checkAzureName, checkInteger } from '../core/validate';

/** Options of `ApiGovernance.addProduct`. */
export interface ProductOptions {
  /**
   * Display name.
   * @default - the construct id
   */
  readonly displayName?: string;
  /**
   * Entity name (`product_id`).
   * @default - the construct id, lower-cased, other characters replaced by hyphens
   */
  readonly productId?: string;
  /**
   * Description.
   * @default - none
   */
  readonly description?: string;
  /**
   * Whether callers need a subscription key. An open product lets anyone call its APIs.
   * @default true
   */
  readonly subscriptionRequired?: boolean;
  /**
   * Whether an administrator approves each subscription (needs `subscriptionRequired`).
   * @default true when subscriptions are required
   */
  readonly approvalRequired?: boolean;
  /**
   * Subscriptions a user may hold at once (needs `subscriptionRequired`; at least 1 with approval).
   * @default 1 when subscriptions are required
   */
  readonly subscriptionsLimit?: number;
  /**
   * Whether the product is visible to developers.
   * @default true
   */
  readonly published?: boolean;
  /**
   * Terms of use shown to subscribers.
   * @default - none
   */
  readonly terms?: string;
  /**
   * APIs in the product.
   * @default - none (add them with `addApi`)
   */
  readonly apis?: ManagedApi[];
  /**
   * Policies at product scope.
   * @default - none
   */
  readonly policies?: ApiPolicy[];
}

/** Props of `ApiProduct`. */
export interface ApiProductProps extends ProductOptions {
  /** The service the product belongs to. */
  readonly service: IApiManagementService;
}

/** A product: a set of APIs offered under one subscription, approval and policy regime. *
/** A product: a set of APIs offered under one subscription, approval and policy regime. * @example
/** A product: a set of APIs offered under one subscription, approval and policy regime. * api.addProduct('Standard', { displayName: 'Standard', apis: [ordersApi],
/** A product: a set of APIs offered under one subscription, approval and policy regime. *   policies: [ApiPolicy.quotaByKey({ calls: 100000, renewalPeriod: 2592000 })] });
/** A product: a set of APIs offered under one subscription, approval and policy regime. */
export class ApiProduct extends Construct {
  /** The product. */
  public readonly resource: ApiManagementProduct;
  /** Entity name. */
  public readonly productId: string;
  private readonly service: IApiManagementService;
  private readonly policies: ApiPolicy[] = [];
  private readonly apis: ManagedApi[] = [];
  private policyResource?: ApiManagementProductPolicy;

  constructor(scope: Construct, id: string, props: ApiProductProps) {
    super(scope, id);
    this.service = props.service;
    this.productId = props.productId ?? defaultChildName(id);
    checkAzureName(this, 'productId', this.productId, CHILD_NAME_RULE);
    const subscriptionRequired = props.subscriptionRequired ?? true;
    if (!subscriptionRequired && props.approvalRequired) {
      throw new ConstructValidationError(this, 'approvalRequired', true, 'approval needs `subscriptionRequired: true`.');
    }
    if (!subscriptionRequired && props.subscriptionsLimit !== undefined) {
      throw new ConstructValidationError(this, 'subscriptionsLimit', props.subscriptionsLimit, 'a subscription limit needs `subscriptionRequired: true`.');
    }
    const approvalRequired = subscriptionRequired ? props.approvalRequired ?? true : undefined;
    const subscriptionsLimit = subscriptionRequired ? props.subscriptionsLimit ?? 1 : undefined;
    checkInteger(this, 'subscriptionsLimit', subscriptionsLimit, approvalRequired ? 1 : 0, 1000000);

    this.resource = new ApiManagementProduct(this, 'Resource', {
      productId: this.productId,
      apiManagementName: this.service.apiManagementName,
      resourceGroupName: this.service.resourceGroupName,
      displayName: props.displayName ?? id,
      description: props.description,
      subscriptionRequired,
      approvalRequired,
      subscriptionsLimit,
      published: props.published ?? true,
      terms: props.terms,
    });
    (props.apis ?? []).forEach((api) => this.addApi(api));
    (props.policies ?? []).forEach((p) => this.addPolicy(p));
  }

  /** Adds an API to the product. */
  public addApi(api: ManagedApi): ApiManagementProductApi {
    // The same service: the same object, or the same resource id (a token string for services of this app).
    if (api?.service !== this.service && api?.service?.apiManagementId !== this.service.apiManagementId) {
      throw new ConstructValidationError(this, 'apis', api?.node?.path, 'expected an API of the same service as the product (created with that service\'s addApi).');
    }
    if (this.apis.includes(api)) {
      throw new ConstructValidationError(this, 'apis', api.node.path, 'each API may be added to a product once.');
    }
    this.apis.push(api);
    return new ApiManagementProductApi(this, `Api-${api.node.id}`, {
      productId: this.resource.productId,
      apiName: api.resource.name,
      apiManagementName: this.service.apiManagementName,
      resourceGroupName: this.service.resourceGroupName,
    });
  }

  /** Adds a policy at product scope (runs for every API of the product). */
  public addPolicy(policy: ApiPolicy): void {
    policy.render(this);
    this.policies.push(policy);
    if (!this.policyResource) {
      this.policyResource = new ApiManagementProductPolicy(this, 'Policy', {
        productId: this.resource.productId,
        apiManagementName: this.service.apiManagementName,
        resourceGroupName: this.service.resourceGroupName,
        xmlContent: Lazy.stringValue({ produce: () => renderPolicyDocument(this, this.policies, { global: false }) }),
      });
    }
  }

  /** The product-scope policy document; created with the first policy. */
  public get policy(): ApiManagementProductPolicy | undefined {
    return this.policyResource;
  }
}
