// Bundles each Lambda handler (lib/handlers/<name>.ts) into assets/handlers/<name>/index.js,
// the SageMaker runtime SDK the endpoint client calls into assets/vendor/, and the CLI
// into assets/cli/.
// Runs before synth (cdk.json), the tests and the build; it takes a few seconds.
// Each handler carries the AWS SDK clients it calls (tree-shaken), the version its tests ran
// with: the Lambda runtime's own SDK may be older, and an SDK older than a request field
// serializes the request without it, silently (a model channel's ModelAccessConfig, a
// training plan, a retry strategy would be dropped and the job would run without them).
// Nothing is rebuilt when nothing it reads has changed: the content hash of every file under
// lib/, the lock file and this script is kept beside the bundles (content, not timestamps, so a
// stale bundle cannot be used).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const handlerDir = join(root, 'lib', 'handlers');
const entries = readdirSync(handlerDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));

const filesUnder = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
const inputs = [...filesUnder(join(root, 'lib')), join(root, 'package-lock.json'), fileURLToPath(import.meta.url)];
const digest = inputs
  .sort()
  .reduce((hash, file) => hash.update(file.slice(root.length)).update(readFileSync(file)), createHash('sha256'))
  .digest('hex');
const stamp = join(root, 'assets', '.bundle-inputs');
/** The inputs' hash and the bundles' own: a bundle another build wrote over is rebuilt too. */
const fingerprint = (files) =>
  files
    .reduce(
      (hash, file) => hash.update(existsSync(file) ? readFileSync(file) : 'missing'),
      createHash('sha256').update(digest),
    )
    .digest('hex');
const outputs = [
  ...entries.map((file) => join(root, 'assets', 'handlers', file.replace(/\.ts$/, ''), 'index.js')),
  ...['sagemaker-runtime', 's3', 'preflight'].map((name) => join(root, 'assets', 'vendor', `${name}.js`)),
  join(root, 'assets', 'cli', 'llama3-ft.js'),
];
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint(outputs)) {
  console.error('handler, SDK and CLI bundles are current (their inputs have not changed)');
  process.exit(0);
}

await Promise.all(
  entries.map((file) =>
    build({
      entryPoints: [join(handlerDir, file)],
      outfile: join(root, 'assets', 'handlers', file.replace(/\.ts$/, ''), 'index.js'),
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      minify: true,
      sourcemap: false,
      legalComments: 'eof',
      logLevel: 'warning',
    }),
  ),
);
// jsii lets a library depend only on jsii modules unless the others are bundled, and npm
// takes half a minute to pack @aws-sdk/client-sagemaker-runtime's 2,700 files as a bundled
// dependency; one esbuild file of the classes a client uses ships instead: the endpoint
// client's SageMaker runtime, and the S3 client `llama3-ft validate-data s3://...` reads with.
const vendored = {
  'sagemaker-runtime':
    "export { InvokeEndpointCommand, InvokeEndpointWithResponseStreamCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';",
  s3: "export { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';",
  // `llama3-ft preflight`: the account's quotas, bootstrap, model access and data, read-only.
  preflight: [
    "export { ListServiceQuotasCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';",
    "export { CloudFormationClient, CreateStackCommand, DeleteStackCommand, DescribeStackEventsCommand, DescribeStackResourceCommand, DescribeStacksCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';",
    "export { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';",
    // ... and `llama3-ft evaluate --register`, which attaches scores to a model version.
    "export { DescribeHubContentCommand, DescribeModelPackageCommand, SageMakerClient, UpdateModelPackageCommand } from '@aws-sdk/client-sagemaker';",
    "export { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';",
    "export { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';",
  ].join('\n'),
};
await Promise.all(
  Object.entries(vendored).map(([name, contents]) =>
    build({
      stdin: { contents, resolveDir: root, loader: 'js' },
      outfile: join(root, 'assets', 'vendor', `${name}.js`),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: true,
      legalComments: 'eof',
      logLevel: 'warning',
    }),
  ),
);
// The repository's fast path for `bin/llama3-ft.js` (start-up without a TypeScript loader);
// the installed package runs the compiled dist/js instead, so this bundle is not shipped.
await build({
  entryPoints: [join(root, 'lib', 'cli', 'main.ts')],
  outfile: join(root, 'assets', 'cli', 'llama3-ft.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true, // beside it; node --enable-source-maps reads it
  logLevel: 'warning',
});
mkdirSync(dirname(stamp), { recursive: true });
writeFileSync(stamp, fingerprint(outputs));
// stderr: `npm pack --json` and `cdk synth` keep stdout for their own output.
console.error(
  `bundled ${entries.length} handler(s) into assets/handlers/ the runtime, S3 and preflight SDKs into assets/vendor/ and the CLI into assets/cli/`,
);
