import { createHash } from 'crypto';
import { ManagementLock } from '@cdktf/provider-azurerm/lib/management-lock';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from 'constructs';
import { Lazy, TerraformResource, TerraformStack } from './cdktf';
import { ConstructValidationError, isUnresolved } from './errors';
import { AzureModuleProps, DiagnosticDestination, LockLevel, ManagedIdentityReference, ModuleInterfaceResources, PrincipalType } from './module-interface';
import { checkPattern, checkRequired } from './validate';

// Creates what the Azure module interface props ask for (lock, role assignments, diagnostic settings)
// on a construct's primary resource, after checking them. One call at the end of each constructor.

/** A diagnostic setting the construct creates itself (e.g. for its `logAnalyticsWorkspaceId` prop). */
export interface OwnDiagnosticSetting {
  readonly name: string;
  readonly logAnalyticsWorkspaceId?: string;
}

export interface ModuleInterfaceConfig {
  /** The primary resource: the scope of the lock, the role assignments and the diagnostic settings. */
  readonly primary: TerraformResource & { readonly id: string };
  /** Its name, for the default names of the lock and the settings. */
  readonly resourceName: string;
  /** Why `LockLevel.READ_ONLY` cannot be used on this resource; undefined when it can. */
  readonly readOnlyRefusal?: string;
  /** Diagnostic settings the construct creates on the primary resource by other props. */
  readonly ownDiagnosticSettings?: OwnDiagnosticSetting[];
  /** False for resource types without resource-specific Log Analytics tables (their logs go to AzureDiagnostics). */
  readonly dedicatedTables?: boolean;
}

export const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ROLE_DEFINITION_ID = /^(\/subscriptions\/[^/]+)?\/providers\/Microsoft\.Authorization\/roleDefinitions\/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/i;
const STORAGE_ACCOUNT_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Storage\/storageAccounts\/[a-z0-9]{3,24}$/i;
const WORKSPACE_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+$/i;
const EVENT_HUB_RULE_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.EventHub\/namespaces\/[^/]+\/authorizationRules\/[^/]+$/i;
const IDENTITY_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+$/i;
const SETTING_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/;
/** Azure allows 5 diagnostic settings per resource. */
const MAX_DIAGNOSTIC_SETTINGS = 5;

/** Checks the props of the Azure module interface and creates their resources on the primary resource. */
export function applyModuleInterface(scope: Construct, props: AzureModuleProps, config: ModuleInterfaceConfig): ModuleInterfaceResources {
  const scopeId = config.primary.id;
  const roleAssignments = createRoleAssignments(scope, props, scopeId);
  const diagnosticSettings = createDiagnosticSettings(scope, props, config);
  const lock = createLock(scope, props, config);
  return { lock, roleAssignments, diagnosticSettings };
}

/** A bring-your-own user-assigned identity: its resource id and principal id. */
export function checkIdentityReference(scope: Construct, prop: string, identity: ManagedIdentityReference | undefined,
  needsPrincipal: boolean): void {
  if (identity === undefined) return;
  if (typeof identity !== 'object' || identity === null) {
    throw new ConstructValidationError(scope, prop, identity, 'expected { resourceId, principalId } of a user-assigned identity.');
  }
  checkRequired(scope, `${prop}.resourceId`, identity.resourceId);
  checkPattern(scope, `${prop}.resourceId`, identity.resourceId, IDENTITY_ID,
    'the resource id of a user-assigned identity "/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>"');
  if (needsPrincipal && (identity.principalId === undefined || identity.principalId === '')) {
    throw new ConstructValidationError(scope, `${prop}.principalId`, identity.principalId,
      'required: the construct grants the identity the roles it needs (az identity show --query principalId).');
  }
  checkPattern(scope, `${prop}.principalId`, identity.principalId, GUID,
    'the principal (object) id of the identity, a GUID such as "11111111-1111-1111-1111-111111111111"');
}

