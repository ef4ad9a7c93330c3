import { IConstruct } from 'constructs';
import { checkHttpsUrl, hostHeaderFor } from './internal';
import { element, policyFragmentError, renderXml, text, XmlCharacterError, XmlNode } from './xml';
import { cidrHost, cidrSize, parseCidr } from '../core/cidr';
import { IApiBackend } from '../core/contracts';
import { ConstructValidationError, isUnresolved } from '../core/errors';
import { checkHeaderName, checkInteger, checkList, checkLists, checkObject, checkPropsObject, checkRequired } from '../core/validate';
import { forbiddenXmlCharacter, XML_CHARACTERS_ALLOWED } from '../core/xml';

// Typed builders of API Management policy XML, serialized by the library's XML builder: every value
// that lands in an attribute or in element text is escaped (by one function, escapeXml), and values
// XML cannot carry (control characters) are refused, so the documents are well-formed whatever the input.

/** The section of a policy document a policy statement belongs to. */
export enum PolicySection {
  /** Runs on the request, before it is forwarded. */
  INBOUND = 'inbound',
  /** Runs around the call to the backend. */
  BACKEND = 'backend',
  /** Runs on the response. */
  OUTBOUND = 'outbound',
  /** Runs when an error is raised. */
  ON_ERROR = 'on-error',
}

/** The value a rate limit or quota counts by (`counter-key`). */
export class RateLimitKey {
  /**
   * The caller's subscription, or the client IP address for calls without a subscription key.
   * Behind Application Gateway the client IP is the gateway's, so keyless calls share one counter.
   */
  public static subscriptionOrClientIp(): RateLimitKey {
    return new RateLimitKey('@(context.Subscription?.Id ?? context.Request.IpAddress)');
  }

  /** The IP address the request came from (the edge's address when behind Application Gateway). */
  public static clientIp(): RateLimitKey {
    return new RateLimitKey('@(context.Request.IpAddress)');
  }

  /** The value of a request header (empty when absent), e.g. a client id set by the edge. */
  public static header(name: string): RateLimitKey {
    return new RateLimitKey(`@(context.Request.Headers.GetValueOrDefault(${JSON.stringify(name)}, ""))`, name);
  }

  /** Any policy expression or literal, e.g. `@(context.Request.Headers.GetValueOrDefault("x-tenant", ""))`. */
  public static fromExpression(expression: string): RateLimitKey {
    return new RateLimitKey(expression);
  }

  private constructor(
    /** The `counter-key` attribute value. */
    public readonly expression: string,
    /** The header counted by, for `header()` keys (checked when the policy renders). */
    public readonly headerName?: string,
  ) {}
}

/** Options of `ApiPolicy.rateLimitByKey`. */
export interface RateLimitByKeyOptions {
  /** Calls allowed per key in each renewal period (at least 1). */
  readonly calls: number;
  /**
   * Length of the sliding window in seconds (1 to 300, API Management's maximum).
   * @default 60
   */
  readonly renewalPeriod?: number;
  /**
   * What the calls are counted by.
   * @default RateLimitKey.subscriptionOrClientIp()
   */
  readonly key?: RateLimitKey;
  /**
   * Policy expression deciding whether a request counts, e.g. `@(context.Response.StatusCode < 400)`.
   * @default - every request counts
   */
  readonly incrementCondition?: string;
  /**
   * Response header carrying the calls left in the window.
   * @default - not sent
   */
  readonly remainingCallsHeaderName?: string;
}

/** Options of `ApiPolicy.quotaByKey`. */
export interface QuotaByKeyOptions {
  /**
   * Calls allowed per key in each renewal period.
   * @default - no call quota (then `bandwidthKilobytes` is required)
   */
  readonly calls?: number;
  /**
   * Kilobytes allowed per key in each renewal period.
   * @default - no bandwidth quota (then `calls` is required)
   */
  readonly bandwidthKilobytes?: number;
  /** Length of the fixed window in seconds after which the quota resets; 0 never resets it. */
  readonly renewalPeriod: number;
  /**
   * What the quota is counted by.
   * @default RateLimitKey.subscriptionOrClientIp()
   */
  readonly key?: RateLimitKey;
  /**
   * Policy expression deciding whether a request counts.
   * @default - every request counts
   */
  readonly incrementCondition?: string;
}

