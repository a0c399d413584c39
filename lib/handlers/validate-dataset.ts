/**
 * Custom resource `Custom::TrainingDatasetCheck`: before the training job is created, streams
 * the S3 training (and validation) data through the dataset validator the synth and the CLI
 * use, and fails the deploy with its problems by object and line. With the real sample count
 * it also checks, as synth does with an assumed count, that the training estimate fits the
 * job's maximum runtime on each instance type it may run on.
 */
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CustomResourceEvent, CustomResourceResult, respond } from './shared/cfn-response';
import { TrainingConfiguration } from '../config/training-configuration';
import { DatasetFormat, DatasetValidator } from '../datasets/dataset-validator';
import { S3DatasetCheck, validateS3Dataset } from '../datasets/s3-dataset';
import { checkBudget } from '../estimates/budget';
import { checkRuntime } from '../estimates/runtime-fit';
import { findModel } from '../models/catalogue';

/** The resource's properties (CloudFormation sends strings). */
export interface DatasetCheckProperties {
  readonly TrainingDataUri: string;
  readonly ValidationDataUri?: string;
  readonly Format: DatasetFormat;
  readonly MaxInputLength: string;
  /** A prefix up to this many bytes is checked whole; a larger one is sampled. */
  readonly MaxCheckedBytes: string;
  /** The estimates to check with the real sample count: the runtime (absent with skipRuntimeCheck), the budget. */
  readonly Estimate?: {
    readonly ModelId: string;
    readonly InstanceTypes: string[];
    readonly InstanceCount: string;
    /** The resolved hyperparameters (the construct's names), as JSON. */
    readonly Hyperparameters: string;
    readonly MaxRuntimeMinutes?: string;
    readonly LongestRuntimeMinutes?: string;
    readonly MaxBudgetUsd?: string;
    /** The endpoints whose first 24 hours count against the budget, as JSON. */
    readonly BudgetEndpoints?: string;
  };
}

export interface DatasetCheckAttributes {
  /** Training samples found (extrapolated from the sample when the prefix was sampled). */
  readonly SampleCount: string;
  readonly CheckedBytes: string;
}

/** The validator's limit of problems listed, as `llama3-ft validate-data` lists them. */
const MAX_PROBLEMS = 100;
/** Problems shown in the stack event (CloudFormation shows about 1,000 characters); all are logged. */
const PROBLEMS_IN_REASON = 5;

const s3 = { client: new S3Client({ followRegionRedirects: true }), ListObjectsV2Command, GetObjectCommand };

function describeCheck(uri: string, check: S3DatasetCheck): string {
  const { copy, report } = check;
  const sampled = copy.sampleBytesPerObject
    ? `, sampled: the first ${copy.sampleBytesPerObject >> 20} MiB of each object (${copy.checkedBytes} of ${copy.bytes} bytes)`
    : '';
  return `${uri}: ${copy.objects} object(s), ${report.records} sample(s)${sampled}`;
}

function estimateProblems(estimate: NonNullable<DatasetCheckProperties['Estimate']>, samples: number): string[] {
  const model = findModel(estimate.ModelId);
  return estimate.InstanceTypes.flatMap((instanceType) => {
    const config = {
      model,
      instanceType,
      instanceCount: Number(estimate.InstanceCount),
      hyperparameters: JSON.parse(estimate.Hyperparameters),
    } as TrainingConfiguration;
    const problems: string[] = [];
    if (estimate.MaxRuntimeMinutes !== undefined) {
      const runtime = checkRuntime(
        config,
        Number(estimate.MaxRuntimeMinutes),
        Number(estimate.LongestRuntimeMinutes),
        samples,
      );
      if (runtime.problem) problems.push(runtime.problem);
      if (runtime.warning) console.log(`warning: ${runtime.warning}`); // the deploy goes on: the optimistic end fits
    }
    if (estimate.MaxBudgetUsd !== undefined) {
      const budget = checkBudget(config, Number(estimate.MaxBudgetUsd), JSON.parse(estimate.BudgetEndpoints!), samples);
      if (budget.problem) problems.push(budget.problem);
      if (budget.warning) console.log(`warning: ${budget.warning}`);
    }
    return problems;
  });
}

async function check(
  event: CustomResourceEvent<DatasetCheckProperties>,
): Promise<CustomResourceResult<DatasetCheckAttributes>> {
  const physicalResourceId = event.PhysicalResourceId ?? `dataset-check-${event.RequestId}`;
  if (event.RequestType === 'Delete') return { physicalResourceId };
  const p = event.ResourceProperties;
  const options = { format: p.Format, maxInputLength: Number(p.MaxInputLength), maxProblems: MAX_PROBLEMS };
  const limits = { maxBytes: Number(p.MaxCheckedBytes) };
  const channels = [p.TrainingDataUri, ...(p.ValidationDataUri ? [p.ValidationDataUri] : [])];
  const checks: S3DatasetCheck[] = [];
  for (const uri of channels) checks.push(await validateS3Dataset(s3, uri, options, limits));

  const problems = checks.flatMap((c) => c.report.problems);
  for (const problem of problems) console.log(DatasetValidator.formatProblem(problem));
  const errors = problems.filter((problem) => problem.severity === 'error');
  const errorCount = checks.reduce((sum, c) => sum + c.report.errorCount, 0);
  const summary = checks.map((c, i) => describeCheck(channels[i], c)).join('; ');
  if (errorCount > 0) {
    const shown = errors.slice(0, PROBLEMS_IN_REASON).map(DatasetValidator.formatProblem).join(' | ');
    throw new Error(
      `The dataset is not valid ${p.Format} data (${errorCount} error(s)): ${shown}` +
        `${errorCount > PROBLEMS_IN_REASON ? ` | ... all of them in this function's log, or with npx llama3-ft validate-data ${channels[0]} --mode ${p.Format}` : ''}`,
    );
  }
  const training = checks[0];
  // A sample counts the records of the bytes it read; the whole prefix holds proportionally more.
  const samples = Math.round(training.report.records * (training.copy.bytes / Math.max(1, training.copy.checkedBytes)));
  const overruns = p.Estimate ? estimateProblems(p.Estimate, samples) : [];
  if (overruns.length > 0)
    throw new Error(`With the ${samples} samples found in ${channels[0]}, ${overruns.join(' ')}`);
  console.log(JSON.stringify({ checked: summary, samples }));
  return {
    physicalResourceId,
    data: { SampleCount: String(samples), CheckedBytes: String(training.copy.checkedBytes) },
    reason: `Dataset checked: ${summary}`,
  };
}

export const handler = (event: CustomResourceEvent<DatasetCheckProperties>) => respond(event, check);
