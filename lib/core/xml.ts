// XML for the whole library (internal): one escaping function, a builder (fast-xml-parser's XMLBuilder)
// for documents made of values, and a well-formedness check (its XMLValidator) for XML given by users.
import { XMLBuilder, XMLValidator } from 'fast-xml-parser';

/**
 * Escapes text for XML element content or a (single- or double-quoted) attribute value: the one
 * escaping path of the library (policy documents, SVG and draw.io diagrams). Tab, line feed and carriage
 * return become character references, which a parser keeps as they are (it would turn a literal CR or
 * CR LF into LF, and, in an attribute, a literal tab or line break into a space).
 */
export function escapeXml(value: string): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** Characters XML 1.0 forbids anywhere in a document (escaped or not): C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone surrogates. */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What XML allows, for error messages. */
export const XML_CHARACTERS_ALLOWED = 'expected text without the control characters XML 1.0 forbids (U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, U+FFFE, U+FFFF, unpaired surrogates); tab, line feed and carriage return are allowed.';

/** The first character XML 1.0 forbids in `value`, as `U+XXXX`, or undefined. */
export function forbiddenXmlCharacter(value: string): string | undefined {
  const match = FORBIDDEN.exec(value);
  return match ? `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/** Thrown by `renderXml` for a value XML cannot carry; callers turn it into a `ConstructValidationError`. */
export class XmlCharacterError extends Error {
  constructor(public readonly value: string, public readonly character: string) {
    super(`${character} cannot appear in XML 1.0`);
  }
}

/** Text content of an element. */
export interface XmlText {
  readonly text: string;
}

/** An element: its attributes (in order) and its children. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: ReadonlyArray<[string, string]>;
  readonly children: ReadonlyArray<XmlNode>;
}

export type XmlNode = XmlElement | XmlText;

/** `<name a="1">children</name>`; undefined attributes are left out. */
export function xmlElement(
  name: string,
  attributes: Record<string, string | number | boolean | undefined> = {},
  children: XmlNode[] = [],
): XmlElement {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([key, value]): [string, string] => [key, String(value)]);
  return { name, attributes: attrs, children };
}

/** Text content. */
export function xmlText(value: string): XmlText {
  return { text: String(value) };
}

function checked(value: string): string {
  const character = forbiddenXmlCharacter(value);
  if (character) throw new XmlCharacterError(value, character);
  return escapeXml(value);
}

const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
  // Escaping is escapeXml's alone (the builder's own entity replacement is off).
  processEntities: false,
  tagValueProcessor: (_name: string, value: unknown) => checked(String(value)),
  attributeValueProcessor: (_name: string, value: unknown) => checked(String(value)),
});

function toOrdered(node: XmlNode): Record<string, unknown> {
  if ('text' in node) return { '#text': node.text };
  const ordered: Record<string, unknown> = { [node.name]: node.children.map(toOrdered) };
  if (node.attributes.length > 0) ordered[':@'] = Object.fromEntries(node.attributes.map(([k, v]) => [`@_${k}`, v]));
  return ordered;
}

/** Serializes nodes with the XML builder; throws `XmlCharacterError` for a value XML cannot carry. */
export function renderXml(nodes: XmlNode | XmlNode[]): string {
  const list = Array.isArray(nodes) ? nodes : [nodes];
  if (list.length === 0) return '';
  // The builder closes empty elements as `<a/>`; the policy documents have always read `<a />`. Text and
  // attribute values are escaped (no literal `>` left in them), so every `/>` here ends an empty element.
  return (builder.build(list.map(toOrdered)) as string).replace(/\/>/g, ' />');
}

/** Why `fragment` (zero or more elements and text, as inside an element) is not well-formed XML, or undefined when it is. */
export function xmlFragmentError(fragment: string): string | undefined {
  const character = forbiddenXmlCharacter(fragment);
  if (character) return `it contains ${character}, which XML 1.0 forbids`;
  // Wrapped in a root on the same line, so that line and column numbers are the fragment's.
  const result = XMLValidator.validate(`<fragment>${fragment}</fragment>`, { allowBooleanAttributes: false });
  if (result === true) return undefined;
  const { msg, line, col } = result.err;
  const column = line === 1 ? col - '<fragment>'.length : col;
  return `${msg.replace(/ ?'fragment'/g, ' the end of the fragment').trim()} (line ${line}, column ${Math.max(column, 1)})`;
}
