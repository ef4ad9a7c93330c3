import { MonitorAlertPrometheusRuleGroup, MonitorAlertPrometheusRuleGroupRule } from '@cdktf/provider-azurerm/lib/monitor-alert-prometheus-rule-group';
import { MonitorDataCollectionEndpoint } from '@cdktf/provider-azurerm/lib/monitor-data-collection-endpoint';
import { MonitorDataCollectionRule } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule';
import { MonitorDataCollectionRuleAssociation } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association';
import { MonitorWorkspace } from '@cdktf/provider-azurerm/lib/monitor-workspace';
import { Construct } from 'constructs';
import { AKS_DEFAULT_RECORDING_GROUPS, AKS_RECOMMENDED_ALERT_GROUPS } from './catalog/prometheus.generated';
import { MeshCluster } from '../mesh-cluster/mesh-cluster';

/** A Prometheus alert rule group. */
export interface PrometheusAlertGroupOptions {
  /** Name of the rule group (unique in the resource group). */
  readonly name: string;
  /** Description. */
  readonly description: string;
  /** Evaluation interval, ISO-8601 (PT1M to PT15M). */
  readonly interval: string;
  /** The rules. */
  readonly rules: MonitorAlertPrometheusRuleGroupRule[];
}

/** Props of `ManagedPrometheus`. */
export interface ManagedPrometheusProps {
  /** The cluster whose metrics are collected. */
  readonly cluster: MeshCluster;
  /** Resource group of the workspace, endpoint, rule and rule groups. */
  readonly resourceGroupName: string;
  /** Region (the cluster's). */
  readonly location: string;
  /** Plain-text prefix of the created resources' names (letters, digits, hyphens). */
  readonly namePrefix: string;
  /** Action group the recommended Prometheus alerts notify. */
  readonly actionGroupId: string;
  /**
   * Azure's recommended AKS Prometheus alert rule groups (cluster, node and pod level).
   * @default true
   */
  readonly recommendedAlerts?: boolean;
  /** Tags. @default - none */
  readonly tags?: { [key: string]: string };
}

/**
 * Azure Monitor managed Prometheus for a cluster: an Azure Monitor workspace, a data collection endpoint
 * and rule (Microsoft-PrometheusMetrics to the workspace) associated with the cluster, the cluster's
 * `monitor_metrics` profile (the ama-metrics add-on), the default recording rules, and Azure's
 * recommended AKS Prometheus alert rule groups.
 */
export class ManagedPrometheus extends Construct {
  /** The Azure Monitor workspace. */
  public readonly workspace: MonitorWorkspace;
  /** The data collection endpoint. */
  public readonly dataCollectionEndpoint: MonitorDataCollectionEndpoint;
  /** The data collection rule. */
  public readonly dataCollectionRule: MonitorDataCollectionRule;
  /** Association of the rule with the cluster. */
  public readonly ruleAssociation: MonitorDataCollectionRuleAssociation;
  /** Association of the endpoint with the cluster (`configurationAccessEndpoint`). */
  public readonly endpointAssociation: MonitorDataCollectionRuleAssociation;
  /** Recording rule groups. */
  public readonly recordingRuleGroups: MonitorAlertPrometheusRuleGroup[] = [];
  /** Recommended alert rule groups. */
  public readonly alertRuleGroups: MonitorAlertPrometheusRuleGroup[] = [];
  /** Name of the cluster, as the `cluster` label of its metrics. */
  public readonly clusterName: string;
  /** Resource id of the cluster. */
  public readonly clusterId: string;

  private readonly props: ManagedPrometheusProps;

