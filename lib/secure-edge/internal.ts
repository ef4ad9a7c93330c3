// Internal helpers of SecureEdge, not part of the public API (not re-exported from index.ts).

/** Rule group names the provider accepts in overrides and exclusions (azurerm 4.x). */
export const WAF_RULE_GROUP_NAMES: readonly string[] = [
  'APPLICATION-ATTACK-LFI', 'APPLICATION-ATTACK-NodeJS', 'APPLICATION-ATTACK-PHP', 'APPLICATION-ATTACK-RCE',
  'APPLICATION-ATTACK-RFI', 'APPLICATION-ATTACK-SQLI', 'APPLICATION-ATTACK-SESSION-FIXATION',
  'APPLICATION-ATTACK-SESSION-JAVA', 'APPLICATION-ATTACK-XSS', 'BadBots', 'crs_20_protocol_violations',
  'crs_21_protocol_anomalies', 'crs_23_request_limits', 'crs_30_http_policy', 'crs_35_bad_robots',
  'crs_40_generic_attacks', 'crs_41_sql_injection_attacks', 'crs_41_xss_attacks', 'crs_42_tight_security',
  'crs_45_trojans', 'General', 'GoodBots', 'Known-CVEs', 'METHOD-ENFORCEMENT', 'MS-ThreatIntel-AppSec',
  'MS-ThreatIntel-CVEs', 'MS-ThreatIntel-SQLI', 'MS-ThreatIntel-WebShells', 'PROTOCOL-ATTACK',
  'PROTOCOL-ENFORCEMENT', 'REQUEST-911-METHOD-ENFORCEMENT', 'REQUEST-913-SCANNER-DETECTION',
  'REQUEST-920-PROTOCOL-ENFORCEMENT', 'REQUEST-921-PROTOCOL-ATTACK', 'REQUEST-930-APPLICATION-ATTACK-LFI',
  'REQUEST-931-APPLICATION-ATTACK-RFI', 'REQUEST-932-APPLICATION-ATTACK-RCE', 'REQUEST-933-APPLICATION-ATTACK-PHP',
  'REQUEST-941-APPLICATION-ATTACK-XSS', 'REQUEST-942-APPLICATION-ATTACK-SQLI',
  'REQUEST-943-APPLICATION-ATTACK-SESSION-FIXATION', 'REQUEST-944-APPLICATION-ATTACK-JAVA', 'UnknownBots',
];

/** A custom rule rendered for the provider (internal). */
export interface RenderedCustomRule {
  readonly name: string;
  readonly priority: number;
  readonly enabled: boolean;
  readonly ruleType: 'MatchRule' | 'RateLimitRule';
  readonly action: string;
  readonly rateLimitDuration?: string;
  readonly rateLimitThreshold?: number;
  readonly groupRateLimitBy?: string;
  readonly matchConditions: Array<{
    matchVariables: Array<{ variableName: string; selector?: string }>;
    operator: string;
    matchValues?: string[];
    negationCondition: boolean;
    transforms?: string[];
  }>;
}
