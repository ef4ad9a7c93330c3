/**
 * The provider (configuration) block schemas, which `terraform providers schema -json` exports but
 * ../shared/schemas does not hold: declared from the providers' sources, in the same JSON shape.
 *
 *  - azurerm 4.55.0: internal/provider/provider.go (schemaFeatures in features.go): every argument is
 *    optional except the `features` block (exactly one); each feature group is an optional block (at most
 *    one) of optional bools. Names and types agree with the prebuilt binding generated from that version
 *    (@cdktf/provider-azurerm lib/provider).
 *  - kubernetes 2.38.0 (SDKv2): kubernetes/provider.go: optional strings, bools and string lists, an
 *    `exec` block (at most one; api_version and command required, env map, args list) and an
 *    `experiments` block (at most one; manifest_resource bool).
 *  - helm 3.0.2 (plugin framework): helm/provider.go: optional attributes; `kubernetes` and its `exec` and
 *    `experiments` are single nested attributes, `registries` a list nested attribute (url, username,
 *    password required).
 *  - time 0.13.1: no arguments.
 */
type Json = any;

const optional = (type: Json) => ({ type, optional: true });
const attrs = (type: Json, names: string[]) => Object.fromEntries(names.map((n) => [n, optional(type)]));
const single = (block: Json, minItems = 0) => ({ nesting_mode: 'list', block, min_items: minItems, max_items: 1 });

const AZURERM_FEATURES: Record<string, string[]> = {
  api_management: ['purge_soft_delete_on_destroy', 'recover_soft_deleted'],
  app_configuration: ['purge_soft_delete_on_destroy', 'recover_soft_deleted'],
  application_insights: ['disable_generated_rule'],
  cognitive_account: ['purge_soft_delete_on_destroy'],
  databricks_workspace: ['force_delete'],
  key_vault: [
    'purge_soft_delete_on_destroy', 'purge_soft_deleted_certificates_on_destroy', 'purge_soft_deleted_hardware_security_module_keys_on_destroy',
    'purge_soft_deleted_hardware_security_modules_on_destroy', 'purge_soft_deleted_keys_on_destroy', 'purge_soft_deleted_secrets_on_destroy',
    'recover_soft_deleted_certificates', 'recover_soft_deleted_hardware_security_module_keys', 'recover_soft_deleted_key_vaults',
    'recover_soft_deleted_keys', 'recover_soft_deleted_secrets',
  ],
  log_analytics_workspace: ['permanently_delete_on_destroy'],
  machine_learning: ['purge_soft_deleted_workspace_on_destroy'],
  managed_disk: ['expand_without_downtime'],
  netapp: ['delete_backups_on_backup_vault_destroy', 'prevent_volume_destruction'],
  postgresql_flexible_server: ['restart_server_on_configuration_value_change'],
  recovery_service: ['purge_protected_items_from_vault_on_destroy', 'vm_backup_stop_protection_and_retain_data_on_destroy', 'vm_backup_suspend_protection_and_retain_data_on_destroy'],
  recovery_services_vaults: ['recover_soft_deleted_backup_protected_vm'],
  resource_group: ['prevent_deletion_if_contains_resources'],
  storage: ['data_plane_available'],
  subscription: ['prevent_cancellation_on_destroy'],
  template_deployment: ['delete_nested_items_during_deletion'],
  virtual_machine: ['delete_os_disk_on_deletion', 'detach_implicit_data_disk_on_deletion', 'graceful_shutdown', 'skip_shutdown_and_force_delete'],
  virtual_machine_scale_set: ['force_delete', 'reimage_on_manual_upgrade', 'roll_instances_when_required', 'scale_to_zero_before_deletion'],
};

const azurerm = {
  attributes: {
    ...attrs('string', [
      'ado_pipeline_service_connection_id', 'client_certificate', 'client_certificate_password', 'client_certificate_path', 'client_id',
      'client_id_file_path', 'client_secret', 'client_secret_file_path', 'environment', 'metadata_host', 'msi_api_version', 'msi_endpoint',
      'oidc_request_token', 'oidc_request_url', 'oidc_token', 'oidc_token_file_path', 'partner_id', 'resource_provider_registrations',
      'subscription_id', 'tenant_id',
    ]),
    ...attrs(['list', 'string'], ['auxiliary_tenant_ids', 'resource_providers_to_register']),
    ...attrs('bool', [
      'disable_correlation_request_id', 'disable_terraform_partner_id', 'skip_provider_registration', 'storage_use_azuread',
      'use_aks_workload_identity', 'use_cli', 'use_msi', 'use_oidc',
    ]),
  },
  block_types: {
    features: single({
      block_types: Object.fromEntries(Object.entries(AZURERM_FEATURES).map(([group, flags]) => [group, single({ attributes: attrs('bool', flags) })])),
    }, 1),
  },
};

const KUBERNETES_CONNECTION = [
  'host', 'username', 'password', 'tls_server_name', 'client_certificate', 'client_key', 'cluster_ca_certificate',
  'config_path', 'config_context', 'config_context_auth_info', 'config_context_cluster', 'token', 'proxy_url',
];

const kubernetes = {
  attributes: {
    ...attrs('string', KUBERNETES_CONNECTION),
    ...attrs('bool', ['insecure']),
    ...attrs(['list', 'string'], ['config_paths', 'ignore_annotations', 'ignore_labels']),
  },
  block_types: {
    exec: single({
      attributes: {
        api_version: { type: 'string', required: true },
        command: { type: 'string', required: true },
        env: optional(['map', 'string']),
        args: optional(['list', 'string']),
      },
    }),
    experiments: single({ attributes: attrs('bool', ['manifest_resource']) }),
  },
};

const nested = (nesting_mode: string, attributes: Json) => ({ optional: true, nested_type: { nesting_mode, attributes } });

const helm = {
  attributes: {
    ...attrs('string', ['plugins_path', 'registry_config_path', 'repository_config_path', 'repository_cache', 'helm_driver']),
    ...attrs('bool', ['debug']),
    ...attrs('number', ['burst_limit', 'qps']),
    kubernetes: nested('single', {
      ...attrs('string', KUBERNETES_CONNECTION),
      ...attrs('bool', ['insecure']),
      ...attrs(['list', 'string'], ['config_paths']),
      exec: nested('single', {
        api_version: { type: 'string', required: true },
        command: { type: 'string', required: true },
        env: optional(['map', 'string']),
        args: optional(['list', 'string']),
      }),
    }),
    registries: nested('list', {
      url: { type: 'string', required: true },
      username: { type: 'string', required: true },
      password: { type: 'string', required: true, sensitive: true },
    }),
    experiments: nested('single', attrs('bool', ['manifest'])),
  },
};

/** Provider configuration block schemas by provider name. */
export const PROVIDER_CONFIG_SCHEMAS: Record<string, Json> = { azurerm, kubernetes, helm, time: { attributes: {} } };
