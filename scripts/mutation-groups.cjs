// The mutation-testing groups: each names the deciding modules it mutates and the unit tests that judge
// them. A mutant runs only its group's tests (jest.mutation.config.js reads MUTATION_GROUP), so a group's
// list is the tests a user would read to learn what those modules do. Each group keeps its own incremental
// report in test/mutation/<group>.json (committed), so a later run re-tests only the mutants whose code or
// tests changed. Read by scripts/mutation.mjs (runs Stryker), jest.mutation.config.js and
// scripts/mutation-scores.mjs (prints the scores).
//
// Left out, as not deciding anything a test could observe apart from the modules that use them: pure
// declarations and tables (lib/config/sagemaker-names.ts, lib/app/context-names.ts, lib/models/ apart from
// the model-document importer, lib/index.ts), the SDK shims (lib/client/s3-sdk.ts,
// lib/client/sagemaker-runtime-sdk.ts, lib/app/preflight-aws.ts and lib/handlers/shared/describe-job.ts,
// which only call AWS and are tested against moto_server) and the constructs, whose decisions are in the
// private *-checks.ts modules mutated here (the rest is CloudFormation wiring that the template tests hold).
// Tests left out of every group: the moto, packaging, quality and lifecycle suites (minutes, not seconds),
// and test/handlers/throttling.test.ts (6 s of the SDK's own backoff).

