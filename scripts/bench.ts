// `npm run bench`: synth time against a bare aws-cdk-lib app with the same resource
// types (same run), the test suite's time, handler bundle sizes, and the dataset
// validator's throughput and peak memory on a generated file.
//   npm run bench -- [--skip-tests] [--dataset-mb N] [--synth-only]
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, readFileSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { buildSync } from 'esbuild';
import { bareStack } from './bench-bare-app';
import { Llama3FineTuningStack } from '../lib';
import { leaveOneOutErrors } from '../lib/estimates/runtime-model';
import { techniqueName } from '../lib/models/catalogue';

const ROOT = join(__dirname, '..');
const args = process.argv.slice(2);
const datasetFlag = args.indexOf('--dataset-mb');
const datasetMiB = datasetFlag === -1 ? 1024 : Number(args[datasetFlag + 1]);
/** Size of the object the deploy-time check's path is measured on. */
const S3_OBJECT_MIB = 128;
if (!(datasetMiB > 0)) throw new Error(`--dataset-mb is "${args[datasetFlag + 1]}"; allowed: a number of MiB above 0.`);
const RUNS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeSynth(build: (app: App) => void): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const outdir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
    const started = performance.now();
    const app = new App({ outdir });
    build(app);
    app.synth();
    times.push(performance.now() - started);
    rmSync(outdir, { recursive: true, force: true });
  }
  return median(times);
}

