/**
 * Regenerates the schemas the tests validate synthesized stacks against, from ../shared:
 *
 *  - ../shared/schemas/<provider>-<version>.json (`terraform providers schema -json` of the exact provider
 *    versions the prebuilt bindings target), pruned to the resource and data source types this project
 *    imports (found by scanning lib/, examples/ and __tests__/ for deep imports; the small `time` provider whole,
 *    for the Terraform harness) and stripped of descriptions;
 *  - ../shared/istio-crds/istio-<version>-crds.yaml (Istio's CRDs), reduced to each kind's openAPIV3Schema.
 *
 * Output: __tests__/support/schemas/*.json, committed, so the tests run on machines without ../shared.
 * Run it (`npm run schemas`) after importing a new resource type.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const ROOT = path.resolve(__dirname, '..');
const SHARED = process.env.SHARED_DIR ?? path.resolve(ROOT, '..', 'shared');
const OUT = path.join(ROOT, '__tests__', 'support', 'schemas');
const PROVIDERS: Record<string, string> = { azurerm: 'azurerm-4.55.0', kubernetes: 'kubernetes-2.38.0', helm: 'helm-3.0.2', time: 'time-0.13.1' };
/**
 * Providers vendored whole, whatever the code imports: `time` is three small types, and the Terraform
 * harness (__tests__/support/terraform.ts) serves it to stacks that use `time_sleep` through any binding.
 */
const KEEP_ALL = new Set(['time']);
const SCAN_DIRS = ['lib', 'examples', '__tests__', 'main.ts'];

function sourceFiles(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return full.endsWith('.ts') ? [full] : [];
  return fs.readdirSync(full).flatMap((name) => (name === 'node_modules' || name === 'schemas' ? [] : sourceFiles(path.join(entry, name))));
}

/** `{ azurerm: { resources: Set(['azurerm_subnet']), data: Set([...]) } }` from the deep imports in the code. */
function usedTypes(): Record<string, { resources: Set<string>; data: Set<string> }> {
  const used: Record<string, { resources: Set<string>; data: Set<string> }> = {};
  for (const provider of Object.keys(PROVIDERS)) used[provider] = { resources: new Set(), data: new Set() };
  const importPattern = /@cdktf\/provider-(azurerm|kubernetes|helm|time)\/lib\/([a-z0-9-]+)/g;
  for (const file of SCAN_DIRS.flatMap(sourceFiles)) {
    for (const match of fs.readFileSync(file, 'utf8').matchAll(importPattern)) {
      const [, provider, module] = match;
      if (module === 'provider') continue;
      const name = module.replace(/-/g, '_');
      if (name.startsWith(`data_${provider}_`)) used[provider].data.add(name.slice('data_'.length));
      else used[provider].resources.add(`${provider}_${name}`);
    }
  }
  return used;
}

/**
 * Drops documentation fields: the validator needs structure, not prose. Only documentation values
 * go (strings, and the `deprecated` flag): an argument that is itself named `description` stays.
 */
function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strip);
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      // A type constraint (`["object", { description: "string" }]`) is structure all through.
      if (key === 'type') {
        out[key] = value;
        continue;
      }
      if ((key === 'description' || key === 'description_kind') && typeof value === 'string') continue;
      if (key === 'deprecated' && typeof value === 'boolean') continue;
      out[key] = strip(value);
    }
    return out;
  }
  return node;
}

function pruneProviders(): void {
  const used = usedTypes();
  for (const [provider, file] of Object.entries(PROVIDERS)) {
    const full = JSON.parse(fs.readFileSync(path.join(SHARED, 'schemas', `${file}.json`), 'utf8'));
    const [source, schema] = Object.entries<any>(full.provider_schemas)[0];
    const pick = (all: Record<string, unknown>, imported: Set<string>, kind: string) => {
      const picked: Record<string, unknown> = {};
      const names = KEEP_ALL.has(provider) ? new Set([...imported, ...Object.keys(all)]) : imported;
      for (const name of [...names].sort()) {
        if (!all[name]) throw new Error(`${kind} ${name} (imported in the code) is not in ${file}.json`);
        picked[name] = strip(all[name]);
      }
      return picked;
    };
    const pruned = {
      source: `../shared/schemas/${file}.json, pruned by scripts/prune-schemas.ts`,
      provider: source,
      version: file.split('-').pop(),
      resource_schemas: pick(schema.resource_schemas ?? {}, used[provider].resources, 'resource'),
      data_source_schemas: pick(schema.data_source_schemas ?? {}, used[provider].data, 'data source'),
    };
    fs.writeFileSync(path.join(OUT, `${file}.json`), JSON.stringify(pruned, null, 1) + '\n');
    console.log(`${file}: ${Object.keys(pruned.resource_schemas).length} resources, ${Object.keys(pruned.data_source_schemas).length} data sources`);
  }
}

function pruneIstio(): void {
  const dir = path.join(SHARED, 'istio-crds');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('-crds.yaml')).sort()) {
    const kinds: Record<string, unknown> = {};
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      const { group, names, scope, versions } = crd.spec;
      kinds[`${group}/${names.kind}`] = {
        group,
        kind: names.kind,
        namespaced: scope === 'Namespaced',
        versions: Object.fromEntries(versions.filter((v: any) => v.served).map((v: any) => [v.name, strip(v.schema.openAPIV3Schema)])),
      };
    }
    const name = file.replace(/\.yaml$/, '.json');
    fs.writeFileSync(path.join(OUT, name), JSON.stringify({ source: `../shared/istio-crds/${file}`, kinds }, null, 1) + '\n');
    console.log(`${name}: ${Object.keys(kinds).length} kinds`);
  }
}

fs.mkdirSync(OUT, { recursive: true });
pruneProviders();
pruneIstio();