/** How the values of a required JWT claim are matched. */
export enum ClaimMatch {
  /** Every listed value must be present. */
  ALL = 'all',
  /** At least one listed value must be present. */
  ANY = 'any',
}

/** A claim `validate-jwt` requires. */
export interface RequiredClaim {
  /** Claim name, e.g. `roles` or `scp`. */
  readonly name: string;
  /**
   * Accepted values.
   * @default - the claim must only be present
   */
  readonly values?: string[];
  /**
   * How the values are matched.
   * @default ClaimMatch.ALL
   */
  readonly match?: ClaimMatch;
}

/** Options of `ApiPolicy.validateJwt`. */
export interface ValidateJwtOptions {
  /** Accepted token issuer (`iss`), e.g. `https://login.microsoftonline.com/<tenant>/v2.0`. */
  readonly issuer: string;
  /** Accepted audiences (`aud`); at least one. */
  readonly audiences: string[];
  /** HTTPS URL of the OpenID Connect metadata, from which the signing keys are read. */
  readonly openIdConfigUrl: string;
  /**
   * Header carrying the token.
   * @default "Authorization"
   */
  readonly headerName?: string;
  /**
   * Claims the token must carry.
   * @default - none beyond issuer, audience, signature and expiry
   */
  readonly requiredClaims?: RequiredClaim[];
  /**
   * Clock skew tolerated on `exp` and `nbf`, in seconds.
   * @default - API Management's default (0)
   */
  readonly clockSkewSeconds?: number;
  /**
   * Status code of the rejection.
   * @default 401
   */
  readonly failedValidationStatusCode?: number;
  /**
   * Message of the rejection.
   * @default "Unauthorized"
   */
  readonly failedValidationErrorMessage?: string;
}

/** Options of `ApiPolicy.cors`. */
export interface CorsOptions {
  /** Origins allowed to call, e.g. `https://app.contoso.com`, or `*`. */
  readonly allowedOrigins: string[];
  /**
   * Methods allowed.
   * @default ["GET", "POST", "PUT", "PATCH", "DELETE"]
   */
  readonly allowedMethods?: string[];
  /**
   * Request headers allowed.
   * @default ["Content-Type", "Authorization"]
   */
  readonly allowedHeaders?: string[];
  /**
   * Response headers exposed to the browser.
   * @default - none
   */
  readonly exposeHeaders?: string[];
  /**
   * Whether credentials (cookies, authorization headers) are allowed; refused with the `*` origin.
   * @default false
   */
  readonly allowCredentials?: boolean;
  /**
   * Seconds browsers may cache the preflight response.
   * @default - not set
   */
  readonly preflightResultMaxAge?: number;
}

/** Whether an IP filter lets the listed addresses in or keeps them out. */
export enum IpFilterAction {
  /** Only the listed addresses are let in. */
  ALLOW = 'allow',
  /** The listed addresses are refused. */
  FORBID = 'forbid',
}

/** Options of `ApiPolicy.ipFilter`. */
export interface IpFilterOptions {
  /** Allow or forbid the addresses. */
  readonly action: IpFilterAction;
  /** IPv4 addresses or CIDR blocks, e.g. `10.0.0.4` or `10.0.0.0/24`. */
  readonly addresses: string[];
}

/** Options of `ApiPolicy.routeToBackend`: exactly one of `backend` and `backendId`. */
export interface RouteToBackendOptions {
  /**
   * A backend reached by URL; its host name is sent as Host header.
   * @default - `backendId` is used
   */
  readonly backend?: IApiBackend;
  /**
   * Name of an `azurerm_api_management_backend` entity of the service.
   * @default - `backend` is used
   */
  readonly backendId?: string;
}

/** What `set-header` does when the header already exists. */
export enum HeaderExistsAction {
  /** Replace the value. */
  OVERRIDE = 'override',
  /** Keep the existing value. */
  SKIP = 'skip',
  /** Add the value to the existing ones. */
  APPEND = 'append',
  /** Remove the header. */
  DELETE = 'delete',
}

