/**
 * The published artifacts, built for real: the jsii assembly and API.md, the npm
 * tarball installed into a fresh CDK app outside the repository, and the Python wheel.
 * One file, in order, because each step builds into dist/.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeRuntime, lmiStream } from '../support/fake-runtime';
import { MotoServer } from '../support/moto';

const ROOT = join(__dirname, '..', '..');
// The wheel and its embedded tarball are named by the version being packed (the CHANGELOG's
// newest entry: test/quality/docs-match-code.test.ts checks that they agree).
const VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const run = (command: string, args: string[], cwd = ROOT) =>
  spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });

// `npm pack` as a publisher runs it: its prepack builds (handler bundles, then jsii) and cleans the manifest.
const packDir = mkdtempSync(join(tmpdir(), 'pack-'));
let pack: { status: number | null; stdout: string; stderr: string };
beforeAll(() => {
  pack = run('npm', ['pack', '--json', '--pack-destination', packDir]);
  expect(pack.status).toBe(0);
}, 300_000);

describe('npm pack', () => {
  test('prints valid JSON on stdout (the build logs to stderr)', () => {
    expect(() => JSON.parse(pack.stdout)).not.toThrow();
  });

  test("ships a package.json with no scripts or dev dependencies (their files are not shipped) and leaves the repository's as it was", () => {
    const [{ filename }] = JSON.parse(pack.stdout);
    const manifest = JSON.parse(
      execFileSync('tar', ['-xzOf', join(packDir, filename), 'package/package.json'], { encoding: 'utf8' }),
    );
    expect(manifest.scripts).toBeUndefined();
    expect(manifest.devDependencies).toBeUndefined();
    expect(manifest.peerDependencies).toEqual(expect.objectContaining({ 'aws-cdk-lib': expect.any(String) }));
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.prepack).toBeDefined();
  });
});

describe('jsii', () => {
  test('compiles the library with no error and no warning, with a Python target', () => {
    expect(pack.stderr).toMatch(/Errors: 0 \| Warnings: 0/);
    const assembly = JSON.parse(readFileSync(join(ROOT, '.jsii'), 'utf8'));
    expect(assembly.targets.python).toEqual({ distName: 'cdk-llama3-finetuning', module: 'cdk_llama3_finetuning' });
    expect(Object.keys(assembly.types)).toEqual(
      expect.arrayContaining([
        'cdk-llama3-finetuning.FineTuningJob',
        'cdk-llama3-finetuning.FineTunedModelEndpoint',
        'cdk-llama3-finetuning.Llama3FineTuningStack',
      ]),
    );
  });

  test('every optional prop of every struct documents its default', () => {
    const assembly = JSON.parse(readFileSync(join(ROOT, '.jsii'), 'utf8'));
    const undocumented = Object.values<any>(assembly.types)
      .filter((t) => t.kind === 'interface' && t.datatype)
      .flatMap((t) =>
        (t.properties ?? []).filter((p: any) => p.optional && !p.docs?.default).map((p: any) => `${t.name}.${p.name}`),
      );
    expect(undocumented).toEqual([]);
  });

  test('API.md is generated from the doc comments and current', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'api-')), 'API.md');
    const docgen = run('npx', ['jsii-docgen', '-o', out]);
    expect(docgen.status).toBe(0);
    // Fails when a doc comment changed without `npm run docgen`.
    expect(readFileSync(join(ROOT, 'API.md'), 'utf8')).toBe(readFileSync(out, 'utf8'));
  }, 120_000);
});

describe('the npm package', () => {
  let app: string;
  let files: string[];

  beforeAll(() => {
    const [packed] = JSON.parse(pack.stdout);
    files = packed.files.map((f: { path: string }) => f.path).filter((p: string) => !p.startsWith('node_modules/'));
    app = mkdtempSync(join(tmpdir(), 'platform-app-'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'platform-app', private: true }));
    const { version: cdkVersion } = require('aws-cdk-lib/package.json');
    const { version: constructsVersion } = require('constructs/package.json');
    const install = run(
      'npm',
      [
        'install',
        join(packDir, packed.filename),
        `aws-cdk-lib@${cdkVersion}`,
        `constructs@${constructsVersion}`,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
      ],
      app,
    );
    expect(install.status).toBe(0);
  }, 300_000);

  test('holds the compiled code, declarations, handler bundles and assembly — no tests, fixtures or sources', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/js/lib/index.js',
        'dist/js/lib/index.d.ts',
        'assets/handlers/training-job/index.js',
        'assets/vendor/sagemaker-runtime.js',
        '.jsii',
        'API.md',
        'bin/llama3-ft.js',
        'LICENSE',
      ]),
    );
    expect(files.filter((f) => /^(test|examples|scripts)\/|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
  });

  test('another CDK app synthesizes two constructs with its own bucket and role', () => {
    writeFileSync(
      join(app, 'app.js'),
      `
      const { App, Stack } = require('aws-cdk-lib');
      const iam = require('aws-cdk-lib/aws-iam');
      const s3 = require('aws-cdk-lib/aws-s3');
      const { FineTuningJob, FineTunedModelEndpoint } = require('cdk-llama3-finetuning');
      const app = new App({ outdir: 'cdk.out' });
      const stack = new Stack(app, 'PlatformStack');
      const bucket = s3.Bucket.fromBucketName(stack, 'TeamBucket', 'team-ml-data');
      const role = iam.Role.fromRoleArn(stack, 'TeamRole', 'arn:aws:iam::123456789012:role/TeamSageMaker', { mutable: false });
      const job = new FineTuningJob(stack, 'Job', {
        acceptEula: true, role, hyperparameters: { epoch: 2 },
        trainingDataUri: bucket.s3UrlForObject('llama/train/'), outputUri: bucket.s3UrlForObject('llama/output/'),
      });
      new FineTunedModelEndpoint(stack, 'Endpoint', { trainingJob: job, role, instanceType: 'ml.g5.2xlarge' });
      app.synth();
    `,
    );
    const synth = run('node', ['app.js'], app);
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
    const template = JSON.parse(readFileSync(join(app, 'cdk.out', 'PlatformStack.template.json'), 'utf8'));
    const resources = Object.values<any>(template.Resources);
    const job = resources.find((r) => r.Type === 'Custom::SageMakerTrainingJob');
    expect(job.Properties).toMatchObject({
      RoleArn: 'arn:aws:iam::123456789012:role/TeamSageMaker',
      TrainingDataUri: 's3://team-ml-data/llama/train/',
      OutputPath: 's3://team-ml-data/llama/output/',
    });
    expect(
      resources.filter(
        (r) =>
          r.Type === 'AWS::S3::Bucket' ||
          (r.Type === 'AWS::IAM::Role' &&
            r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service === 'sagemaker.amazonaws.com'),
      ),
    ).toEqual([]);
    expect(resources.some((r) => r.Type === 'AWS::SageMaker::Endpoint')).toBe(true);
    // The team's data is checked before the job starts.
    const check = resources.find((r) => r.Type === 'Custom::TrainingDatasetCheck');
    expect(check.Properties).toMatchObject({
      TrainingDataUri: 's3://team-ml-data/llama/train/',
      Format: 'domain-adaptation',
    });
    // The handler bundles travelled with the package into the app's assets: training, signal, hub, dataset check.
    expect(readdirSync(join(app, 'cdk.out')).filter((f) => f.startsWith('asset.'))).toHaveLength(4);
  });

  test('Dev and Staging of one configuration, with two jobs each, never share a job prefix, a rule or a grant; plain JavaScript mistakes are refused', () => {
    writeFileSync(
      join(app, 'accounts.js'),
      `
      const { App, Stack } = require('aws-cdk-lib');
      const iam = require('aws-cdk-lib/aws-iam');
      const { FineTuningJob, TrainingDataBuckets } = require('cdk-llama3-finetuning');
      const app = new App({ outdir: 'cdk.accounts' });
      const prefixes = [];
      for (const name of ['Dev', 'Staging']) {
        const stack = new Stack(app, name, { env: { account: '123456789012', region: 'us-east-1' } });
        const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/TeamSageMaker', { mutable: false });
        const props = { acceptEula: true, role, trainingDataUri: 's3://team-ml-data/llama/train/', outputUri: 's3://team-ml-data/llama/output/' };
        prefixes.push(new FineTuningJob(stack, 'Summaries', props).jobNamePrefix, new FineTuningJob(stack, 'Answers', props).jobNamePrefix);
      }
      let refused = '';
      try { new TrainingDataBuckets(new Stack(app, 'Data'), 'Buckets', { removalPolicy: 'false' }); } catch (e) { refused = e.message; }
      // Dev again, with a training run id: the same construct's prefix (its grants), another run.
      const later = new App({ outdir: 'cdk.retrain' });
      const dev = new Stack(later, 'Dev', { env: { account: '123456789012', region: 'us-east-1' } });
      const devRole = iam.Role.fromRoleArn(dev, 'Role', 'arn:aws:iam::123456789012:role/TeamSageMaker', { mutable: false });
      const retrain = new FineTuningJob(dev, 'Summaries', { acceptEula: true, role: devRole, trainingDataUri: 's3://team-ml-data/llama/train/', outputUri: 's3://team-ml-data/llama/output/', trainingRunId: 'data-2026-12' });
      let refusedRunId = '';
      try { new FineTuningJob(dev, 'Wrong', { acceptEula: true, role: devRole, trainingDataUri: 's3://team-ml-data/llama/train/', outputUri: 's3://team-ml-data/llama/output/', trainingRunId: 42 }); } catch (e) { refusedRunId = e.message; }
      app.synth();
      later.synth();
      console.log(JSON.stringify({ prefixes, refused, retrainPrefix: retrain.jobNamePrefix, refusedRunId }));
    `,
    );
    const synth = run('node', ['accounts.js'], app);
    expect(synth.status).toBe(0);
    const { prefixes, refused, retrainPrefix, refusedRunId } = JSON.parse(synth.stdout);
    expect(new Set(prefixes).size).toBe(4);
    for (const a of prefixes) for (const b of prefixes) if (a !== b) expect(`${b}-`.startsWith(`${a}-`)).toBe(false);
    expect(refused).toMatch(/removalPolicy is "false"; allowed: RemovalPolicy.RETAIN or RemovalPolicy.DESTROY/);
    const dev = JSON.parse(readFileSync(join(app, 'cdk.accounts', 'Dev.template.json'), 'utf8'));
    const devPolicies = JSON.stringify(Object.values<any>(dev.Resources).filter((r) => r.Type === 'AWS::IAM::Policy'));
    for (const prefix of prefixes.slice(2)) expect(devPolicies).not.toContain(prefix.toLowerCase());
    // JumpStart's 100 hours by default: each job waits through a chain of 10 waits, with its own hourly tick.
    const devResources = Object.values<any>(dev.Resources);
    expect(devResources.filter((r) => r.Type === 'AWS::CloudFormation::WaitCondition')).toHaveLength(20);
    expect(
      devResources
        .filter((r) => r.Type === 'AWS::Events::Rule' && r.Properties.ScheduleExpression)
        .map((r) => r.Properties.Name),
    ).toEqual(prefixes.slice(0, 2).map((p: string) => expect.stringMatching(new RegExp(`^${p}-[0-9a-f]{8}-tick$`))));
    // A training run id keeps the construct's prefix and starts another run: another job name hash, another wait.
    expect(retrainPrefix).toBe(prefixes[0]);
    const runOf = (file: string) =>
      Object.values<any>(JSON.parse(readFileSync(join(app, file), 'utf8')).Resources)
        .filter((r) => r.Type === 'Custom::SageMakerTrainingJob' && r.Properties.JobNamePrefix === prefixes[0])
        .map((r) => r.Properties.InputsHash);
    expect(runOf('cdk.retrain/Dev.template.json')).toHaveLength(1);
    expect(runOf('cdk.retrain/Dev.template.json')).not.toEqual(runOf('cdk.accounts/Dev.template.json'));
    expect(refusedRunId).toMatch(/trainingRunId is 42; allowed: 1 to 64 letters, digits/);
  });

  test('two accounts: development trains, registers and shares; production serves the approved version by its ARN', () => {
    writeFileSync(
      join(app, 'promotion.js'),
      `
      const { App } = require('aws-cdk-lib');
      const { Llama3FineTuningStack, ModelApprovalStatus } = require('cdk-llama3-finetuning');
      const app = new App({ outdir: 'cdk.promotion' });
      const dev = new Llama3FineTuningStack(app, 'Dev', {
        env: { account: '111111111111', region: 'us-east-1' },
        acceptEula: true,
        modelConsumerAccountIds: ['222222222222'],
      });
      new Llama3FineTuningStack(app, 'Prod', {
        env: { account: '222222222222', region: 'us-east-1' },
        acceptEula: true,
        modelPackageArn: 'arn:aws:sagemaker:us-east-1:111111111111:model-package/dev-models/3',
      });
      let refused = '';
      try {
        new Llama3FineTuningStack(app, 'Wrong', {
          env: { account: '222222222222', region: 'us-east-1' },
          acceptEula: true,
          modelPackageArn: 'arn:aws:sagemaker:us-east-1:111111111111:model-package/dev-models/3',
          modelApprovalStatus: ModelApprovalStatus.APPROVED,
        });
      } catch (e) { refused = e.message; }
      app.synth();
      console.log(JSON.stringify({ group: dev.resolve(dev.registry.modelPackageGroupName), refused }));
    `,
    );
    const synth = run('node', ['promotion.js'], app);
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
    const { group, refused } = JSON.parse(synth.stdout);
    const template = (name: string) =>
      Object.values<any>(
        JSON.parse(readFileSync(join(app, 'cdk.promotion', `${name}.template.json`), 'utf8')).Resources,
      );
    const dev = template('Dev');
    const [devGroup] = dev.filter((r) => r.Type === 'AWS::SageMaker::ModelPackageGroup');
    expect(devGroup.Properties.ModelPackageGroupName).toEqual(group);
    expect(JSON.stringify(group)).toContain('AWS::StackId');
    expect(JSON.stringify(devGroup.Properties.ModelPackageGroupPolicy)).toContain(':iam::222222222222:root');
    expect(dev.filter((r) => r.Type === 'AWS::SageMaker::ModelPackage')).toHaveLength(1);
    const prod = template('Prod');
    expect(prod.filter((r) => r.Type === 'Custom::SageMakerTrainingJob')).toHaveLength(0);
    const [model] = prod.filter((r) => r.Type === 'AWS::SageMaker::Model');
    expect(model.Properties.PrimaryContainer).toEqual({
      ModelPackageName: 'arn:aws:sagemaker:us-east-1:111111111111:model-package/dev-models/3',
    });
    expect(refused).toMatch(/^modelPackageArn serves a version already in a registry, so nothing new is registered/);
  });

  test('a 70B job with a capacity fallback and an endpoint that scales to zero, from plain JavaScript; wrong types are refused', () => {
    writeFileSync(
      join(app, 'fallback.js'),
      `
      const { App, Stack } = require('aws-cdk-lib');
      const iam = require('aws-cdk-lib/aws-iam');
      const { FineTuningJob, FineTunedModelEndpoint } = require('cdk-llama3-finetuning');
      const app = new App({ outdir: 'cdk.fallback' });
      const stack = new Stack(app, 'Big', { env: { account: '123456789012', region: 'us-east-1' } });
      const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/TeamSageMaker', { mutable: false });
      const props = { acceptEula: true, role, modelId: 'meta-textgeneration-llama-3-70b', trainingDataUri: 's3://team-ml-data/llama/train/', outputUri: 's3://team-ml-data/llama/output/' };
      const job = new FineTuningJob(stack, 'Job', { ...props, fallbackInstanceTypes: ['ml.p4d.24xlarge'] });
      const endpoint = new FineTunedModelEndpoint(stack, 'Endpoint', { trainingJob: job, role, scaleToZero: { maxInstances: 2 } });
      endpoint.grantInvoke(new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }));
      let refused = '';
      try { new FineTuningJob(new Stack(app, 'Wrong'), 'Job', { ...props, fallbackInstanceTypes: 'ml.p4d.24xlarge' }); } catch (e) { refused = e.message; }
      try { new FineTunedModelEndpoint(new Stack(app, 'Wrong2'), 'Endpoint', { trainingJob: job, role, scaleToZero: 'yes' }); } catch (e) { refused += ' | ' + e.message; }
      app.synth();
      console.log(JSON.stringify({ prefix: job.jobNamePrefix, hours: job.waitTimeout.toHours(), refused }));
    `,
    );
    const synth = run('node', ['fallback.js'], app);
    expect(synth.status).toBe(0);
    const { prefix, hours, refused } = JSON.parse(synth.stdout);
    expect(hours).toBe(101);
    expect(refused).toMatch(/fallbackInstanceTypes is "ml.p4d.24xlarge"; allowed: a list of instance types/);
    expect(refused).toMatch(/scaleToZero is "yes"; allowed: an object of options, \{\} for the defaults/);
    const resources = Object.values<any>(
      JSON.parse(readFileSync(join(app, 'cdk.fallback', 'Big.template.json'), 'utf8')).Resources,
    );
    const job = resources.find((r) => r.Type === 'Custom::SageMakerTrainingJob');
    // One job: SageMaker's instance preferences, the type it chose read after the wait.
    expect(job.Properties.FallbackInstanceTypes).toEqual(['ml.p4d.24xlarge']);
    expect(resources.filter((r) => r.Type === 'Custom::SageMakerTrainedJob')).toHaveLength(1);
    // The endpoint scales to zero: an inference component whose copies scale from 0.
    expect(resources.find((r) => r.Type === 'AWS::SageMaker::InferenceComponent').Properties.RuntimeConfig).toEqual({
      CopyCount: 1,
    });
    expect(resources.find((r) => r.Type === 'AWS::ApplicationAutoScaling::ScalableTarget').Properties).toMatchObject({
      MinCapacity: 0,
      MaxCapacity: 2,
    });
    // A caller of a scale-to-zero endpoint may invoke the component as well as the endpoint.
    const invoke = resources
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .find((st: any) => [st.Action].flat().includes('sagemaker:InvokeEndpoint'));
    expect(JSON.stringify(invoke.Resource)).toContain('InferenceComponentArn');
    const creates = resources
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((st: any) => [st.Action].flat().includes('sagemaker:CreateTrainingJob'));
    // The training handler alone, for this job's prefix only: SageMaker, not the signal function, falls back.
    expect(creates).toHaveLength(1);
    for (const st of creates) expect(JSON.stringify(st.Resource)).toContain(`training-job/${prefix.toLowerCase()}-*`);
  });

  test('the imported models, estimates with ranges, the budget guard and the control-tower profile from the installed package', () => {
    writeFileSync(
      join(app, 'newer.js'),
      `
      const { App } = require('aws-cdk-lib');
      const { Llama3FineTuningStack, TrainingEstimator } = require('cdk-llama3-finetuning');
      const app = new App({ outdir: 'cdk.newer' });
      new Llama3FineTuningStack(app, 'Small', { acceptEula: true, modelId: 'meta-textgeneration-llama-3-2-1b-instruct' });
      new Llama3FineTuningStack(app, 'Large', { acceptEula: true, modelId: 'meta-textgeneration-llama-3-1-70b', hyperparameters: { chatTemplate: 'Llama3.1' } });
      let refused = '';
      try { new Llama3FineTuningStack(app, 'Old', { acceptEula: true, hyperparameters: { chatTemplate: 'Llama3.1' } }); } catch (e) { refused = e.message; }
      let overBudget = '';
      try { new Llama3FineTuningStack(app, 'Budget', { acceptEula: true, maxBudgetUsd: 5 }); } catch (e) { overBudget = e.message; }
      const estimate = TrainingEstimator.estimate({ hyperparameters: { epoch: 3, perDeviceTrainBatchSize: 2 } });
      // A plain JavaScript caller passes the profile's string, as the enum's value is.
      new Llama3FineTuningStack(app, 'Hardened', { acceptEula: true, compliance: 'control-tower' });
      app.synth();
      console.log(JSON.stringify({ refused, overBudget, estimate }));
    `,
    );
    const synth = run('node', ['newer.js'], app);
    expect(synth.status).toBe(0);
    const { refused, overBudget, estimate } = JSON.parse(synth.stdout);
    expect(refused).toMatch(/has no chat_template hyperparameter/);
    expect(overBudget).toMatch(/even its optimistic end is over maxBudgetUsd of \$5\.00\. Fix: /);
    expect(estimate).toMatchObject({ minutes: 35, measured: true });
    const hardened = Object.values<any>(
      JSON.parse(readFileSync(join(app, 'cdk.newer', 'Hardened.template.json'), 'utf8')).Resources,
    );
    expect(hardened.filter((r) => r.Type === 'AWS::EC2::VPC')).toHaveLength(1);
    for (const fn of hardened.filter((r) => r.Type === 'AWS::Lambda::Function')) {
      expect(fn.Properties.VpcConfig).toBeDefined();
    }
    expect(estimate.lowMinutes).toBeLessThan(35);
    expect(estimate.highMinutes).toBeGreaterThan(35);
    const job = (stack: string) =>
      Object.values<any>(
        JSON.parse(readFileSync(join(app, 'cdk.newer', `${stack}.template.json`), 'utf8')).Resources,
      ).find((r) => r.Type === 'Custom::SageMakerTrainingJob').Properties;
    expect(job('Small')).toMatchObject({
      InstanceType: 'ml.g5.2xlarge',
      Hyperparameters: expect.objectContaining({ chat_dataset: 'True', chat_template: 'Llama3.1', epoch: '1' }),
    });
    expect(job('Large')).toMatchObject({
      InstanceType: 'ml.g5.48xlarge',
      Hyperparameters: expect.objectContaining({ int8_quantization: 'True', chat_template: 'Llama3.1' }),
    });
  });

  test('a platform team uses the constructs one by one: imported role and bucket, attached job with monitoring, isolated VPC, tags', () => {
    writeFileSync(
      join(app, 'platform.js'),
      `
      const { App, Stack, Tags, RemovalPolicy } = require('aws-cdk-lib');
      const ec2 = require('aws-cdk-lib/aws-ec2');
      const iam = require('aws-cdk-lib/aws-iam');
      const s3 = require('aws-cdk-lib/aws-s3');
      const sns = require('aws-cdk-lib/aws-sns');
      const lib = require('cdk-llama3-finetuning');
      const app = new App({ outdir: 'cdk.platform' });
      const stack = new Stack(app, 'Platform');
      Tags.of(stack).add('team', 'ml-platform');
      const role = lib.SageMakerExecutionRole.fromExistingRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/TeamSageMaker');
      const bucket = s3.Bucket.fromBucketName(stack, 'Data', 'team-ml-data');
      const vpc = new ec2.Vpc(stack, 'Vpc', { subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const job = new lib.FineTuningJob(stack, 'Job', {
        acceptEula: true, role, vpc, trainingDataUri: bucket.s3UrlForObject('llama/train/'), outputUri: bucket.s3UrlForObject('llama/output/'),
      });
      const attached = lib.FineTuningJob.attach(stack, 'Earlier', { trainingJobName: 'ft-llama-3-8b-earlier-run' });
      const endpoint = new lib.FineTunedModelEndpoint(stack, 'Endpoint', { trainingJob: attached, role, instanceType: 'ml.g5.2xlarge' });
      endpoint.grantInvoke(new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }));
      new lib.FineTuningMonitoring(stack, 'Monitoring', { trainingJob: attached, endpoint, alarmTopic: new sns.Topic(stack, 'Alarms') });
      job.onFailure('Failed');
      new lib.TrainingDataBuckets(stack, 'Buckets', { removalPolicy: RemovalPolicy.DESTROY });
      app.synth();
    `,
    );
    const synth = run('node', ['platform.js'], app);
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
    const resources = Object.values<any>(
      JSON.parse(readFileSync(join(app, 'cdk.platform', 'Platform.template.json'), 'utf8')).Resources,
    );
    const job = resources.find((r) => r.Type === 'Custom::SageMakerTrainingJob' && r.Properties.JobNamePrefix);
    expect(job.Properties.Tags).toEqual({ team: 'ml-platform' });
    expect(job.Properties.SubnetIds).toHaveLength(2);
    expect(resources.some((r) => r.Type === 'AWS::CloudWatch::Dashboard')).toBe(true);
  });

  test('its endpoint client loads the SageMaker runtime SDK it ships (no npm dependency of its own)', () => {
    const client = run(
      'node',
      [
        '-e',
        `const { Llama3EndpointClient } = require('cdk-llama3-finetuning');
         new Llama3EndpointClient({ endpointName: 'llama3-ft', region: 'eu-west-1' });
         console.log(Object.keys(require('cdk-llama3-finetuning/package.json').dependencies ?? {}).length);`,
      ],
      app,
    );
    expect(client.stderr).toBe('');
    expect(client.stdout.trim()).toBe('0');
  });

  test('its llama3-ft chat streams a conversation with the runtime SDK the package ships', async () => {
    const runtime = new FakeRuntime();
    const url = await runtime.start();
    runtime.streamAnswer = lmiStream(['Sage', 'Maker ', 'trains ', 'models.']);
    try {
      // Asynchronously: the loopback runtime answers from this process, which must not block.
      const chat = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          'bash',
          ['-c', "printf 'What is SageMaker?\\n/exit\\n' | npx llama3-ft chat --endpoint llama3-ft --region us-east-1"],
          {
            cwd: app,
            env: {
              ...process.env,
              AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: url,
              AWS_ACCESS_KEY_ID: 'testing',
              AWS_SECRET_ACCESS_KEY: 'testing',
            },
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c) => (stdout += c));
        child.stderr.on('data', (c) => (stderr += c));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
      expect({ status: chat.status, stderr: chat.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
      expect(chat.stdout).toContain('SageMaker trains models.');
      expect(chat.stderr).toMatch(/first token \d/);
      const sent = runtime.requests.find((r) => r.path.endsWith('/invocations-response-stream'))!;
      // The default chat model is an instruct one: the line went out as a user turn of the chat template.
      expect(JSON.parse(sent.body).inputs).toContain(
        '<|start_header_id|>user<|end_header_id|>\n\nWhat is SageMaker?<|eot_id|>',
      );
    } finally {
      await runtime.stop();
    }
  });

  test('its llama3-ft validate-data reads an S3 prefix with the SDK bundled in the package', async () => {
    const moto = new MotoServer();
    const environment = { ...process.env };
    await moto.start();
    try {
      moto.useForSdk();
      const s3 = await import('@aws-sdk/client-s3');
      const client = new s3.S3Client({});
      await client.send(new s3.CreateBucketCommand({ Bucket: 'team-data' }));
      const broken = '{"dialog": [{"role": "user", "content": "hi"}]}\n';
      await client.send(new s3.PutObjectCommand({ Bucket: 'team-data', Key: 'chat/train.jsonl', Body: broken }));
      const result = spawnSync('npx', ['llama3-ft', 'validate-data', 's3://team-data/chat/', '--mode', 'chat'], {
        cwd: app,
        encoding: 'utf8',
        env: process.env,
      });
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('s3://team-data/chat/train.jsonl:1: error:');
      expect(result.stdout).toContain('s3://team-data/chat/: 1 file(s), ');
    } finally {
      process.env = environment;
      await moto.stop();
    }
  });

  test('its llama3-ft preflight checks data and the bootstrap with the SDK the package ships', async () => {
    const moto = new MotoServer();
    const environment = { ...process.env };
    await moto.start();
    try {
      moto.useForSdk();
      process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = moto.url;
      process.env.AWS_ENDPOINT_URL_SERVICE_QUOTAS = moto.url;
      const s3 = await import('@aws-sdk/client-s3');
      await new s3.S3Client({}).send(new s3.CreateBucketCommand({ Bucket: 'team-data' }));
      const result = spawnSync(
        'npx',
        ['llama3-ft', 'preflight', '-c', 'accept_eula=true', '-c', 'train_data=s3://team-data/empty/', '--json'],
        { cwd: app, encoding: 'utf8', env: process.env },
      );
      expect(result.status).toBe(1);
      const checks = JSON.parse(result.stdout).checks;
      expect(checks.find((c: any) => c.check === 'data')).toMatchObject({
        status: 'FAIL',
        detail: 'train_data s3://team-data/empty/ holds no objects',
      });
      // No CDKToolkit in this emulated account: the fix is the bootstrap command.
      expect(checks.find((c: any) => c.check === 'bootstrap')).toMatchObject({
        status: 'FAIL',
        fix: 'npx cdk bootstrap aws://<account>/us-east-1',
      });
    } finally {
      process.env = environment;
      await moto.stop();
    }
  });

  test('its evaluation tools run from the installed package: split, and ROUGE from plain JavaScript', () => {
    const out = join(app, 'split-out');
    const split = run(
      'npx',
      [
        'llama3-ft',
        'split',
        join(ROOT, 'examples', 'datasets', 'dolly-qa', 'train'),
        '--holdout',
        '2',
        '--seed',
        '3',
        '--out',
        out,
      ],
      app,
    );
    expect(split.status).toBe(0);
    expect(
      readFileSync(join(out, 'holdout', 'holdout.jsonl'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(2);
    const rouge = run(
      'node',
      [
        '-e',
        "const { RougeScorer } = require('cdk-llama3-finetuning'); " +
          "console.log(JSON.stringify(RougeScorer.score('The quick brown fox jumps over the lazy dog', 'The quick brown dog jumps on the log.')))",
      ],
      app,
    );
    expect(rouge.status).toBe(0);
    expect(JSON.parse(rouge.stdout).rouge1).toBeCloseTo(0.7058823529411765, 10);
  });

  test('its llama3-ft command runs from the compiled code', () => {
    // A measured configuration: 35 minutes, with its range.
    const estimate = run('npx', ['llama3-ft', 'estimate', '--epoch', '3', '--per-device-train-batch-size', '2'], app);
    expect(estimate.status).toBe(0);
    expect(estimate.stdout).toMatch(
      /^Training estimate for meta-textgeneration-llama-3-8b on ml.g5.12xlarge: about 35 minutes \(\d+ to \d+\)/,
    );
  });

  test('its llama3-ft refuses bad input from the installed package: a message, the usage status, no stack trace', () => {
    const cases: [string[], RegExp][] = [
      [
        ['invoke', '--endpoint', 'e', '--timeout', '5000000', '--prompt', 'hi'],
        /--timeout is "5000000"; allowed: seconds above 0 and at most 3600/,
      ],
      [['validate-data', 's3://A_B/'], /"A_B" is not a valid bucket name/],
      [
        ['evaluate', '--endpoint', 'e', '--data', '.', '--html', join(packDir, 'no', 'such', 'dir', 'report.html')],
        /--html/,
      ],
      [['estimate', '--max-run', '0'], /--max-run is a deploy setting/],
    ];
    for (const [args, message] of cases) {
      const result = run('npx', ['llama3-ft', ...args], app);
      expect({ args, status: result.status }).toEqual({ args, status: 2 });
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('the Python wheel', () => {
  test('builds offline around the npm tarball, with the module layout Python imports', () => {
    const [{ filename }] = JSON.parse(pack.stdout);
    const tarball = join(packDir, filename);
    const build = run('bash', ['scripts/package-python.sh', tarball]);
    expect(build.status).toBe(0);
    const wheel = readdirSync(join(ROOT, 'dist', 'python')).find((f) => f.endsWith('.whl'))!;
    expect(wheel).toBe(`cdk_llama3_finetuning-${VERSION}-py3-none-any.whl`);
    const listing = run('python3', ['-m', 'zipfile', '-l', join(ROOT, 'dist', 'python', wheel)]).stdout;
    for (const path of [
      'cdk_llama3_finetuning/__init__.py',
      'cdk_llama3_finetuning/py.typed',
      'cdk_llama3_finetuning/_jsii/__init__.py',
      `cdk_llama3_finetuning/_jsii/cdk-llama3-finetuning@${VERSION}.jsii.tgz`,
    ])
      expect(listing).toContain(path);
    const init = run('python3', [
      '-c',
      `import zipfile; print(zipfile.ZipFile("${join(ROOT, 'dist', 'python', wheel)}").read("cdk_llama3_finetuning/__init__.py").decode())`,
    ]).stdout;
    // The wheel carries exactly the package tested above, not a second build of it.
    const embedded = run('python3', [
      '-c',
      `import zipfile, hashlib; print(hashlib.sha256(zipfile.ZipFile("${join(ROOT, 'dist', 'python', wheel)}").read("cdk_llama3_finetuning/_jsii/cdk-llama3-finetuning@${VERSION}.jsii.tgz")).hexdigest())`,
    ]).stdout.trim();
    expect(embedded).toBe(createHash('sha256').update(readFileSync(tarball)).digest('hex'));
    expect(init).toMatch(/class FineTuningJob\(/);
    expect(init).toMatch(/class Llama3FineTuningStack\(/);
  }, 300_000);
});
