// Jest's testSequencer (.projenrc.ts): the suites that take longest start first.
//
// Jest's own order is failed suites first, then by the durations of its previous run (kept in its cache),
// else by file size. CI runs a fresh clone, with no cache: by size, the package and Terraform suites (about
// half of Jest's time, much of it waiting on npm, jsii and terraform processes) started after two thirds
// of the other suites, and the run ended with one worker busy and the other idle. Here they start first,
// one on each worker, and the short suites fill in around them. Every suite still runs; this is only the
// order (except that, as in Jest's, what failed last time goes first). A listed suite that no longer exists fails the run, so that the list cannot silently go stale.
'use strict';
const fs = require('fs');
const path = require('path');
const Sequencer = require('@jest/test-sequencer').default;

/** Longest first (relative to the rootDir). */
const LONGEST = [
  '__tests__/package.test.ts',
  '__tests__/terraform.test.ts',
  '__tests__/properties-mesh-cluster.test.ts',
  '__tests__/reference-topology.test.ts',
];

class LongestFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.length === 0) return sorted;
    const rootDir = sorted[0].context.config.rootDir;
    const missing = LONGEST.filter((file) => !fs.existsSync(path.join(rootDir, file)));
    if (missing.length > 0) throw new Error(`__tests__/support/sequencer.js lists suites that do not exist: ${missing.join(', ')}`);
    const rank = (test) => {
      if (this.hasFailed(test)) return -1; // as Jest does: what failed last time first
      const i = LONGEST.indexOf(path.relative(test.context.config.rootDir, test.path).split(path.sep).join('/'));
      return i < 0 ? LONGEST.length : i;
    };
    // Array.prototype.sort is stable: the other suites keep Jest's order.
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = LongestFirstSequencer;
