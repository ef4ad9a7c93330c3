// PromQL of the mesh's golden-signal alerts, on Istio's standard metrics (reported by the destination's
// sidecar, so that every request the service answered counts once).

/** A PromQL string literal. */
function literal(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The label matchers of a service's server-side Istio metrics. */
export function serviceSelector(namespace: string, service: string, extra: string[] = []): string {
  return [
    'reporter="destination"',
    `destination_service_namespace=${literal(namespace)}`,
    `destination_service_name=${literal(service)}`,
    ...extra,
  ].join(', ');
}

/** Share of the service's requests answered with 5xx over 5 minutes, above `ratio` (0-1). */
export function errorRateExpression(namespace: string, service: string, ratio: number): string {
  const all = serviceSelector(namespace, service);
  const errors = serviceSelector(namespace, service, ['response_code=~"5.."']);
  return `sum(rate(istio_requests_total{${errors}}[5m])) / sum(rate(istio_requests_total{${all}}[5m])) > ${ratio}`;
}

/** 99th percentile of the service's request duration over 5 minutes, above `milliseconds`. */
export function latencyExpression(namespace: string, service: string, milliseconds: number, quantile = 0.99): string {
  const selector = serviceSelector(namespace, service);
  return `histogram_quantile(${quantile}, sum by (le) (rate(istio_request_duration_milliseconds_bucket{${selector}}[5m]))) > ${milliseconds}`;
}

/**
 * Requests or TCP connections the service received without mutual TLS (connection_security_policy is
 * `mutual_tls` when the destination proxy saw mTLS) over 5 minutes.
 */
export function mtlsExpression(namespace: string, service: string): string {
  const selector = serviceSelector(namespace, service, ['connection_security_policy!="mutual_tls"']);
  return `(sum(rate(istio_requests_total{${selector}}[5m])) or vector(0)) + (sum(rate(istio_tcp_connections_opened_total{${selector}}[5m])) or vector(0)) > 0`;
}
