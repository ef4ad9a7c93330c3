/**
 * Terraform itself on synthesized stacks, offline: `terraform validate` and `terraform plan` on every
 * stack of a cdktf app, with the providers served by the harness's own plugin (./terraform/plugin.ts)
 * from the vendored provider schemas (./schemas), installed through a CLI config's `dev_overrides`.
 *
 * Terraform core then checks what the schema validator (./validate.ts) cannot: references to resources,
 * data sources and their attributes, expression and function types, `depends_on` addresses, cycles,
 * provider configuration blocks, and cross-stack remote state: each `terraform_remote_state` must read
 * the state of a stack of the app (resolved as cdktf runs Terraform, in each stack's working
 * directory) and only outputs that stack defines. The plan computes with unknown values for computed
 * attributes and placeholder values for data sources and remote state outputs. Not checked: provider-side
 * value validation (enums, regexes, conflicts) and whatever Azure decides at apply.
 *
 * The plugin speaks Terraform's plugin protocol 6 (./terraform/tfplugin6.8.proto, from hashicorp/terraform
 * at v1.11.4, MPL-2.0) over gRPC (@grpc/grpc-js, protobufjs, @msgpack/msgpack). Terraform starts it for
 * every run that needs a provider, so its start is kept cheap: one esbuild bundle run with a V8 code
 * cache, the GetProviderSchema response encoded once by the harness.
 *
 * The terraform binary: TERRAFORM_BINARY, else `terraform` on PATH. Without it every check fails (it
 * never passes silently).
 */
import { execFile, execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { buildSync } from 'esbuild';
import * as protobuf from 'protobufjs';
import { PROVIDER_CONFIG_SCHEMAS } from './terraform/provider-config';

type Json = any;

/** The providers the harness serves: name -> vendored schema file (./schemas). */
const PROVIDERS: Record<string, string> = { azurerm: 'azurerm-4.55.0', kubernetes: 'kubernetes-2.38.0', helm: 'helm-3.0.2', time: 'time-0.13.1' };
const SUPPORT = __dirname;
const PROTO = path.join(SUPPORT, 'terraform', 'tfplugin6.8.proto');
const PLUGIN_SOURCE = path.join(SUPPORT, 'terraform', 'plugin.ts');
/** The one warning every run with dev_overrides gives: expected, filtered. */
export const DEV_OVERRIDES_WARNING = 'Provider development overrides are in effect';

/** One diagnostic as Terraform reports it (`-json`). */
export interface TerraformDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail: string;
  /** Resource address, when Terraform gives one (plan). */
  readonly address?: string;
  /** The configuration excerpt Terraform points at, e.g. `"${azurerm_subnet.x.nope}"`. */
  readonly code?: string;
}

/** What Terraform said about one stack. */
export interface StackCheck {
  readonly stack: string;
  /** `terraform validate` diagnostics, less the dev_overrides warning. */
  readonly validate: TerraformDiagnostic[];
  /** `terraform plan` diagnostics (with the harness's remote state findings), less the dev_overrides warning; empty when the plan was not run. */
  readonly plan: TerraformDiagnostic[];
  /** Planned resource changes (`add` of the plan's change summary); undefined when no plan completed. */
  readonly planned?: number;
}

/** Options of `terraformCheck`. */
export interface TerraformCheckOptions {
  /** Also run `terraform plan` (after a clean validate). @default true */
  readonly plan?: boolean;
  /** Stacks checked at once. @default 2 */
  readonly concurrency?: number;
}

// ------------------------------------------------------------------------------------ the binary

let binary: string | undefined;

/**
 * The terraform binary: TERRAFORM_BINARY, else `terraform` on PATH (of `env`, default this process's).
 * Throws, saying so, when there is none.
 */
export function terraformBinary(env: NodeJS.ProcessEnv = process.env): string {
  if (binary && env === process.env) return binary;
  const candidates = env.TERRAFORM_BINARY
    ? [env.TERRAFORM_BINARY]
    : (env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, 'terraform'));
  const found = candidates.find((file) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  });
  if (!found) {
    throw new Error(
      `terraform binary not found (${env.TERRAFORM_BINARY ? `TERRAFORM_BINARY=${env.TERRAFORM_BINARY} is not an executable file` : 'no terraform on PATH'}): `
      + 'the tests run `terraform validate` and `terraform plan` on every stack and need Terraform 1.11 '
      + '(CI machines have /usr/local/bin/terraform; set TERRAFORM_BINARY to use another).',
    );
  }
  if (env === process.env) binary = found;
  return found;
}