async function writeDataset(dir: string, mib: number): Promise<void> {
  const record = `${JSON.stringify({
    instruction: 'Summarize the paragraph in one sentence.',
    context:
      'Gravity is a fundamental interaction which causes mutual attraction between all things with mass or energy. '.repeat(
        3,
      ),
    response: 'Gravity attracts everything with mass or energy.',
  })}\n`;
  const out = createWriteStream(join(dir, 'train.jsonl'));
  const block = record.repeat(Math.floor((1 << 20) / record.length));
  for (let written = 0; written < mib * (1 << 20); written += block.length) {
    if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}

/**
 * The deploy-time check's path (copy from S3, then validate) on the same file as an S3 object,
 * against moto_server on loopback: its copy is faster than S3's, so the figure bounds the
 * validator's share of a real check, and shows its memory stays bounded by the stream.
 */
async function benchS3Check(file: string): Promise<[string, string]> {
  const port = 5000 + Math.floor(Math.random() * 1000);
  const moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  try {
    Object.assign(process.env, env);
    const s3 = new S3Client({});
    for (let i = 0; ; i++) {
      try {
        await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
        break;
      } catch (error) {
        if (i > 100) throw error;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await s3.send(
      new PutObjectCommand({
        Bucket: 'bench',
        Key: 'big/train.jsonl',
        // A buffer, not a stream: moto decodes the SDK's chunked stream uploads slowly.
        Body: readFileSync(file),
      }),
    );
    // Bundled as the Lambda function is (and with the SDK the Lambda runtime would provide), so
    // its memory is the check's own, not a TypeScript loader's.
    const bundle = join(mkdtempSync(join(tmpdir(), 'bench-s3-check-')), 'check.js');
    buildSync({
      entryPoints: [join(__dirname, 'bench-s3-check.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      logLevel: 'warning',
    });
    const child = spawnSync('node', [bundle, 's3://bench/big/', 'instruction'], { cwd: ROOT, encoding: 'utf8', env });
    if (child.status !== 0) throw new Error(child.stderr);
    const c = JSON.parse(child.stdout);
    return [
      `deploy-time check path, bundled as its Lambda (copy from moto's S3 on loopback, then validate), ${(c.bytes / (1 << 20)).toFixed(0)} MiB object`,
      `${(c.bytes / (1 << 20) / c.seconds).toFixed(0)} MiB/s, ${c.seconds.toFixed(1)} s, peak RSS ${c.peakRssMiB.toFixed(0)} MiB`,
    ];
  } finally {
    moto.kill();
  }
}

/** The training estimator's leave-one-out errors over the measured runs (goal: median ≤ 5 %, worst ≤ 25 %). */
function estimatorErrors(): [string, string][] {
  const errors = leaveOneOutErrors();
  const absolute = errors.map((e) => Math.abs(e.error)).sort((a, b) => a - b);
  const worst = errors.reduce((w, e) => (Math.abs(e.error) > Math.abs(w.error) ? e : w));
  const r = worst.run;
  return [
    [
      `training estimate, leave-one-out over the ${errors.length} measured runs: median error`,
      `${(absolute[Math.floor(absolute.length / 2)] * 100).toFixed(1)} %`,
    ],
    [
      'training estimate, leave-one-out: worst error',
      `${(Math.abs(worst.error) * 100).toFixed(1)} % (${r.minutes} min measured: ${r.instanceType}, ${r.maxInputLength} tokens, ` +
        `batch ${r.perDeviceTrainBatchSize}, ${techniqueName(r)})`,
    ],
  ];
}

/** Wall time and peak memory of one `llama3-ft` run, as the shell starts it. */
function runCli(args: string[]): { ms: number; rssMiB: number; status: number | null } {
  const rssFile = join(mkdtempSync(join(tmpdir(), 'bench-rss-')), 'rss');
  const child = spawnSync('node', [join(__dirname, 'bench-cli.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, BENCH_RSS_FILE: rssFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return { ...JSON.parse(readFileSync(rssFile, 'utf8')), status: child.status };
}

/** `llama3-ft --help` and `validate-data` on a tiny folder: median of 7 runs each (goal: 150 ms, 80 MiB). */
function startUp(): [string, string][] {
  const tiny = mkdtempSync(join(tmpdir(), 'bench-tiny-'));
  writeFileSync(join(tiny, 'train.csv'), 'text\nhello world\n');
  const rows: [string, string][] = [];
  for (const args of [['--help'], ['validate-data', tiny]]) {
    const runs = Array.from({ length: 7 }, () => runCli(args));
    rows.push([
      `start-up, \`llama3-ft ${args[0]}${args[1] ? ' <tiny folder>' : ''}\` (median of 7)`,
      `${median(runs.map((r) => r.ms)).toFixed(0)} ms, peak RSS ${median(runs.map((r) => r.rssMiB)).toFixed(0)} MiB`,
    ]);
  }
  rmSync(tiny, { recursive: true, force: true });
  return rows;
}

/**
 * `llama3-ft validate-data` against the floor: a bare Node.js loop that reads the same file
 * line by line and JSON.parses each line. Paired runs, alternating, so both see the same
 * machine; the ratio is of the medians (goal: at least 0.5).
 */
function validatorAgainstBareLoop(dir: string): [string, string][] {
  const file = join(dir, 'train.jsonl');
  const bytes = statSync(file).size;
  const bare: { seconds: number; peakRssMiB: number }[] = [];
  const cli: { ms: number; rssMiB: number; status: number | null }[] = [];
  for (let i = 0; i < 3; i++) {
    const child = spawnSync('node', [join(__dirname, 'bench-bare-parse.js'), file], { encoding: 'utf8' });
    bare.push(JSON.parse(child.stdout));
    cli.push(runCli(['validate-data', dir, '--mode', 'instruction']));
  }
  const bareSeconds = median(bare.map((b) => b.seconds));
  const cliSeconds = median(cli.map((c) => c.ms)) / 1000;
  const mib = bytes / (1 << 20);
  return [
    [
      `bare loop (readline + JSON.parse), ${mib.toFixed(0)} MiB instruction JSONL (median of 3)`,
      `${(mib / bareSeconds).toFixed(0)} MiB/s, ${bareSeconds.toFixed(1)} s, peak RSS ${median(bare.map((b) => b.peakRssMiB)).toFixed(0)} MiB`,
    ],
    [
      `\`llama3-ft validate-data --mode instruction\`, same file, paired runs (start-up included)`,
      `${(mib / cliSeconds).toFixed(0)} MiB/s, ${cliSeconds.toFixed(1)} s, peak RSS ${median(cli.map((c) => c.rssMiB)).toFixed(0)} MiB` +
        `${cli.every((c) => c.status === 0) ? '' : ' (FAILED)'}`,
    ],
    [
      'validator speed ratio (bare loop time / validator time; goal ≥ 0.5)',
      `${(bareSeconds / cliSeconds).toFixed(2)}x`,
    ],
  ];
}

/**
 * What a user waits for: `npx cdk synth -c accept_eula=true` against `cdk synth` of the bare app
 * run the same way (cdk.json's runner, the bundle step included), paired runs alternating so
 * both see the same machine; the ratio is of the medians (goal: at most 1.2).
 */
function cliSynthAgainstBareApp(): [string, string][] {
  const runner = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')).app as string;
  const bareApp = runner.replace('bin/app.ts', 'scripts/bench-bare-app.ts');
  const synth = (extra: string[]) => {
    const out = mkdtempSync(join(tmpdir(), 'bench-cli-'));
    const started = performance.now();
    const run = spawnSync('npx', ['cdk', 'synth', '-q', '-o', out, ...extra], { cwd: ROOT });
    const seconds = (performance.now() - started) / 1000;
    rmSync(out, { recursive: true, force: true });
    if (run.status !== 0) throw new Error(`cdk synth ${extra.join(' ')} failed: ${run.stderr}`);
    return seconds;
  };
  const library: number[] = [];
  const bare: number[] = [];
  synth(['-c', 'accept_eula=true']); // warm the caches both share
  for (let i = 0; i < 5; i++) {
    library.push(synth(['-c', 'accept_eula=true']));
    bare.push(synth(['--app', bareApp]));
  }
  const [lib, floor] = [median(library), median(bare)];
  return [
    ['`npx cdk synth -c accept_eula=true` (wall, median of 5 paired runs)', `${lib.toFixed(1)} s`],
    ['`cdk synth` of the bare app, same runner (wall, median of 5 paired runs)', `${floor.toFixed(1)} s`],
    ['cdk synth ratio (library / bare app; goal ≤ 1.2)', `${(lib / floor).toFixed(2)}x`],
  ];
}

async function main(): Promise<void> {
  const figures: [string, string][] = [];
  const library = timeSynth((app) => new Llama3FineTuningStack(app, 'Llama3FineTuning', { acceptEula: true }));
  const bare = timeSynth(bareStack);
  figures.push(['synth, default stack (median of 7, in-process)', `${library.toFixed(0)} ms`]);
  figures.push(['synth, bare aws-cdk-lib app, same resource types', `${bare.toFixed(0)} ms`]);
  figures.push(['synth ratio (library / bare)', `${(library / bare).toFixed(2)}x`]);

  figures.push(...cliSynthAgainstBareApp());
  if (args.includes('--synth-only')) {
    for (const [what, figure] of figures) console.log(`| ${what} | ${figure} |`);
    return;
  }

  for (const name of readdirSync(join(ROOT, 'assets', 'handlers')).sort()) {
    const bundle = join(ROOT, 'assets', 'handlers', name, 'index.js');
    // A cold start's share of the bundle: a fresh Node.js process loading it, minus an empty one.
    const load = (script: string) => {
      const started = performance.now();
      spawnSync('node', ['-e', script], {
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      });
      return performance.now() - started;
    };
    const loaded = median(Array.from({ length: 5 }, () => load(`require(${JSON.stringify(bundle)})`)));
    const empty = median(Array.from({ length: 5 }, () => load('')));
    figures.push([
      `handler bundle ${name} (with its SDK clients): size, load time in a fresh process`,
      `${(statSync(bundle).size / 1024).toFixed(0)} KiB, ${(loaded - empty).toFixed(0)} ms`,
    ]);
  }

  figures.push(...estimatorErrors());
  figures.push(...startUp());

  const dir = mkdtempSync(join(tmpdir(), 'bench-dataset-'));
  await writeDataset(dir, datasetMiB);
  figures.push(...validatorAgainstBareLoop(dir));
  rmSync(dir, { recursive: true, force: true });
  // moto's S3 keeps objects in its own memory: a smaller object than the validator's.
  const s3Dir = mkdtempSync(join(tmpdir(), 'bench-s3-dataset-'));
  await writeDataset(s3Dir, S3_OBJECT_MIB);
  figures.push(await benchS3Check(join(s3Dir, 'train.jsonl')));
  rmSync(s3Dir, { recursive: true, force: true });

  if (!args.includes('--skip-tests')) {
    const tmpBefore = new Set(readdirSync(tmpdir()));
    const started = performance.now();
    const tests = spawnSync('npm', ['test', '--silent'], { cwd: ROOT, encoding: 'utf8' });
    figures.push([
      '`npm test` (wall)',
      `${((performance.now() - started) / 1000).toFixed(0)} s${tests.status === 0 ? '' : ' (FAILED)'}`,
    ]);
    const left = readdirSync(tmpdir()).filter((entry) => !tmpBefore.has(entry) && !entry.startsWith('jest_'));
    figures.push([
      'temporary files and folders `npm test` leaves behind',
      `${left.length}${left.length ? ` (${left.join(', ')})` : ''}`,
    ]);
  }

  console.log(
    `Benchmark, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} x ${cpus()[0]?.model ?? 'CPU'}, ` +
      `${Math.round(totalmem() / (1 << 30))} GiB, Node.js ${process.version}\n`,
  );
  console.log('| measure | figure |\n|---|---|');
  for (const [measure, figure] of figures) console.log(`| ${measure} | ${figure} |`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
