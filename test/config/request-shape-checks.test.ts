/** A value against CreateTrainingJob's shapes: each kind of shape and constraint, good and bad, and tokens. */
import { Lazy, Token } from 'aws-cdk-lib';
import { describeShape, shapeProblems } from '../../lib/config/request-shape-checks';
import { CREATE_TRAINING_JOB_REQUEST as MODEL } from '../../lib/models/create-training-job-request';
import type { StructureShape } from '../../lib/models/request-model';

const REQUEST = MODEL.shapes[MODEL.input] as StructureShape;
/** Problems with `value` as the request member `member`, at `p.<member>`. */
const check = (member: string, value: unknown) => shapeProblems(MODEL, REQUEST.members[member], value, `p.${member}`);

describe('accepted as SageMaker takes them', () => {
  test.each([
    ['ProfilerConfig', { S3OutputPath: 's3://b/p/', ProfilingIntervalInMilliseconds: 500, DisableProfiler: false }],
    ['ProfilerConfig', { ProfilingParameters: { DataloaderProfilingConfig: '{"StartStep": 5}' } }],
    [
      'ProfilerRuleConfigurations',
      [{ RuleConfigurationName: 'r', RuleEvaluatorImage: 'img', InstanceType: 'ml.m5.xlarge' }],
    ],
    ['DebugHookConfig', { S3OutputPath: 's3://b/d/', CollectionConfigurations: [{ CollectionName: 'losses' }] }],
    ['TensorBoardOutputConfig', { S3OutputPath: 's3://b/tb/', LocalPath: '/opt/ml/output/tensorboard' }],
    ['ExperimentConfig', { ExperimentName: 'llama3-ft', RunName: 'run-1' }],
    ['Environment', { NCCL_DEBUG: 'INFO', _X: '' }],
    ['RemoteDebugConfig', { EnableRemoteDebug: true }],
    ['InfraCheckConfig', { EnableInfraCheck: true }],
    ['SessionChainingConfig', { EnableSessionTagChaining: true }],
    ['ResourceConfig', { KeepAlivePeriodInSeconds: 21600 }],
    ['ResourceConfig', { KeepAlivePeriodInSeconds: 0 }],
    ['ExperimentConfig', { ExperimentName: undefined }],
  ])('%s %j', (member, value) => {
    expect(check(member, value)).toEqual([]);
  });
});

