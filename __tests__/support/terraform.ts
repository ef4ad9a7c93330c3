/**
 * Terraform itself on synthesized stacks, offline: `terraform validate` and `terraform plan` on every
 * stack of a cdktf app, with the providers served by the harness's own provider plugins from the vendored
 * provider schemas (./schemas), installed through a CLI config's `dev_overrides`.
 *
 * Terraform core then checks what the schema validator (./validate.ts) cannot: references to resources,
 * data sources and their attributes, expression and function types, `depends_on` addresses, cycles,
 * provider configuration blocks, and cross-stack remote state: each `terraform_remote_state` must read
 * the state of a stack of the app (resolved as cdktf runs Terraform, in each stack's working
 * directory) and only outputs that stack defines. The plan computes with unknown values for computed
 * attributes and placeholder values for data sources and remote state outputs. Not checked: provider-side
 * value validation (enums, regexes, conflicts) and whatever Azure decides at apply.
 *
 * The providers (./terraform/provider-server.ts) speak Terraform's plugin protocol 6
 * (./terraform/tfplugin6.8.proto, from hashicorp/terraform at v1.11.4, MPL-2.0) over gRPC (@grpc/grpc-js,
 * protobufjs, @msgpack/msgpack). They run in the test process; the executables Terraform starts for them
 * (several times per run) are a few lines of bash that connect it to them (see startHost), and the
 * GetProviderSchema responses are encoded once per process.
 *
 * The terraform binary: TERRAFORM_BINARY, else `terraform` on PATH. Without it every check fails (it
 * never passes silently).
 */
import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import { App } from 'cdktf';
import * as protobuf from 'protobufjs';
import { PROVIDER_CONFIG_SCHEMAS } from './terraform/provider-config';
import { handshakeLine, providerServer, ProviderSpec, selfSignedCertificate } from './terraform/provider-server';

type Json = any;

/** The providers the harness serves: name -> vendored schema file (./schemas). */
const PROVIDERS: Record<string, string> = { azurerm: 'azurerm-4.55.0', kubernetes: 'kubernetes-2.38.0', helm: 'helm-3.0.2', time: 'time-0.13.1' };
const SUPPORT = __dirname;
const PROTO = path.join(SUPPORT, 'terraform', 'tfplugin6.8.proto');
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

interface Providers { root: protobuf.Root; specs: Record<string, { spec: ProviderSpec; schemaResponse: Buffer }> }
let providers: Providers | undefined;

/** Once per process: the protocol, and per provider its schema and its encoded GetProviderSchema response. */
function loadProviders(): Providers {
  if (providers) return providers;
  const root = new protobuf.Root();
  root.loadSync(PROTO, { keepCase: true });
  const response = root.lookupType('tfplugin6.GetProviderSchema.Response');
  const specs: Providers['specs'] = {};
  for (const [name, file] of Object.entries(PROVIDERS)) {
    const vendored = JSON.parse(fs.readFileSync(path.join(SUPPORT, 'schemas', `${file}.json`), 'utf8'));
    const schema = (s: Json) => ({ version: s.version ?? 0, block: protoBlock(s.block) });
    const message = response.fromObject({
      provider: { version: 0, block: protoBlock(PROVIDER_CONFIG_SCHEMAS[name]) },
      resource_schemas: Object.fromEntries(Object.entries<Json>(vendored.resource_schemas).map(([t, s]) => [t, schema(s)])),
      data_source_schemas: Object.fromEntries(Object.entries<Json>(vendored.data_source_schemas).map(([t, s]) => [t, schema(s)])),
      server_capabilities: { plan_destroy: false, get_provider_schema_optional: false },
    });
    specs[name] = {
      spec: { resources: vendored.resource_schemas, dataSources: vendored.data_source_schemas },
      schemaResponse: Buffer.from(response.encode(message).finish()),
    };
  }
  return (providers = { root, specs });
}

const MAGIC_COOKIE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

/**
 * The plugin host: the providers run in this process, and what Terraform starts for each plugin is a
 * few lines of bash (`terraform-provider-<name>`, a dev_overrides folder of its own): it checks the
 * magic cookie, hands the host Terraform's client certificate over a local socket, prints the
 * handshake line the host answers with (the address of a gRPC server started for that plugin process,
 * trusting exactly that certificate), and exits when Terraform shuts the plugin down. Terraform starts
 * providers several times per run; starting a shell costs milliseconds where a node process costs a third
 * of a second of CPU, which on a busy 2-core machine is most of a run.
 */
