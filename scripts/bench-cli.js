// Child process of the benchmark: runs bin/llama3-ft.js with the given arguments, as the
// shell would, and writes its run time and peak memory (MiB) to the file BENCH_RSS_FILE names.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');
const { peakRssMiB } = require('./peak-rss');

// Time from the process's own start (performance's time origin), not the parent's spawn: a
// large parent's fork costs tens of milliseconds that are not the command's.
process.on('exit', () =>
  writeFileSync(process.env.BENCH_RSS_FILE, JSON.stringify({ ms: performance.now(), rssMiB: peakRssMiB() })),
);
process.argv.splice(1, 1, join(__dirname, '..', 'bin', 'llama3-ft.js'));
require(process.argv[1]);
