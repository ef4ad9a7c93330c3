// Policy XML is built by an XML builder and raw fragments are checked by an XML parser: malformed
// XML and characters XML cannot carry fail at synth, naming the prop; one function escapes for the library.
import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import * as fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { ApiPolicy, PolicySection, RateLimitKey } from '../lib';
import { ConstructValidationError } from '../lib/core/errors';
import { escapeXml, forbiddenXmlCharacter } from '../lib/core/xml';
import { escapeXml as diagramEscapeXml } from '../lib/diagram/text';

const scope = () => new TerraformStack(new App(), 'policies');
const render = (policy: ApiPolicy) => policy.render(scope());
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false, trimValues: false, htmlEntities: true });

describe('ApiPolicy.fromXml', () => {
  test('fails when the fragment is not well-formed XML, naming the prop and the place', () => {
    const bad: Array<[string, RegExp]> = [
      // The example: an unclosed element.
      ['<set-header name="x" exists-action="override"><value>1</value>', /invalid 'fromXml.xml': got .*; expected well-formed XML: .*set-header.*\(line 1, column \d+\)/],
      ['<a><b></a></b>', /invalid 'fromXml.xml'.*expected well-formed XML: Expected closing tag 'b'/],
      ['<set-variable name="a" name="b" />', /invalid 'fromXml.xml'.*expected well-formed XML: Attribute 'name' is repeated/],
      ['<set-variable name=a />', /invalid 'fromXml.xml'.*expected well-formed XML/],
      ['<set-body>a & b</set-body>', /invalid 'fromXml.xml'.*expected well-formed XML/],
      ['<base />\n<set-body>x</set-bod>', /invalid 'fromXml.xml'.*\(line 2, column \d+\)/],
      ['<set-body>a\u0007b</set-body>', /invalid 'fromXml.xml'.*it contains U\+0007, which XML 1.0 forbids/],
    ];
    for (const [xml, message] of bad) {
      expect(() => render(ApiPolicy.fromXml(xml))).toThrow(ConstructValidationError);
      expect(() => render(ApiPolicy.fromXml(xml))).toThrow(message);
    }
  });

  test('accepts policy expressions written as in the portal (the provider sends rawxml)', () => {
    const good = [
      '<set-variable name="tenant" value="@(context.Request.Headers.GetValueOrDefault("x-tenant", ""))" />',
      '<set-header name="x-over" exists-action="override"><value>@((context.LastError == null) && (int.Parse(context.Request.Headers["Limit"][0]) > 100) ? "over" : "under")</value></set-header>',
      '<set-body>@{ var body = context.Request.Body.As<JObject>(preserveContent: true); body["s"] = "}"; return body.ToString(); }</set-body>',
      '<choose><when condition="@(context.Variables.GetValueOrDefault<string>("x") == "a")"><base /></when></choose>',
      '<retry condition="@(context.Response.StatusCode &gt;= 500)" count="2" interval="1"><forward-request /></retry>',
    ];
    for (const xml of good) expect(render(ApiPolicy.fromXml(xml, PolicySection.INBOUND))).toBe(xml);
  });
});

describe('typed policies', () => {
  test('fail when a value holds a character XML 1.0 forbids, naming the option', () => {
    const bad: Array<[ApiPolicy, RegExp]> = [
      [ApiPolicy.header({ name: 'X-A', values: ['ok', 'a\u0000b'] }), /invalid 'header.values\[1\]': got "a\\u0000b"; expected text without the control characters XML 1.0 forbids/],
      [ApiPolicy.validateJwt({ issuer: 'https://x/\u001b', audiences: ['a'], openIdConfigUrl: 'https://login.contoso.com/.well-known/openid-configuration' }), /invalid 'validateJwt.issuer'/],
      [ApiPolicy.rateLimitByKey({ calls: 1, key: RateLimitKey.fromExpression('@(x\uFFFF)') }), /invalid 'rateLimitByKey.key'/],
      [ApiPolicy.cors({ allowedOrigins: ['*'], exposeHeaders: ['X-\u000b'] }), /invalid 'cors.exposeHeaders\[0\]'/],
    ];
    for (const [policy, message] of bad) expect(() => render(policy)).toThrow(message);
  });

  test('any value XML can carry comes back from the built XML unchanged; any other is refused (property-based)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
      const policy = ApiPolicy.header({ name: 'X-Value', values: [value] });
      if (forbiddenXmlCharacter(value)) {
        expect(() => render(policy)).toThrow(/invalid 'header.values\[0\]'/);
        return;
      }
      const parsed = parser.parse(`<root>${render(policy)}</root>`).root['set-header'];
      expect(parsed.value).toBe(value);
    }), { numRuns: 300 });
  });
});

describe('one escaping path', () => {
  test('the diagrams and the policies escape with the same function', () => {
    expect(diagramEscapeXml).toBe(escapeXml);
    expect(escapeXml('<a href="x">Tom & Jerry\'s</a>')).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;');
  });

  test('no other file of the library replaces XML special characters', () => {
    const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    const lib = path.join(__dirname, '..', 'lib');
    const escaping = files(lib).filter((f) => /['"`]&(amp|lt|gt|quot|apos);['"`]/.test(fs.readFileSync(f, 'utf8')));
    expect(escaping.map((f) => path.relative(lib, f))).toEqual([path.join('core', 'xml.ts')]);
  });
});
