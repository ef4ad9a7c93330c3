import { IConstruct } from 'constructs';
import { infoOf } from './catalog';
import { PolicyIndex, ResourceContext } from './private/context';
import { isExplained } from './private/explained';
import { BUILT_IN_RULES } from './rules';
import { PolicySuppressions } from './suppressions';
import { IPolicyRule, PolicyFinding, PolicyResource, PolicyRuleInfo, RuleLevel, RuleResult } from './types';
import { Annotations, Aspects, IAspect, TerraformResource, TerraformStack } from '../core/cdktf';
import { ConstructValidationError } from '../core/errors';

/** Props of `GatewayMeshChecks`. */
export interface GatewayMeshChecksProps {
  /**
   * Rules to run besides the built-in ones (ids must not clash with theirs).
   * @default - the built-in rules only
   */
  readonly additionalRules?: IPolicyRule[];
  /**
   * Ids of built-in rules not to run at all (to skip one rule on one resource, use `PolicySuppressions`).
   * @default - every built-in rule runs
   */
  readonly disabledRules?: string[];
}

/**
 * The policy pack: what Checkov, Trivy and kube-score check on the resources of this library
 * (and on hand-written ones), Istio's security guidance, and the joints of the topology.
 *
 * An Aspect over the synthesized resources: each resource's Terraform configuration is resolved
 * once and judged by the rules for its type. Findings are annotations on the resource (error or
 * warning; info for suppressed ones, naming the reason); errors also fail the stack's validation,
 * so synthesis fails with every problem and its fix.
 *
 * Use `GatewayMeshChecks.applyTo(app)` (or a stack, or any construct): it adds the Aspect and
 * registers the validation. cdktf 0.21 does not run Aspects added to the App itself, so `applyTo`
 * adds the pack to each stack of the app. `Aspects.of(stack).add(new GatewayMeshChecks())` also
 * works with `app.synth()`, where Aspects run before validation.
 *
 * @example
 * const checks = GatewayMeshChecks.applyTo(app); // errors fail synth; read checks.findings afterwards
 * PolicySuppressions.add(debugPod, [{ id: 'AGM-K8S-007', reason: 'A pause container has nothing to probe' }]);
 * app.synth();
 */
