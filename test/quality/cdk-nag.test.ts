import { nagFindings } from '../support/nag';
import { STACK_MATRIX, fineTuningStack } from '../support/stacks';

describe('cdk-nag AwsSolutions and NIST 800-53 R5', () => {
  test.each(Object.entries(STACK_MATRIX))('%s has no unacknowledged finding', (_name, props) => {
    expect(nagFindings(fineTuningStack(props))).toEqual([]);
  });
});
