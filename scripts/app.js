#!/usr/bin/env node
// The app of cdktf.json and of `npm run synth`: run main.ts as one precompiled JavaScript bundle.
//
// Synth is on every user's path (`cdktf synth`, `cdktf deploy`), so nothing is type-checked here
// (`npm run build` and `npm test` do that), and nothing is compiled twice: when a source file or the
// installed dependencies changed, esbuild bundles main.ts with the library, cdktf and the provider
// classes it imports into .app/main.js (about 0.5 s), minified with names kept (error messages name
// the constructs); afterwards node runs the bundle. One minified file parses in a fraction of the time
// of the few hundred modules it replaces. elkjs stays outside: only the diagram loads it.
'use strict';
const fs = require('fs');
const path = require('path');

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
  ...sources(path.join(root, 'lib')),
  ...sources(path.join(root, 'examples')),
].filter((f) => fs.existsSync(f));
const built = fs.existsSync(bundle) ? fs.statSync(bundle).mtimeMs : 0;
if (inputs.some((f) => fs.statSync(f).mtimeMs > built)) {
  fs.rmSync(path.dirname(bundle), { recursive: true, force: true });
  require('esbuild').buildSync({
    entryPoints: [path.join(root, 'main.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    keepNames: true,
    external: ['elkjs'],
    logLevel: 'warning',
  });
}
require(bundle);
