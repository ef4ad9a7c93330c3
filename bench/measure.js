// Preloaded into a measured node process (`node --require bench/measure.js ...`): on exit, writes
// the process's peak resident set size (kB) to the file named by BENCH_RSS_FILE.
'use strict';
const fs = require('fs');
process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) fs.writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