function createLock(scope: Construct, props: AzureModuleProps, config: ModuleInterfaceConfig): ManagementLock | undefined {
  const lock = props.lock;
  if (lock === undefined) return undefined;
  if (typeof lock !== 'object' || lock === null) {
    throw new ConstructValidationError(scope, 'lock', lock, 'expected { level: LockLevel.CAN_NOT_DELETE } or { level: LockLevel.READ_ONLY }.');
  }
  if (!Object.values(LockLevel).includes(lock.level)) {
    throw new ConstructValidationError(scope, 'lock.level', lock.level, 'expected LockLevel.CAN_NOT_DELETE or LockLevel.READ_ONLY.');
  }
  if (lock.level === LockLevel.READ_ONLY && config.readOnlyRefusal) {
    throw new ConstructValidationError(scope, 'lock.level', lock.level, `expected LockLevel.CAN_NOT_DELETE: ${config.readOnlyRefusal}`);
  }
  const name = lock.name ?? (isUnresolved(config.resourceName) ? 'lock' : `lock-${config.resourceName}`);
  checkPattern(scope, 'lock.name', name, /^[^<>%&:\\?/\x00-\x1f]{1,260}$/, '1-260 characters without < > % & : \\ ? / or control characters');
  checkPattern(scope, 'lock.notes', lock.notes, /^[\s\S]{0,512}$/, 'at most 512 characters');
  const resource = new ManagementLock(scope, 'Lock', {
    name,
    scope: config.primary.id,
    lockLevel: lock.level,
    notes: lock.notes ?? (lock.level === LockLevel.CAN_NOT_DELETE
      ? 'Cannot delete the resource or its child resources.'
      : 'Cannot delete or modify the resource or its child resources.'),
  });
  // Created last and deleted first: a ReadOnly lock would block the writes of the construct's other
  // resources (children, role assignments, diagnostic settings), and any lock their deletion.
  const stack = TerraformStack.of(scope);
  resource.dependsOn = Lazy.listValue({
    produce: () => scope.node.findAll()
      .filter((c): c is TerraformResource => TerraformResource.isTerraformResource(c) && c !== resource && TerraformStack.of(c) === stack)
      .map((c) => `${c.terraformResourceType}.${c.friendlyUniqueId}`),
  });
  return resource;
}

function createRoleAssignments(scope: Construct, props: AzureModuleProps, scopeId: string): RoleAssignment[] {
  const items = props.roleAssignments ?? [];
  if (!Array.isArray(items)) {
    throw new ConstructValidationError(scope, 'roleAssignments', items, 'expected a list of { principalId, roleDefinitionIdOrName }.');
  }
  const seen = new Map<string, number>();
  return items.map((item, i) => {
    const prop = `roleAssignments[${i}]`;
    if (typeof item !== 'object' || item === null) {
      throw new ConstructValidationError(scope, prop, item, 'expected { principalId, roleDefinitionIdOrName }.');
    }
    checkRequired(scope, `${prop}.principalId`, item.principalId);
    checkPattern(scope, `${prop}.principalId`, item.principalId, GUID,
      'the object id of a user, group or service principal, a GUID such as "11111111-1111-1111-1111-111111111111"');
    checkRequired(scope, `${prop}.roleDefinitionIdOrName`, item.roleDefinitionIdOrName);
    const role = item.roleDefinitionIdOrName;
    if (typeof role !== 'string') {
      throw new ConstructValidationError(scope, `${prop}.roleDefinitionIdOrName`, role, 'expected a role name such as "Reader" or a role definition id.');
    }
    const isId = !isUnresolved(role) && role.startsWith('/');
    if (isId) {
      checkPattern(scope, `${prop}.roleDefinitionIdOrName`, role, ROLE_DEFINITION_ID,
        'a role definition id "/providers/Microsoft.Authorization/roleDefinitions/<guid>" (optionally prefixed with "/subscriptions/<id>"), or a role name such as "Reader"');
    } else if (!isUnresolved(role) && GUID.test(role)) {
      throw new ConstructValidationError(scope, `${prop}.roleDefinitionIdOrName`, role,
        `expected a role name or a role definition id: write the GUID as "/providers/Microsoft.Authorization/roleDefinitions/${role}".`);
    } else {
      checkPattern(scope, `${prop}.roleDefinitionIdOrName`, role, /^\S(.{0,510}\S)?$/, 'a role name such as "Reader" (no leading or trailing spaces)');
    }
    if (item.principalType !== undefined && !Object.values(PrincipalType).includes(item.principalType)) {
      throw new ConstructValidationError(scope, `${prop}.principalType`, item.principalType, 'expected PrincipalType.USER, PrincipalType.GROUP or PrincipalType.SERVICE_PRINCIPAL.');
    }
    checkPattern(scope, `${prop}.description`, item.description, /^[\s\S]{1,1024}$/, '1-1024 characters');
    // Azure refuses a second assignment of one role to one principal at one scope.
    const resolved = !isUnresolved(item.principalId) && !isUnresolved(role);
    const key = resolved ? `${item.principalId.toLowerCase()}|${role.toLowerCase()}` : `#${i}`;
    if (seen.has(key)) {
      throw new ConstructValidationError(scope, `${prop}`, { principalId: item.principalId, roleDefinitionIdOrName: role },
        `each principal and role must be assigned once; roleAssignments[${seen.get(key)}] assigns it already.`);
    }
    seen.set(key, i);
    // Ids follow the content, so removing an assignment leaves the others' Terraform addresses alone.
    const id = resolved ? `RoleAssignment-${shortHash(key)}` : `RoleAssignment${i}`;
    return new RoleAssignment(scope, id, {
      scope: scopeId,
      principalId: item.principalId,
      roleDefinitionId: isId ? role : undefined,
      roleDefinitionName: isId ? undefined : role,
      principalType: item.principalType,
      description: item.description,
    });
  });
}

