// Child process of the benchmark: runs bin/llama3-ft.js with the given arguments, as the
// shell would, and writes this process's peak memory (KiB) to the file BENCH_RSS_FILE names.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

process.on('exit', () => writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));
process.argv.splice(1, 1, join(__dirname, '..', 'bin', 'llama3-ft.js'));
require(process.argv[1]);
