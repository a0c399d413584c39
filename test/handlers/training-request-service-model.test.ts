/**
 * The CreateTrainingJob requests the handler builds, checked against AWS's own SageMaker service
 * model by check_sagemaker_request.py (botocore's model: required members, types, enums,
 * lengths, ranges, patterns), with the additional members a synthesized job carries. The tool
 * lives outside the repository (CHECK_SAGEMAKER_REQUEST, or the shared tools directory); without
 * it these tests are skipped and say so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrainingJobProperties, createTrainingJobRequest } from '../../lib/handlers/shared/training-request';
import { jobStack } from '../support/stacks';
import { PROPS } from '../support/training-props';

const TOOL = process.env.CHECK_SAGEMAKER_REQUEST ?? '/work/shared/tools/check_sagemaker_request.py';
const HAS_TOOL = existsSync(TOOL);
const describeWithTool = HAS_TOOL ? describe : describe.skip;

/** Every member a pass-through may set, as a user would write them. */
const ADDITIONAL = {
  ResourceConfig: { KeepAlivePeriodInSeconds: 1800 },
  Environment: { NCCL_DEBUG: 'INFO', HF_HUB_OFFLINE: '1' },
  ProfilerConfig: { S3OutputPath: 's3://ml-team/profiler/', ProfilingIntervalInMilliseconds: 500 },
  ProfilerRuleConfigurations: [
    {
      RuleConfigurationName: 'ProfilerReport',
      RuleEvaluatorImage: '895741380848.dkr.ecr.us-west-2.amazonaws.com/sagemaker-debugger-rules:latest',
      RuleParameters: { rule_to_invoke: 'ProfilerReport' },
    },
  ],
  DebugHookConfig: { S3OutputPath: 's3://ml-team/debug/', CollectionConfigurations: [{ CollectionName: 'losses' }] },
  TensorBoardOutputConfig: { S3OutputPath: 's3://ml-team/tensorboard/' },
  ExperimentConfig: { ExperimentName: 'llama3-ft', RunName: 'run-1' },
  RemoteDebugConfig: { EnableRemoteDebug: false },
  InfraCheckConfig: { EnableInfraCheck: true },
  SessionChainingConfig: { EnableSessionTagChaining: false },
};

/** check_sagemaker_request.py over the bodies: its exit status and what it printed. */
function checkBodies(bodies: object[]): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'service-model-'));
  const files = bodies.map((body, i) => {
    const file = join(dir, `CreateTrainingJob-${i}.json`);
    writeFileSync(file, JSON.stringify(body));
    return file;
  });
  const run = spawnSync('python3', [TOOL, 'CreateTrainingJob', ...files], { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** The request as the SDK puts it on the wire (JSON protocol: the object itself). */
const body = (props: TrainingJobProperties) =>
  JSON.parse(JSON.stringify(createTrainingJobRequest(props, 'llama3-ft-0123abcd-a1b2c3', 'us-west-2')));

describeWithTool(`against the service model${HAS_TOOL ? '' : ` (skipped: ${TOOL} is not there)`}`, () => {
  test('the requests with the members a synthesized job passes through conform', () => {
    const { template } = jobStack({ additionalTrainingJobParameters: ADDITIONAL });
    const synthesized = Object.values(template.findResources('Custom::SageMakerTrainingJob'))[0].Properties
      .AdditionalParameters as string;
    expect(JSON.parse(synthesized)).toEqual(ADDITIONAL);
    const withAdditional = { ...PROPS, AdditionalParameters: synthesized };
    const bodies = [
      body(PROPS),
      body(withAdditional),
      body({ ...withAdditional, GatedWeightsInput: 'model-channel' }),
      body({ ...withAdditional, MaxWaitTimeInSeconds: '79200' }),
    ];
    expect(bodies[1].ResourceConfig.KeepAlivePeriodInSeconds).toBe(1800);
    const { status, output } = checkBodies(bodies);
    expect(output).toContain('4 request(s) checked, 0 violation(s)');
    expect(status).toBe(0);
  });

  test('and the tool does refuse what the service would (the check above can fail)', () => {
    const bad = body({
      ...PROPS,
      AdditionalParameters: JSON.stringify({ ResourceConfig: { KeepAlivePeriodInSeconds: 99999 } }),
    });
    const { status, output } = checkBodies([bad]);
    expect(output).toContain('CreateTrainingJob.ResourceConfig.KeepAlivePeriodInSeconds: 99999 above max 21600');
    expect(status).toBe(1);
  });
});
