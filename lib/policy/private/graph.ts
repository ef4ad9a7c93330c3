// Terraform's dependency graph as the pack sees it: a resource depends on what its configuration
// references and on its `depends_on`, and on everything those depend on. A resource of another stack
// of the app is applied before (cdktf's cross-stack references order the stacks): the stack boundary is
// itself an edge of the deployment.
import { derive } from './context';
import { blocks, referencedAddresses, text } from './values';
import { IPolicyContext, PolicyResource } from '../types';

/** The stack of a resource: the first segment of its construct path. */
export function stackOf(resource: PolicyResource): string {
  return resource.path.split('/')[0];
}

/** Addresses of the resources a configuration refers to or names in `depends_on` (data sources left out). */
export function directDependencies(config: { [key: string]: any }): string[] {
  const { depends_on: dependsOn, ...rest } = config;
  const named = Array.isArray(dependsOn) ? dependsOn.filter((d): d is string => typeof d === 'string' && !d.startsWith('data.')) : [];
  return [...new Set([...referencedAddresses(rest), ...named.map((d) => d.replace(/^\$\{(.*)\}$/, '$1'))])];
}

function resourceAt(context: IPolicyContext, address: string): PolicyResource | undefined {
  return context.findReferenced(`\${${address}.id}`);
}

/** Every resource `from` depends on, directly or through others, within the app (computed once per resource). */
export function dependencyClosure(context: IPolicyContext, from: PolicyResource): Set<string> {
  const closures = derive(context, 'graph:closures', () => new Map<string, Set<string>>());
  const known = closures.get(from.address);
  if (known) return known;
  const seen = new Set<string>();
  const queue = directDependencies(from.config);
  while (queue.length > 0) {
    const address = queue.pop()!;
    if (seen.has(address)) continue;
    seen.add(address);
    const next = resourceAt(context, address);
    if (next) queue.push(...directDependencies(next.config));
  }
  closures.set(from.address, seen);
  return seen;
}

/**
 * True when `resource` is created after `need` is ready: `need` is in another stack of the app (applied
 * before, as cross-stack references order them), or `resource` depends on it in its own stack.
 */
export function createdAfter(context: IPolicyContext, resource: PolicyResource, need: PolicyResource): boolean {
  if (stackOf(need) !== stackOf(resource)) return true;
  return dependencyClosure(context, resource).has(need.address);
}

/**
 * True when `resource` waits for a role assignment to propagate: the assignment is in an earlier stack,
 * or `resource` depends on a `time_sleep` that depends on the assignment.
 */
export function waitsForRole(context: IPolicyContext, resource: PolicyResource, assignment: PolicyResource): boolean {
  if (stackOf(assignment) !== stackOf(resource)) return true;
  const closure = dependencyClosure(context, resource);
  return [...closure].some((address) => {
    if (!address.startsWith('time_sleep.')) return false;
    const sleep = resourceAt(context, address);
    return sleep !== undefined && dependencyClosure(context, sleep).has(assignment.address);
  });
}

/** Role assignments of the app whose principal is taken from `principalOf` (an address, e.g. an identity or a service). */
export function roleAssignmentsOf(context: IPolicyContext, principalOf: string, roles: string[]): PolicyResource[] {
  return context.resourcesOfType('azurerm_role_assignment').filter((r) => {
    const role = text(r.config, 'role_definition_name');
    return typeof role === 'string' && roles.includes(role) && referencedAddresses(r.config.principal_id).includes(principalOf);
  });
}

/** The `azurerm_key_vault` a value (a secret id, a vault id) refers to, when it is a resource of the app. */
export function vaultReferencedBy(context: IPolicyContext, value: unknown): PolicyResource | undefined {
  const address = referencedAddresses(value).find((a) => a.startsWith('azurerm_key_vault.'));
  return address ? resourceAt(context, address) : undefined;
}

/** The private endpoints of the app that connect to a vault. */
export function privateEndpointsOf(context: IPolicyContext, vault: PolicyResource): PolicyResource[] {
  return context.resourcesOfType('azurerm_private_endpoint')
    .filter((pe) => blocks(pe.config, 'private_service_connection').some((c) => referencedAddresses(c.private_connection_resource_id).includes(vault.address)));
}

/** Roles that let an identity read secrets and certificates (with their private keys) from an RBAC vault. */
export const SECRET_READER_ROLES = ['Key Vault Secrets User', 'Key Vault Secrets Officer', 'Key Vault Administrator'];
