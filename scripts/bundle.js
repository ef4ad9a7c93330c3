// How the synth path's JavaScript is bundled: by scripts/app.js (main.ts, the app of cdktf.json) and by
// the benchmark's services app (bench/run.ts), the same way, so the bench measures what users run.
//
// - Whitespace and syntax minified, identifiers kept: one small file parses fast, and class names stay
//   real, so errors name the constructs ("MeshService at 'services/Api'") without esbuild's keepNames,
//   whose __name() helper wraps every function and cost about 20% of a 1000-service synth.
// - cdktf's stack-trace capture is left out. cdktf records a full stack trace (Error.stackTraceLimit set to
//   MAX_SAFE_INTEGER) for every token and every provider output reference it creates, only to print it if
//   that token later fails to resolve; in a 1000-service synth that was half of the time and a third of
//   the memory. In the bundle those frames would point into one generated file, and scripts/app.js prints
//   only the error's message, so they would tell nobody anything. Errors keep their messages.
'use strict';
const path = require('path');

const fs = require('fs');

const STACK_TRACE_MODULE = /[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/;

/** Replaces cdktf's captureStackTrace with one that captures nothing (its callers accept an empty trace). */
const withoutTokenStackTraces = {
  name: 'cdktf-without-token-stack-traces',
  setup(build) {
    let replaced = false;
    build.onLoad({ filter: STACK_TRACE_MODULE }, () => {
      replaced = true;
      return { contents: "'use strict';\nexports.captureStackTrace = function captureStackTrace() { return []; };\n", loader: 'js' };
    });
    // A cdktf that moved the module would silently get its traces back: say so instead.
    build.onEnd((result) => {
      if (result.errors.length === 0 && !replaced) {
        result.errors.push({ text: 'scripts/bundle.js: cdktf/lib/tokens/private/stack-trace.js was not in the bundle; update STACK_TRACE_MODULE for this cdktf version.' });
      }
    });
  },
};

// cdktf resolves every value of every resource three times in a synth (App.synth's prepareStack, the
// stack's toTerraform, then once more over the merged stack) and the policy pack a fourth. For each plain
// string, number or key it allocates two resolution contexts with closures and three regular expressions
// objects, to learn that there is nothing to resolve. These fast paths skip that work for values that
// cannot hold a token: a string without "TfToken[" (every cdktf token marker contains it: ${TfToken[..]},
// #{TfToken[..]}, &{TfToken[..]}) that cdktf's number-token expression does not match, a number that is
// not an encoded token, a boolean, null or undefined. For those, cdktf's own code returns the value
// unchanged; everything else still goes through it. Each patch must match cdktf's source as often as it says (once unless given), or
// the build fails (a cdktf upgrade must look at them again); the tests compare the bundle's output with
// the unbundled library's, byte for byte.
const PLAIN_VALUE_HELPERS = `
// Added by scripts/bundle.js: values cdktf's resolve() would return unchanged.
const PLAIN_NUMBER_TOKEN = /[-|\\d|.\\+]+(e[-|\\d|.|e|E|\\+]+)/; // encoding.js NUMBER_TOKEN_REGEX, not global
function isPlainString(s) {
    return typeof s === "string" && s.indexOf("TfToken[") === -1 && !PLAIN_NUMBER_TOKEN.test(s)
        && s !== token_1.Token.STRING_MAP_TOKEN_VALUE && s !== token_1.Token.ANY_MAP_TOKEN_VALUE;
}
function isPlainLeaf(x) {
    if (typeof x === "string") return isPlainString(x);
    if (typeof x === "number") return x !== token_1.Token.NUMBER_MAP_TOKEN_VALUE && (0, encoding_1.extractTokenDouble)(x, false) === undefined;
    return x === undefined || x === null || typeof x === "boolean";
}
`;
const RESOLVE_PATCHES = {
  'tokens/private/resolve.js': [
    ['.map((x, i) => makeContext(`${i}`)[0].resolve(x))', '.map((x, i) => isPlainLeaf(x) ? x : makeContext(`${i}`)[0].resolve(x))'],
    ['const resolvedKey = makeContext()[0].resolve(key);', 'const resolvedKey = isPlainString(key) ? key : makeContext()[0].resolve(key);'],
    ['const value = makeContext(key)[0].resolve(obj[key]);', 'const value = isPlainLeaf(obj[key]) ? obj[key] : makeContext(key)[0].resolve(obj[key]);'],
    // The path of the value being resolved, joined for every value but read only by four error messages.
    ['const pathName = "/" + prefix.join("/");', '', 1],
    ['(pathName)', '("/" + prefix.join("/"))', 2],
    ['(pathName, obj)', '("/" + prefix.join("/"), obj)', 1],
    ['(pathName, key, resolvedKey)', '("/" + prefix.join("/"), key, resolvedKey)', 1],
    ['exports.RememberingTokenResolver = RememberingTokenResolver;', `exports.RememberingTokenResolver = RememberingTokenResolver;\n${PLAIN_VALUE_HELPERS}`],
  ],
  'tokens/private/encoding.js': [
    // A map token key is "&{TfToken[..]}": no "TfToken[", no match, without building a TokenString.
    ['.some((x) => typeof x === "string" && TokenString.forMapToken(x).test());', '.some((x) => typeof x === "string" && x.indexOf("TfToken[") !== -1 && TokenString.forMapToken(x).test());'],
  ],
};

/** Applies RESOLVE_PATCHES to cdktf's token modules; fails the build when one no longer matches. */
const withResolveFastPaths = {
  name: 'cdktf-resolve-fast-paths',
  setup(build) {
    const patched = new Set();
    build.onLoad({ filter: /[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/](resolve|encoding)\.js$/ }, (args) => {
      const file = args.path.replace(/\\/g, '/').replace(/^.*\/cdktf\/lib\//, '');
      let contents = fs.readFileSync(args.path, 'utf8');
      for (const [find, replace, expected = 1] of RESOLVE_PATCHES[file] ?? []) {
        const count = contents.split(find).length - 1;
        if (count !== expected) {
          return { errors: [{ text: `scripts/bundle.js: cdktf/lib/${file} has ${count} copies of \`${find}\` (expected ${expected}); look at RESOLVE_PATCHES again for this cdktf version.` }] };
        }
        contents = contents.split(find).join(replace);
      }
      patched.add(file);
      return { contents, loader: 'js' };
    });
    build.onEnd((result) => {
      const missing = Object.keys(RESOLVE_PATCHES).filter((f) => !patched.has(f));
      if (result.errors.length === 0 && missing.length > 0) {
        result.errors.push({ text: `scripts/bundle.js: cdktf/lib/${missing.join(', ')} not in the bundle; look at RESOLVE_PATCHES again.` });
      }
    });
  },
};

/**
 * Bundles `entry` into `outfile` (CommonJS for node 20). elkjs stays outside: only the diagram loads it.
 * Asynchronous: esbuild runs plugins only in its asynchronous API.
 * @param {string} entry
 * @param {string} outfile
 * @returns {Promise<void>}
 */
async function bundle(entry, outfile) {
  await require('esbuild').build({
    entryPoints: [path.resolve(entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minifyWhitespace: true,
    minifySyntax: true,
    external: ['elkjs'],
    logLevel: 'warning',
    plugins: [withoutTokenStackTraces, ...(process.env.BUNDLE_NO_FAST_RESOLVE ? [] : [withResolveFastPaths])],
  });
}

module.exports = { bundle, withoutTokenStackTraces, withResolveFastPaths };
