import * as fs from 'fs';
import { join } from 'path';
import { IConstruct } from 'constructs';
import { infoOf } from './catalog';
import { PolicyIndex, ResourceContext } from './private/context';
import { closest } from './private/distance';
import { isExplained } from './private/explained';
import { Json, UnknownRead, trackUnknowns } from './private/values';
import { BUILT_IN_RULES } from './rules';
import { PolicySuppression, PolicySuppressions, SUPPRESSIONS_METADATA } from './suppressions';
import { IPolicyRule, PolicyFinding, PolicyResource, PolicyRuleInfo, RuleLevel, RuleResult } from './types';
import { Annotations, App, Aspects, IAspect, TerraformResource, TerraformStack } from '../core/cdktf';
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
  /**
   * Report what the pack cannot verify as errors. A rule cannot verify a resource when the
   * attribute it judges is only known at plan time (a Terraform expression, or a variable without
   * a default); the pack reports "cannot verify <attribute>", as a warning unless `strict`.
   * @default false
   */
  readonly strict?: boolean;
}

/**
 * The policy pack: what Checkov, Trivy and kube-score check on the resources of this library
 * (and on hand-written ones), Istio's security guidance, and the joints of the topology.
 *
 * Each resource is judged as the stack's final Terraform JSON holds it, by the rules for its type:
 * the pack reads the JSON that synthesis writes (the stack's `toTerraform()`, wrapped), so its
 * configuration, its escape hatches, the stack's `addOverride`s and the changes of every Aspect are
 * in it, and nothing is resolved twice; a variable's default stands in for the variable. Inside
 * `app.synth()` (with `applyTo(app)`) the stacks are judged together when the last one is
 * synthesized, so that cross-stack rules see every stack as written; a stack with errors is removed
 * from the output. Findings are annotations on the construct that owns the resource (error or
 * warning; info for suppressed ones, naming the reason), also in manifest.json; errors fail
 * synthesis with every problem and its fix. An attribute only known at plan time is not compliant:
 * the pack reports that it cannot verify it (a warning, an error under `strict`). Suppressions must
 * name a rule of the pack (checked when the stack validates).
 *
 * Use `GatewayMeshChecks.applyTo(app)` (or a stack, or any construct): it adds the Aspect (which
 * marks what to judge) and registers the validation. cdktf 0.21 does not run Aspects added to the
 * App itself, so `applyTo` adds the pack to each stack of the app. `Aspects.of(stack).add(new
 * GatewayMeshChecks())` also works with `app.synth()`: each stack is then judged when it is written.
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
    if (App.isApp(scope)) checks.judgeStacksTogetherIn(scope);
    if (stack) {
      checks.register(stack);
      checks.watch(stack);
    } else {
      for (const s of scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c))) {
        Aspects.of(s).add(checks);
        checks.register(s);
        checks.watch(s);
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
  private readonly checkedSuppressions = new Set<IConstruct>();
  private readonly suppressionErrors = new Map<TerraformStack, string[]>();
  private readonly wholeStacks = new Set<TerraformStack>();
  private readonly validatedStacks = new Set<TerraformStack>();
  private readonly overrideOnly = new Map<TerraformStack, PolicyFinding[]>();
  /** Stacks whose synthesis the pack judges (their toTerraform is wrapped), and what it wrote for each. */
  private readonly watched = new Set<TerraformStack>();
  private readonly finalJson = new Map<TerraformStack, Json>();
  private readonly judgedStacks = new Set<TerraformStack>();
  /** Resources the Aspect visited: judged even outside the pack's scopes (an Aspect added below a stack). */
  private readonly visited = new Set<TerraformResource>();
  /** Apps inside their app.synth() (through applyTo): their stacks are judged together, with the last one. */
  private readonly synthesizing = new Set<App>();

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
      this.wholeStacks.add(node);
      this.register(node);
      this.watch(node);
    } else if (TerraformResource.isTerraformResource(node)) {
      // Judged when its stack is synthesized: what the stack's final JSON holds, after every Aspect.
      this.visited.add(node);
      const stack = TerraformStack.of(node);
      this.register(stack);
      this.watch(stack);
    }
  }

  /**
   * Judges the stack when synthesis writes it: cdktf's `toTerraform()` (and `toHclTerraform()`) of the
   * stack is wrapped, so the pack reads the exact JSON that synthesis writes (overrides and escape hatches
   * merged, after every Aspect and validation), and nothing is resolved twice for it.
   */
  private watch(stack: TerraformStack): void {
    if (this.watched.has(stack)) return;
    this.watched.add(stack);
    const target = stack as unknown as { toTerraform(): Json; toHclTerraform(): Json };
    const toTerraform = target.toTerraform.bind(stack);
    const toHclTerraform = target.toHclTerraform.bind(stack);
    target.toTerraform = () => {
      const json = toTerraform();
      this.synthesized(stack, json);
      return json;
    };
    target.toHclTerraform = () => {
      this.synthesized(stack, toTerraform());
      return toHclTerraform();
    };
  }

  /**
   * Inside `app.synth()`, the stacks of the app are judged together when the last one is synthesized,
   * so that each rule sees every stack as written (a subnet's NSG in one stack, the gateway in the
   * next). A stack that fails has its file removed: cdktf.out never holds a stack the pack rejected.
   */
  private judgeStacksTogetherIn(app: App): void {
    const target = app as unknown as { synth(): void };
    const synth = target.synth.bind(app);
    target.synth = () => {
      this.synthesizing.add(app);
      try {
        synth();
      } finally {
        this.synthesizing.delete(app);
        for (const stack of [...this.finalJson.keys()]) if (stack.node.root === app) this.finalJson.delete(stack);
      }
    };
  }

  /**
   * A watched stack's final JSON: judged now, or inside app.synth() with the app's last stack. A stack
   * judged before (e.g. synthesized alone, or drawn) is not judged again; its errors still count.
   */
  private synthesized(stack: TerraformStack, json: Json): void {
    const root = stack.node.root;
    // Rules read the very objects synthesis writes: frozen, a rule that writes into them fails (and is
    // reported as failing) instead of changing the stack.
    deepFreeze(json);
    this.finalJson.set(stack, json);
    const app = App.isApp(root) && this.synthesizing.has(root) ? root : undefined;
    if (app && [...this.watched].some((s) => s.node.root === root && !this.finalJson.has(s))) return;
    const finals = new Map([...this.finalJson].filter(([s]) => s.node.root === root));
    const pending = [...finals.keys()].filter((s) => !this.judgedStacks.has(s));
    if (pending.length > 0) {
      const index = new PolicyIndex(root, finals);
      for (const s of pending) this.judgeStack(index, s);
    }
    if (!app) {
      throwErrors(this.errorsOfStack(stack));
      return;
    }
    const failed = [...finals.keys()].filter((s) => this.errorsOfStack(s).length > 0);
    for (const s of failed) {
      if (s === stack) continue; // not written yet: the error stops it
      fs.rmSync(join(app.outdir, app.manifest.forStack(s).synthesizedStackPath), { force: true });
    }
    throwErrors(failed.flatMap((s) => this.errorsOfStack(s)));
  }

  /** Judges the resources of a stack that the pack covers, from the index built on the stacks' final JSON. */
  private judgeStack(index: PolicyIndex, stack: TerraformStack): void {
    this.judgedStacks.add(stack);
    const whole = this.wholeStacks.has(stack) || this.scopes.some((scope) => scope === stack || stack.node.scopes.includes(scope));
    const within = this.scopes.filter((scope) => scope !== stack && scope.node.scopes.includes(stack));
    const annotated = this.annotationsBefore(stack);
    const overrideOnly: PolicyFinding[] = [];
    for (const [owner, resource] of index.resourcesOfStack(stack)) {
      if (TerraformStack.isStack(owner)) {
        if (whole) overrideOnly.push(...this.judge(index, resource, owner));
        continue;
      }
      if (!whole && !this.visited.has(owner) && !within.some((scope) => owner.node.scopes.includes(scope))) continue;
      if (this.evaluated.has(owner)) continue;
      this.evaluated.set(owner, this.judge(index, resource, owner));
      const list = this.evaluatedByStack.get(stack);
      if (list) list.push(owner);
      else this.evaluatedByStack.set(stack, [owner]);
    }
    if (whole) this.overrideOnly.set(stack, overrideOnly);
    annotated?.();
  }

  /**
   * cdktf collects a stack's annotations into manifest.json before it writes the stack: returns a
   * function that adds the ones the pack reported since, so that \`cdktf synth\` prints them too.
   */
  private annotationsBefore(stack: TerraformStack): (() => void) | undefined {
    const root = stack.node.root;
    if (!App.isApp(root)) return undefined;
    const owners = stack.node.findAll();
    const counts = new Map(owners.map((c) => [c, c.node.metadata.length]));
    return () => {
      type StackAnnotation = { constructPath: string; level: string; message: string; stacktrace?: string[] };
      const annotations = root.manifest.forStack(stack).annotations as unknown as StackAnnotation[];
      for (const c of owners) {
        for (const entry of c.node.metadata.slice(counts.get(c))) {
          if (typeof entry.type === 'string' && entry.type.startsWith('@cdktf/')) {
            annotations.push({ constructPath: c.node.path, level: entry.type, message: entry.data, stacktrace: entry.trace });
          }
        }
      }
    };
  }

  /** The unsuppressed errors the pack found in a stack it judged. */
  private errorsOfStack(stack: TerraformStack): string[] {
    return [
      ...(this.evaluatedByStack.get(stack) ?? []).flatMap((r) => errorsOf(this.evaluated.get(r) ?? [])),
      ...errorsOf(this.overrideOnly.get(stack) ?? []),
    ];
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
    const index = this.indexFor(resource);
    const policyResource: PolicyResource | undefined = index.resourceOf(resource) ?? PolicyIndex.resolve(resource);
    const findings = policyResource ? this.judge(index, policyResource, resource) : [];
    this.evaluated.set(resource, findings);
    const stack = TerraformStack.of(resource);
    const list = this.evaluatedByStack.get(stack);
    if (list) list.push(resource);
    else this.evaluatedByStack.set(stack, [resource]);
    this.register(stack);
    return findings;
  }

  /** Runs the rules for a resource's type on it, annotating `owner` (the construct, or the stack for a resource only an override writes). */
  private judge(index: PolicyIndex, policyResource: PolicyResource, owner: IConstruct): PolicyFinding[] {
    const rulesByType = this.setup(owner);
    const findings: PolicyFinding[] = [];
    const context = new ResourceContext(index, policyResource);
    const suppressions = PolicySuppressions.of(owner);
    for (const rule of rulesByType.get(policyResource.type) ?? []) {
      let message: string | undefined;
      let level = rule.level;
      let unverified: string[] | undefined;
      try {
        const { result, reads } = trackUnknowns(() => rule.evaluate(policyResource.config, context));
        if (result === RuleResult.NON_COMPLIANT) {
          const variables = index.variableDefaultsUsed(policyResource);
          const judgedDefaults = variables.length === 0 ? ''
            : ` (judged with the default of variable ${variables.join(', ')}; a value given at plan time is not checked)`;
          // Rules that can say which instance broke them (a path, a port, an NSG rule) say it first.
          const details = isExplained(rule) ? rule.explain(policyResource.config, context) : [];
          message = `${rule.id}: ${details.length > 0 ? `${details.join(' ')} ` : ''}${rule.description}${judgedDefaults} Fix: ${rule.fix} [${rule.scannerChecks.join(', ')}]`;
        } else if (result === RuleResult.NOT_APPLICABLE && reads.length > 0) {
          unverified = attributePaths(policyResource.config, reads);
          if (unverified.length > 0) {
            level = this.props.strict ? RuleLevel.ERROR : RuleLevel.WARNING;
            message = `${rule.id}: cannot verify ${unverified.join(', ')}: only known at plan time (a Terraform expression, or a variable without a default). `
              + `${rule.description} Give a value the pack can judge (a literal, or a variable default), or suppress the rule here with a reason. [${rule.scannerChecks.join(', ')}]`;
          }
        }
      } catch (e) {
        message = `${rule.id}: the rule failed on this resource (${e instanceof Error ? e.message : String(e)}); fix the rule or disable it.`;
      }
      if (message === undefined) continue;
      const suppression = suppressions.find((s) => s.id === rule.id);
      const finding: PolicyFinding = {
        ruleId: rule.id,
        level,
        path: owner.node.path,
        address: policyResource.address,
        message,
        suppressionReason: suppression?.reason,
        unverifiedAttributes: unverified,
      };
      findings.push(finding);
      const annotations = Annotations.of(owner);
      if (suppression) annotations.addInfo(`${rule.id} suppressed: ${suppression.reason}`);
      else if (level === RuleLevel.ERROR) annotations.addError(message);
      else annotations.addWarning(message);
    }
    this.allFindings.push(...findings);
    return findings;
  }

  /** An error for each suppression (on `construct` itself) that names no rule of the pack, listing the closest ids. */
  private checkSuppressions(construct: IConstruct): string[] {
    if (this.checkedSuppressions.has(construct)) return [];
    this.checkedSuppressions.add(construct);
    const own: PolicySuppression[] = [];
    for (const entry of construct.node.metadata) {
      if (entry.type === SUPPRESSIONS_METADATA && Array.isArray(entry.data)) own.push(...entry.data);
    }
    if (own.length === 0) return [];
    const known = [...BUILT_IN_RULES, ...(this.props.additionalRules ?? [])].map((r) => r.id);
    const knownSet = new Set(known);
    const errors: string[] = [];
    for (const s of own) {
      if (knownSet.has(s.id)) continue;
      const message = `PolicySuppressions: unknown rule id ${JSON.stringify(s.id)}: no rule of the pack has it, so it suppresses nothing. `
        + `Did you mean ${closest(s.id, known, 3).join(', ')}? (GatewayMeshChecks.catalog() lists the rules.)`;
      Annotations.of(construct).addError(message);
      errors.push(`[${construct.node.path}] ${message}`);
    }
    return errors;
  }

  /** The stack's validation: judges the resources in the pack's scopes, returns one message per unsuppressed error. */
  private validateStack(stack: TerraformStack): string[] {
    this.refresh(stack);
    const suppressionErrors = this.suppressionErrors.get(stack) ?? [];
    this.suppressionErrors.set(stack, suppressionErrors);
    let wholeStack = this.wholeStacks.has(stack);
    for (const scope of this.scopes) {
      let within: IConstruct | undefined;
      if (stack.node.scopes.includes(scope)) within = stack;
      else if (scope.node.scopes.includes(stack)) within = scope;
      if (!within) continue;
      if (within === stack) wholeStack = true;
      for (const c of within.node.findAll()) {
        const resource = TerraformResource.isTerraformResource(c);
        if (!resource && !hasSuppressions(c)) continue;
        if (TerraformStack.of(c) !== stack) continue;
        suppressionErrors.push(...this.checkSuppressions(c));
        // A watched stack is judged when it is synthesized (watch()); the others here.
        if (resource && !this.watched.has(stack)) this.check(c);
      }
    }
    if (wholeStack && !this.watched.has(stack)) this.checkOverrideOnly(stack);
    this.validatedStacks.add(stack);
    this.releaseIndexWhenDone(stack);
    return [
      ...suppressionErrors,
      ...(this.evaluatedByStack.get(stack) ?? []).flatMap((r) => errorsOf(this.evaluated.get(r) ?? [])),
      ...errorsOf(this.overrideOnly.get(stack) ?? []),
    ];
  }

  /**
   * Drops the app's index (every resolved resource) once every stack of the app has been validated,
   * so that the memory is free for the writing of the last stack; a later check rebuilds it.
   */
  private releaseIndexWhenDone(stack: TerraformStack): void {
    const root = stack.node.root;
    if (!this.indexes.has(root)) return;
    const stacks = root.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
    if (stacks.every((s) => this.validatedStacks.has(s))) this.indexes.delete(root);
  }

  /** Judges the resources that only a stack-level override writes (once), reported on the stack. */
  private checkOverrideOnly(stack: TerraformStack): PolicyFinding[] {
    const done = this.overrideOnly.get(stack);
    if (done) return done;
    const index = this.indexFor(stack);
    const findings = index.resourcesWithoutConstruct(stack).flatMap((r) => this.judge(index, r, stack));
    this.overrideOnly.set(stack, findings);
    return findings;
  }

  /** The app's validation: stacks created after `applyTo` that no stack validation covered. */
  private validateUnregistered(scope: IConstruct): string[] {
    const late = scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c) && !this.registered.has(c));
    return late.flatMap((stack) => {
      this.registered.add(stack);
      this.refresh(stack);
      const constructs = stack.node.findAll().filter((c) => TerraformStack.of(c) === stack);
      return [
        ...constructs.flatMap((c) => this.checkSuppressions(c)),
        ...constructs.filter((c): c is TerraformResource => TerraformResource.isTerraformResource(c)).flatMap((r) => errorsOf(this.check(r))),
        ...errorsOf(this.checkOverrideOnly(stack)),
      ];
    });
  }
}

