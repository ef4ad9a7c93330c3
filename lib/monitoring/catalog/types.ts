// Shapes of the generated catalogs (internal: not exported from the package).

/** A dimension filter of a metric alert. */
export interface CatalogDimension {
  readonly name: string;
  readonly operator: string;
  readonly values: string[];
}

/** One recommended metric alert, as AMBA defines it (with the library's documented adjustments). */
export interface CatalogMetricAlert {
  readonly metricName: string;
  readonly displayName: string;
  readonly description: string;
  readonly metricNamespace: string;
  readonly aggregation: string;
  readonly operator: string;
  /** Static threshold; absent for a dynamic-threshold alert. */
  readonly threshold?: number;
  /** Dynamic threshold settings. */
  readonly dynamic?: { readonly alertSensitivity: string; readonly evaluationTotalCount: number; readonly evaluationFailureCount: number };
  readonly windowSize: string;
  readonly frequency: string;
  readonly severity: number;
  readonly autoMitigate?: boolean;
  readonly dimensions: CatalogDimension[];
  /** Why the library departs from AMBA here. */
  readonly adjustment?: string;
  readonly ambaGuid: string;
}

/** Supported metrics of one resource type. */
export interface CatalogMetricTable {
  readonly armType: string;
  readonly metricNamespace: string;
  readonly metrics: { readonly [name: string]: { readonly aggregations: string[]; readonly dimensions: string[]; readonly minTimeGrain: string } };
}

export interface CatalogPrometheusAlertRule {
  readonly alert: string;
  readonly expression: string;
  readonly for: string;
  readonly severity: number;
  readonly labels: { readonly [key: string]: string };
  readonly annotations: { readonly [key: string]: string };
  readonly autoResolved: boolean;
  readonly timeToResolve: string;
}

export interface CatalogPrometheusAlertGroup {
  readonly name: string;
  readonly interval: string;
  readonly rules: CatalogPrometheusAlertRule[];
}

export interface CatalogRecordingGroup {
  readonly name: string;
  readonly interval: string;
  readonly rules: Array<{ readonly record: string; readonly expression: string }>;
}