// ------------------------------------------------------------------------------------ the plugins

/** A terraform provider schema block (JSON shape) as a tfplugin6 Schema.Block message. */
function protoBlock(block: Json): Json {
  return {
    attributes: Object.entries<Json>(block.attributes ?? {}).map(([name, a]) => protoAttribute(name, a)),
    block_types: Object.entries<Json>(block.block_types ?? {}).map(([type_name, b]) => ({
      type_name,
      block: protoBlock(b.block),
      nesting: { single: 1, list: 2, set: 3, map: 4, group: 5 }[b.nesting_mode as string],
      min_items: b.min_items ?? 0,
      max_items: b.max_items ?? 0,
    })),
  };
}

function protoAttribute(name: string, a: Json): Json {
  return {
    name,
    type: a.type !== undefined ? Buffer.from(JSON.stringify(a.type)) : undefined,
    nested_type: a.nested_type ? {
      attributes: Object.entries<Json>(a.nested_type.attributes).map(([n, x]) => protoAttribute(n, x)),
      nesting: { single: 1, list: 2, set: 3, map: 4 }[a.nested_type.nesting_mode as string],
    } : undefined,
    required: !!a.required,
    optional: !!a.optional,
    computed: !!a.computed,
    sensitive: !!a.sensitive,
  };
}

let pluginDir: string | undefined;

/**
 * Prepares (once per machine and inputs, in the OS temp folder) what Terraform runs: the plugin bundle,
 * per provider its schema and pre-encoded GetProviderSchema response, the `terraform-provider-<name>`
 * executables and the CLI config. Returns the folder.
 */