function createDiagnosticSettings(scope: Construct, props: AzureModuleProps, config: ModuleInterfaceConfig): MonitorDiagnosticSetting[] {
  const items = props.diagnosticSettings ?? [];
  if (!Array.isArray(items)) {
    throw new ConstructValidationError(scope, 'diagnosticSettings', items, 'expected a list of { logAnalyticsWorkspaceId?, storageAccountId?, eventHubAuthorizationRuleId? }.');
  }
  const own = config.ownDiagnosticSettings ?? [];
  if (own.length + items.length > MAX_DIAGNOSTIC_SETTINGS) {
    throw new ConstructValidationError(scope, 'diagnosticSettings', `${items.length} settings`,
      `expected at most ${MAX_DIAGNOSTIC_SETTINGS - own.length} (Azure allows ${MAX_DIAGNOSTIC_SETTINGS} diagnostic settings per resource${own.length ? `, and the logAnalyticsWorkspaceId prop makes ${own.length}` : ''}).`);
  }
  // Which setting already sends to each destination (every setting sends all metrics, so a destination
  // used twice would receive a category twice, which Azure refuses).
  const names = new Map<string, string>();
  const destinations = new Map<string, string>();
  for (const setting of own) {
    names.set(setting.name.toLowerCase(), setting.name);
    if (setting.logAnalyticsWorkspaceId !== undefined && !isUnresolved(setting.logAnalyticsWorkspaceId)) {
      destinations.set(setting.logAnalyticsWorkspaceId.toLowerCase(), `the setting "${setting.name}" of the logAnalyticsWorkspaceId prop`);
    }
  }
  return items.map((item, i) => {
    const prop = `diagnosticSettings[${i}]`;
    if (typeof item !== 'object' || item === null) {
      throw new ConstructValidationError(scope, prop, item, 'expected { logAnalyticsWorkspaceId?, storageAccountId?, eventHubAuthorizationRuleId?, eventHubName? }.');
    }
    const name = item.name ?? (isUnresolved(config.resourceName) ? `diag-${i + 1}` : `diag-${config.resourceName}-${i + 1}`);
    checkPattern(scope, `${prop}.name`, name, SETTING_NAME, '1-64 letters, digits, ".", "_" and "-", starting with a letter or digit');
    if (!isUnresolved(name)) {
      const clash = names.get(name.toLowerCase());
      if (clash !== undefined) {
        throw new ConstructValidationError(scope, `${prop}.name`, name, `each diagnostic setting of a resource needs its own name; "${clash}" is taken.`);
      }
      names.set(name.toLowerCase(), name);
    }
    checkDestination(scope, prop, item);
    const targets: Array<[string, string | undefined]> = [
      ['logAnalyticsWorkspaceId', item.logAnalyticsWorkspaceId],
      ['storageAccountId', item.storageAccountId],
      ['eventHubAuthorizationRuleId', item.eventHubAuthorizationRuleId === undefined ? undefined : `${item.eventHubAuthorizationRuleId}|${item.eventHubName ?? ''}`],
    ];
    for (const [key, value] of targets) {
      if (value === undefined || isUnresolved(value)) continue;
      const taken = destinations.get(value.toLowerCase());
      if (taken !== undefined) {
        throw new ConstructValidationError(scope, `${prop}.${key}`, key === 'eventHubAuthorizationRuleId' ? item.eventHubAuthorizationRuleId : value,
          `expected a destination no other diagnostic setting of this resource sends to (${taken} does): Azure refuses the same category twice to one destination; merge the settings.`);
      }
      destinations.set(value.toLowerCase(), `diagnosticSettings[${i}]`);
    }
    if (item.logCategories !== undefined) {
      if (!Array.isArray(item.logCategories) || item.logCategories.length === 0) {
        throw new ConstructValidationError(scope, `${prop}.logCategories`, item.logCategories, 'expected a non-empty list of log categories, or leave it out for all logs.');
      }
      const categories = new Set<string>();
      item.logCategories.forEach((category, j) => {
        checkPattern(scope, `${prop}.logCategories[${j}]`, category, /^[A-Za-z][A-Za-z0-9-]*$/, 'a log category such as "ApplicationGatewayAccessLog"');
        if (categories.has(category)) {
          throw new ConstructValidationError(scope, `${prop}.logCategories`, category, 'each category must be listed once.');
        }
        categories.add(category);
      });
    }
    return new MonitorDiagnosticSetting(scope, isUnresolved(name) ? `DiagnosticSetting${i}` : `DiagnosticSetting-${name}`, {
      name,
      targetResourceId: config.primary.id,
      logAnalyticsWorkspaceId: item.logAnalyticsWorkspaceId,
      logAnalyticsDestinationType: item.logAnalyticsWorkspaceId !== undefined && config.dedicatedTables !== false ? 'Dedicated' : undefined,
      storageAccountId: item.storageAccountId,
      eventhubAuthorizationRuleId: item.eventHubAuthorizationRuleId,
      eventhubName: item.eventHubName,
      enabledLog: item.logCategories ? item.logCategories.map((category) => ({ category })) : [{ categoryGroup: 'allLogs' }],
      enabledMetric: [{ category: 'AllMetrics' }],
    });
  });
}

