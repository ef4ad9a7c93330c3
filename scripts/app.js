#!/usr/bin/env node
// The app of cdktf.json and of `npm run synth`: run main.ts as precompiled JavaScript.
//
// Synth is on every user's path (`cdktf synth`, `cdktf deploy`), so nothing is type-checked here
// (`npm run build` and `npm test` do that): esbuild transpiles the TypeScript sources to .app/ when
// one of them is newer than the output (about 0.3 s), and node runs the result. A TypeScript loader
// such as tsx or ts-node would add that cost, or more, to every synth.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const outdir = path.join(root, '.app');
const entry = path.join(outdir, 'main.js');

function sources(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

const files = [path.join(root, 'main.ts'), ...sources(path.join(root, 'lib')), ...sources(path.join(root, 'examples'))];
const built = fs.existsSync(entry) ? fs.statSync(entry).mtimeMs : 0;
if (files.some((f) => fs.statSync(f).mtimeMs > built)) {
  fs.rmSync(outdir, { recursive: true, force: true });
  require('esbuild').buildSync({
    entryPoints: files,
    outdir,
    outbase: root,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  // main.js last, so an interrupted build is rebuilt next time.
  fs.utimesSync(entry, new Date(), new Date());
}
require(entry);
