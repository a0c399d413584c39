#!/usr/bin/env node
/**
 * The example app: synthesizes the fine-tuning stack from CDK context, e.g.
 *   npx cdk synth -c accept_eula=true -c epoch=3 -c instruction_tuned=True
 */
import { App } from 'aws-cdk-lib';
import { contextErrorMessage, fineTuningStackFromContext } from '../lib/app/fine-tuning-app';
import { isConfigurationError } from '../lib/config/configuration-error';

const app = new App();
try {
  fineTuningStackFromContext(app);
  app.synth();
} catch (error) {
  if (!isConfigurationError(error)) throw error;
  // A configuration mistake is the user's to fix: the message, not a stack trace.
  process.stderr.write(`\n${contextErrorMessage(error.message)}\n\n`);
  process.exit(1);
}
