/**
 * The provider side of the Terraform harness (../terraform.ts): a tfplugin6 provider that serves a
 * provider's schema and plans without any cloud, for `terraform validate` and `terraform plan` offline.
 *
 * Protocol: HashiCorp go-plugin over gRPC with AutoMTLS, Terraform plugin protocol 6 as defined by
 * tfplugin6.8.proto (copied beside this file from hashicorp/terraform at v1.11.4, MPL-2.0).
 *
 *  - TLS: the server presents a self-signed certificate (made here, usable as its own CA, as go-plugin's
 *    AutoMTLS expects of a plugin) and trusts only the client certificate Terraform gave the plugin
 *    process in PLUGIN_CLIENT_CERT.
 *  - go-plugin's health service answers SERVING; GRPCController/Shutdown ends the plugin.
 *  - tfplugin6.Provider: GetProviderSchema returns the response the harness encoded once (the vendored
 *    schema, with the provider configuration block declared from the provider's source); the validation
 *    RPCs accept everything (provider-side value validation is not reproduced: Terraform core checks
 *    structure, types and references against the schema); PlanResourceChange plans the proposed state
 *    with every null computed attribute unknown (`legacy_type_system`, as SDKv2 providers do);
 *    ReadDataSource returns the configuration with placeholders in the null computed attributes
 *    (strings base64 of "placeholder", numbers 0, bools false, one element in computed lists), or the values a
 *    test set in DATA_SOURCE_READS; ApplyResourceChange
 *    refuses: the harness plans, it never applies.
 *
 * Values on the wire are DynamicValue.msgpack: cty values encoded by the schema's types, unknown values as
 * msgpack extension 0 (other extensions, e.g. refined unknowns, are passed through untouched).
 */
import * as crypto from 'crypto';
import * as grpc from '@grpc/grpc-js';
import { decode, encode, ExtData } from '@msgpack/msgpack';
import * as protobuf from 'protobufjs';

type Json = any;
interface Attribute { type?: Json; nested_type?: NestedType; required?: boolean; optional?: boolean; computed?: boolean }
interface NestedType { attributes: Record<string, Attribute>; nesting_mode: string }
interface Block { attributes?: Record<string, Attribute>; block_types?: Record<string, { block: Block; nesting_mode: string }> }
/** A provider as the server needs it: the blocks of its resource and data source types. */
export interface ProviderSpec { resources: Record<string, { block: Block }>; dataSources: Record<string, { block: Block }> }

// ------------------------------------------------------------------------------------------ values

const UNKNOWN = new ExtData(0, new Uint8Array(0));
const isUnknown = (v: unknown): boolean => v instanceof ExtData;
const known = (v: unknown): boolean => v !== null && v !== undefined && !isUnknown(v);

/** The proposed new state with every null computed attribute unknown, block by block. */
function planBlock(block: Block, value: Json): void {
  if (!known(value) || typeof value !== 'object') return;
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    const v = value[name];
    if ((v === null || v === undefined) && attribute.computed) {
      value[name] = UNKNOWN;
    } else if (known(v) && attribute.nested_type) {
      eachNested(attribute.nested_type.nesting_mode, v, (o) => planBlock({ attributes: attribute.nested_type!.attributes }, o));
    }
  }
  for (const [name, blockType] of Object.entries(block.block_types ?? {})) {
    if (known(value[name])) eachNested(blockType.nesting_mode, value[name], (o) => planBlock(blockType.block, o));
  }
}

function eachNested(mode: string, value: Json, visit: (o: Json) => void): void {
  if (!known(value)) return;
  if (mode === 'single' || mode === 'group') visit(value);
  else if (mode === 'map') Object.values(value).forEach(visit);
  else if (Array.isArray(value)) value.forEach(visit);
}

/**
 * Values that data source reads return instead of placeholders, by data source type: what the world holds
 * when a stack is planned (e.g. the certificates a person imported). Process-wide: a test sets them around
 * its checks.
 */
export const DATA_SOURCE_READS = new Map<string, Json>();

/**
 * A known placeholder of a cty type (JSON type constraint): what a data source read returns. Strings are
 * base64 (of "placeholder"), so that `base64decode()` of a read value (a cluster's CA certificate) plans.
 */
function placeholder(type: Json): Json {
  if (type === 'string') return 'cGxhY2Vob2xkZXI=';
  if (type === 'number') return 0;
  if (type === 'bool') return false;
  if (type === 'dynamic') return null;
  const [kind, inner] = type as [string, Json];
  switch (kind) {
    case 'list': case 'set': return [placeholder(inner)];
    case 'map': return {};
    case 'object': return Object.fromEntries(Object.entries<Json>(inner).map(([k, t]) => [k, placeholder(t)]));
    case 'tuple': return (inner as Json[]).map(placeholder);
    default: return null;
  }
}

