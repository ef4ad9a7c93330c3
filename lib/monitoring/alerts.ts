import { MonitorMetricAlert, MonitorMetricAlertConfig } from '@cdktf/provider-azurerm/lib/monitor-metric-alert';
import { Construct } from 'constructs';
import { AMBA_METRIC_ALERTS, SUPPORTED_METRICS } from './catalog/amba.generated';
import { CatalogMetricAlert } from './catalog/types';
export { CRITICAL_ALERTS } from './critical';
import { ConstructValidationError, isUnresolved } from '../core/errors';
import { checkInteger, checkOneOf, checkPattern } from '../core/validate';

/** The resource types that have a recommended alert catalog. */
export enum AlertedResourceType {
  /** `azurerm_application_gateway` (Microsoft.Network/applicationGateways). */
  APPLICATION_GATEWAY = 'applicationGateway',
  /** `azurerm_api_management` (Microsoft.ApiManagement/service). */
  API_MANAGEMENT = 'apiManagement',
  /** `azurerm_kubernetes_cluster` (Microsoft.ContainerService/managedClusters). */
  KUBERNETES_CLUSTER = 'kubernetesCluster',
  /** `azurerm_key_vault` (Microsoft.KeyVault/vaults). */
  KEY_VAULT = 'keyVault',
  /** `azurerm_public_ip` (Microsoft.Network/publicIPAddresses). */
  PUBLIC_IP = 'publicIp',
}


/** Changes to one recommended alert. */
export interface AlertOverride {
  /**
   * false switches the alert off (it is not created).
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Static threshold (in the metric's unit). Not for dynamic-threshold alerts.
   * @default - the AMBA threshold
   */
  readonly threshold?: number;
  /**
   * Severity, 0 (critical) to 4 (verbose).
   * @default - the AMBA severity
   */
  readonly severity?: number;
}

/** A metric alert of your own, on the same resource. */
export interface CustomMetricAlert {
  /** Short name, unique among the resource's alerts: letters, digits, underscores and hyphens. */
  readonly name: string;
  /** Platform metric name as the REST API spells it (e.g. `BackendResponseStatus`). */
  readonly metricName: string;
  /** Aggregation the metric supports: Average, Minimum, Maximum, Total or Count. */
  readonly aggregation: string;
  /** GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual or Equals. */
  readonly operator: string;
  /** Static threshold. */
  readonly threshold: number;
  /**
   * Severity 0-4.
   * @default 3
   */
  readonly severity?: number;
  /**
   * Window, ISO-8601 (PT1M, PT5M, PT15M, PT30M, PT1H, PT6H, PT12H, P1D); not shorter than the metric's smallest time grain.
   * @default "PT5M"
   */
  readonly windowSize?: string;
  /**
   * Evaluation frequency (PT1M, PT5M, PT15M, PT30M, PT1H), not longer than the window.
   * @default "PT1M"
   */
  readonly frequency?: string;
  /**
   * Dimension filters (`Include` of the given values).
   * @default - none
   */
  readonly dimensions?: { [dimension: string]: string[] };
}

/** Which alerts a resource gets. */
export interface AlertOptions {
  /**
   * false creates none of the recommended alerts (custom alerts are still created).
   * @default true
   */
  readonly recommended?: boolean;
  /**
   * Changes per recommended alert, keyed by metric name (e.g. `{ CurrentConnections: { enabled: false } }`).
   * @default - AMBA's definitions as they are
   */
  readonly overrides?: { [metricName: string]: AlertOverride };
  /**
   * Alerts of your own on the same resource.
   * @default - none
   */
  readonly additional?: CustomMetricAlert[];
}

const OPERATORS = ['GreaterThan', 'GreaterThanOrEqual', 'LessThan', 'LessThanOrEqual', 'Equals'];
const WINDOWS = ['PT1M', 'PT5M', 'PT15M', 'PT30M', 'PT1H', 'PT6H', 'PT12H', 'P1D'];
const FREQUENCIES = ['PT1M', 'PT5M', 'PT15M', 'PT30M', 'PT1H'];

