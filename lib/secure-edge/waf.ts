import { IConstruct } from 'constructs';
import * as ipaddr from 'ipaddr.js';
import { RenderedCustomRule } from './internal';
import { ConstructValidationError, isUnresolved } from '../core/errors';
import { checkInteger, checkPattern, checkRequired } from '../core/validate';

/** What the WAF does with a request that a managed rule flags. */
export enum WafMode {
  /** Block the request (the secure default). */
  PREVENTION = 'Prevention',
  /**
   * Only log the request; nothing is blocked. An insecure opt-out, for tuning a new policy
   * before switching it to prevention.
   */
  DETECTION = 'Detection',
}

/** What happens to a request that matches a custom rule. */
export enum WafRuleAction {
  /** Reject the request with 403. */
  BLOCK = 'Block',
  /** Only log the match. */
  LOG = 'Log',
  /**
   * Let the request through and skip every later rule, managed rules included. Use only for
   * narrow matches: an allow rule that matches broadly switches the WAF off for that traffic.
   */
  ALLOW = 'Allow',
}

/** Action of one managed rule in a rule group override. */
export enum WafManagedRuleAction {
  /** Contribute to the anomaly score (the CRS 3.2 / DRS 2.1 behaviour). */
  ANOMALY_SCORING = 'AnomalyScoring',
  /** Block when the rule matches. */
  BLOCK = 'Block',
  /** Log when the rule matches. */
  LOG = 'Log',
  /** Let the request through when the rule matches. */
  ALLOW = 'Allow',
  /** Answer with a JavaScript challenge (bot manager rules). */
  JS_CHALLENGE = 'JSChallenge',
}

/** The part of the request a custom rule condition inspects. */
export enum WafMatchVariable {
  /** The client address. */
  REMOTE_ADDR = 'RemoteAddr',
  /** The HTTP method. */
  REQUEST_METHOD = 'RequestMethod',
  /** The query string. */
  QUERY_STRING = 'QueryString',
  /** A form field of the body (selector: the field name). */
  POST_ARGS = 'PostArgs',
  /** The request URI. */
  REQUEST_URI = 'RequestUri',
  /** A request header (selector: the header name). */
  REQUEST_HEADERS = 'RequestHeaders',
  /** The request body. */
  REQUEST_BODY = 'RequestBody',
  /** A cookie (selector: the cookie name). */
  REQUEST_COOKIES = 'RequestCookies',
}

/** How a custom rule condition compares the inspected value with its match values. */
export enum WafMatchOperator {
  /** Matches every request; takes no match values. */
  ANY = 'Any',
  /** The client address lies in one of the listed addresses or CIDR blocks. */
  IP_MATCH = 'IPMatch',
  /** The client address is located in one of the listed countries (ISO 3166 alpha-2 codes). */
  GEO_MATCH = 'GeoMatch',
  /** Equals one of the values. */
  EQUAL = 'Equal',
  /** Contains one of the values. */
  CONTAINS = 'Contains',
  /** Numerically less than the value. */
  LESS_THAN = 'LessThan',
  /** Numerically greater than the value. */
  GREATER_THAN = 'GreaterThan',
  /** Numerically less than or equal to the value. */
  LESS_THAN_OR_EQUAL = 'LessThanOrEqual',
  /** Numerically greater than or equal to the value. */
  GREATER_THAN_OR_EQUAL = 'GreaterThanOrEqual',
  /** Begins with one of the values. */
  BEGINS_WITH = 'BeginsWith',
  /** Ends with one of the values. */
  ENDS_WITH = 'EndsWith',
  /** Matches one of the regular expressions. */
  REGEX = 'Regex',
}

/** A transformation applied to the inspected value before it is compared. */
export enum WafTransform {
  /** To lower case. */
  LOWERCASE = 'Lowercase',
  /** To upper case. */
  UPPERCASE = 'Uppercase',
  /** Leading and trailing white space removed. */
  TRIM = 'Trim',
  /** URL-decoded. */
  URL_DECODE = 'UrlDecode',
  /** URL-encoded. */
  URL_ENCODE = 'UrlEncode',
  /** NUL bytes removed. */
  REMOVE_NULLS = 'RemoveNulls',
  /** HTML entities decoded. */
  HTML_ENTITY_DECODE = 'HtmlEntityDecode',
}