function nestedPlaceholder(nested: NestedType): Json {
  const one = () => Object.fromEntries(Object.entries(nested.attributes)
    .map(([k, a]) => [k, a.nested_type ? nestedPlaceholder(a.nested_type) : placeholder(a.type)]));
  if (nested.nesting_mode === 'single') return one();
  if (nested.nesting_mode === 'map') return {};
  return [one()];
}

/** The configuration of a data source with its null computed attributes filled, block by block. */
function readBlock(block: Block, value: Json): void {
  if (!known(value) || typeof value !== 'object') return;
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    const v = value[name];
    if ((v === null || v === undefined) && attribute.computed) {
      value[name] = attribute.nested_type ? nestedPlaceholder(attribute.nested_type) : placeholder(attribute.type);
    } else if (known(v) && attribute.nested_type) {
      eachNested(attribute.nested_type.nesting_mode, v, (o) => readBlock({ attributes: attribute.nested_type!.attributes }, o));
    }
  }
  for (const [name, blockType] of Object.entries(block.block_types ?? {})) {
    if (known(value[name])) eachNested(blockType.nesting_mode, value[name], (o) => readBlock(blockType.block, o));
  }
}

const unpack = (dynamicValue: Json): Json => (dynamicValue?.msgpack?.length ? decode(dynamicValue.msgpack) : null);
const pack = (value: Json) => ({ msgpack: Buffer.from(encode(value)) });
const error = (summary: string, detail = '') => ({ severity: 1, summary, detail });

// ------------------------------------------------------------------------------------------ TLS

/* eslint-disable no-bitwise */ // DER is bits and bytes
/** DER encoding, just what an X.509 certificate needs. */
function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, body]);
}
const seq = (...c: Buffer[]) => der(0x30, ...c);
function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * a + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}
const utcTime = (d: Date) => der(0x17, Buffer.from(`${d.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`));

/**
 * A fresh self-signed ECDSA P-256 certificate for `localhost` / 127.0.0.1, usable as its own CA (what
 * go-plugin's AutoMTLS expects of a plugin: Terraform trusts exactly the certificate in the handshake).
 */