/** Minutes of an ISO-8601 duration of days, hours and minutes. */
export function durationMinutes(duration: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(duration);
  if (!m) return NaN;
  return Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** The recommended alert definitions of a resource type (a copy). */
export function recommendedAlerts(type: AlertedResourceType): CatalogMetricAlert[] {
  return [...(AMBA_METRIC_ALERTS[type] ?? [])];
}

/** Props of `ResourceAlerts`. */
export interface ResourceAlertsProps {
  /** Which catalog. */
  readonly resourceType: AlertedResourceType;
  /** The monitored resource's id. */
  readonly targetResourceId: string;
  /** Prefix of the alert names (usually the resource's name). */
  readonly namePrefix: string;
  /** Resource group of the alert rules. */
  readonly resourceGroupName: string;
  /** Action group notified. */
  readonly actionGroupId: string;
  /** Overrides and additions. @default - the recommended alerts */
  readonly options?: AlertOptions;
  /** Tags. @default - none */
  readonly tags?: { [key: string]: string };
}

/**
 * The recommended (AMBA) metric alerts of one resource, with the user's overrides, plus the user's own
 * alerts; every alert notifies the action group. Construct ids are the metric names (Terraform addresses
 * stay stable when thresholds change).
 */
export class ResourceAlerts extends Construct {
  /** The alert rules created. */
  public readonly alerts: MonitorMetricAlert[] = [];

  constructor(scope: Construct, id: string, props: ResourceAlertsProps) {
    super(scope, id);
    const options = props.options ?? {};
    const catalog = recommendedAlerts(props.resourceType);
    const table = SUPPORTED_METRICS[props.resourceType];
    const overrides = options.overrides ?? {};
    const known = catalog.map((a) => a.metricName);
    for (const [metric, override] of Object.entries(overrides)) {
      const prop = `alerts.overrides.${metric}`;
      const alert = catalog.find((a) => a.metricName === metric);
      if (!alert) throw new ConstructValidationError(this, 'alerts.overrides', metric, `expected a recommended alert of ${table.armType}: ${known.join(', ')}.`);
      if (override.threshold !== undefined && alert.dynamic) {
        throw new ConstructValidationError(this, `${prop}.threshold`, override.threshold, 'no threshold: this alert uses a dynamic threshold (switch it off and add your own static one instead).');
      }
      if (override.threshold !== undefined && !isUnresolved(override.threshold) && !Number.isFinite(override.threshold)) {
        throw new ConstructValidationError(this, `${prop}.threshold`, override.threshold, 'expected a finite number.');
      }
      checkInteger(this, `${prop}.severity`, override.severity, 0, 4);
    }
    const names = new Set<string>();
    if (options.recommended ?? true) {
      for (const alert of catalog) {
        const override = overrides[alert.metricName] ?? {};
        if (override.enabled === false) continue;
        names.add(alert.metricName);
        this.alerts.push(this.createAlert(props, alert.metricName, alert.displayName, alert.description, {
          metricNamespace: alert.metricNamespace,
          metricName: alert.metricName,
          aggregation: alert.aggregation,
          operator: alert.operator,
          threshold: override.threshold ?? alert.threshold,
          dynamic: alert.dynamic,
          dimensions: alert.dimensions,
          windowSize: alert.windowSize,
          frequency: alert.frequency,
          severity: override.severity ?? alert.severity,
          autoMitigate: alert.autoMitigate,
        }));
      }
    }
    (options.additional ?? []).forEach((custom, i) => {
      const prop = `alerts.additional[${i}]`;
      checkPattern(this, `${prop}.name`, custom.name, /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, '1-64 letters, digits, underscores and hyphens');
      if (names.has(custom.name)) throw new ConstructValidationError(this, `${prop}.name`, custom.name, 'expected a name not used by another alert of this resource.');
      names.add(custom.name);
      const metric = table.metrics[custom.metricName];
      if (!metric && !isUnresolved(custom.metricName)) {
        throw new ConstructValidationError(this, `${prop}.metricName`, custom.metricName,
          `expected a platform metric of ${table.armType}: ${Object.keys(table.metrics).join(', ')}.`);
      }
      if (metric && !isUnresolved(custom.aggregation) && !metric.aggregations.includes(custom.aggregation)) {
        throw new ConstructValidationError(this, `${prop}.aggregation`, custom.aggregation, `expected an aggregation of ${custom.metricName}: ${metric.aggregations.join(', ')}.`);
      }
      checkOneOf(this, `${prop}.operator`, custom.operator, OPERATORS);
      if (!isUnresolved(custom.threshold) && !Number.isFinite(custom.threshold)) {
        throw new ConstructValidationError(this, `${prop}.threshold`, custom.threshold, 'expected a finite number.');
      }
      checkInteger(this, `${prop}.severity`, custom.severity, 0, 4);
      const windowSize = custom.windowSize ?? 'PT5M';
      const frequency = custom.frequency ?? 'PT1M';
      checkOneOf(this, `${prop}.windowSize`, windowSize, WINDOWS);
      checkOneOf(this, `${prop}.frequency`, frequency, FREQUENCIES);
      if (durationMinutes(frequency) > durationMinutes(windowSize)) {
        throw new ConstructValidationError(this, `${prop}.frequency`, frequency, `expected a frequency no longer than the window (${windowSize}).`);
      }
      if (metric && durationMinutes(windowSize) < durationMinutes(metric.minTimeGrain)) {
        throw new ConstructValidationError(this, `${prop}.windowSize`, windowSize, `expected a window no shorter than ${custom.metricName}'s smallest time grain (${metric.minTimeGrain}).`);
      }
      const dimensions = Object.entries(custom.dimensions ?? {}).map(([name, values]) => {
        if (metric && !metric.dimensions.includes(name)) {
          throw new ConstructValidationError(this, `${prop}.dimensions`, name, `expected a dimension of ${custom.metricName}: ${metric.dimensions.join(', ') || 'none'}.`);
        }
        return { name, operator: 'Include', values };
      });
      this.alerts.push(this.createAlert(props, custom.name, custom.name, `${custom.metricName} ${custom.aggregation} ${custom.operator} ${custom.threshold}`, {
        metricNamespace: table.metricNamespace,
        metricName: custom.metricName,
        aggregation: custom.aggregation,
        operator: custom.operator,
        threshold: custom.threshold,
        dimensions,
        windowSize,
        frequency,
        severity: custom.severity ?? 3,
      }));
    });
  }

  private createAlert(props: ResourceAlertsProps, id: string, displayName: string, description: string, spec: {
    metricNamespace: string;
    metricName: string;
    aggregation: string;
    operator: string;
    threshold?: number;
    dynamic?: CatalogMetricAlert['dynamic'];
    dimensions: Array<{ name: string; operator: string; values: string[] }>;
    windowSize: string;
    frequency: string;
    severity: number;
    autoMitigate?: boolean;
  }): MonitorMetricAlert {
    const criterion = {
      metricNamespace: spec.metricNamespace,
      metricName: spec.metricName,
      aggregation: spec.aggregation,
      operator: spec.operator,
      dimension: spec.dimensions.length > 0 ? spec.dimensions.map((d) => ({ ...d })) : undefined,
    };
    const config: MonitorMetricAlertConfig = {
      name: `${props.namePrefix}-${id}`,
      resourceGroupName: props.resourceGroupName,
      scopes: [props.targetResourceId],
      description: `${displayName}: ${description}`.slice(0, 1000),
      severity: spec.severity,
      windowSize: spec.windowSize,
      frequency: spec.frequency,
      autoMitigate: spec.autoMitigate,
      criteria: spec.dynamic ? undefined : [{ ...criterion, threshold: spec.threshold! }],
      dynamicCriteria: spec.dynamic ? {
        ...criterion,
        alertSensitivity: spec.dynamic.alertSensitivity,
        evaluationTotalCount: spec.dynamic.evaluationTotalCount,
        evaluationFailureCount: spec.dynamic.evaluationFailureCount,
      } : undefined,
      action: [{ actionGroupId: props.actionGroupId }],
      tags: props.tags,
    };
    return new MonitorMetricAlert(this, id, config);
  }
}
