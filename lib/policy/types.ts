/** The outcome of one policy rule on one resource. */
export enum RuleResult {
  /** The resource meets the rule. */
  COMPLIANT = 'compliant',
  /** The resource breaks the rule: reported as a finding. */
  NON_COMPLIANT = 'non-compliant',
  /**
   * The rule does not concern this resource, or depends on values only known at plan time (when the
   * rule read them with the pack's readers, the pack reports that it cannot verify them).
   */
  NOT_APPLICABLE = 'not-applicable',
}

/** How a non-compliant finding is reported. */
export enum RuleLevel {
  /** An error annotation that fails synthesis. */
  ERROR = 'error',
  /** A warning annotation; synthesis goes on. */
  WARNING = 'warning',
}

/** A Terraform resource as the policy rules see it. */
export interface PolicyResource {
  /** Terraform resource type, e.g. `azurerm_subnet`. */
  readonly type: string;
  /** Terraform address, e.g. `azurerm_subnet.Network_EdgeSubnet_0A1B2C3D`. */
  readonly address: string;
  /** Construct path, e.g. `platform/Network/EdgeSubnet`. */
  readonly path: string;
  /** The resolved configuration: the resource's snake_case Terraform JSON, without `//` metadata. */
  readonly config: { [key: string]: any };
}

/**
 * What a rule may look at besides the resource it judges: the other resources of the app
 * (every stack), for cross-resource rules such as "every subnet has an NSG".
 */
export interface IPolicyContext {
  /** The resource being judged. */
  readonly resource: PolicyResource;
  /** Every resource of a Terraform type in the app, in construct order. */
  resourcesOfType(type: string): PolicyResource[];
  /**
   * The resource that a Terraform expression refers to, e.g. `${azurerm_subnet.x.id}`,
   * when that resource is in the app; undefined otherwise.
   */
  findReferenced(expression: string): PolicyResource | undefined;
}

/**
 * One rule of a policy pack: a pure function of a resource's resolved configuration.
 * Implement it to add your own rules to `GatewayMeshChecks`.
 */
export interface IPolicyRule {
  /** Stable identifier, e.g. `AGM-AZ-001`; used in findings and suppressions. */
  readonly id: string;
  /** What the rule requires, in one sentence. */
  readonly description: string;
  /** How to fix a finding, said to the user. */
  readonly fix: string;
  /** How a finding is reported. */
  readonly level: RuleLevel;
  /** The scanner checks or published guidance the rule stands for (Checkov, Trivy, kube-score, Istio, Azure Policy). */
  readonly scannerChecks: string[];
  /** Terraform resource types the rule is evaluated on. */
  readonly resourceTypes: string[];
  /** Judges one resource. `config` is the resource in the JSON synthesis writes, frozen: a rule that writes into it fails. */
  evaluate(config: { [key: string]: any }, context: IPolicyContext): RuleResult;
}

/** A finding reported by the pack. */
export interface PolicyFinding {
  /** The rule that found it. */
  readonly ruleId: string;
  /** The rule's level. */
  readonly level: RuleLevel;
  /** Construct path of the resource. */
  readonly path: string;
  /** Terraform address of the resource. */
  readonly address: string;
  /** The message reported: the problem and its fix. */
  readonly message: string;
  /**
   * The reason given when the finding is suppressed.
   * @default - not suppressed
   */
  readonly suppressionReason?: string;
  /**
   * The attributes the rule could not verify, when the finding is "cannot verify" (their values are
   * only known at plan time).
   * @default - the rule judged the resource
   */
  readonly unverifiedAttributes?: string[];
}

/** One row of the rule catalog. */
export interface PolicyRuleInfo {
  /** Rule id. */
  readonly id: string;
  /** What the rule requires. */
  readonly description: string;
  /** How to fix a finding. */
  readonly fix: string;
  /** The rule's level. */
  readonly level: RuleLevel;
  /** Scanner checks or guidance the rule stands for. */
  readonly scannerChecks: string[];
  /** Terraform resource types the rule is evaluated on. */
  readonly resourceTypes: string[];
}
