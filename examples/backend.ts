import { AzurermBackend, CloudBackend, DataTerraformRemoteStateLocal, LocalBackend, NamedCloudWorkspace, TerraformRemoteState, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

/** Where each stack keeps its Terraform state. */
export enum StateBackendKind {
  /** A local file per stack, `terraform.<stack>.tfstate` in the stack's working directory. */
  LOCAL = 'local',
  /** Terraform Cloud / HCP Terraform: one workspace per stack. */
  TERRAFORM_CLOUD = 'tfc',
  /** An Azure Storage blob per stack. */
  AZURERM = 'azurerm',
}

/** The state backend of the topology's stacks. */
export interface StateBackendOptions {
  /** @default StateBackendKind.LOCAL */
  readonly kind?: StateBackendKind;
  /** Terraform Cloud organization (TF_CLOUD_ORGANIZATION). @default - none: required for TERRAFORM_CLOUD */
  readonly organization?: string;
  /** Terraform Cloud project holding the workspaces (TF_CLOUD_PROJECT). @default - the organization's default project */
  readonly project?: string;
  /** Terraform Cloud host name (TF_CLOUD_HOSTNAME). @default "app.terraform.io" */
  readonly hostname?: string;
  /** Workspace (and state key) prefix: workspaces are `<prefix>-<stack>`. @default "gateway-mesh" */
  readonly prefix?: string;
  /** AZURERM: resource group of the state storage account. @default - none: required for AZURERM */
  readonly resourceGroupName?: string;
  /** AZURERM: the state storage account. @default - none: required for AZURERM */
  readonly storageAccountName?: string;
  /** AZURERM: the container of the state blobs. @default "tfstate" */
  readonly containerName?: string;
}

/** Reads the backend from the environment: TOPOLOGY_BACKEND=local|tfc|azurerm and the variables above. */
export function stateBackendFromEnv(env: NodeJS.ProcessEnv = process.env): StateBackendOptions {
  const kind = (env.TOPOLOGY_BACKEND ?? StateBackendKind.LOCAL) as StateBackendKind;
  if (!Object.values(StateBackendKind).includes(kind)) {
    throw new Error(`TOPOLOGY_BACKEND=${JSON.stringify(env.TOPOLOGY_BACKEND)}: expected one of ${Object.values(StateBackendKind).join(', ')}`);
  }
  return {
    kind,
    organization: env.TF_CLOUD_ORGANIZATION,
    project: env.TF_CLOUD_PROJECT,
    hostname: env.TF_CLOUD_HOSTNAME,
    prefix: env.TOPOLOGY_WORKSPACE_PREFIX,
    resourceGroupName: env.TOPOLOGY_STATE_RESOURCE_GROUP,
    storageAccountName: env.TOPOLOGY_STATE_STORAGE_ACCOUNT,
    containerName: env.TOPOLOGY_STATE_CONTAINER,
  };
}

/**
 * A local state file named relative to the stack's working directory (`cdktf.out/stacks/<stack>`), so that
 * the synthesized JSON does not depend on the machine. cdktf's LocalBackend would hand the consumers of a
 * cross-stack reference that same relative path, which Terraform resolves in the consumer's own working
 * directory, where no state is (`terraform plan` of the consumer then fails: "Unable to find remote
 * state"); this backend points them at the producing stack's working directory.
 */
export class StackLocalBackend extends LocalBackend {
  private readonly stateFile: string;

  constructor(stack: TerraformStack, stateFile: string) {
    super(stack, { path: stateFile });
    this.stateFile = stateFile;
  }

  public getRemoteStateDataSource(scope: Construct, name: string, fromStack: string): TerraformRemoteState {
    return new DataTerraformRemoteStateLocal(scope, name, { path: `../${fromStack}/${this.stateFile}`, workspace: '${terraform.workspace}' });
  }
}

/** Gives a stack its backend. Cross-stack references read each other's state through it. */
export function configureBackend(stack: TerraformStack, options: StateBackendOptions = {}): void {
  const name = stack.node.id;
  const prefix = options.prefix ?? 'gateway-mesh';
  switch (options.kind ?? StateBackendKind.LOCAL) {
    case StateBackendKind.LOCAL:
      // Relative, so that the synthesized JSON does not depend on the machine it came from.
      new StackLocalBackend(stack, `terraform.${name}.tfstate`);
      return;
    case StateBackendKind.TERRAFORM_CLOUD:
      if (!options.organization) throw new Error('The Terraform Cloud backend needs an organization: set TF_CLOUD_ORGANIZATION.');
      new CloudBackend(stack, {
        hostname: options.hostname,
        organization: options.organization,
        workspaces: new NamedCloudWorkspace(`${prefix}-${name}`, options.project),
      });
      return;
    case StateBackendKind.AZURERM:
      if (!options.resourceGroupName || !options.storageAccountName) {
        throw new Error('The azurerm backend needs TOPOLOGY_STATE_RESOURCE_GROUP and TOPOLOGY_STATE_STORAGE_ACCOUNT.');
      }
      new AzurermBackend(stack, {
        resourceGroupName: options.resourceGroupName,
        storageAccountName: options.storageAccountName,
        containerName: options.containerName ?? 'tfstate',
        key: `${prefix}-${name}.tfstate`,
        useAzureadAuth: true,
      });
  }
}
