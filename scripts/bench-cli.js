// Child process of the benchmark: runs bin/llama3-ft.js with the given arguments, as the
// shell would, and writes this process's peak memory (MiB) to the file BENCH_RSS_FILE names.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { peakRssMiB } = require('./peak-rss');

process.on('exit', () => writeFileSync(process.env.BENCH_RSS_FILE, String(peakRssMiB())));
process.argv.splice(1, 1, join(__dirname, '..', 'bin', 'llama3-ft.js'));
require(process.argv[1]);