interface Host { dir: string; close: () => void }
let host: Promise<Host> | undefined;
let hostUsers = 0;

async function startHost(): Promise<Host> {
  const { root, specs } = loadProviders();
  const { certPem, keyPem, certDer } = selfSignedCertificate();
  const active = new Set<() => void>();
  const control = net.createServer((socket) => {
    let server: grpc.Server | undefined;
    let input = '';
    const stop = () => {
      socket.destroy();
      server?.forceShutdown();
      server = undefined;
      active.delete(stop);
    };
    active.add(stop);
    socket.unref(); // a plugin's connection never keeps the test process alive
    socket.on('error', stop);
    socket.on('close', stop);
    socket.on('data', (chunk) => {
      input += chunk.toString('utf8');
      const newline = input.indexOf('\n');
      if (newline < 0 || server) return;
      const [name, cert] = input.slice(0, newline).split('\t');
      const provider = specs[name];
      if (!provider || !cert) return stop();
      // On Shutdown the plugin process exits (its socket closes: stop) and Terraform closes its connection.
      server = providerServer(root, provider.spec, provider.schemaResponse, () => socket.end());
      const credentials = grpc.ServerCredentials.createSsl(Buffer.from(cert.split('|').join('\n')), [{ private_key: Buffer.from(keyPem), cert_chain: Buffer.from(certPem) }], true);
      const bound = server;
      bound.bindAsync('127.0.0.1:0', credentials, (err, port) => {
        if (bound !== server) return bound.forceShutdown(); // the plugin process went away meanwhile
        if (err) return stop();
        socket.write(`${handshakeLine(port, certDer)}\n`);
      });
    });
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  control.unref();
  const port = (control.address() as net.AddressInfo).port;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'terraform-plugins-'));
  const overrides: string[] = [];
  for (const name of Object.keys(specs)) {
    fs.writeFileSync(path.join(dir, `terraform-provider-${name}`), [
      '#!/usr/bin/env bash',
      `# The ${name} provider of the Terraform test harness (__tests__/support/terraform.ts), served by the test process.`,
      `[ "$TF_PLUGIN_MAGIC_COOKIE" = ${MAGIC_COOKIE} ] || { echo 'a Terraform provider plugin: Terraform runs it' >&2; exit 1; }`,
      `exec 3<>/dev/tcp/127.0.0.1/${port} || { echo 'the test process serving this provider is gone' >&2; exit 1; }`,
      `printf '%s\\t%s\\n' ${name} "\${PLUGIN_CLIENT_CERT//$'\\n'/|}" >&3`,
      'IFS= read -r handshake <&3 || exit 1',
      'printf \'%s\\n\' "$handshake"',
      'read -r _ <&3',
      '',
    ].join('\n'), { mode: 0o755 });
    overrides.push(`    "hashicorp/${name}" = ${JSON.stringify(dir)}`);
  }
  fs.writeFileSync(path.join(dir, 'terraformrc'), `provider_installation {\n  dev_overrides {\n${overrides.join('\n')}\n  }\n  direct {}\n}\n`);
  return {
    dir,
    close: () => {
      control.close();
      active.forEach((stop) => stop());
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
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
    execFile(terraformBinary(), args, { cwd, env, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
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
 * outdir: give the App an outdir of its own, e.g. a temporary folder, so that tests do not share
 * cdktf.out) or of a cdktf output folder (holding manifest.json), stacks `concurrency` at a time; the
 * stacks are whatever the app synthesizes. A stack whose validate fails is not planned. Each stack runs in
 * a fresh temporary folder: its backend removed (state stays local and empty) and its
 * `terraform_remote_state` pointed at placeholder states. Throws if there is no terraform binary.
 */
export async function terraformCheck(source: App | string, options: TerraformCheckOptions = {}): Promise<StackCheck[]> {
  terraformBinary(); // fails first, and clearly, without one
  const stacks = synthesizedStacks(source);
  hostUsers++;
  let plugins: Host;
  try {
    plugins = await (host ??= startHost());
  } catch (e) {
    hostUsers--;
    host = undefined;
    throw e;
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'terraform-check-'));
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TF_')));
  Object.assign(env, { TF_CLI_CONFIG_FILE: path.join(plugins.dir, 'terraformrc'), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' });

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
    if (--hostUsers === 0) {
      plugins.close();
      host = undefined;
    }
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
