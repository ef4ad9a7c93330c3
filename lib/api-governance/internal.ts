// Helpers shared by the construct's files; not part of the public API.
import { IConstruct } from 'constructs';
import type { ApiPolicy } from './policy';
import { element, text } from './xml';
import { IApiBackend } from '../core/contracts';
import { ConstructValidationError, isUnresolved } from '../core/errors';
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
export function hostHeaderFor(backend: IApiBackend): string {
  const known = !isUnresolved(backend.backendUrl) && !isUnresolved(backend.backendHostName);
  if (known && urlHost(backend.backendUrl) === backend.backendHostName.toLowerCase()) {
    return '';
  }
  return element('set-header', { 'name': 'Host', 'exists-action': 'override' }, [element('value', {}, [text(backend.backendHostName)])]);
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

