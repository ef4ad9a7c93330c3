// The lint rule that keeps prebuilt providers out of root imports (a root import loads the whole
// provider: seconds and hundreds of MB at every build, test and synth). Reads the real .eslintrc.json.
import * as fs from 'fs';
import * as path from 'path';
import { Linter } from 'eslint';

// projen writes a comment line at the top of .eslintrc.json.
const eslintrc = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '.eslintrc.json'), 'utf8').replace(/^\/\/.*\n/, ''));

function lint(code: string): string[] {
  const linter = new Linter({ configType: 'eslintrc' });
  return linter.verify(code, {
    parserOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: { 'no-restricted-imports': eslintrc.rules['no-restricted-imports'] },
  } as any).map((m) => m.message);
}

describe('no root imports of prebuilt providers', () => {
  test.each(['@cdktf/provider-azurerm', '@cdktf/provider-kubernetes', '@cdktf/provider-helm'])('rejects %s', (name) => {
    expect(lint(`import { X } from '${name}';`)).toEqual([expect.stringMatching(new RegExp(`Import the resource by deep path, e.g. '${name}/lib/<resource>'`))]);
  });

  test('accepts deep imports', () => {
    expect(lint("import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';\nimport { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';")).toEqual([]);
  });

  test('no source file of the project imports a provider root', () => {
    const roots = ['lib', 'examples', '__tests__', 'scripts', 'bench'].map((d) => path.join(__dirname, '..', d));
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      if (!fs.existsSync(dir)) return;
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) { if (entry.name !== 'node_modules' && entry.name !== '__snapshots__') walk(full); continue; }
        if (!entry.name.endsWith('.ts') || entry.name === 'lint-rules.test.ts') continue;
        if (/from '@cdktf\/provider-[a-z]+'|require\('@cdktf\/provider-[a-z]+'\)/.test(fs.readFileSync(full, 'utf8'))) offenders.push(full);
      }
    };
    roots.forEach(walk);
    expect(offenders).toEqual([]);
  });
});
