// A product team's stack on the shared platform: the team owns its services and APIs, in its own
// repository and Terraform workspace, with no access to the platform's state. It is built from
// importers alone (the names the platform team hands out), never from the platform's constructs:
//
//   MeshConnection.fromClusterAttributes  the shared cluster's mesh (providers via kubelogin)
//   ApiGovernance.fromServiceAttributes   the shared API Management service
//
//   APIM (platform) ─HTTPS─▶ ingress gateway (platform) ─mTLS─▶ reviews ─mTLS─▶ ratings
//                                         orders (platform's workloads) ─mTLS─▶ reviews
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  ApiGovernance, ApiPolicy, HttpMethod, IApiGovernance, IMesh, IstioMode, ManagedApi, MeshConnection, MeshNamespace, MeshPeer, MeshPort,
  MeshProbe, MeshService, RateLimitKey, VersioningScheme,
} from '../lib';
import { configureBackend, StateBackendOptions } from './backend';

/** What the platform team tells a product team: names, never references into its state. */
export interface TeamStackOptions {
  /** The team's stack (and Terraform Cloud workspace suffix). @default "team-reviews" */
  readonly stackId?: string;
  /** Resource group of the shared cluster and API Management service. */
  readonly resourceGroupName: string;
  /** Name of the shared AKS cluster. */
  readonly clusterName: string;
  /** Name of the shared API Management service, or how to compute it in the team stack (a name with a unique suffix, see `UniqueName`). */
  readonly apiManagementName: string | ((stack: TerraformStack) => string);
  /** How Istio runs on the cluster. @default IstioMode.AKS_ADDON */
  readonly istioMode?: IstioMode;
  /** The Istio revision of the cluster (add-on revision or chart version). */
  readonly revision: string;
  /** Domain the platform's gateway serves. @default "mesh.internal" */
  readonly hostDomain?: string;
  /** Registry of the team's images. @default "contosoacr.azurecr.io" */
  readonly registry?: string;
  /** Entra ID tenant issuing the callers' tokens. @default the placeholder tenant */
  readonly jwtTenantId?: string;
  /** Where the stack keeps its state. @default - a local file */
  readonly backend?: StateBackendOptions;
}

/** The team's stack and what it holds, for tests and diagrams. */
export interface TeamStack {
  readonly stack: TerraformStack;
  readonly mesh: IMesh;
  readonly apiManagement: IApiGovernance;
  readonly services: { readonly reviews: MeshService; readonly ratings: MeshService };
  readonly apis: ManagedApi[];
}

/** Builds a product team's workloads stack in `scope` (an App) from importers only. */
export function buildTeamStack(scope: Construct, options: TeamStackOptions): TeamStack {
  const stack = new TerraformStack(scope, options.stackId ?? 'team-reviews');
  configureBackend(stack, options.backend);
  // Reads the cluster and the API Management service (data sources); creates no Azure resource.
  new AzurermProvider(stack, 'azurerm', { features: [{}] });

  const mesh = MeshConnection.fromClusterAttributes(stack, 'Mesh', {
    clusterName: options.clusterName,
    resourceGroupName: options.resourceGroupName,
    istioMode: options.istioMode ?? IstioMode.AKS_ADDON,
    revision: options.revision,
    hostDomain: options.hostDomain,
  });
  const registry = options.registry ?? 'contosoacr.azurecr.io';
  const service = (id: string, name: string, version: string) => new MeshService(stack, id, {
    mesh,
    name,
    namespace: new MeshNamespace(stack, `${id}Namespace`, { mesh, name }),
    image: `${registry}/${name}:${version}`,
    ports: [MeshPort.http(8080)],
    livenessProbe: MeshProbe.httpGet('/healthz', { port: 8080 }),
    readinessProbe: MeshProbe.httpGet('/ready', { port: 8080 }),
  });
  const reviews = service('Reviews', 'reviews', '1.3.0');
  const ratings = service('Ratings', 'ratings', '2.1.4');
  // Zero trust across teams: the gateway and the platform's orders service (named by its identity,
  // not by a reference) may call reviews; only reviews may call ratings.
  reviews.exposeViaGateway();
  reviews.allowFrom(MeshPeer.fromServiceAccount('orders', 'orders'), { methods: ['GET'], paths: ['/reviews', '/reviews/*'] });
  ratings.allowFrom(reviews);

  const apiManagement = ApiGovernance.fromServiceAttributes(stack, 'ApiManagement', {
    name: typeof options.apiManagementName === 'function' ? options.apiManagementName(stack) : options.apiManagementName,
    resourceGroupName: options.resourceGroupName,
  });
  const tenant = options.jwtTenantId ?? '00000000-0000-0000-0000-000000000000';
  const versions = apiManagement.addVersionSet('ReviewsVersions', { displayName: 'Reviews', scheme: VersioningScheme.SEGMENT });
  const reviewsV1 = apiManagement.addApi('ReviewsV1', {
    path: 'reviews',
    displayName: 'Reviews',
    version: 'v1',
    versionSet: versions,
    backend: reviews,
    policies: [ApiPolicy.validateJwt({
      issuer: `https://login.microsoftonline.com/${tenant}/v2.0`,
      audiences: ['api://reviews'],
      openIdConfigUrl: `https://login.microsoftonline.com/${tenant}/v2.0/.well-known/openid-configuration`,
    })],
    operations: [
      { operationId: 'list-reviews', method: HttpMethod.GET, urlTemplate: '/reviews' },
      { operationId: 'create-review', method: HttpMethod.POST, urlTemplate: '/reviews', policies: [ApiPolicy.rateLimitByKey({ calls: 30, renewalPeriod: 60, key: RateLimitKey.subscriptionOrClientIp() })] },
    ],
  });
  apiManagement.addProduct('Reviews', {
    displayName: 'Reviews',
    apis: [reviewsV1],
    policies: [ApiPolicy.quotaByKey({ calls: 50_000, renewalPeriod: 2_592_000, key: RateLimitKey.subscriptionOrClientIp() })],
  });

  return { stack, mesh, apiManagement, services: { reviews, ratings }, apis: [reviewsV1] };
}
