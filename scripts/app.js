#!/usr/bin/env node
// The app of cdktf.json and of `npm run synth`: run main.ts as one precompiled JavaScript bundle.
//
// Synth is on every user's path (`cdktf synth`, `cdktf deploy`), so nothing is type-checked here
// (`npm run build` and `npm test` do that), and nothing is compiled twice: when a source file or the
// installed dependencies changed, esbuild bundles main.ts with the library, cdktf and the provider
// classes it imports into .app/main.js (about 0.5 s; scripts/bundle.js says how, and what it leaves
// out); afterwards node runs the bundle. One minified file parses in a fraction of the time of the few
// hundred modules it replaces. elkjs stays outside: only the diagram loads it.
//
// The bundle runs with V8's code cache (.app/main.js.v8cache, written by the first run after a build,
// the technique of the v8-compile-cache package): later runs skip parsing and compiling it again.
// V8 rejects a cache that does not match the bundle or the node binary, and it is then rewritten.
'use strict';
const fs = require('fs');
const Module = require('module');
const path = require('path');
const vm = require('vm');

const root = path.resolve(__dirname, '..');
const bundle = path.join(root, '.app', 'main.js');

function sources(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

const inputs = [
  path.join(root, 'main.ts'),
  path.join(root, 'package-lock.json'),
  path.join(__dirname, 'bundle.js'),
  ...sources(path.join(root, 'lib')),
  ...sources(path.join(root, 'examples')),
].filter((f) => fs.existsSync(f));
const built = fs.existsSync(bundle) ? fs.statSync(bundle).mtimeMs : 0;
const stale = inputs.some((f) => fs.statSync(f).mtimeMs > built);

async function build() {
  fs.rmSync(path.dirname(bundle), { recursive: true, force: true });
  await require('./bundle').bundle(path.join(root, 'main.ts'), bundle);
}

function run() {
  const cachePath = `${bundle}.v8cache`;
  const cachedData = fs.existsSync(cachePath) ? fs.readFileSync(cachePath) : undefined;
  const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    // After the run, so the cache also holds the functions compiled while synthesizing.
    process.on('exit', () => fs.writeFileSync(cachePath, script.createCachedData()));
  }
  const mainModule = new Module(bundle, module);
  mainModule.filename = bundle;
  mainModule.paths = Module._nodeModulePaths(path.dirname(bundle));
  try {
    script.runInThisContext().call(mainModule.exports, mainModule.exports, Module.createRequire(bundle), mainModule, bundle, path.dirname(bundle));
  } catch (error) {
    // Node would print the failing line of the minified bundle; the message is what the user needs.
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    console.error('(stack frames would point into the bundle .app/main.js; `npx tsx main.ts` shows TypeScript ones)');
    process.exit(1);
  }
}

if (stale) {
  build().then(run, (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
} else {
  run();
}