/** Options of `ApiPolicy.header`. */
export interface HeaderOptions {
  /** Header name. */
  readonly name: string;
  /**
   * Values (literals, policy expressions or `{{named-value}}` references); none with `DELETE`.
   * @default - none (only valid with `HeaderExistsAction.DELETE`)
   */
  readonly values?: string[];
  /**
   * What happens when the header exists.
   * @default HeaderExistsAction.OVERRIDE
   */
  readonly existsAction?: HeaderExistsAction;
  /**
   * On the request (inbound) or on the response (outbound).
   * @default PolicySection.INBOUND
   */
  readonly section?: PolicySection;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', '*'];

/**
 * One statement of an API Management policy document, built from typed options
 * (or raw XML with `fromXml`). Attach it at global, product, API or operation scope
 * with the scope's `addPolicy`.
 */
export class ApiPolicy {
  /** `rate-limit-by-key`: at most `calls` per key in a sliding window; excess calls get 429. */
  public static rateLimitByKey(options: RateLimitByKeyOptions): ApiPolicy {
    return new ApiPolicy(PolicySection.INBOUND, 'rate-limit-by-key', (scope) => {
      options = checkOptions(scope, 'rateLimitByKey', options, []);
      checkXmlValues(scope, 'rateLimitByKey', options);
      checkCount(scope, 'rateLimitByKey.calls', options.calls);
      const period = options.renewalPeriod ?? 60;
      checkInteger(scope, 'rateLimitByKey.renewalPeriod', period, 1, 300);
      checkKey(scope, 'rateLimitByKey.key', options.key);
      if (options.remainingCallsHeaderName !== undefined) checkHeaderName(scope, 'rateLimitByKey.remainingCallsHeaderName', options.remainingCallsHeaderName);
      return element('rate-limit-by-key', {
        'calls': options.calls,
        'renewal-period': period,
        'increment-condition': options.incrementCondition,
        'counter-key': (options.key ?? RateLimitKey.subscriptionOrClientIp()).expression,
        'remaining-calls-header-name': options.remainingCallsHeaderName,
      });
    });
  }

  /** `quota-by-key`: a call and/or bandwidth volume per key and renewal period; excess calls get 403. */
  public static quotaByKey(options: QuotaByKeyOptions): ApiPolicy {
    return new ApiPolicy(PolicySection.INBOUND, 'quota-by-key', (scope) => {
      options = checkOptions(scope, 'quotaByKey', options, []);
      checkXmlValues(scope, 'quotaByKey', options);
      if (options.calls === undefined && options.bandwidthKilobytes === undefined) {
        throw new ConstructValidationError(scope, 'quotaByKey.calls', undefined, 'expected `calls`, `bandwidthKilobytes` or both.');
      }
      if (options.calls !== undefined) checkCount(scope, 'quotaByKey.calls', options.calls);
      if (options.bandwidthKilobytes !== undefined) checkCount(scope, 'quotaByKey.bandwidthKilobytes', options.bandwidthKilobytes);
      checkRequired(scope, 'quotaByKey.renewalPeriod', options.renewalPeriod);
      checkInteger(scope, 'quotaByKey.renewalPeriod', options.renewalPeriod, 0, 3153600000);
      checkKey(scope, 'quotaByKey.key', options.key);
      return element('quota-by-key', {
        'calls': options.calls,
        'bandwidth': options.bandwidthKilobytes,
        'renewal-period': options.renewalPeriod,
        'increment-condition': options.incrementCondition,
        'counter-key': (options.key ?? RateLimitKey.subscriptionOrClientIp()).expression,
      });
    });
  }