describe('refused, naming the path, the value and what is allowed', () => {
  test.each([
    // types
    [
      'InfraCheckConfig',
      { EnableInfraCheck: 'true' },
      'p.InfraCheckConfig.EnableInfraCheck is "true"; allowed: true or false',
    ],
    [
      'InfraCheckConfig',
      true,
      "p.InfraCheckConfig is true; allowed: an object of InfraCheckConfig's members EnableInfraCheck",
    ],
    [
      'ResourceConfig',
      { KeepAlivePeriodInSeconds: '60' },
      'KeepAlivePeriodInSeconds is "60"; allowed: an integer from 0 to 21600',
    ],
    ['ResourceConfig', { KeepAlivePeriodInSeconds: 1.5 }, 'KeepAlivePeriodInSeconds is 1.5; allowed: an integer'],
    ['ResourceConfig', { KeepAlivePeriodInSeconds: NaN }, 'KeepAlivePeriodInSeconds is NaN'],
    [
      'ProfilerConfig',
      { ProfilingIntervalInMilliseconds: 1.5 },
      'ProfilingIntervalInMilliseconds is 1.5; allowed: an integer',
    ],
    ['Environment', { N: 3 }, 'p.Environment.N is 3; allowed: a string of at most 512 characters.'],
    ['Environment', ['A=1'], 'p.Environment is ["A=1"]; allowed: an object of at most 100 entries'],
    [
      'ProfilerRuleConfigurations',
      { RuleConfigurationName: 'r' },
      'p.ProfilerRuleConfigurations is {"RuleConfigurationName":"r"}; allowed: a list of at most 20 items',
    ],
    // ranges and lengths
    [
      'ResourceConfig',
      { KeepAlivePeriodInSeconds: 21601 },
      'KeepAlivePeriodInSeconds is 21601; allowed: an integer from 0 to 21600',
    ],
    ['ResourceConfig', { KeepAlivePeriodInSeconds: -1 }, 'KeepAlivePeriodInSeconds is -1'],
    [
      'ExperimentConfig',
      { ExperimentName: 'x'.repeat(121) },
      '(121 characters); allowed: a string of 1 to 120 characters',
    ],
    ['ExperimentConfig', { ExperimentName: '' }, 'p.ExperimentConfig.ExperimentName is "" (0 characters)'],
    // patterns
    [
      'ExperimentConfig',
      { RunName: 'run_1' },
      'p.ExperimentConfig.RunName is "run_1", which does not match; allowed: a string of 1 to 120 characters matching [a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}',
    ],
    ['TensorBoardOutputConfig', { S3OutputPath: 'bucket/tb/' }, 'S3OutputPath is "bucket/tb/", which does not match'],
    [
      'Environment',
      { '1BAD': 'x' },
      'p.Environment["1BAD"] (its key) is "1BAD", which does not match; allowed: a string of at most 512 characters matching [a-zA-Z_][a-zA-Z0-9_]*',
    ],
    // enums
    [
      'ProfilerRuleConfigurations',
      [{ RuleConfigurationName: 'r', RuleEvaluatorImage: 'i', InstanceType: 'ml.m5.xlarg' }],
      'p.ProfilerRuleConfigurations[0].InstanceType is "ml.m5.xlarg"; allowed: one of the',
    ],
    // required members, in nested lists
    [
      'ProfilerRuleConfigurations',
      [{ RuleConfigurationName: 'r' }],
      'p.ProfilerRuleConfigurations[0].RuleEvaluatorImage is missing; SageMaker requires it in ProfilerRuleConfiguration',
    ],
    ['TensorBoardOutputConfig', {}, 'p.TensorBoardOutputConfig.S3OutputPath is missing'],
    // unknown members
    [
      'ProfilerConfig',
      { S3OutputPth: 's3://b/p/' },
      "p.ProfilerConfig.S3OutputPth is not a member of SageMaker's ProfilerConfig; allowed: S3OutputPath, ProfilingIntervalInMilliseconds, ProfilingParameters, DisableProfiler. Fix: did you mean S3OutputPath?",
    ],
    ['InfraCheckConfig', { enableinfracheck: true }, 'did you mean EnableInfraCheck?'],
    ['ProfilerConfig', { Nonsense: 1 }, 'Fix: remove it, or correct its name.'],
    // counts
    [
      'ProfilerConfig',
      { ProfilingParameters: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])) },
      'p.ProfilerConfig.ProfilingParameters has 21 entries; allowed: an object of at most 20 entries',
    ],
  ])('%s %j', (member, value, words) => {
    const problems = check(member, value);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(words);
    expect(problems[0]).toMatch(/Fix: .+\.$/);
  });

  test('a misspelt enum value names the closest', () => {
    const [problem] = check('ProfilerRuleConfigurations', [
      { RuleConfigurationName: 'r', RuleEvaluatorImage: 'i', InstanceType: 'ml.m5.xlarg' },
    ]);
    expect(problem).toContain('Fix: use "ml.m5.xlarge", the closest value');
  });

  test('short enums are listed whole, long ones named and sampled', () => {
    const serverless = MODEL.shapes.ServerlessJobConfig as StructureShape;
    expect(describeShape(MODEL, serverless.members.JobType)).toBe(
      `one of ${MODEL.enums.ServerlessJobType.map((v) => JSON.stringify(v)).join(', ')}`,
    );
    expect(describeShape(MODEL, (MODEL.shapes.ResourceConfig as StructureShape).members.InstanceType)).toMatch(
      /^one of the \d+ values of SageMaker's TrainingInstanceType \("ml\./,
    );
  });

  test('every problem of a value is listed, not only the first', () => {
    expect(check('ExperimentConfig', { ExperimentName: 'a_b', TrialName: 7, Bogus: true })).toHaveLength(3);
  });
});

describe('tokens', () => {
  test('string and number tokens are decided at deploy time', () => {
    expect(check('ExperimentConfig', { ExperimentName: Lazy.string({ produce: () => 'not_valid' }) })).toEqual([]);
    expect(
      check('ResourceConfig', { KeepAlivePeriodInSeconds: Token.asNumber(Lazy.number({ produce: () => 1e9 })) }),
    ).toEqual([]);
    expect(check('Environment', { A: Lazy.string({ produce: () => 'x' }) })).toEqual([]);
  });

  test('a string token where a boolean belongs is still refused: its type is known', () => {
    expect(check('InfraCheckConfig', { EnableInfraCheck: Lazy.string({ produce: () => 'true' }) })[0]).toContain(
      'allowed: true or false',
    );
  });

  test('a token where an object or a list belongs is refused: its members cannot be checked', () => {
    const [object] = check('InfraCheckConfig', Lazy.any({ produce: () => ({}) }));
    expect(object).toContain('p.InfraCheckConfig is a token, whose members cannot be checked at synth');
    const [list] = check('ProfilerRuleConfigurations', Token.asList(Lazy.any({ produce: () => [] })));
    expect(list).toContain('p.ProfilerRuleConfigurations is a token');
  });
});
