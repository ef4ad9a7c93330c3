// Helpers shared by the construct's files; not part of the public API.
import { IConstruct } from 'constructs';
import type { ApiPolicy } from './policy';
import { element, text, XmlElement } from './xml';
import { IApiBackend } from '../core/contracts';
import { ConstructValidationError, describeConstruct, isUnresolved } from '../core/errors';
import { checkRequired } from '../core/validate';

/** The naming rule of API Management child entities (APIs, products, named values, version sets). */
export const CHILD_NAME_RULE = {
  min: 1,
  max: 80,
  pattern: /^[a-zA-Z0-9]([a-zA-Z0-9_-]*[a-zA-Z0-9])?$/,
  description: 'letters, digits, hyphens and underscores; starts and ends with a letter or digit',
};

/** `Orders API` -> `orders-api`: a default entity name from a construct id. */
export function defaultChildName(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[-_]+|[-_]+$/g, '') || 'default';
}

/** Options of `renderPolicyDocument`. */
export interface PolicyDocumentOptions {
  /** Global scope: no `<base />`, and the backend section forwards the request. */
  readonly global: boolean;
}

/**
 * A whole `<policies>` document: each section inherits the enclosing scope (`<base />`) and
 * then runs this scope's statements in the order they were added.
 * @internal
 */
export function renderPolicyDocument(scope: IConstruct, policies: ApiPolicy[], options: PolicyDocumentOptions): string {
  const sections = ['inbound', 'backend', 'outbound', 'on-error'];
  const lines = ['<policies>'];
  for (const section of sections) {
    const statements = policies.filter((p) => p.section === section).map((p) => p.render(scope));
    if (!options.global) statements.unshift('<base />');
    if (options.global && section === 'backend') statements.push('<forward-request />');
    if (statements.length === 0) {
      lines.push(`  <${section} />`);
      continue;
    }
    lines.push(`  <${section}>`, ...statements.map((s) => `    ${s}`), `  </${section}>`);
  }
  lines.push('</policies>');
  return lines.join('\n');
}

/** `<set-header name="Host">` when the backend's host name differs from its URL's host (or is not known yet). */
export function hostHeaderFor(backend: IApiBackend): XmlElement[] {
  const known = !isUnresolved(backend.backendUrl) && !isUnresolved(backend.backendHostName);
  if (known && urlHost(backend.backendUrl) === backend.backendHostName.toLowerCase()) {
    return [];
  }
  return [element('set-header', { 'name': 'Host', 'exists-action': 'override' }, [element('value', {}, [text(backend.backendHostName)])])];
}

/** Lower-case host of an absolute URL, or undefined. */
export function urlHost(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Throws unless the value is an absolute `https://` URL (tokens pass). */
export function checkHttpsUrl(scope: IConstruct, prop: string, value: string | undefined): void {
  checkRequired(scope, prop, value);
  if (isUnresolved(value)) return;
  let ok = false;
  try {
    const url = new URL(value!);
    ok = url.protocol === 'https:' && url.hostname.length > 0 && !url.username && !url.password;
  } catch {
    ok = false;
  }
  if (!ok) throw new ConstructValidationError(scope, prop, value, 'expected an absolute https:// URL without credentials.');
}

/**
 * Throws unless `id` can name a new child of `scope`: a non-empty string that no other child (nor
 * one of `reserved`, the ids `scope` creates later) has. Construct ids are Terraform addresses.
 */
export function checkChildId(scope: IConstruct, prop: string, id: string, reserved: string[] = []): void {
  if (typeof id !== 'string' || id.length === 0) {
    throw new ConstructValidationError(scope, prop, id, 'expected a non-empty construct id, e.g. "orders".');
  }
  const existing = scope.node.tryFindChild(id);
  if (existing) {
    throw new ConstructValidationError(scope, prop, id, `each id must be unique under ${describeConstruct(scope)}; ${describeConstruct(existing)} already has it.`);
  }
  if (reserved.includes(id)) {
    throw new ConstructValidationError(scope, prop, id, `this id is reserved for what ${describeConstruct(scope)} creates (${reserved.join(', ')}); choose another.`);
  }
}

/**
 * Throws unless the value is the Azure resource id of a resource of `type` (e.g.
 * `Microsoft.KeyVault/vaults`), as `/subscriptions/<id>/resourceGroups/<group>/providers/<type>/<name>` (tokens pass).
 */
export function checkResourceId(scope: IConstruct, prop: string, value: string | undefined, type: string): void {
  if (value === undefined || isUnresolved(value)) return;
  const [namespace, kind] = type.split('/');
  const pattern = new RegExp(`^/subscriptions/[^/\\s]+/resourceGroups/[^/\\s]+/providers/${namespace.replace('.', '\\.')}/${kind}/[^/\\s]+$`, 'i');
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new ConstructValidationError(scope, prop, value,
      `expected the Azure resource id of a ${type} resource, "/subscriptions/<subscription>/resourceGroups/<group>/providers/${type}/<name>" (or a reference such as \`resource.id\`).`);
  }
}