  /** `validate-jwt`: rejects requests without a valid, signed, unexpired token for the audience. */
  public static validateJwt(options: ValidateJwtOptions): ApiPolicy {
    return new ApiPolicy(PolicySection.INBOUND, 'validate-jwt', (scope) => {
      options = checkOptions(scope, 'validateJwt', options, ['requiredClaims']);
      (options.requiredClaims ?? []).forEach((claim, i) => {
        checkObject(scope, `validateJwt.requiredClaims[${i}]`, claim);
        checkList(scope, `validateJwt.requiredClaims[${i}].values`, claim.values);
      });
      checkXmlValues(scope, 'validateJwt', options);
      checkRequired(scope, 'validateJwt.issuer', options.issuer);
      checkHttpsUrl(scope, 'validateJwt.openIdConfigUrl', options.openIdConfigUrl);
      if (!Array.isArray(options.audiences) || options.audiences.length === 0) {
        throw new ConstructValidationError(scope, 'validateJwt.audiences', options.audiences, 'expected at least one audience.');
      }
      options.audiences.forEach((a, i) => checkRequired(scope, `validateJwt.audiences[${i}]`, a));
      checkInteger(scope, 'validateJwt.clockSkewSeconds', options.clockSkewSeconds, 0, 3600);
      checkInteger(scope, 'validateJwt.failedValidationStatusCode', options.failedValidationStatusCode, 400, 599);
      const headerName = options.headerName ?? 'Authorization';
      checkHeaderName(scope, 'validateJwt.headerName', headerName);
      const claims = (options.requiredClaims ?? []).map((claim, i) => {
        checkRequired(scope, `validateJwt.requiredClaims[${i}].name`, claim.name);
        const values = (claim.values ?? []).map((v) => element('value', {}, [text(v)]));
        return element('claim', { name: claim.name, match: claim.match ?? ClaimMatch.ALL }, values);
      });
      return element('validate-jwt', {
        'header-name': headerName,
        'failed-validation-httpcode': options.failedValidationStatusCode ?? 401,
        'failed-validation-error-message': options.failedValidationErrorMessage ?? 'Unauthorized',
        'require-expiration-time': true,
        'require-scheme': headerName === 'Authorization' ? 'Bearer' : undefined,
        'require-signed-tokens': true,
        'clock-skew': options.clockSkewSeconds,
      }, [
        element('openid-config', { url: options.openIdConfigUrl }),
        element('audiences', {}, options.audiences.map((a) => element('audience', {}, [text(a)]))),
        element('issuers', {}, [element('issuer', {}, [text(options.issuer)])]),
        ...(claims.length > 0 ? [element('required-claims', {}, claims)] : []),
      ]);
    });
  }

