// Bundles each Lambda handler (lib/handlers/<name>.ts) into assets/handlers/<name>/index.js,
// the SageMaker runtime SDK the endpoint client calls into assets/vendor/, and the CLI
// into assets/cli/.
// Runs before synth (cdk.json), the tests and the build; it takes well under a second.
// The handlers leave the AWS SDK out: the Node.js Lambda runtime ships it.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const handlerDir = join(root, 'lib', 'handlers');
const entries = readdirSync(handlerDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));

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
      external: ['@aws-sdk/*'],
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
    "export { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';",
  s3: "export { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';",
  // `llama3-ft preflight`: the account's quotas, bootstrap, model access and data, read-only.
  preflight: [
    "export { ListServiceQuotasCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';",
    "export { CloudFormationClient, CreateStackCommand, DeleteStackCommand, DescribeStackEventsCommand, DescribeStackResourceCommand, DescribeStacksCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';",
    "export { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';",
    "export { DescribeHubContentCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';",
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
// stderr: `npm pack --json` and `cdk synth` keep stdout for their own output.
console.error(
  `bundled ${entries.length} handler(s) into assets/handlers/ the runtime, S3 and preflight SDKs into assets/vendor/ and the CLI into assets/cli/`,
);
