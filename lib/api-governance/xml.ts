// XML building for policy documents (internal): attribute values and text are always escaped.

/** Escapes text for an XML attribute value (double-quoted) or element content. */
export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Marks already-escaped content. */
export interface Markup { readonly xml: string }

export function text(value: string): Markup {
  return { xml: escapeXml(String(value)) };
}

/** `<name a="1">children</name>`, or `<name a="1" />` without children; undefined attributes are left out. */
export function element(
  name: string,
  attributes: Record<string, string | number | boolean | undefined>,
  children: Array<Markup | string> = [],
): string {
  const attrs = Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
  if (children.length === 0) return `<${name}${attrs} />`;
  return `<${name}${attrs}>${children.map((c) => (typeof c === 'string' ? c : c.xml)).join('')}</${name}>`;
}