/** Window over which a rate limit rule counts requests. */
export enum RateLimitDuration {
  /** One minute. */
  ONE_MINUTE = 'OneMin',
  /** Five minutes. */
  FIVE_MINUTES = 'FiveMins',
}

/** The key a rate limit rule counts requests by. */
export enum RateLimitGroupBy {
  /** Each client address has its own counter. */
  CLIENT_ADDRESS = 'ClientAddr',
  /** Each client country has its own counter. */
  GEO_LOCATION = 'GeoLocation',
  /** One counter for all matching requests. */
  NONE = 'None',
}

/** Whether a geo filter lets only the listed countries in, or keeps them out. */
export enum GeoFilterMode {
  /** Block every country that is not listed. */
  ALLOW_ONLY = 'allow-only',
  /** Block the listed countries. */
  BLOCK = 'block',
}

/** Request parts that a managed rule exclusion can leave out of inspection. */
export enum WafExclusionVariable {
  /** Argument keys. */
  REQUEST_ARG_KEYS = 'RequestArgKeys',
  /** Argument names. */
  REQUEST_ARG_NAMES = 'RequestArgNames',
  /** Argument values. */
  REQUEST_ARG_VALUES = 'RequestArgValues',
  /** Cookie keys. */
  REQUEST_COOKIE_KEYS = 'RequestCookieKeys',
  /** Cookie names. */
  REQUEST_COOKIE_NAMES = 'RequestCookieNames',
  /** Cookie values. */
  REQUEST_COOKIE_VALUES = 'RequestCookieValues',
  /** Header keys. */
  REQUEST_HEADER_KEYS = 'RequestHeaderKeys',
  /** Header names. */
  REQUEST_HEADER_NAMES = 'RequestHeaderNames',
  /** Header values. */
  REQUEST_HEADER_VALUES = 'RequestHeaderValues',
}

/** How an exclusion's selector is compared with the names of the request part. */
export enum WafSelectorOperator {
  /** Equal to the selector. */
  EQUALS = 'Equals',
  /** Contains the selector. */
  CONTAINS = 'Contains',
  /** Starts with the selector. */
  STARTS_WITH = 'StartsWith',
  /** Ends with the selector. */
  ENDS_WITH = 'EndsWith',
  /** Every name (the selector must be `*`). */
  EQUALS_ANY = 'EqualsAny',
}

/** One managed rule whose state or action is overridden. */
export interface WafManagedRuleOverride {
  /** Id of the rule, e.g. `942430`. */
  readonly ruleId: string;
  /**
   * Whether the rule stays on. Azure's own default for an override is off, so this is
   * required: turning a rule off is a deliberate, visible choice.
   */
  readonly enabled: boolean;
  /**
   * Action of the rule.
   * @default - the rule set's action for the rule
   */
  readonly action?: WafManagedRuleAction;
}

/** Overrides for rules of one group of a managed rule set. */
export interface WafRuleGroupOverride {
  /** Name of the rule group, e.g. `APPLICATION-ATTACK-SQLI` (DRS 2.1), `REQUEST-942-APPLICATION-ATTACK-SQLI` (CRS 3.2) or `BadBots` (bot manager). */
  readonly ruleGroupName: string;
  /** The rules to override. */
  readonly rules: WafManagedRuleOverride[];
}

/** Options of the `ManagedRuleSet` factories. */
export interface ManagedRuleSetOptions {
  /**
   * Rule group overrides, e.g. to turn off a rule that produces false positives.
   * @default - no overrides
   */
  readonly ruleGroupOverrides?: WafRuleGroupOverride[];
}

/** A managed rule set of the WAF policy. */
export class ManagedRuleSet {
  /** OWASP Core Rule Set 3.2 (the default core rule set). */
  public static owasp32(options: ManagedRuleSetOptions = {}): ManagedRuleSet {
    return new ManagedRuleSet('OWASP', '3.2', true, options);
  }

  /** Microsoft Default Rule Set 2.1 (CRS 3.3 plus Microsoft threat intelligence rules). */
  public static microsoftDefault21(options: ManagedRuleSetOptions = {}): ManagedRuleSet {
    return new ManagedRuleSet('Microsoft_DefaultRuleSet', '2.1', true, options);
  }