function hasSuppressions(construct: IConstruct): boolean {
  return construct.node.metadata.some((e) => e.type === SUPPRESSIONS_METADATA);
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

/** Fails synthesis as cdktf's validation does, with one line per error. */
function throwErrors(errors: string[]): void {
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

function errorsOf(findings: PolicyFinding[]): string[] {
  return findings
    .filter((f) => f.level === RuleLevel.ERROR && f.suppressionReason === undefined)
    .map((f) => `[${f.path}] ${f.message}`);
}


/** The paths (e.g. `policy_settings.mode`) of the unknown attributes read inside `config`; reads elsewhere are left out. */
function attributePaths(config: { [key: string]: any }, reads: UnknownRead[]): string[] {
  const paths = new Map<object, string>();
  const visit = (value: any, path: string): void => {
    if (value === null || typeof value !== 'object' || paths.has(value)) return;
    paths.set(value, path);
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, value.length === 1 ? path : `${path}[${i}]`));
    else for (const [k, v] of Object.entries(value)) visit(v, path === '' ? k : `${path}.${k}`);
  };
  visit(config, '');
  const out: string[] = [];
  for (const read of reads) {
    const parent = paths.get(read.parent);
    if (parent === undefined) continue;
    const path = parent === '' ? read.key : `${parent}.${read.key}`;
    if (!out.includes(path)) out.push(path);
  }
  return out;
}
