import { IConstruct } from 'constructs';
import { uniqueSuffix } from './readiness';

/** Globally unique Azure names (Key Vault, API Management) that stay the same from plan to plan. */
export class UniqueName {
  /**
   * Eight hex characters of a hash of the subscription (read at plan), the resource group and the
   * scope's construct path: a Terraform expression, stable across plans, different per subscription and
   * resource group, so two users who keep the same prefix do not collide.
   *
   * Another stack (or another team's app) of the same subscription computes the same name with the same
   * resource group and `salt`, without reading the first stack's state.
   * @param scope where the subscription is read (the stack's `azurerm_client_config`)
   * @param resourceGroupName the resource group of the named resource
   * @param salt what tells apart two names of one resource group; @default - the scope's construct path
   * @example
   * new ApiGovernance(stack, 'Api', { name: `apim-shop-${UniqueName.suffix(stack, 'rg-shop')}`, ... });
   */
  public static suffix(scope: IConstruct, resourceGroupName: string, salt?: string): string {
    return uniqueSuffix(scope, resourceGroupName, salt);
  }

  private constructor() {}
}