  /** Bot protection: Microsoft_BotManagerRuleSet 1.0. */
  public static botManager10(options: ManagedRuleSetOptions = {}): ManagedRuleSet {
    return new ManagedRuleSet('Microsoft_BotManagerRuleSet', '1.0', false, options);
  }

  /** Rule set type, e.g. `OWASP`. */
  public readonly ruleSetType: string;
  /** Rule set version, e.g. `3.2`. */
  public readonly ruleSetVersion: string;
  /** True for a core rule set (OWASP or Microsoft_DefaultRuleSet), false for the bot manager. */
  public readonly isCoreRuleSet: boolean;
  /** The rule group overrides. */
  public readonly ruleGroupOverrides: WafRuleGroupOverride[];

  private constructor(type: string, version: string, isCore: boolean, options: ManagedRuleSetOptions) {
    this.ruleSetType = type;
    this.ruleSetVersion = version;
    this.isCoreRuleSet = isCore;
    this.ruleGroupOverrides = options.ruleGroupOverrides ?? [];
  }
}


/** A group of managed rules an exclusion applies to. */
export interface WafExclusionRuleGroup {
  /** Name of the rule group of the core rule set. */
  readonly ruleGroupName: string;
  /**
   * Ids of the rules of the group the exclusion applies to.
   * @default - every rule of the group
   */
  readonly ruleIds?: string[];
}

/** A part of the request that managed rules do not inspect (a false-positive fix). */
export interface WafExclusion {
  /** The request part. */
  readonly matchVariable: WafExclusionVariable;
  /** Name (or name fragment) of the header, cookie or argument. */
  readonly selector: string;
  /** How the selector is compared with names. */
  readonly selectorMatchOperator: WafSelectorOperator;
  /**
   * Rule groups of the core rule set the exclusion is limited to.
   * @default - the exclusion applies to every managed rule
   */
  readonly ruleGroups?: WafExclusionRuleGroup[];
}

/** One condition of a custom rule; a rule matches when all its conditions match. */
export interface WafMatchCondition {
  /** The part of the request inspected. */
  readonly matchVariable: WafMatchVariable;
  /**
   * Name of the header, cookie or form field (required for `REQUEST_HEADERS`, `REQUEST_COOKIES`, `POST_ARGS`).
   * @default - none
   */
  readonly selector?: string;
  /** The comparison. */
  readonly matchOperator: WafMatchOperator;
  /**
   * Values compared with the request part (required for every operator but `ANY`).
   * @default - none
   */
  readonly values?: string[];
  /**
   * Invert the condition.
   * @default false
   */
  readonly negate?: boolean;
  /**
   * Transformations applied before comparing.
   * @default - none
   */
  readonly transforms?: WafTransform[];
}

/** What every custom rule has. */
export interface WafCustomRuleBaseOptions {
  /** Name of the rule: letters and digits, starting with a letter, at most 128. */
  readonly name: string;
  /** Evaluation order, 1-100 (lower first), unique within the policy. */
  readonly priority: number;
  /**
   * Whether the rule is active.
   * @default true
   */
  readonly enabled?: boolean;
}

/** Options of `WafCustomRule.ipAllowList` and `WafCustomRule.ipDenyList`. */
export interface WafIpListOptions extends WafCustomRuleBaseOptions {
  /** IP addresses or CIDR blocks (IPv4 or IPv6). */
  readonly addresses: string[];
}

/** Options of `WafCustomRule.geoFilter`. */
export interface WafGeoFilterOptions extends WafCustomRuleBaseOptions {
  /** ISO 3166-1 alpha-2 country codes (`ZZ` = addresses not yet mapped to a country). */
  readonly countryCodes: string[];
  /**
   * Let only the listed countries in, or keep them out.
   * @default GeoFilterMode.BLOCK
   */
  readonly mode?: GeoFilterMode;
}

/** Options of `WafCustomRule.rateLimit`. */
export interface WafRateLimitOptions extends WafCustomRuleBaseOptions {
  /** Requests allowed per window and key before the action applies (at least 1). */
  readonly threshold: number;
  /**
   * Counting window.
   * @default RateLimitDuration.ONE_MINUTE
   */
  readonly duration?: RateLimitDuration;
  /**
   * The key requests are counted by.
   * @default RateLimitGroupBy.CLIENT_ADDRESS
   */
  readonly groupBy?: RateLimitGroupBy;
  /**
   * Which requests count.
   * @default - every request (client address not in 255.255.255.255/32, as Azure's documentation does it)
   */
  readonly conditions?: WafMatchCondition[];
  /**
   * Action once the threshold is exceeded.
   * @default WafRuleAction.BLOCK
   */
  readonly action?: WafRuleAction;
}