  /** `cors`: answers browsers' preflight requests for the allowed origins. */
  public static cors(options: CorsOptions): ApiPolicy {
    return new ApiPolicy(PolicySection.INBOUND, 'cors', (scope) => {
      options = checkOptions(scope, 'cors', options, ['allowedMethods', 'allowedHeaders', 'exposeHeaders']);
      checkXmlValues(scope, 'cors', options);
      if (!Array.isArray(options.allowedOrigins) || options.allowedOrigins.length === 0) {
        throw new ConstructValidationError(scope, 'cors.allowedOrigins', options.allowedOrigins, 'expected at least one origin.');
      }
      options.allowedOrigins.forEach((origin, i) => {
        if (isUnresolved(origin) || origin === '*') return;
        if (typeof origin !== 'string' || !/^https?:\/\/[^\s/?#]+$/.test(origin)) {
          throw new ConstructValidationError(scope, `cors.allowedOrigins[${i}]`, origin, 'expected "*" or an origin such as "https://app.contoso.com" (scheme and host, no path).');
        }
      });
      if (options.allowCredentials && options.allowedOrigins.includes('*')) {
        throw new ConstructValidationError(scope, 'cors.allowCredentials', true, 'credentials cannot be allowed for the "*" origin; list the origins.');
      }
      const methods = options.allowedMethods ?? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
      methods.forEach((m, i) => {
        if (!isUnresolved(m) && !METHODS.includes(m)) {
          throw new ConstructValidationError(scope, `cors.allowedMethods[${i}]`, m, `expected one of ${METHODS.join(', ')}.`);
        }
      });
      checkInteger(scope, 'cors.preflightResultMaxAge', options.preflightResultMaxAge, 0, 86400);
      const headers = (name: string, values: string[]) => element(name, {}, values.map((h) => element('header', {}, [text(h)])));
      return element('cors', { 'allow-credentials': options.allowCredentials ?? false }, [
        element('allowed-origins', {}, options.allowedOrigins.map((o) => element('origin', {}, [text(o)]))),
        element('allowed-methods', { 'preflight-result-max-age': options.preflightResultMaxAge }, methods.map((m) => element('method', {}, [text(m)]))),
        headers('allowed-headers', options.allowedHeaders ?? ['Content-Type', 'Authorization']),
        ...(options.exposeHeaders && options.exposeHeaders.length > 0 ? [headers('expose-headers', options.exposeHeaders)] : []),
      ]);
    });
  }

  /** `ip-filter`: allows only, or forbids, the listed addresses and CIDR blocks. */
  public static ipFilter(options: IpFilterOptions): ApiPolicy {
    return new ApiPolicy(PolicySection.INBOUND, 'ip-filter', (scope) => {
      options = checkOptions(scope, 'ipFilter', options, []);
      checkXmlValues(scope, 'ipFilter', options);
      if (!Array.isArray(options.addresses) || options.addresses.length === 0) {
        throw new ConstructValidationError(scope, 'ipFilter.addresses', options.addresses, 'expected at least one IPv4 address or CIDR block.');
      }
      const children = options.addresses.map((address, i) => {
        if (isUnresolved(address)) return element('address', {}, [text(address)]);
        if (/^\d{1,3}(\.\d{1,3}){3}$/.test(address) && parseCidr(`${address}/32`)) return element('address', {}, [text(address)]);
        const cidr = parseCidr(address);
        if (!cidr) {
          throw new ConstructValidationError(scope, `ipFilter.addresses[${i}]`, address, 'expected an IPv4 address ("10.0.0.4") or CIDR block ("10.0.0.0/24").');
        }
        if (cidr.prefixLength === 32) return element('address', {}, [text(cidrHost(cidr, 0))]);
        return element('address-range', { from: cidrHost(cidr, 0), to: cidrHost(cidr, cidrSize(cidr) - 1) });
      });
      return element('ip-filter', { action: options.action }, children);
    });
  }

  /** `set-backend-service`: routes the request to another backend (a URL-backed one, or a backend entity). */
  public static routeToBackend(options: RouteToBackendOptions): ApiPolicy {
    return new ApiPolicy(PolicySection.INBOUND, 'set-backend-service', (scope) => {
      options = checkOptions(scope, 'routeToBackend', options, []);
      checkXmlValues(scope, 'routeToBackend', options);
      if ((options.backend === undefined) === (options.backendId === undefined)) {
        throw new ConstructValidationError(scope, 'routeToBackend', options.backendId ?? (options.backend ? 'backend' : undefined),
          'expected exactly one of `backend` and `backendId`.');
      }
      if (options.backendId !== undefined) {
        checkRequired(scope, 'routeToBackend.backendId', options.backendId);
        return element('set-backend-service', { 'backend-id': options.backendId });
      }
      const backend = options.backend!;
      checkHttpsUrl(scope, 'routeToBackend.backend.backendUrl', backend.backendUrl);
      return [element('set-backend-service', { 'base-url': backend.backendUrl }), ...hostHeaderFor(backend)];
    });
  }

  /** `set-header`: sets, appends, keeps or deletes a request or response header. */
  public static header(options: HeaderOptions): ApiPolicy {
    const section = options?.section ?? PolicySection.INBOUND;
    return new ApiPolicy(section, 'set-header', (scope) => {
      options = checkOptions(scope, 'header', options, ['values']);
      checkXmlValues(scope, 'header', options);
      checkHeaderName(scope, 'header.name', options.name);
      if (section !== PolicySection.INBOUND && section !== PolicySection.OUTBOUND) {
        throw new ConstructValidationError(scope, 'header.section', section, 'expected PolicySection.INBOUND or PolicySection.OUTBOUND.');
      }
      const action = options.existsAction ?? HeaderExistsAction.OVERRIDE;
      const values = options.values ?? [];
      if (action === HeaderExistsAction.DELETE ? values.length > 0 : values.length === 0) {
        throw new ConstructValidationError(scope, 'header.values', options.values,
          action === HeaderExistsAction.DELETE ? 'expected no values with HeaderExistsAction.DELETE.' : 'expected at least one value.');
      }
      return element('set-header', { 'name': options.name, 'exists-action': action }, values.map((v) => element('value', {}, [text(v)])));
    });
  }

  /**
   * Escape hatch: a raw XML fragment (one or more policy statements), placed as is in a section.
   * It is not escaped: it must be well-formed XML (checked with an XML parser at synth). Policy
   * expressions (`@(...)`, `@{...}`) may be written as in the portal, unescaped: the policy is sent
   * as `rawxml`.
   *
   * @example
   * ApiPolicy.fromXml('<set-variable name="tenant" value="@(context.Request.Headers.GetValueOrDefault("x-tenant", ""))" />')
   */
  public static fromXml(xml: string, section?: PolicySection): ApiPolicy {
    return new ApiPolicy(section ?? PolicySection.INBOUND, 'xml', (scope) => {
      checkRequired(scope, 'fromXml.xml', typeof xml === 'string' ? xml.trim() : xml);
      if (isUnresolved(xml)) return xml;
      if (typeof xml !== 'string' || !/^\s*</.test(xml)) {
        throw new ConstructValidationError(scope, 'fromXml.xml', xml, 'expected an XML fragment such as "<set-variable name=\\"x\\" value=\\"1\\" />".');
      }
      const problem = policyFragmentError(xml);
      if (problem) {
        throw new ConstructValidationError(scope, 'fromXml.xml', xml, `expected well-formed XML: ${problem}.`);
      }
      return xml.trim();
    });
  }

  private constructor(
    /** The section the statement goes into. */
    public readonly section: PolicySection,
    /** The policy element, e.g. `rate-limit-by-key` (`xml` for raw fragments). */
    public readonly policyName: string,
    private readonly renderer: (scope: IConstruct) => XmlNode | XmlNode[] | string,
  ) {}

  /** The XML of the statement; throws `ConstructValidationError` (naming `scope`) on bad options. */
  public render(scope: IConstruct): string {
    const statement = this.renderer(scope);
    if (typeof statement === 'string') return statement;
    try {
      return renderXml(statement);
    } catch (error) {
      if (error instanceof XmlCharacterError) throw new ConstructValidationError(scope, this.policyName, error.value, XML_CHARACTERS_ALLOWED);
      throw error;
    }
  }
}

/**
 * Throws, naming the option (e.g. `header.values[1]`), when a string in the options holds a character
 * XML 1.0 forbids; walks plain objects, arrays and `RateLimitKey`s (tokens pass).
 */
function checkXmlValues(scope: IConstruct, prop: string, value: unknown): void {
  if (typeof value === 'string') {
    if (!isUnresolved(value) && forbiddenXmlCharacter(value)) throw new ConstructValidationError(scope, prop, value, XML_CHARACTERS_ALLOWED);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => checkXmlValues(scope, `${prop}[${i}]`, item));
  } else if (value instanceof RateLimitKey) {
    checkXmlValues(scope, prop, value.expression);
  } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) checkXmlValues(scope, `${prop}.${key}`, item);
  }
}

