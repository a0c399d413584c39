// Child process of the benchmark: the floor a validator is compared with — read a JSON
// Lines file line by line with node:readline and JSON.parse each line, nothing else.
const { createReadStream } = require('node:fs');
const { createInterface } = require('node:readline');
const { peakRssMiB } = require('./peak-rss');

async function main() {
  const started = process.hrtime.bigint();
  let records = 0;
  for await (const line of createInterface({ input: createReadStream(process.argv[2]), crlfDelay: Infinity })) {
    if (line.length > 0) {
      JSON.parse(line);
      records++;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(JSON.stringify({ seconds, records, peakRssMiB: peakRssMiB() }));
}
main();