export function preparePlugins(): string {
  if (pluginDir) return pluginDir;
  const inputs = [PROTO, PLUGIN_SOURCE, __filename, path.join(SUPPORT, 'terraform', 'provider-config.ts'),
    ...Object.values(PROVIDERS).map((f) => path.join(SUPPORT, 'schemas', `${f}.json`))];
  const hash = crypto.createHash('sha256').update(process.execPath).update(process.version);
  for (const file of inputs) hash.update(fs.readFileSync(file));
  const dir = path.join(os.tmpdir(), `cdktf-terraform-harness-${hash.digest('hex').slice(0, 16)}`);
  if (fs.existsSync(path.join(dir, 'ready'))) return (pluginDir = dir);

  const build = `${dir}.${process.pid}.${Date.now()}`;
  fs.mkdirSync(path.join(build, 'bin'), { recursive: true });
  const root = new protobuf.Root();
  root.loadSync(PROTO, { keepCase: true });
  fs.writeFileSync(path.join(build, 'tfplugin6.json'), JSON.stringify(root.toJSON()));
  const response = root.lookupType('tfplugin6.GetProviderSchema.Response');

  const overrides: string[] = [];
  for (const [name, file] of Object.entries(PROVIDERS)) {
    const vendored = JSON.parse(fs.readFileSync(path.join(SUPPORT, 'schemas', `${file}.json`), 'utf8'));
    const schema = (s: Json) => ({ version: s.version ?? 0, block: protoBlock(s.block) });
    const message = response.fromObject({
      provider: { version: 0, block: protoBlock(PROVIDER_CONFIG_SCHEMAS[name]) },
      resource_schemas: Object.fromEntries(Object.entries<Json>(vendored.resource_schemas).map(([t, s]) => [t, schema(s)])),
      data_source_schemas: Object.fromEntries(Object.entries<Json>(vendored.data_source_schemas).map(([t, s]) => [t, schema(s)])),
      server_capabilities: { plan_destroy: false, get_provider_schema_optional: false },
    });
    fs.writeFileSync(path.join(build, `${name}.schema.bin`), response.encode(message).finish());
    fs.writeFileSync(path.join(build, `${name}.json`), JSON.stringify({ resources: vendored.resource_schemas, dataSources: vendored.data_source_schemas }));
    const executable = path.join(build, 'bin', `terraform-provider-${name}`);
    fs.writeFileSync(executable, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(dir, 'run.js'))} ${JSON.stringify(dir)} ${name}\n`, { mode: 0o755 });
    overrides.push(`    "hashicorp/${name}" = ${JSON.stringify(path.join(dir, 'bin'))}`);
  }

  buildSync({
    entryPoints: [PLUGIN_SOURCE],
    outfile: path.join(build, 'plugin.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    logLevel: 'warning',
  });
  // Runs the bundle with V8's code cache (as scripts/app.js does): written atomically by the first run.
  fs.writeFileSync(path.join(build, 'run.js'), `'use strict';
const fs = require('fs'), Module = require('module'), path = require('path'), vm = require('vm');
const bundle = path.join(__dirname, 'plugin.js'), cachePath = bundle + '.v8cache';
let cachedData; try { cachedData = fs.readFileSync(cachePath); } catch {}
const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
if (!cachedData || script.cachedDataRejected) {
  setTimeout(() => { const tmp = cachePath + '.' + process.pid; fs.writeFileSync(tmp, script.createCachedData()); fs.renameSync(tmp, cachePath); }, 200).unref();
}
const m = new Module(bundle, module); m.filename = bundle;
script.runInThisContext().call(m.exports, m.exports, Module.createRequire(bundle), m, bundle, __dirname);
`);
  fs.writeFileSync(path.join(build, 'terraformrc'), `provider_installation {\n  dev_overrides {\n${overrides.join('\n')}\n  }\n  direct {}\n}\n`);
  fs.writeFileSync(path.join(build, 'ready'), '');
  try {
    fs.renameSync(build, dir);
  } catch {
    fs.rmSync(build, { recursive: true, force: true }); // another worker made it first
  }
  return (pluginDir = dir);
}

// ------------------------------------------------------------------------------------ remote state

interface SynthStack { name: string; workdir: string; json: Json }

/** Where a stack keeps its state: an absolute path for the local backend, else the backend's type and config. */
function stateLocation(stack: SynthStack): string {
  const backend = stack.json.terraform?.backend ?? {};
  const [type, config] = Object.entries<Json>(backend)[0] ?? ['local', {}];
  if (type === 'local') return path.resolve(stack.workdir, config.path ?? 'terraform.tfstate');
  return `${type}:${JSON.stringify(config, Object.keys(config).sort())}`;
}

function remoteStateLocation(consumer: SynthStack, remote: Json): string {
  const config = remote.config ?? {};
  if (remote.backend === 'local') return path.resolve(consumer.workdir, config.path ?? 'terraform.tfstate');
  return `${remote.backend}:${JSON.stringify(config, Object.keys(config).sort())}`;
}

/** The literal configuration value (or the schema type) at `type.name.attr[0].x` in a stack, for placeholders. */
function referencedValue(stack: SynthStack, reference: string): { value: Json; type: Json } {
  const steps = reference.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '');
  const data = steps[0] === 'data';
  const [type, name, ...rest] = data ? steps.slice(1) : steps;
  let config: Json = stack.json[data ? 'data' : 'resource']?.[type]?.[name];
  let schema: Json = schemaOf(type, data)?.block;
  for (const step of rest) {
    config = config === undefined || typeof config === 'string' ? undefined : /^\d+$/.test(step) && !Array.isArray(config) ? config : config?.[step];
    if (schema?.block !== undefined || schema?.attributes !== undefined || schema?.block_types !== undefined) {
      const block = schema.block ?? schema;
      if (/^\d+$/.test(step)) continue;
      schema = block.attributes?.[step] ? { type: block.attributes[step].type } : block.block_types?.[step];
    } else if (schema?.type !== undefined && /^\d+$/.test(step) && Array.isArray(schema.type)) {
      schema = { type: schema.type[1] };
    } else if (schema?.type !== undefined && Array.isArray(schema.type) && schema.type[0] === 'object') {
      schema = { type: schema.type[1][step] };
    }
  }
  const valueType = schema?.type ?? 'string';
  if (config !== undefined && config !== null && !JSON.stringify(config).includes('${')) return { value: config, type: valueType };
  return { value: placeholderOf(valueType), type: valueType };
}

const schemaCache: Record<string, Json> = {};
function schemaOf(type: string, data: boolean): Json {
  const provider = type.split('_')[0];
  const file = PROVIDERS[provider];
  if (!file) return undefined;
  schemaCache[provider] ??= JSON.parse(fs.readFileSync(path.join(SUPPORT, 'schemas', `${file}.json`), 'utf8'));
  return schemaCache[provider][data ? 'data_source_schemas' : 'resource_schemas'][type];
}

/** A placeholder of a type; strings are valid base64 (of "placeholder"), so base64decode() of them plans. */
function placeholderOf(type: Json): Json {
  if (type === 'number') return 0;
  if (type === 'bool') return false;
  if (Array.isArray(type) && (type[0] === 'list' || type[0] === 'set')) return [placeholderOf(type[1])];
  if (Array.isArray(type) && type[0] === 'map') return {};
  if (Array.isArray(type) && type[0] === 'object') return Object.fromEntries(Object.entries<Json>(type[1]).map(([k, t]) => [k, placeholderOf(t)]));
  return 'cGxhY2Vob2xkZXI=';
}

/**
 * Points every `terraform_remote_state` of `consumer` at a placeholder state holding the outputs it
 * reads, with values of the producing stack's output types. Returns the harness's findings: remote
 * state that no stack of the app writes.
 */
function wireRemoteState(consumer: SynthStack, stacks: SynthStack[], dir: string): TerraformDiagnostic[] {
  const findings: TerraformDiagnostic[] = [];
  const text = JSON.stringify(consumer.json);
  for (const [name, remote] of Object.entries<Json>(consumer.json.data?.terraform_remote_state ?? {})) {
    const location = remoteStateLocation(consumer, remote);
    const producer = stacks.find((s) => s.name !== consumer.name && stateLocation(s) === location);
    if (!producer) {
      findings.push({
        severity: 'error',
        summary: 'Remote state of no stack',
        detail: `data.terraform_remote_state.${name} reads ${location}, but no stack of the app keeps its state there `
          + `(run from cdktf's working directory ${path.basename(consumer.workdir)}; the stacks' states: ${stacks.map((s) => `${s.name}: ${stateLocation(s)}`).join(', ')})`,
      });
      continue;
    }
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const read = new Set([...text.matchAll(new RegExp(`data\\.terraform_remote_state\\.${escaped}\\.outputs\\.([A-Za-z0-9_-]+)`, 'g'))].map((m) => m[1]));
    const outputs: Record<string, Json> = {};
    for (const output of read) {
      const defined = producer.json.output?.[output];
      if (!defined) continue; // Terraform reports the missing attribute
      const reference = /^\$\{([^{}()]+)\}$/.exec(String(defined.value));
      const { value, type } = reference ? referencedValue(producer, reference[1]) : { value: placeholderOf('string'), type: 'string' };
      outputs[output] = { value, type, ...(defined.sensitive ? { sensitive: true } : {}) };
    }
    const file = path.join(dir, `remote-state-${name}.tfstate`);
    fs.writeFileSync(file, JSON.stringify({
      version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'terraform-harness-placeholder', outputs, resources: [], check_results: null,
    }, null, 1));
    remote.backend = 'local';
    remote.config = { path: file };
  }
  return findings;
}

// ------------------------------------------------------------------------------------ running

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(terraformBinary(), args, { cwd, env, maxBuffer: 1 << 28 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

function diagnostic(d: Json): TerraformDiagnostic {
  return { severity: d.severity, summary: d.summary, detail: d.detail ?? '', address: d.address, code: d.snippet?.code?.trim() };
}

const expected = (d: TerraformDiagnostic) => !(d.severity === 'warning' && d.summary === DEV_OVERRIDES_WARNING);

function parseValidate(result: { code: number; stdout: string; stderr: string }): TerraformDiagnostic[] {
  try {
    return (JSON.parse(result.stdout).diagnostics ?? []).map(diagnostic).filter(expected);
  } catch {
    return [{ severity: 'error', summary: `terraform validate failed (exit ${result.code})`, detail: `${result.stdout}${result.stderr}` }];
  }
}

function parsePlan(result: { code: number; stdout: string; stderr: string }): { diagnostics: TerraformDiagnostic[]; planned?: number } {
  const diagnostics: TerraformDiagnostic[] = [];
  let planned: number | undefined;
  for (const line of result.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const message = JSON.parse(line);
    if (message.type === 'diagnostic') diagnostics.push(diagnostic(message.diagnostic));
    if (message.type === 'change_summary') planned = message.changes?.add;
  }
  const kept = diagnostics.filter(expected);
  if (result.code !== 0 && !kept.some((d) => d.severity === 'error')) {
    kept.push({ severity: 'error', summary: `terraform plan failed (exit ${result.code})`, detail: `${result.stdout}${result.stderr}`.slice(-4000) });
  }
  return { diagnostics: kept, planned };
}

/** The synthesized stacks of an app (synthesizing it) or of a cdktf output folder (holding manifest.json). */
function synthesizedStacks(source: App | string): SynthStack[] {
  let outdir: string;
  if (typeof source === 'string') {
    outdir = source;
  } else {
    source.synth();
    outdir = source.outdir;
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  return Object.values<Json>(manifest.stacks).map((s) => ({
    name: s.name,
    workdir: path.resolve(outdir, s.workingDirectory),
    json: JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), 'utf8')),
  }));
}

/**
 * Runs `terraform validate` and then `terraform plan` on every stack of an app (synthesized here into its
 * outdir) or of a cdktf output folder, stacks `concurrency` at a time. Each stack runs in a fresh temporary
 * folder: its backend removed (state stays local and empty) and its `terraform_remote_state` pointed at
 * placeholder states. Throws if there is no terraform binary.
 */
export async function terraformCheck(source: App | string, options: TerraformCheckOptions = {}): Promise<StackCheck[]> {
  terraformBinary(); // fails first, and clearly, without one
  const plugins = preparePlugins();
  const stacks = synthesizedStacks(source);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'terraform-check-'));
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TF_')));
  Object.assign(env, { TF_CLI_CONFIG_FILE: path.join(plugins, 'terraformrc'), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' });

  const checkStack = async (stack: SynthStack): Promise<StackCheck> => {
    const dir = path.join(root, stack.name);
    fs.mkdirSync(dir);
    const json = JSON.parse(JSON.stringify(stack.json));
    const consumer = { ...stack, json };
    if (json.terraform) {
      delete json.terraform.backend;
      delete json.terraform.cloud;
    }
    const findings = wireRemoteState(consumer, stacks, dir);
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(json, null, 1));
    const validate = parseValidate(await run(['validate', '-json', '-no-color'], dir, env));
    if (options.plan === false || validate.some((d) => d.severity === 'error')) return { stack: stack.name, validate, plan: findings };
    const plan = parsePlan(await run(['plan', '-json', '-no-color', '-input=false', '-lock=false'], dir, env));
    return { stack: stack.name, validate, plan: [...findings, ...plan.diagnostics], planned: plan.planned };
  };

  const results: StackCheck[] = new Array(stacks.length);
  let next = 0;
  const worker = async () => {
    while (next < stacks.length) {
      const i = next++;
      results[i] = await checkStack(stacks[i]);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 2, stacks.length) }, worker));
  } finally {
    if (!process.env.TERRAFORM_CHECK_KEEP) fs.rmSync(root, { recursive: true, force: true });
  }
  return results;
}

/** Every diagnostic of the results, one per line: `<stack> validate|plan <severity>: <summary>: <detail> [<code>]`. */
export function formatDiagnostics(results: StackCheck[]): string[] {
  return results.flatMap((r) => (['validate', 'plan'] as const).flatMap((phase) => r[phase].map((d) =>
    `${r.stack} ${phase} ${d.severity}: ${d.summary}${d.address ? ` (${d.address})` : ''}: ${d.detail}${d.code ? ` [${d.code}]` : ''}`)));
}

/** The version Terraform reports, e.g. "1.11.4". */
export function terraformVersion(): string {
  return JSON.parse(execFileSync(terraformBinary(), ['version', '-json'], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } })).terraform_version;
}