/** Options of `WafCustomRule.match`. */
export interface WafMatchRuleOptions extends WafCustomRuleBaseOptions {
  /** Conditions that must all match. */
  readonly conditions: WafMatchCondition[];
  /** Action on a match. */
  readonly action: WafRuleAction;
}


/**
 * A custom rule of the WAF policy. Custom rules run before the managed rule sets, in priority order.
 * Build one with the static factories; it is checked when it is added to a `SecureEdge`.
 */
export class WafCustomRule {
  /**
   * Blocks every client whose address is NOT in the list (an allow list that does not bypass
   * the managed rules: listed clients are still inspected).
   */
  public static ipAllowList(options: WafIpListOptions): WafCustomRule {
    return new WafCustomRule('ipAllowList', options, 'MatchRule', WafRuleAction.BLOCK, [
      { matchVariable: WafMatchVariable.REMOTE_ADDR, matchOperator: WafMatchOperator.IP_MATCH, values: options.addresses, negate: true },
    ], false);
  }

  /** Blocks every client whose address is in the list. */
  public static ipDenyList(options: WafIpListOptions): WafCustomRule {
    return new WafCustomRule('ipDenyList', options, 'MatchRule', WafRuleAction.BLOCK, [
      { matchVariable: WafMatchVariable.REMOTE_ADDR, matchOperator: WafMatchOperator.IP_MATCH, values: options.addresses },
    ], false);
  }

  /** Blocks the listed countries, or every country but the listed ones. */
  public static geoFilter(options: WafGeoFilterOptions): WafCustomRule {
    const allowOnly = (options.mode ?? GeoFilterMode.BLOCK) === GeoFilterMode.ALLOW_ONLY;
    return new WafCustomRule('geoFilter', options, 'MatchRule', WafRuleAction.BLOCK, [
      { matchVariable: WafMatchVariable.REMOTE_ADDR, matchOperator: WafMatchOperator.GEO_MATCH, values: options.countryCodes, negate: allowOnly },
    ], false);
  }

  /** Applies the action (block by default) to a key's requests beyond `threshold` per window. */
  public static rateLimit(options: WafRateLimitOptions): WafCustomRule {
    const conditions = options.conditions ?? [
      { matchVariable: WafMatchVariable.REMOTE_ADDR, matchOperator: WafMatchOperator.IP_MATCH, values: ['255.255.255.255/32'], negate: true },
    ];
    return new WafCustomRule('rateLimit', options, 'RateLimitRule', options.action ?? WafRuleAction.BLOCK, conditions,
      options.conditions !== undefined, {
        threshold: options.threshold,
        duration: options.duration ?? RateLimitDuration.ONE_MINUTE,
        groupBy: options.groupBy ?? RateLimitGroupBy.CLIENT_ADDRESS,
      });
  }

  /** A rule with any conditions and action. */
  public static match(options: WafMatchRuleOptions): WafCustomRule {
    return new WafCustomRule('match', options, 'MatchRule', options.action, options.conditions, true);
  }

  /** Name of the rule. */
  public readonly name: string;
  /** Priority of the rule. */
  public readonly priority: number;

  private readonly kind: string;
  private readonly options: WafCustomRuleBaseOptions;
  private readonly ruleType: 'MatchRule' | 'RateLimitRule';
  private readonly action: WafRuleAction;
  private readonly conditions: WafMatchCondition[];
  /** True when the conditions are the user's own (`conditions` prop), for error messages. */
  private readonly userConditions: boolean;
  private readonly rate?: { threshold: number; duration: RateLimitDuration; groupBy: RateLimitGroupBy };

  private constructor(kind: string, options: WafCustomRuleBaseOptions, ruleType: 'MatchRule' | 'RateLimitRule',
    action: WafRuleAction, conditions: WafMatchCondition[], userConditions: boolean,
    rate?: { threshold: number; duration: RateLimitDuration; groupBy: RateLimitGroupBy }) {
    this.kind = kind;
    this.options = options;
    this.ruleType = ruleType;
    this.action = action;
    this.conditions = conditions;
    this.userConditions = userConditions;
    this.rate = rate;
    this.name = options.name;
    this.priority = options.priority;
  }