export class GatewayMeshChecks implements IAspect {
  /** Adds the pack to a scope (an App, a stack or any construct) and returns it, e.g. to read `findings` after synthesis. */
  public static applyTo(scope: IConstruct, props: GatewayMeshChecksProps = {}): GatewayMeshChecks {
    const checks = new GatewayMeshChecks(props);
    checks.setup(scope);
    checks.scopes.push(scope);
    const stack = scope.node.scopes.find((s) => TerraformStack.isStack(s)) as TerraformStack | undefined;
    Aspects.of(scope).add(checks);
    if (stack) {
      checks.register(stack);
    } else {
      for (const s of scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c))) {
        Aspects.of(s).add(checks);
        checks.register(s);
      }
      // Stacks created after applyTo are checked when the app validates, at the end of app.synth().
      scope.node.addValidation({ validate: () => checks.validateUnregistered(scope) });
    }
    return checks;
  }

  /** The built-in rules. */
  public static builtInRules(): IPolicyRule[] {
    return [...BUILT_IN_RULES];
  }

  /** The built-in rules as catalog rows (id, description, fix, level, scanner checks). */
  public static catalog(): PolicyRuleInfo[] {
    return BUILT_IN_RULES.map(infoOf);
  }

  private readonly props: GatewayMeshChecksProps;
  private rulesByType: Map<string, IPolicyRule[]> | undefined;
  private readonly indexes = new Map<IConstruct, PolicyIndex>();
  private readonly evaluated = new Map<TerraformResource, PolicyFinding[]>();
  private readonly evaluatedByStack = new Map<TerraformStack, TerraformResource[]>();
  private readonly registered = new Set<TerraformStack>();
  private readonly scopes: IConstruct[] = [];
  private readonly allFindings: PolicyFinding[] = [];

  constructor(props: GatewayMeshChecksProps = {}) {
    this.props = props ?? {};
  }

  /** Every finding reported so far (suppressed ones included, with their reason). */
  public get findings(): PolicyFinding[] {
    return [...this.allFindings];
  }

  /** The rules the pack runs: the built-in ones not disabled, then the additional ones. */
  public get activeRules(): IPolicyRule[] {
    const disabled = new Set(this.props.disabledRules ?? []);
    return [...BUILT_IN_RULES.filter((r) => !disabled.has(r.id)), ...(this.props.additionalRules ?? [])];
  }

  public visit(node: IConstruct): void {
    this.setup(node);
    if (TerraformStack.isStack(node)) {
      this.register(node);
      this.refresh(node);
    } else if (TerraformResource.isTerraformResource(node)) {
      this.check(node);
    }
  }

  /** Validates the props (with a construct to name in errors) and indexes the rules by resource type, once. */
  private setup(scope: IConstruct): Map<string, IPolicyRule[]> {
    if (this.rulesByType) return this.rulesByType;
    const builtInIds = new Set(BUILT_IN_RULES.map((r) => r.id));
    const additional = this.props.additionalRules ?? [];
    if (!Array.isArray(additional)) throw new ConstructValidationError(scope, 'additionalRules', additional, 'expected a list of IPolicyRule.');
    const ids = new Set(builtInIds);
    additional.forEach((rule, i) => {
      if (!rule || typeof rule.id !== 'string' || rule.id === '' || typeof rule.evaluate !== 'function' || !Array.isArray(rule.resourceTypes)) {
        throw new ConstructValidationError(scope, `additionalRules[${i}]`, rule?.id ?? rule, 'expected an IPolicyRule with an id, resourceTypes and evaluate().');
      }
      if (ids.has(rule.id)) throw new ConstructValidationError(scope, `additionalRules[${i}].id`, rule.id, 'expected an id no other rule of the pack uses.');
      ids.add(rule.id);
    });
    const disabled = this.props.disabledRules ?? [];
    if (!Array.isArray(disabled)) throw new ConstructValidationError(scope, 'disabledRules', disabled, 'expected a list of rule ids.');
    disabled.forEach((id, i) => {
      if (!builtInIds.has(id)) throw new ConstructValidationError(scope, `disabledRules[${i}]`, id, 'expected the id of a built-in rule, e.g. "AGM-AZ-022".');
    });
    const byType = new Map<string, IPolicyRule[]>();
    for (const rule of this.activeRules) {
      for (const type of new Set(rule.resourceTypes)) {
        const list = byType.get(type);
        if (list) list.push(rule);
        else byType.set(type, [rule]);
      }
    }
    this.rulesByType = byType;
    return byType;
  }

  /** Makes the stack's validation report the pack's errors (once per stack). */
  private register(stack: TerraformStack): void {
    if (this.registered.has(stack)) return;
    this.registered.add(stack);
    stack.node.addValidation({ validate: () => this.validateStack(stack) });
  }

  private indexFor(construct: IConstruct): PolicyIndex {
    const root = construct.node.root;
    let index = this.indexes.get(root);
    if (!index) {
      index = new PolicyIndex(root);
      this.indexes.set(root, index);
    }
    return index;
  }

  /** Rebuilds the app's index when constructs were added since it was built. */
  private refresh(construct: IConstruct): void {
    const root = construct.node.root;
    const index = this.indexes.get(root);
    if (index && index.constructCount !== root.node.findAll().length) this.indexes.delete(root);
  }

  /** Judges one resource (once) and reports its findings. */
  private check(resource: TerraformResource): PolicyFinding[] {
    const done = this.evaluated.get(resource);
    if (done) return done;
    const rulesByType = this.setup(resource);
    const index = this.indexFor(resource);
    const policyResource: PolicyResource | undefined = index.resourceOf(resource) ?? PolicyIndex.resolve(resource);
    const findings: PolicyFinding[] = [];
    if (policyResource) {
      const context = new ResourceContext(index, policyResource);
      const suppressions = PolicySuppressions.of(resource);
      for (const rule of rulesByType.get(policyResource.type) ?? []) {
        let message: string | undefined;
        try {
          if (rule.evaluate(policyResource.config, context) === RuleResult.NON_COMPLIANT) {
            // Rules that can say which instance broke them (a path, a port, an NSG rule) say it first.
            const details = isExplained(rule) ? rule.explain(policyResource.config, context) : [];
            message = `${rule.id}: ${details.length > 0 ? `${details.join(' ')} ` : ''}${rule.description} Fix: ${rule.fix} [${rule.scannerChecks.join(', ')}]`;
          }
        } catch (e) {
          message = `${rule.id}: the rule failed on this resource (${e instanceof Error ? e.message : String(e)}); fix the rule or disable it.`;
        }
        if (message === undefined) continue;
        const suppression = suppressions.find((s) => s.id === rule.id);
        const finding: PolicyFinding = {
          ruleId: rule.id,
          level: rule.level,
          path: resource.node.path,
          address: policyResource.address,
          message,
          suppressionReason: suppression?.reason,
        };
        findings.push(finding);
        const annotations = Annotations.of(resource);
        if (suppression) annotations.addInfo(`${rule.id} suppressed: ${suppression.reason}`);
        else if (rule.level === RuleLevel.ERROR) annotations.addError(message);
        else annotations.addWarning(message);
      }
    }
    this.evaluated.set(resource, findings);
    this.allFindings.push(...findings);
    const stack = TerraformStack.of(resource);
    const list = this.evaluatedByStack.get(stack);
    if (list) list.push(resource);
    else this.evaluatedByStack.set(stack, [resource]);
    this.register(stack);
    return findings;
  }

  /** The stack's validation: judges the resources in the pack's scopes, returns one message per unsuppressed error. */
  private validateStack(stack: TerraformStack): string[] {
    this.refresh(stack);
    for (const scope of this.scopes) {
      let within: IConstruct | undefined;
      if (stack.node.scopes.includes(scope)) within = stack;
      else if (scope.node.scopes.includes(stack)) within = scope;
      if (!within) continue;
      for (const c of within.node.findAll()) {
        if (TerraformResource.isTerraformResource(c) && TerraformStack.of(c) === stack) this.check(c);
      }
    }
    return (this.evaluatedByStack.get(stack) ?? []).flatMap((r) => errorsOf(this.evaluated.get(r) ?? []));
  }

  /** The app's validation: stacks created after `applyTo` that no stack validation covered. */
  private validateUnregistered(scope: IConstruct): string[] {
    const late = scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c) && !this.registered.has(c));
    return late.flatMap((stack) => {
      this.registered.add(stack);
      this.refresh(stack);
      return stack.node.findAll()
        .filter((c): c is TerraformResource => TerraformResource.isTerraformResource(c) && TerraformStack.of(c) === stack)
        .flatMap((r) => errorsOf(this.check(r)));
    });
  }
}

function errorsOf(findings: PolicyFinding[]): string[] {
  return findings
    .filter((f) => f.level === RuleLevel.ERROR && f.suppressionReason === undefined)
    .map((f) => `[${f.path}] ${f.message}`);
}