/** The options object of a policy helper, and its list-valued fields. */
function checkOptions<T extends object>(scope: IConstruct, helper: string, options: T, lists: string[]): T {
  const checked = checkPropsObject(scope, `${helper}(options)`, options);
  checkLists(scope, checked, lists, `${helper}.`);
  return checked;
}

/** A counter key: a RateLimitKey whose header name (for `header()`) is a header name and whose expression is not blank (every caller would share one counter). */
function checkKey(scope: IConstruct, prop: string, key: RateLimitKey | undefined): void {
  if (key === undefined) return;
  if (!(key instanceof RateLimitKey)) {
    throw new ConstructValidationError(scope, prop, key, 'expected a RateLimitKey, e.g. RateLimitKey.subscriptionOrClientIp().');
  }
  if (key.headerName !== undefined) checkHeaderName(scope, `${prop}.header`, key.headerName);
  if (!isUnresolved(key.expression) && (typeof key.expression !== 'string' || key.expression.trim() === '')) {
    throw new ConstructValidationError(scope, `${prop}.expression`, key.expression, 'expected a policy expression such as @(context.Request.IpAddress): a blank key makes every caller share one counter.');
  }
}

function checkCount(scope: IConstruct, prop: string, value: number): void {
  checkRequired(scope, prop, value);
  checkInteger(scope, prop, value, 1, 2147483647);
}