/** @type {Record<string, { mutate: string[], tests: string[] }>} */
const GROUPS = {
  'training-handler': {
    mutate: [
      'lib/handlers/shared/training-request.ts',
      'lib/handlers/training-job.ts',
      'lib/handlers/shared/training-plan.ts',
      'lib/handlers/shared/cfn-response.ts',
      'lib/handlers/shared/additional-parameters.ts',
    ],
    tests: [
      'test/handlers/training-job.test.ts',
      'test/handlers/training-request.test.ts',
      'test/handlers/training-plan.test.ts',
      'test/handlers/cfn-response.test.ts',
    ],
  },
  wait: {
    mutate: [
      'lib/handlers/signal-wait-condition.ts',
      'lib/handlers/shared/wait-handles.ts',
      'lib/handlers/shared/wait-signal.ts',
      // Read by the signal handler only (the training handler writes the tag with its own constants).
      'lib/handlers/shared/wait-ownership.ts',
    ],
    tests: [
      'test/handlers/signal-wait-condition.test.ts',
      'test/handlers/wait-handles.test.ts',
      'test/handlers/wait-signal.test.ts',
      'test/handlers/training-job.test.ts',
      'test/constructs/spot-training.test.ts',
    ],
  },
  // What a registry version is told and tells: the evaluation it records, and where it keeps its model.
  registry: {
    mutate: ['lib/handlers/describe-model-package.ts', 'lib/evaluation/registry-record.ts'],
    tests: ['test/handlers/describe-model-package.test.ts', 'test/evaluation/registry-record.test.ts'],
  },
  hub: {
    mutate: ['lib/handlers/resolve-hub-content.ts', 'lib/handlers/shared/hub-content.ts'],
    tests: ['test/handlers/resolve-hub-content.test.ts'],
  },
  'dataset-check': {
    mutate: ['lib/handlers/validate-dataset.ts', 'lib/datasets/s3-dataset.ts'],
    tests: ['test/handlers/validate-dataset.test.ts', 'test/datasets/s3-dataset.test.ts'],
  },
  estimates: {
    mutate: [
      'lib/estimates/training-estimate.ts',
      'lib/estimates/runtime-model.ts',
      'lib/estimates/budget.ts',
      'lib/estimates/runtime-fit.ts',
    ],
    tests: [
      'test/estimates/training-estimate.test.ts',
      'test/estimates/advice.test.ts',
      'test/estimates/runtime-model.test.ts',
      'test/estimates/budget.test.ts',
      'test/estimates/runtime-fit.test.ts',
    ],
  },
  config: {
    mutate: [
      'lib/config/training-configuration.ts',
      'lib/config/hyperparameter-specs.ts',
      'lib/config/hyperparameters.ts',
      'lib/config/training-recipe.ts',
      'lib/config/configuration-error.ts',
      'lib/config/did-you-mean.ts',
    ],
    tests: [
      'test/config/training-configuration.test.ts',
      'test/config/hyperparameter-specs.test.ts',
      'test/config/did-you-mean.test.ts',
    ],
  },
  // The checks of what a user passes to the stack and the constructs: judged by synthesizing them. Every synth
  // runs these checks, so every test of the group covers nearly every mutant (and bail is off): the list is
  // kept to the tables of bad props and the instance preferences, a few seconds a mutant.
  'prop-checks': {
    mutate: [
      'lib/config/input-checks.ts',
      'lib/config/stack-prop-checks.ts',
      'lib/config/s3-uri-rules.ts',
      'lib/config/prop-names.ts',
      // How a refused value is shown: the bad-props table holds each kind.
      'lib/config/show-value.ts',
      'lib/constructs/private/job-input-checks.ts',
      'lib/constructs/private/endpoint-prop-checks.ts',
      'lib/constructs/private/monitoring-prop-checks.ts',
      'lib/config/request-shape-checks.ts',
      'lib/constructs/private/additional-parameters-checks.ts',
      // The registry's, the rollout's and the lifecycle rules' refusals: the bad-props table has a row for each.
      'lib/constructs/private/registry-prop-checks.ts',
      'lib/constructs/private/rollout.ts',
      'lib/constructs/private/lifecycle-checks.ts',
    ],
    tests: [
      'test/config/input-checks.test.ts',
      'test/config/request-shape-checks.test.ts',
      'test/constructs/additional-parameters.test.ts',
      'test/config/bad-props-table.test.ts',
      'test/constructs/instance-preferences.test.ts',
      'test/constructs/budget-props.test.ts',
    ],
  },
  datasets: {
    mutate: [
      'lib/datasets/dataset-validator.ts',
      'lib/datasets/dataset-split.ts',
      'lib/datasets/csv-records.ts',
      'lib/datasets/line-reader.ts',
      'lib/datasets/training-format.ts',
    ],
    tests: [
      'test/datasets/dataset-validator.test.ts',
      'test/datasets/line-reader.test.ts',
      'test/datasets/validate-data-command.test.ts',
      'test/cli/split.test.ts',
    ],
  },
  evaluation: {
    mutate: [
      'lib/evaluation/rouge.ts',
      'lib/evaluation/porter-stemmer.ts',
      'lib/evaluation/evaluation-report.ts',
      'lib/evaluation/evaluation-samples.ts',
      'lib/evaluation/endpoint-evaluation.ts',
      'lib/evaluation/llama3-evaluation.ts',
    ],
    // Judged in-process with stand-in endpoints; the CLI's evaluate test (in the cli group) runs a loopback
    // runtime with real backoff waits, seconds a mutant, and adds nothing these do not hold.
    tests: ['test/evaluation/rouge.test.ts', 'test/evaluation/evaluation.test.ts'],
  },
  client: {
    mutate: [
      'lib/client/chat-template.ts',
      'lib/client/explain-invocation-error.ts',
      'lib/client/generation-parameters.ts',
      'lib/client/generation-stream.ts',
      'lib/client/invocation-error.ts',
      'lib/client/llama3-endpoint-client.ts',
      'lib/client/stop-sequences.ts',
      'lib/client/stream-decoder.ts',
    ],
    tests: [
      'test/client/chat-template.test.ts',
      'test/client/client-props.test.ts',
      'test/client/explain-invocation-error.test.ts',
      'test/client/generation-parameters.test.ts',
      'test/client/invoke-errors.test.ts',
      'test/client/stop-sequences.test.ts',
      'test/client/stream-decoder.test.ts',
      'test/client/stream-edges.test.ts',
      'test/client/stream.test.ts',
    ],
  },
  cli: {
    mutate: [
      'lib/cli/io.ts',
      'lib/cli/flag-types.ts',
      'lib/cli/command-line.ts',
      'lib/cli/main.ts',
      'lib/cli/chat-command.ts',
      'lib/cli/chat-history.ts',
      'lib/cli/chat-session.ts',
      'lib/cli/estimate-command.ts',
      'lib/cli/evaluate-command.ts',
      'lib/cli/invoke-command.ts',
      'lib/cli/split-command.ts',
      'lib/cli/validate-data-command.ts',
    ],
    // commands.test.ts loads the CLI afresh in each test, so a command module's flag table and names are judged by
    // the tests that use them; chat-session.test.ts runs the conversation on a clock it moves (no real waits).
    tests: [
      'test/cli/io.test.ts',
      'test/cli/bad-flags.test.ts',
      'test/cli/bad-input-table.test.ts',
      'test/cli/commands.test.ts',
      'test/cli/chat.test.ts',
      'test/cli/chat-session.test.ts',
      'test/cli/evaluate.test.ts',
      'test/cli/invoke-stream.test.ts',
      'test/cli/split.test.ts',
      'test/datasets/validate-data-command.test.ts',
      'test/estimates/training-estimate.test.ts',
    ],
  },
  // The example app's reading of CDK context: the parser judged directly (each kind of value as -c and cdk.json
  // give it), and the app's own decisions (scaling, rollout, the licence, the printed refusal) by synthesizing it.
  // Not test/app/bad-context-table.test.ts: its ~190 cases hold the same refusals end to end and each covers
  // nearly every mutant here (each sets accept_eula); what only it killed (endpoint_rollout, the expiration
  // days) has its test in fine-tuning-app.test.ts.
  app: {
    mutate: ['lib/app/context.ts', 'lib/app/context-ranges.ts', 'lib/app/fine-tuning-app.ts'],
    tests: ['test/app/context.test.ts', 'test/app/fine-tuning-app.test.ts'],
  },
  // `llama3-ft preflight`: its checks, canary and command, in-process against stand-in accounts (no aws-cdk-lib).
  // Not test/app/preflight-canary-cfn-lint.test.ts: 3 s of cfn-lint for each of the canary templates' mutants,
  // whose resources the canary test holds property by property.
  preflight: {
    mutate: ['lib/app/preflight.ts', 'lib/app/preflight-canary.ts', 'lib/app/preflight-checks.ts'],
    tests: [
      'test/app/preflight-checks.test.ts',
      'test/app/preflight-canary.test.ts',
      'test/app/preflight-command.test.ts',
    ],
  },
  // The catalogue test also runs `npm run catalogue:import` through node_modules/.bin/ts-node: in Stryker's
  // sandbox that needs node_modules linked in, which Stryker does for a node_modules directory (not for a link
  // to one elsewhere, as in a git worktree that shares another's).
  models: {
    mutate: ['lib/models/model-document.ts'],
    tests: ['test/models/catalogue-import.test.ts', 'test/models/model-document.test.ts'],
  },
};

module.exports = { GROUPS };
