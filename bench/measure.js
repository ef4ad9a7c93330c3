// Preloaded into a measured node process (`node --require bench/measure.js ...`): on exit, writes
// the process's peak resident set size (kB) to the file named by BENCH_RSS_FILE, and its CPU time
// (user + system, ms) to the file named by BENCH_CPU_FILE.
'use strict';
const fs = require('fs');
process.on('exit', () => {
  const usage = process.resourceUsage();
  if (process.env.BENCH_RSS_FILE) fs.writeFileSync(process.env.BENCH_RSS_FILE, String(usage.maxRSS));
  if (process.env.BENCH_CPU_FILE) fs.writeFileSync(process.env.BENCH_CPU_FILE, String((usage.userCPUTime + usage.systemCPUTime) / 1000));
});
