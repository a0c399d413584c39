/**
 * `llama3-ft preflight`: the example app's configuration — cdk.json's context and `-c key=value`,
 * as `cdk synth` reads them — checked against the user's own account before a deploy commits
 * GPU money: quotas, the CDK bootstrap, model access and data. It only reads.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfiguration, configurationFromContext } from './context';
import { CONTEXT_NAMES } from './context-names';
import {
  CheckResult,
  InstanceNeed,
  PreflightAws,
  bootstrapCheck,
  dataCheck,
  modelAccessCheck,
  quotaChecks,
} from './preflight-checks';
import { runCanary } from './preflight-canary';
import { startCommand } from '../cli/command-line';
import { booleanFlag, keyValue, region } from '../cli/flag-types';
import { CommandIo, EXIT_FAILED, EXIT_OK, usageError } from '../cli/io';
import { configurationError, isConfigurationError } from '../config/configuration-error';
import { withPropNames } from '../config/prop-names';
import { REGION } from '../config/sagemaker-names';
import { resolveTrainingConfiguration } from '../config/training-configuration';
import { DEFAULT_MODEL_ID, findModel } from '../models/catalogue';

export const PREFLIGHT_HELP = `Usage: llama3-ft preflight [-c key=value ...] [--region REGION] [--json] [--canary]

Checks, with your own credentials and before you deploy, what no offline check can:
  quota         SageMaker's quotas for the training instance type (and each fallback type)
                and the hosting type, against what the configuration needs
  bootstrap     the CDK bootstrap stack, and that CloudFormation deploys with its execution
                role (a deploy that waits days must not run on your own session)
  model access  the model (and hub version) in SageMaker's public hub in the region, and
                the licence you accept
  data          s3:// training and validation data: listable, not empty, and encrypted with
                a key the configuration grants
  canary        with --canary only: deploys a tiny stack with no GPU (two wait condition
                handles and waits, an EventBridge rule and a function) that tries what the
                training wait rests on — a signal sent before its wait exists is counted, a
                handle's URL lifetime, an event's signal ends a wait — then deletes it
                (a few minutes, at no meaningful cost)
It reads the configuration as cdk synth does: the "context" of ./cdk.json, then each
-c key=value (the same keys). Without --canary it creates nothing. Each check prints PASS, WARN or FAIL
with a fix; the exit status is 1 when any check fails.

Options:
  -c, --context KEY=VALUE  a context key, as for cdk synth (repeatable)
  --region REGION          the region to check, e.g. us-east-1 (default: AWS_REGION, then AWS_DEFAULT_REGION)
  --json                   print the results as JSON
  --canary                 also run the canary stack (creates and deletes a stack)
  -h, --help               show this help
`;

/** The context cdk synth would read here: cdk.json's, then the -c pairs. */
function context(pairs: Array<[string, string]>, cwd: string): Record<string, unknown> {
  const file = join(cwd, 'cdk.json');
  let fromFile: object = {};
  try {
    if (existsSync(file)) fromFile = JSON.parse(readFileSync(file, 'utf8')).context ?? {};
  } catch (error) {
    throw configurationError([
      `${file} is not valid JSON (${(error as Error).message}). Fix: correct it, as cdk synth needs it too.`,
    ]);
  }
  return { ...fromFile, ...Object.fromEntries(pairs) };
}

/** Whether the configuration trains (rather than serving a model that exists: a job's, at an S3 URI, or registered). */
const trains = (config: AppConfiguration) =>
  !config.existingTrainingJobName && !config.modelArtifactsUri && !config.modelPackageArn;

/** Whether it serves: asked to, and its model exists when the deploy ends (wait_for_training=false serves nothing). */
const serves = (config: AppConfiguration) => config.deployEndpoint !== false && config.waitForTraining !== false;

/** The instances the configuration runs at once: the training job (on any of its preferred types), the endpoints. */
function instanceNeeds(config: AppConfiguration): InstanceNeed[] {
  const model = findModel(config.modelId ?? DEFAULT_MODEL_ID);
  const needs: InstanceNeed[] = [];
  if (trains(config)) {
    const training = withPropNames(CONTEXT_NAMES, () =>
      resolveTrainingConfiguration({
        modelId: model.modelId,
        instanceType: config.trainingInstanceType,
        instanceCount: config.trainingInstanceCount,
        hyperparameters: config.hyperparameters,
      }),
    );
    const count = training.instanceCount;
    needs.push({ instanceType: training.instanceType, count, usage: 'training job', forWhat: 'training' });
    (config.trainingFallbackInstanceTypes ?? []).forEach((type, i) =>
      needs.push({ instanceType: type, count, usage: 'training job', forWhat: `fallback ${i + 1}` }),
    );
  }
  if (serves(config)) {
    const perEndpoint = config.endpointScaleToZero
      ? (config.endpointMaxInstances ?? 1)
      : (config.endpointMaxInstances ?? config.endpointInstanceCount ?? 1);
    needs.push({
      instanceType: config.endpointInstanceType ?? model.hosting.defaultInstanceType,
      count: perEndpoint * (config.deployBaseEndpoint ? 2 : 1),
      usage: 'endpoint',
      forWhat: config.deployBaseEndpoint ? 'the endpoint and the base endpoint' : 'the endpoint',
    });
  }
  return needs;
}

