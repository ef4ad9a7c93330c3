// Internal helpers of SecureEdge, not part of the public API (not re-exported from index.ts).

/**
 * Rule group names of each managed rule set, keyed `<type>/<version>` (Azure's "DRS and CRS rule groups
 * and rules"): a group of another set is refused by Azure at apply time, so it is refused here.
 */
export const WAF_RULE_GROUPS: Readonly<Record<string, readonly string[]>> = {
  'OWASP/3.2': [
    'General', 'Known-CVEs', 'REQUEST-911-METHOD-ENFORCEMENT', 'REQUEST-913-SCANNER-DETECTION',
    'REQUEST-920-PROTOCOL-ENFORCEMENT', 'REQUEST-921-PROTOCOL-ATTACK', 'REQUEST-930-APPLICATION-ATTACK-LFI',
    'REQUEST-931-APPLICATION-ATTACK-RFI', 'REQUEST-932-APPLICATION-ATTACK-RCE', 'REQUEST-933-APPLICATION-ATTACK-PHP',
    'REQUEST-941-APPLICATION-ATTACK-XSS', 'REQUEST-942-APPLICATION-ATTACK-SQLI',
    'REQUEST-943-APPLICATION-ATTACK-SESSION-FIXATION', 'REQUEST-944-APPLICATION-ATTACK-JAVA',
  ],
  'Microsoft_DefaultRuleSet/2.1': [
    'General', 'METHOD-ENFORCEMENT', 'PROTOCOL-ENFORCEMENT', 'PROTOCOL-ATTACK', 'APPLICATION-ATTACK-LFI',
    'APPLICATION-ATTACK-RFI', 'APPLICATION-ATTACK-RCE', 'APPLICATION-ATTACK-PHP', 'APPLICATION-ATTACK-NodeJS',
    'APPLICATION-ATTACK-XSS', 'APPLICATION-ATTACK-SQLI', 'APPLICATION-ATTACK-SESSION-FIXATION',
    'APPLICATION-ATTACK-SESSION-JAVA', 'MS-ThreatIntel-WebShells', 'MS-ThreatIntel-AppSec', 'MS-ThreatIntel-SQLI',
    'MS-ThreatIntel-CVEs',
  ],
  'Microsoft_BotManagerRuleSet/1.0': ['BadBots', 'GoodBots', 'UnknownBots'],
};

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
