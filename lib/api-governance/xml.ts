// Policy XML (internal): documents are built with the library's XML builder (lib/core/xml.ts);
// raw fragments given to `ApiPolicy.fromXml` are checked with its parser.
import { xmlElement, xmlFragmentError, xmlText } from '../core/xml';

export { escapeXml, renderXml, XmlCharacterError } from '../core/xml';
export type { XmlElement, XmlNode } from '../core/xml';

/** `<name a="1">children</name>`; undefined attributes are left out. */
export const element = xmlElement;
/** Text content, escaped when rendered. */
export const text = xmlText;

/**
 * The end index (exclusive) of the policy expression starting at `start` (`@(` or `@{`), skipping C#
 * string and character literals, or -1 when its brackets do not close.
 */
function expressionEnd(xml: string, start: number): number {
  const open = xml[start + 1];
  const close = open === '(' ? ')' : '}';
  let depth = 0;
  for (let i = start + 1; i < xml.length; i++) {
    const c = xml[i];
    if (c === '"' || c === '\'') {
      const verbatim = c === '"' && xml[i - 1] === '@';
      for (i++; i < xml.length; i++) {
        if (!verbatim && xml[i] === '\\') {
          i++; // an escaped character
        } else if (xml[i] === c) {
          if (verbatim && xml[i + 1] === '"') i++; // "" inside @"..."
          else break;
        }
      }
    } else if (c === open) {
      depth++;
    } else if (c === close && --depth === 0) {
      return i + 1;
    }
  }
  return -1;
}

/**
 * Policy expressions (`@(...)`, `@{...}`) replaced by a neutral `@(expression)`: the azurerm provider
 * sends policies as `rawxml`, in which API Management reads C# expressions unescaped (quotes, `<`, `&&`);
 * the XML around them must be well-formed.
 */
export function maskPolicyExpressions(xml: string): string {
  let out = '';
  let i = 0;
  while (i < xml.length) {
    const at = xml.indexOf('@', i);
    if (at < 0 || at + 1 >= xml.length) break;
    if (xml[at + 1] !== '(' && xml[at + 1] !== '{') {
      out += xml.slice(i, at + 1);
      i = at + 1;
      continue;
    }
    const end = expressionEnd(xml, at);
    if (end < 0) break;
    out += `${xml.slice(i, at)}@(expression)`;
    i = end;
  }
  return out + xml.slice(i);
}

/** Why a policy fragment is not well-formed XML (policy expressions aside), or undefined. */
export function policyFragmentError(xml: string): string | undefined {
  return xmlFragmentError(maskPolicyExpressions(xml));
}