async function runChecks(config: AppConfiguration, aws: PreflightAws): Promise<CheckResult[]> {
  const model = findModel(config.modelId ?? DEFAULT_MODEL_ID);
  const results = [
    ...(await quotaChecks(aws, instanceNeeds(config))),
    await bootstrapCheck(aws),
    await modelAccessCheck(
      aws,
      { modelId: model.modelId, version: config.hubContentVersion, licence: model.licence },
      config.acceptEula === true,
    ),
  ];
  if (trains(config)) {
    for (const [setting, uri] of [
      ['train_data', config.trainData],
      ['validation_data', config.validationData],
    ] as const) {
      if (uri?.startsWith('s3://')) results.push(await dataCheck(aws, setting, uri, config.trainingDataKeyArn));
      else if (uri)
        results.push({
          check: 'data',
          status: 'PASS',
          detail: `${setting} ${uri}: a local directory, checked at synth`,
        });
      else if (setting === 'train_data') {
        results.push({ check: 'data', status: 'PASS', detail: `train_data: the model's default JumpStart dataset` });
      }
    }
  }
  return results;
}

function print(results: CheckResult[], region: string, io: CommandIo, json: boolean): void {
  const count = (status: string) => results.filter((r) => r.status === status).length;
  if (json) {
    const summary = { PASS: count('PASS'), WARN: count('WARN'), FAIL: count('FAIL') };
    io.stdout.write(`${JSON.stringify({ region, checks: results, summary }, null, 2)}\n`);
    return;
  }
  for (const r of results) {
    io.stdout.write(`${r.status.padEnd(4)}  ${r.check.padEnd(12)}  ${r.detail}\n`);
    if (r.fix) io.stdout.write(`${''.padEnd(20)}fix: ${r.fix}\n`);
  }
  io.stdout.write(`\n${count('FAIL')} FAIL, ${count('WARN')} WARN, ${count('PASS')} PASS in ${region}\n`);
}

export const PREFLIGHT_FLAGS = {
  context: { type: keyValue, short: 'c', multiple: true, label: '-c' },
  region: { type: region },
  json: { type: booleanFlag },
  canary: { type: booleanFlag },
  help: { type: booleanFlag, short: 'h' },
} as const;

export async function preflightCommand(
  args: string[],
  io: CommandIo,
  // The SDK is loaded only when the checks run: --help and usage errors do not pay for it. Tests give a stand-in
  // account; the SDK shim (lib/app/preflight-aws.ts) is run against moto_server (test/app/preflight.moto.test.ts).
  // Stryker disable next-line ArrowFunction: the real account is judged by the moto tests, which no group runs
  account: (region: string) => Promise<PreflightAws> = async (region) =>
    (await import('./preflight-aws')).preflightAws(region),
  cwd: string = process.cwd(),
): Promise<number> {
  const started = startCommand(io, 'preflight', PREFLIGHT_HELP, args, PREFLIGHT_FLAGS);
  if (typeof started === 'number') return started;
  const { values } = started;
  const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region)
    return usageError(io, 'preflight', 'No region: give --region (e.g. --region us-east-1) or set AWS_REGION.');
  if (!REGION.test(region)) {
    const variable = process.env.AWS_REGION !== undefined ? 'AWS_REGION' : 'AWS_DEFAULT_REGION';
    return usageError(
      io,
      'preflight',
      `${variable} is ${JSON.stringify(region)}; allowed: an AWS Region name such as us-east-1. ` +
        'Fix: correct it, or give --region us-east-1.',
    );
  }
  let config: AppConfiguration;
  try {
    config = configurationFromContext(context(values.context ?? [], cwd));
    instanceNeeds(config); // resolves the training configuration: a wrong one is refused here, before any request
  } catch (error) {
    // Stryker disable next-line ConditionalExpression: every refusal above is a ConfigurationError; only a bug is not
    if (!isConfigurationError(error)) throw error;
    return usageError(io, 'preflight', error.message);
  }
  const aws = await account(region);
  const results = await runChecks(config, aws);
  if (values.canary) {
    if (!values.json) io.stderr.write('Running the canary stack (a few minutes; it deletes itself)...\n');
    results.push(...(await runCanary(aws.canary(), `llama3-ft-preflight-canary-${randomBytes(3).toString('hex')}`)));
  }
  print(results, region, io, values.json === true);
  return results.some((r) => r.status === 'FAIL') ? EXIT_FAILED : EXIT_OK;
}
