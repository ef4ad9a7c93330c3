import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { Sleep } from '@cdktf/provider-time/lib/sleep';
import { Construct, IConstruct } from 'constructs';
import { Fn, ITerraformDependable, TerraformStack } from './cdktf';
import { ConstructValidationError } from './errors';

/**
 * How long Terraform waits after creating an Azure role assignment before it creates what uses the role.
 * Azure RBAC is eventually consistent: a new assignment can take minutes to reach the data plane
 * (Key Vault, the load balancer API); aks-baseline saw about a quarter of clean deployments fail on
 * exactly this race (mspnp/aks-baseline#242).
 */
export const DEFAULT_RBAC_PROPAGATION = '5m';

/** `time_sleep` durations: a number and a unit (`30s`, `5m`, `1h`), as the time provider parses them. */
const DURATION = /^\d+(\.\d+)?(ms|s|m|h)$/;

/** Checks a `time_sleep` duration prop. */
export function checkDuration(scope: IConstruct, prop: string, value: string | undefined): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !DURATION.test(value)) {
    throw new ConstructValidationError(scope, prop, value, 'expected a duration such as "30s", "5m" or "1h" (a number and one of ms, s, m, h).');
  }
}

/**
 * A `time_sleep` created after role assignments, to be depended on by what needs the roles. Its
 * triggers are the assignments' ids, so a re-created assignment is waited for again.
 */
export function waitForRoleAssignments(
  scope: Construct, id: string, assignments: RoleAssignment[], duration = DEFAULT_RBAC_PROPAGATION, alsoAfter: ITerraformDependable[] = [],
): Sleep {
  ensureTimeProvider(scope);
  const triggers: { [key: string]: string } = {};
  assignments.forEach((assignment, i) => { triggers[`role_assignment_${i}`] = assignment.id; });
  return new Sleep(scope, id, { createDuration: duration, triggers, dependsOn: [...assignments, ...alsoAfter] });
}

/**
 * The `time` provider needs no configuration: rather than make every user add one to each stack with a
 * construct that waits, the first wait of a stack adds it (id `time`) unless the stack has one.
 */
function ensureTimeProvider(scope: IConstruct): void {
  const stack = TerraformStack.of(scope);
  if (stack.node.children.some((c) => c instanceof TimeProvider)) return;
  new TimeProvider(stack, 'time');
}

/** The stack's `azurerm_client_config` data source (one per stack, created on first use). */
export function clientConfigOf(scope: IConstruct): DataAzurermClientConfig {
  const stack = TerraformStack.of(scope);
  const id = 'AzureClientConfig';
  return (stack.node.tryFindChild(id) as DataAzurermClientConfig | undefined) ?? new DataAzurermClientConfig(stack, id, {});
}

/**
 * A short suffix for globally unique names (Key Vault, API Management): eight hex characters of a
 * hash of the subscription, the resource group and the construct's path. It is a Terraform
 * expression, known at plan time and the same at every plan, so names do not change between runs,
 * and two users (or two resource groups) who keep the same prefix get different names.
 */
export function uniqueSuffix(scope: IConstruct, resourceGroupName: string, salt: string = scope.node.path): string {
  const subscription = clientConfigOf(scope).subscriptionId;
  return Fn.substr(Fn.sha1(Fn.join('/', [subscription, resourceGroupName, salt])), 0, 8);
}