  constructor(scope: Construct, id: string, props: ManagedPrometheusProps) {
    super(scope, id);
    this.props = props;
    const cluster = props.cluster.resource;
    this.clusterName = cluster.name;
    this.clusterId = cluster.id;
    const placement = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };
    this.workspace = new MonitorWorkspace(this, 'Workspace', { ...placement, name: `amw-${props.namePrefix}` });
    this.dataCollectionEndpoint = new MonitorDataCollectionEndpoint(this, 'Endpoint', {
      ...placement,
      name: `dce-${props.namePrefix}-prometheus`,
      kind: 'Linux',
    });
    this.dataCollectionRule = new MonitorDataCollectionRule(this, 'Rule', {
      ...placement,
      name: `dcr-${props.namePrefix}-prometheus`,
      kind: 'Linux',
      dataCollectionEndpointId: this.dataCollectionEndpoint.id,
      destinations: { monitorAccount: [{ monitorAccountId: this.workspace.id, name: 'MonitoringAccount1' }] },
      dataFlow: [{ streams: ['Microsoft-PrometheusMetrics'], destinations: ['MonitoringAccount1'] }],
      dataSources: { prometheusForwarder: [{ streams: ['Microsoft-PrometheusMetrics'], name: 'PrometheusDataSource' }] },
      description: 'Prometheus metrics of the AKS cluster to the Azure Monitor workspace',
    });
    this.ruleAssociation = new MonitorDataCollectionRuleAssociation(this, 'RuleAssociation', {
      name: `dcra-${props.namePrefix}-prometheus`,
      targetResourceId: cluster.id,
      dataCollectionRuleId: this.dataCollectionRule.id,
    });
    this.endpointAssociation = new MonitorDataCollectionRuleAssociation(this, 'EndpointAssociation', {
      // Azure requires exactly this name for a data collection endpoint association.
      name: 'configurationAccessEndpoint',
      targetResourceId: cluster.id,
      dataCollectionEndpointId: this.dataCollectionEndpoint.id,
    });
    // The ama-metrics add-on. Pod annotations and labels stay out of kube-state-metrics by default.
    cluster.putMonitorMetrics({});

    for (const group of AKS_DEFAULT_RECORDING_GROUPS) {
      this.recordingRuleGroups.push(new MonitorAlertPrometheusRuleGroup(this, `Recording-${group.name}`, {
        ...placement,
        name: `${group.name === 'node' ? 'NodeRecordingRulesRuleGroup' : 'KubernetesRecordingRulesRuleGroup'}-${cluster.name}`,
        clusterName: cluster.name,
        scopes: [this.workspace.id, cluster.id],
        interval: group.interval,
        ruleGroupEnabled: true,
        description: `Default ${group.name} recording rules of Azure Monitor managed Prometheus`,
        rule: group.rules.map((rule) => ({ record: rule.record, expression: rule.expression, enabled: true })),
      }));
    }
    if (props.recommendedAlerts ?? true) {
      for (const group of AKS_RECOMMENDED_ALERT_GROUPS) {
        this.alertRuleGroups.push(this.addAlertRuleGroup(`Recommended-${group.name}`, {
          name: `KubernetesAlert-RecommendedMetricAlerts${cluster.name}-${group.name}`,
          description: `Azure's recommended ${group.name} Prometheus alerts for AKS`,
          interval: group.interval,
          rules: group.rules.map((rule) => ({
            alert: rule.alert,
            expression: rule.expression,
            for: rule.for,
            severity: rule.severity,
            labels: rule.labels,
            annotations: rule.annotations,
            enabled: true,
            alertResolution: { autoResolved: rule.autoResolved, timeToResolve: rule.timeToResolve },
            action: [{ actionGroupId: props.actionGroupId }],
          })),
        }));
      }
    }
  }

  /** Adds a Prometheus alert rule group on the workspace and the cluster. */
  public addAlertRuleGroup(id: string, group: PrometheusAlertGroupOptions): MonitorAlertPrometheusRuleGroup {
    return new MonitorAlertPrometheusRuleGroup(this, id, {
      resourceGroupName: this.props.resourceGroupName,
      location: this.props.location,
      tags: this.props.tags,
      name: group.name,
      description: group.description,
      clusterName: this.clusterName,
      scopes: [this.workspace.id, this.clusterId],
      interval: group.interval,
      ruleGroupEnabled: true,
      rule: group.rules,
    });
  }
}
