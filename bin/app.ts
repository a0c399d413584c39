#!/usr/bin/env node
/**
 * The example app: synthesizes the fine-tuning stack from CDK context, e.g.
 *   npx cdk synth -c accept_eula=true -c epoch=3 -c instruction_tuned=True
 */
import { App, Duration } from 'aws-cdk-lib';
import { Llama3FineTuningStack } from '../lib';
import { isConfigurationError } from '../lib/config/configuration-error';
import { configurationFromContext } from '../lib/config/app-context';

const app = new App();
try {
  const {
    trainingMaxRunSeconds, endpointMinInstances, endpointMaxInstances, endpointTargetInvocations, ...config
  } = configurationFromContext(app.node.getAllContext());
  const scaling = endpointMinInstances !== undefined || endpointMaxInstances !== undefined;
  new Llama3FineTuningStack(app, 'Llama3FineTuning', {
    ...config,
    endpointAutoScaling: scaling ? {
      minInstances: endpointMinInstances ?? 1,
      maxInstances: endpointMaxInstances ?? endpointMinInstances ?? 1,
      targetInvocationsPerInstance: endpointTargetInvocations,
    } : undefined,
    trainingMaxRuntime: trainingMaxRunSeconds !== undefined ? Duration.seconds(trainingMaxRunSeconds) : undefined,
    acceptEula: config.acceptEula ?? false,
    description: 'Fine-tunes Meta Llama 3 with SageMaker JumpStart and serves it on a real-time endpoint',
  });
  app.synth();
} catch (error) {
  if (!isConfigurationError(error)) throw error;
  // A configuration mistake is the user's to fix: the message, not a stack trace.
  process.stderr.write(`\n${error.message}\n\n`);
  process.exit(1);
}