export function selfSignedCertificate(): { certPem: string; keyPem: string; certDer: Buffer } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const algorithm = seq(oid('1.2.840.10045.4.3.2')); // ecdsa-with-SHA256
  const name = seq(der(0x31, seq(oid('2.5.4.3'), der(0x0c, Buffer.from('localhost')))));
  const serial = crypto.randomBytes(16);
  serial[0] &= 0x7f;
  const now = Date.now();
  const extension = (id: string, critical: boolean, value: Buffer) =>
    seq(oid(id), ...(critical ? [der(0x01, Buffer.from([0xff]))] : []), der(0x04, value));
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([2]))), // v3
    der(0x02, serial),
    algorithm,
    name,
    seq(utcTime(new Date(now - 60_000)), utcTime(new Date(now + 24 * 3600_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    der(0xa3, seq(
      extension('2.5.29.19', true, seq(der(0x01, Buffer.from([0xff])))), // basicConstraints: CA
      extension('2.5.29.15', true, der(0x03, Buffer.from([0x02, 0xa4]))), // keyUsage: digitalSignature, keyEncipherment, keyCertSign
      extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))), // serverAuth, clientAuth
      extension('2.5.29.17', false, seq(der(0x82, Buffer.from('localhost')), der(0x87, Buffer.from([127, 0, 0, 1])))), // SAN
    )),
  );
  const signature = crypto.sign('sha256', tbs, privateKey);
  const certDer = seq(tbs, algorithm, der(0x03, Buffer.from([0]), signature));
  const certPem = `-----BEGIN CERTIFICATE-----\n${certDer.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
  return { certPem, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, certDer };
}

/* eslint-enable no-bitwise */

// ------------------------------------------------------------------------------------------ server

/**
 * A gRPC server (not yet bound) for one plugin process: tfplugin6.Provider for `spec`, answering
 * GetProviderSchema with `schemaResponse` (an encoded GetProviderSchema.Response), and go-plugin's health
 * and controller services; `onShutdown` runs when Terraform shuts the plugin down.
 */
export function providerServer(root: protobuf.Root, spec: ProviderSpec, schemaResponse: Buffer, onShutdown: () => void): grpc.Server {
  const blockOf = (kind: 'resources' | 'dataSources', type: string): Block | undefined => spec[kind][type]?.block;
  const handlers: Record<string, (request: Json) => Json> = {
    GetMetadata: () => ({
      server_capabilities: { plan_destroy: false, get_provider_schema_optional: false },
      resources: Object.keys(spec.resources).map((type_name) => ({ type_name })),
      data_sources: Object.keys(spec.dataSources).map((type_name) => ({ type_name })),
    }),
    GetProviderSchema: () => schemaResponse,
    ValidateProviderConfig: () => ({}),
    ValidateResourceConfig: () => ({}),
    ValidateDataResourceConfig: () => ({}),
    ValidateEphemeralResourceConfig: () => ({}),
    ConfigureProvider: () => ({}),
    StopProvider: () => ({}),
    GetFunctions: () => ({}),
    UpgradeResourceState: (r) => ({ upgraded_state: pack(r.raw_state?.json?.length ? JSON.parse(Buffer.from(r.raw_state.json).toString('utf8')) : null) }),
    ReadResource: (r) => ({ new_state: r.current_state, private: r.private }),
    PlanResourceChange: (r) => {
      const block = blockOf('resources', r.type_name);
      if (!block) return { diagnostics: [error(`Unknown resource type ${r.type_name}`)] };
      const proposed = unpack(r.proposed_new_state);
      if (proposed === null) return { planned_state: r.proposed_new_state, legacy_type_system: true }; // destroy
      planBlock(block, proposed);
      return { planned_state: pack(proposed), legacy_type_system: true };
    },
    ReadDataSource: (r) => {
      const block = blockOf('dataSources', r.type_name);
      if (!block) return { diagnostics: [error(`Unknown data source ${r.type_name}`)] };
      const state = unpack(r.config);
      readBlock(block, state);
      Object.assign(state, DATA_SOURCE_READS.get(r.type_name) ?? {});
      return { state: pack(state) };
    },
    ApplyResourceChange: () => ({ diagnostics: [error('The test harness provider does not apply', 'It serves schemas and plans only.')] }),
    ImportResourceState: () => ({ diagnostics: [error('The test harness provider does not import')] }),
  };

  const server = new grpc.Server();
  const definition: Record<string, grpc.MethodDefinition<Json, Json>> = {};
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const method of root.lookupService('tfplugin6.Provider').methodsArray) {
    method.resolve();
    const request = method.resolvedRequestType!;
    const response = method.resolvedResponseType!;
    definition[method.name] = {
      path: `/tfplugin6.Provider/${method.name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (o: Json) => Buffer.from(request.encode(request.fromObject(o)).finish()),
      requestDeserialize: (b: Buffer) => request.toObject(request.decode(b), { defaults: false }),
      responseSerialize: (o: Json) => (Buffer.isBuffer(o) ? o : Buffer.from(response.encode(response.fromObject(o)).finish())),
      responseDeserialize: (b: Buffer) => response.toObject(response.decode(b)),
    };
    const handler = handlers[method.name];
    if (handler) {
      implementation[method.name] = (call: grpc.ServerUnaryCall<Json, Json>, callback: grpc.sendUnaryData<Json>) => {
        try {
          callback(null, handler(call.request));
        } catch (e) {
          callback({ code: grpc.status.INTERNAL, details: `${method.name}: ${(e as Error).stack ?? e}` });
        }
      };
    }
  }
  server.addService(definition, implementation);

  // go-plugin's own services, with hand-encoded messages: HealthCheckResponse{status: SERVING} and Empty.
  const raw = (p: string) => ({
    path: p,
    requestStream: false,
    responseStream: false,
    requestSerialize: (b: Buffer) => b,
    requestDeserialize: (b: Buffer) => b,
    responseSerialize: (b: Buffer) => b,
    responseDeserialize: (b: Buffer) => b,
  });
  server.addService({ Check: raw('/grpc.health.v1.Health/Check') }, {
    Check: (_call: unknown, callback: grpc.sendUnaryData<Buffer>) => callback(null, Buffer.from([0x08, 0x01])),
  });
  server.addService({ Shutdown: raw('/plugin.GRPCController/Shutdown') }, {
    Shutdown: (_call: unknown, callback: grpc.sendUnaryData<Buffer>) => {
      callback(null, Buffer.alloc(0));
      setImmediate(onShutdown);
    },
  });
  return server;
}

/** The line a go-plugin plugin prints on stdout: core protocol 1, plugin protocol 6, its address, gRPC, its certificate. */
export function handshakeLine(port: number, certDer: Buffer): string {
  return `1|6|tcp|127.0.0.1:${port}|grpc|${certDer.toString('base64').replace(/=+$/, '')}`;
}
