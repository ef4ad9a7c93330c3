import { IConstruct } from 'constructs';
import { uniqueSuffix } from './readiness';

/** Globally unique Azure names (Key Vault, API Management) that stay the same from plan to plan. */
export class UniqueName {
  /**
   * Eight hex characters of a hash of the subscription (read at plan), the resource group and the
   * scope's construct path: a Terraform expression, stable across plans, different per subscription and
   * resource group, so two users who keep the same prefix do not collide.
   * @example
   * new ApiGovernance(stack, 'Api', { name: `apim-shop-${UniqueName.suffix(stack, 'rg-shop')}`, ... });
   */
  public static suffix(scope: IConstruct, resourceGroupName: string): string {
    return uniqueSuffix(scope, resourceGroupName);
  }

  private constructor() {}
}
