import { UNKNOWN, equalsAny, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-AZ-021: the control plane, nodes and node images receive patches without manual work. */
export const aksAutomaticUpgrades: IPolicyRule = {
  id: 'AGM-AZ-021',
  description: 'AKS clusters choose an automatic upgrade channel (patch, stable, rapid or node-image) and keep node OS upgrades on.',
  fix: 'Set automatic_upgrade_channel = "patch" (or "stable") and node_os_upgrade_channel = "NodeImage" (or "SecurityPatch"), with maintenance windows.',
  level: RuleLevel.WARNING,
  scannerChecks: ['CKV_AZURE_171'],
  resourceTypes: ['azurerm_kubernetes_cluster'],
  evaluate(config) {
    const channel = text(config, 'automatic_upgrade_channel');
    const nodeOs = text(config, 'node_os_upgrade_channel');
    if (channel === UNKNOWN || nodeOs === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    if (channel === undefined || equalsAny(channel, 'none')) return RuleResult.NON_COMPLIANT;
    return nodeOs !== undefined && equalsAny(nodeOs, 'None', 'Unmanaged') ? RuleResult.NON_COMPLIANT : RuleResult.COMPLIANT;
  },
};