function checkDestination(scope: Construct, prop: string, item: DiagnosticDestination): void {
  if (item.logAnalyticsWorkspaceId === undefined && item.storageAccountId === undefined && item.eventHubAuthorizationRuleId === undefined) {
    throw new ConstructValidationError(scope, prop, item, 'expected at least one destination: logAnalyticsWorkspaceId, storageAccountId or eventHubAuthorizationRuleId.');
  }
  checkPattern(scope, `${prop}.logAnalyticsWorkspaceId`, item.logAnalyticsWorkspaceId, WORKSPACE_ID,
    'a Log Analytics workspace resource id "/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.OperationalInsights/workspaces/<name>"');
  checkPattern(scope, `${prop}.storageAccountId`, item.storageAccountId, STORAGE_ACCOUNT_ID,
    'a storage account resource id "/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Storage/storageAccounts/<name>"');
  checkPattern(scope, `${prop}.eventHubAuthorizationRuleId`, item.eventHubAuthorizationRuleId, EVENT_HUB_RULE_ID,
    'an Event Hubs namespace authorization rule id "/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.EventHub/namespaces/<namespace>/authorizationRules/<rule>"');
  if (item.eventHubName !== undefined && item.eventHubAuthorizationRuleId === undefined) {
    throw new ConstructValidationError(scope, `${prop}.eventHubName`, item.eventHubName, 'only used with eventHubAuthorizationRuleId (the namespace\'s authorization rule).');
  }
  checkPattern(scope, `${prop}.eventHubName`, item.eventHubName, /^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,254}[a-zA-Z0-9])?$/,
    'an event hub name: 1-256 letters, digits, ".", "_" and "-", starting and ending with a letter or digit');
}

/** 8 hex characters of a SHA-256: short, stable ids. */
function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
