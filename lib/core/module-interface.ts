// The Azure module interface (Azure Verified Modules' `lock`, `role_assignments`, `diagnostic_settings`,
// `managed_identities`): the same prop names and shapes on every construct that creates Azure resources,
// defined once here so that a user learns them once. The resources are created by `./module-resources`.
import { ManagementLock } from '@cdktf/provider-azurerm/lib/management-lock';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';

/** The level of a management lock (`azurerm_management_lock.lock_level`). */
export enum LockLevel {
  /**
   * Authorized users can read and modify the resource, but not delete it, its child resources (node pools,
   * APIs, subnets, ...) or the role assignments and diagnostic settings on it: removing or replacing one of
   * those needs the lock removed first. `terraform destroy` is unaffected (the lock goes first).
   */
  CAN_NOT_DELETE = 'CanNotDelete',
  /**
   * Authorized users can read the resource but not modify or delete it or its children. ARM also
   * refuses POST operations on it, and with them any operation that only looks like a read (listing
   * keys or credentials, an Application Gateway's backend health).
   */
  READ_ONLY = 'ReadOnly',
}

/**
 * A management lock on a construct's primary resource (the AKS cluster, API Management, the
 * Application Gateway, the VNet). Child resources inherit it. The lock depends on every resource the
 * construct creates, so Terraform creates it last and deletes it first.
 */
export interface ResourceLock {
  /** What the lock forbids. */
  readonly level: LockLevel;
  /**
   * Name of the lock: 1-260 characters without `<>%&:\?/`.
   * @default - "lock-" and the primary resource's name
   */
  readonly name?: string;
  /**
   * Notes on the lock, at most 512 characters.
   * @default - what the lock forbids, in words
   */
  readonly notes?: string;
}

/** The kind of principal of a role assignment, which saves Azure a directory lookup. */
export enum PrincipalType {
  /** An Entra ID user. */
  USER = 'User',
  /** An Entra ID group. */
  GROUP = 'Group',
  /** A service principal or managed identity. */
  SERVICE_PRINCIPAL = 'ServicePrincipal',
}

/**
 * An Azure RBAC role assignment on a construct's primary resource, e.g. who may administer the cluster:
 * `{ principalId: '<group object id>', roleDefinitionIdOrName: 'Azure Kubernetes Service RBAC Cluster Admin', principalType: PrincipalType.GROUP }`.
 */
export interface RoleAssignmentOptions {
  /** Object id (a GUID) of the user, group or service principal given the role. */
  readonly principalId: string;
  /**
   * The role: a built-in or custom role's name (e.g. `"Reader"`), or its resource id
   * (`/providers/Microsoft.Authorization/roleDefinitions/<guid>`, optionally prefixed with `/subscriptions/<id>`).
   */
  readonly roleDefinitionIdOrName: string;
  /**
   * The kind of principal. Set it for a principal created in the same deployment: Azure then skips the
   * directory lookup that fails while the new principal replicates.
   * @default - Azure looks the principal up
   */
  readonly principalType?: PrincipalType;
  /**
   * Why the role is assigned, at most 1024 characters.
   * @default - none
   */
  readonly description?: string;
}

/**
 * A diagnostic setting of a construct's primary resource: its logs and metrics sent to one to three
 * destinations (a Log Analytics workspace, a storage account, an event hub). Azure allows 5 settings per
 * resource and refuses two settings that send the same category to the same destination, so each
 * destination appears once per resource (the `logAnalyticsWorkspaceId` prop's setting included).
 */
export interface DiagnosticDestination {
  /**
   * Name of the setting: 1-64 letters, digits, `.`, `_` and `-`, starting with a letter or digit; unique per resource.
   * @default - "diag-" and the primary resource's name, with the setting's position ("-1", "-2", ...)
   */
  readonly name?: string;
  /**
   * Log Analytics workspace receiving the logs (resource-specific tables) and metrics.
   * @default - none
   */
  readonly logAnalyticsWorkspaceId?: string;
  /**
   * Storage account archiving the logs and metrics; it must be in the resource's region.
   * @default - none
   */
  readonly storageAccountId?: string;
  /**
   * Authorization rule (with Send) of the Event Hubs namespace that streams the logs and metrics.
   * @default - none
   */
  readonly eventHubAuthorizationRuleId?: string;
  /**
   * Event hub in that namespace; needs `eventHubAuthorizationRuleId`.
   * @default - one event hub per log category, created by Azure
   */
  readonly eventHubName?: string;
  /**
   * Log categories to send.
   * @default - all logs (category group "allLogs")
   */
  readonly logCategories?: string[];
}

/**
 * A user-assigned managed identity that you create and manage (bring your own), e.g. an AKS control
 * plane identity granted its roles before the cluster exists.
 */
export interface ManagedIdentityReference {
  /** Resource id: `/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>`. */
  readonly resourceId: string;
  /**
   * Its principal (object) id, a GUID. Required where the construct grants the identity the roles it
   * needs (`MeshCluster.controlPlaneIdentity`).
   * @default - none: the identity is attached only
   */
  readonly principalId?: string;
}

/** The props of the Azure module interface that every construct creating Azure resources takes. */
export interface AzureModuleProps {
  /**
   * A management lock on the primary resource. `LockLevel.READ_ONLY` is accepted only where Terraform can
   * still plan the resource (see each construct); removing the resource or a child then needs the lock removed first.
   * @default - no lock
   */
  readonly lock?: ResourceLock;
  /**
   * Azure RBAC role assignments scoped to the primary resource.
   * @default - none
   */
  readonly roleAssignments?: RoleAssignmentOptions[];
  /**
   * Diagnostic settings of the primary resource, in addition to the one of `logAnalyticsWorkspaceId` where
   * the construct has that prop.
   * @default - none
   */
  readonly diagnosticSettings?: DiagnosticDestination[];
}

/** The resources a construct created for the props of `AzureModuleProps`. */
export interface ModuleInterfaceResources {
  /**
   * The management lock of `lock`.
   * @default - none without `lock`
   */
  readonly lock?: ManagementLock;
  /** The role assignments of `roleAssignments`, in order. */
  readonly roleAssignments: RoleAssignment[];
  /** The diagnostic settings of `diagnosticSettings`, in order. */
  readonly diagnosticSettings: MonitorDiagnosticSetting[];
}