  /**
   * Checks the rule and renders it for the provider; `prop` names the rule in error messages.
   * @internal
   */
  public _render(scope: IConstruct, prop: string): RenderedCustomRule {
    checkRequired(scope, `${prop}.name`, this.options.name);
    checkPattern(scope, `${prop}.name`, this.options.name, /^[a-zA-Z][a-zA-Z0-9]{0,127}$/,
      'letters and digits, starting with a letter, at most 128 characters');
    checkRequired(scope, `${prop}.priority`, this.options.priority);
    checkInteger(scope, `${prop}.priority`, this.options.priority, 1, 100);
    checkOneOfEnum(scope, `${prop}.action`, this.action, WafRuleAction);
    if (this.rate) {
      checkRequired(scope, `${prop}.threshold`, this.rate.threshold);
      if (!isUnresolved(this.rate.threshold) && (!Number.isInteger(this.rate.threshold) || this.rate.threshold < 1)) {
        throw new ConstructValidationError(scope, `${prop}.threshold`, this.rate.threshold,
          'expected a whole number of requests, at least 1 (a lower threshold could never be exceeded or would block everything).');
      }
      checkOneOfEnum(scope, `${prop}.duration`, this.rate.duration, RateLimitDuration);
      checkOneOfEnum(scope, `${prop}.groupBy`, this.rate.groupBy, RateLimitGroupBy);
    }
    if (!Array.isArray(this.conditions) || this.conditions.length === 0) {
      throw new ConstructValidationError(scope, `${prop}.conditions`, this.conditions, 'expected at least one match condition.');
    }
    const conditionProp = (i: number) => (this.userConditions ? `${prop}.conditions[${i}]` : prop);
    return {
      name: this.options.name,
      priority: this.options.priority,
      enabled: this.options.enabled ?? true,
      ruleType: this.ruleType,
      action: this.action,
      rateLimitDuration: this.rate?.duration,
      rateLimitThreshold: this.rate?.threshold,
      groupRateLimitBy: this.rate?.groupBy,
      matchConditions: this.conditions.map((c, i) => renderCondition(scope, conditionProp(i), c, this.kind)),
    };
  }
}

function checkOneOfEnum(scope: IConstruct, prop: string, value: unknown, enumType: object): void {
  const allowed = Object.values(enumType) as unknown[];
  if (!allowed.includes(value)) {
    throw new ConstructValidationError(scope, prop, value, `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}.`);
  }
}

const SELECTOR_VARIABLES: readonly string[] = [WafMatchVariable.REQUEST_HEADERS, WafMatchVariable.REQUEST_COOKIES, WafMatchVariable.POST_ARGS];
const NUMERIC_OPERATORS: readonly string[] = [WafMatchOperator.LESS_THAN, WafMatchOperator.GREATER_THAN,
  WafMatchOperator.LESS_THAN_OR_EQUAL, WafMatchOperator.GREATER_THAN_OR_EQUAL];

