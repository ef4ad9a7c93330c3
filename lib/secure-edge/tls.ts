import { IConstruct } from 'constructs';
import { ConstructValidationError } from '../core/errors';

/** Lowest TLS version a custom TLS policy accepts. */
export enum TlsProtocolVersion {
  /** TLS 1.2 (and 1.3). */
  TLS1_2 = 'TLSv1_2',
  /** TLS 1.3 only. */
  TLS1_3 = 'TLSv1_3',
}

/** TLS 1.2 cipher suites offered by a custom TLS policy: forward secret AEAD suites only. */
export enum TlsCipherSuite {
  /** ECDHE key exchange, ECDSA certificate, AES-256-GCM. */
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 = 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  /** ECDHE key exchange, ECDSA certificate, AES-128-GCM. */
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 = 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  /** ECDHE key exchange, RSA certificate, AES-256-GCM. */
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 = 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  /** ECDHE key exchange, RSA certificate, AES-128-GCM. */
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 = 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
}

/** Options of `TlsPolicy.custom`. */
export interface CustomTlsPolicyOptions {
  /**
   * Lowest TLS version accepted.
   * @default TlsProtocolVersion.TLS1_2
   */
  readonly minProtocolVersion?: TlsProtocolVersion;
  /**
   * TLS 1.2 cipher suites, in order of preference. Not allowed with a TLS 1.3 minimum, whose
   * suites Azure fixes.
   * @default - the four ECDHE AES-GCM suites
   */
  readonly cipherSuites?: TlsCipherSuite[];
}

/** Azure's predefined policies that refuse TLS 1.0 and 1.1. */
const PREDEFINED_TLS12 = ['AppGwSslPolicy20220101S', 'AppGwSslPolicy20220101', 'AppGwSslPolicy20170401S'];

/** The TLS policy of the gateway's listeners. */
export class TlsPolicy {
  /**
   * A predefined Azure policy. Only the TLS 1.2+ ones are accepted: `AppGwSslPolicy20220101S`
   * (the default; TLS 1.2 and 1.3, strongest ciphers), `AppGwSslPolicy20220101`, `AppGwSslPolicy20170401S`.
   */
  public static predefined(policyName: string): TlsPolicy {
    return new TlsPolicy(policyName, undefined);
  }

  /** A custom (CustomV2) policy with a TLS 1.2 or 1.3 minimum. */
  public static custom(options: CustomTlsPolicyOptions = {}): TlsPolicy {
    return new TlsPolicy(undefined, options);
  }

  /** Name of the predefined policy, or undefined for a custom policy. */
  public readonly policyName?: string;
  private readonly customOptions?: CustomTlsPolicyOptions;

  private constructor(policyName: string | undefined, custom: CustomTlsPolicyOptions | undefined) {
    this.policyName = policyName;
    this.customOptions = custom;
  }

  /**
   * Checks the policy and renders the provider's `ssl_policy` block.
   * @internal
   */
  public _render(scope: IConstruct, prop: string): { policyType: string; policyName?: string; minProtocolVersion?: string; cipherSuites?: string[] } {
    if (this.customOptions === undefined) {
      if (!PREDEFINED_TLS12.includes(this.policyName as string)) {
        throw new ConstructValidationError(scope, `${prop}.policyName`, this.policyName,
          `expected a predefined policy that refuses TLS 1.0 and 1.1: ${PREDEFINED_TLS12.join(', ')}.`);
      }
      return { policyType: 'Predefined', policyName: this.policyName };
    }
    const min = this.customOptions.minProtocolVersion ?? TlsProtocolVersion.TLS1_2;
    const allowedVersions = Object.values(TlsProtocolVersion) as string[];
    if (!allowedVersions.includes(min)) {
      throw new ConstructValidationError(scope, `${prop}.minProtocolVersion`, min, `expected one of ${allowedVersions.join(', ')}.`);
    }
    const suites = this.customOptions.cipherSuites;
    if (min === TlsProtocolVersion.TLS1_3) {
      if (suites !== undefined) {
        throw new ConstructValidationError(scope, `${prop}.cipherSuites`, suites,
          'TLS 1.2 cipher suites do not apply with a TLS 1.3 minimum; remove them.');
      }
      return { policyType: 'CustomV2', minProtocolVersion: min };
    }
    const allowedSuites = Object.values(TlsCipherSuite) as string[];
    if (suites !== undefined && (suites.length === 0 || suites.some((s) => !allowedSuites.includes(s)))) {
      throw new ConstructValidationError(scope, `${prop}.cipherSuites`, suites,
        `expected one or more of ${allowedSuites.join(', ')}.`);
    }
    if (suites !== undefined && new Set(suites).size !== suites.length) {
      throw new ConstructValidationError(scope, `${prop}.cipherSuites`, suites, 'each cipher suite must be listed once.');
    }
    return { policyType: 'CustomV2', minProtocolVersion: min, cipherSuites: suites ?? allowedSuites };
  }
}
