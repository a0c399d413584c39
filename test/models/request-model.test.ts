/**
 * The CreateTrainingJob model synth checks against (lib/models/create-training-job-request.ts)
 * is what the SDK in node_modules generates, and the library has decided, for every member of
 * it, whether it sets the member itself or passes the caller's through.
 */
import { readFileSync } from 'node:fs';
import {
  OWNED,
  OWNED_ENVIRONMENT,
  OWNED_RESOURCE_CONFIG,
} from '../../lib/constructs/private/additional-parameters-checks';
import { CREATE_TRAINING_JOB_REQUEST as STORED } from '../../lib/models/create-training-job-request';
import type { RequestModel, ShapeRef, StructureShape } from '../../lib/models/request-model';
import { REQUEST_MODEL_FILE, buildRequestModel, renderRequestModel } from '../../scripts/request-model-import';

/** The model without what botocore adds (constraints, which numbers are integral): the SDK's part. */
function sdkPart(model: RequestModel): unknown {
  const simple = (ref: ShapeRef): ShapeRef =>
    typeof ref === 'string'
      ? ref
      : { type: ['integer', 'long', 'float', 'double'].includes(ref.type) ? 'number' : ref.type, enum: ref.enum };
  const shapes = Object.fromEntries(
    Object.entries(model.shapes).map(([name, s]) => [
      name,
      s.type === 'structure'
        ? { ...s, members: Object.fromEntries(Object.entries(s.members).map(([m, r]) => [m, simple(r)])) }
        : s.type === 'list'
          ? { type: 'list', member: simple(s.member) }
          : { type: 'map', key: simple(s.key), value: simple(s.value) },
    ]),
  );
  return { input: model.input, sdk: model.sources.sdk, shapes, enums: model.enums };
}

describe('the stored model is what the generator makes of node_modules', () => {
  let fresh: RequestModel;
  beforeAll(() => {
    fresh = buildRequestModel();
  });

  test("the SDK's part: members, types, required members, enums and the SDK's version", () => {
    expect(sdkPart(STORED)).toEqual(sdkPart(fresh));
  });

  test('byte for byte, when botocore is the version it was generated with (else its constraints may differ)', () => {
    if (fresh.sources.constraints !== STORED.sources.constraints) {
      // A newer botocore may tighten a constraint: regenerate (npm run request-model:import) to take it.
      console.warn(`constraints from ${fresh.sources.constraints}, stored from ${STORED.sources.constraints}`);
      return;
    }
    expect(readFileSync(REQUEST_MODEL_FILE, 'utf8')).toBe(renderRequestModel(fresh));
  });
});

describe('every request member is decided: set by the library, or passed through', () => {
  const request = STORED.shapes[STORED.input] as StructureShape;
  const resourceConfig = STORED.shapes.ResourceConfig as StructureShape;

  test('the members the library owns exist in the model (a renamed member would pass through unowned)', () => {
    expect(Object.keys(request.members)).toEqual(expect.arrayContaining(Object.keys(OWNED)));
    expect(Object.keys(resourceConfig.members)).toEqual(expect.arrayContaining(Object.keys(OWNED_RESOURCE_CONFIG)));
    expect(Object.keys(OWNED_ENVIRONMENT).sort()).toEqual(['SageMakerGatedModelS3Uri', 'accept_eula']);
  });

  test('the members passed through are these; a member a newer SDK adds must be decided here', () => {
    expect(Object.keys(request.members).filter((m) => !OWNED[m])).toEqual([
      'ResourceConfig',
      'DebugHookConfig',
      'DebugRuleConfigurations',
      'TensorBoardOutputConfig',
      'ExperimentConfig',
      'ProfilerConfig',
      'ProfilerRuleConfigurations',
      'Environment',
      'RemoteDebugConfig',
      'InfraCheckConfig',
      'SessionChainingConfig',
      'MlflowConfig',
      'ModelPackageConfig',
    ]);
    expect(Object.keys(resourceConfig.members).filter((m) => !OWNED_RESOURCE_CONFIG[m])).toEqual([
      'KeepAlivePeriodInSeconds',
      'InstancePlacementConfig',
    ]);
  });
});