function renderCondition(scope: IConstruct, prop: string, c: WafMatchCondition, kind: string): RenderedCustomRule['matchConditions'][number] {
  checkOneOfEnum(scope, `${prop}.matchVariable`, c.matchVariable, WafMatchVariable);
  checkOneOfEnum(scope, `${prop}.matchOperator`, c.matchOperator, WafMatchOperator);
  (c.transforms ?? []).forEach((t, i) => checkOneOfEnum(scope, `${prop}.transforms[${i}]`, t, WafTransform));
  if (SELECTOR_VARIABLES.includes(c.matchVariable)) {
    checkRequired(scope, `${prop}.selector`, c.selector);
  } else if (c.selector !== undefined) {
    throw new ConstructValidationError(scope, `${prop}.selector`, c.selector,
      `a selector only applies to ${SELECTOR_VARIABLES.join(', ')}; remove it for ${c.matchVariable}.`);
  }
  // The prop that holds the values, as the user wrote it: addresses, countryCodes or conditions[i].values.
  const valuesProp = kind === 'ipAllowList' || kind === 'ipDenyList' ? `${prop}.addresses`
    : kind === 'geoFilter' ? `${prop}.countryCodes` : `${prop}.values`;
  const values = c.values;
  if (c.matchOperator === WafMatchOperator.ANY) {
    if (values !== undefined && !isUnresolved(values) && values.length > 0) {
      throw new ConstructValidationError(scope, valuesProp, values, 'the Any operator matches every request and takes no values.');
    }
  } else if (!isUnresolved(values)) {
    if (!Array.isArray(values) || values.length === 0) {
      throw new ConstructValidationError(scope, valuesProp, values,
        `expected at least one value: the ${c.matchOperator} operator with no values can never match.`);
    }
    values.forEach((v, i) => {
      if (isUnresolved(v)) return;
      if (typeof v !== 'string' || v === '') {
        throw new ConstructValidationError(scope, `${valuesProp}[${i}]`, v, 'expected a non-empty string.');
      }
    });
  }
  const addressOperator = c.matchOperator === WafMatchOperator.IP_MATCH || c.matchOperator === WafMatchOperator.GEO_MATCH;
  if (addressOperator && c.matchVariable !== WafMatchVariable.REMOTE_ADDR) {
    throw new ConstructValidationError(scope, `${prop}.matchVariable`, c.matchVariable, `the ${c.matchOperator} operator only applies to RemoteAddr.`);
  }
  if (c.matchOperator === WafMatchOperator.IP_MATCH && Array.isArray(values)) {
    values.forEach((v, i) => {
      if (!isUnresolved(v) && !isIpOrCidr(v)) {
        throw new ConstructValidationError(scope, `${valuesProp}[${i}]`, v, 'expected an IPv4 or IPv6 address or CIDR block such as "203.0.113.0/24".');
      }
    });
  }
  if (c.matchOperator === WafMatchOperator.GEO_MATCH && Array.isArray(values)) {
    values.forEach((v, i) => {
      if (!isUnresolved(v) && !COUNTRY_CODES.has(v)) {
        throw new ConstructValidationError(scope, `${valuesProp}[${i}]`, v,
          'expected an upper-case ISO 3166-1 alpha-2 country code such as "DE", or "ZZ" for unmapped addresses.');
      }
    });
  }
  if (NUMERIC_OPERATORS.includes(c.matchOperator) && Array.isArray(values)) {
    values.forEach((v, i) => {
      if (!isUnresolved(v) && !/^\d+$/.test(v)) {
        throw new ConstructValidationError(scope, `${valuesProp}[${i}]`, v, `the ${c.matchOperator} operator compares numbers; expected a whole number.`);
      }
    });
  }
  if (c.matchOperator === WafMatchOperator.REGEX && Array.isArray(values)) {
    values.forEach((v, i) => {
      if (isUnresolved(v)) return;
      try {
        // PCRE and RE2 style leading inline flags such as "(?i)" are common in WAF rules; JavaScript's RegExp lacks them.
        new RegExp(v.replace(/^\(\?[imsx]+\)/, ''));
      } catch {
        throw new ConstructValidationError(scope, `${valuesProp}[${i}]`, v, 'expected a valid regular expression.');
      }
    });
  }
  return {
    matchVariables: [{ variableName: c.matchVariable, selector: c.selector }],
    operator: c.matchOperator,
    matchValues: c.matchOperator === WafMatchOperator.ANY ? undefined : values,
    negationCondition: c.negate ?? false,
    transforms: c.transforms && c.transforms.length > 0 ? c.transforms : undefined,
  };
}

function isIpOrCidr(value: string): boolean {
  if (typeof value !== 'string') return false;
  if (value.includes('/')) {
    try {
      // Reject host bits set ("10.0.0.1/8"): the WAF would silently widen or refuse the block.
      const [address, length] = ipaddr.parseCIDR(value);
      const network = address.kind() === 'ipv4'
        ? ipaddr.IPv4.networkAddressFromCIDR(value)
        : ipaddr.IPv6.networkAddressFromCIDR(value);
      return network.toString() === address.toString() && length >= 0;
    } catch {
      return false;
    }
  }
  return ipaddr.IPv4.isValidFourPartDecimal(value) || ipaddr.IPv6.isValid(value);
}

/** ISO 3166-1 alpha-2 codes, plus `ZZ` (Azure's code for addresses not yet mapped to a country). */
const COUNTRY_CODES = new Set((
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
  'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS ' +
  'MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS ' +
  'RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW ' +
  'TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW ZZ'
).split(' '));
