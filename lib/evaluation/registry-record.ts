import type { EvaluationReport, MeanScores } from './endpoint-evaluation';

/** What was evaluated, for the record on the model version. */
export interface EvaluationContext {
  /** The held-out data, as given to `--data`. */
  readonly data: string;
  /** The fine-tuned model's endpoint. */
  readonly endpoint: string;
  /** The base model's endpoint, when it was compared with. */
  readonly baselineEndpoint?: string;
  /** When the evaluation ran. */
  readonly evaluatedAt: Date;
}

/** The members of an UpdateModelPackage request that attach an evaluation to a version. */
export interface EvaluationRecord {
  readonly ModelCard: { readonly ModelCardContent: string; readonly ModelCardStatus: 'Draft' };
  readonly CustomerMetadataProperties: Record<string, string>;
}

const MEASURES = ['rouge1', 'rouge2', 'rougeL'] as const;

/** SageMaker's metadata values: letters, digits, spaces and `_.:/=+-@`, up to 256 characters. */
const metadataValue = (text: string) => text.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_').slice(-256);

/** A score as the registry shows it: four decimals, as the score table prints them. */
const decimals = (n: number) => n.toFixed(4);

/**
 * An evaluation as a model version records it. UpdateModelPackage cannot change a version's
 * `ModelMetrics` (they are set when it is created), so the scores go where it can write them:
 * the version's model card (`evaluation_details`, which Studio's registry shows as the model's
 * evaluation) and its metadata properties (`aws sagemaker describe-model-package` shows them, and
 * they merge with the ones the stack recorded).
 */
export function evaluationRecord(report: EvaluationReport, context: EvaluationContext): EvaluationRecord {
  const group = (name: string, scores: MeanScores) => ({
    name,
    metric_data: MEASURES.map((measure) => ({ name: `${measure} F1`, type: 'number', value: scores[measure] })),
  });
  const groups = [
    group('Fine-tuned model', report.finetuned),
    ...(report.baseline ? [group('Base model', report.baseline)] : []),
    ...(report.difference ? [group('Fine-tuned minus base', report.difference)] : []),
  ];
  const compared = context.baselineEndpoint ? `, compared with the base model on ${context.baselineEndpoint}` : '';
  const card = {
    evaluation_details: [
      {
        name: `llama3-ft evaluate ${context.evaluatedAt.toISOString().slice(0, 10)}`,
        evaluation_observation:
          `Mean ROUGE F1 (rouge-score's tokenizer, stemmer on) of ${report.finetuned.answered} of ${report.samples} ` +
          `held-out sample(s) answered by ${context.endpoint}${compared}.`,
        datasets: [context.data],
        metric_groups: groups,
      },
    ],
  };
  const metadata: Record<string, string> = {
    'evaluation-date': context.evaluatedAt.toISOString(),
    'evaluation-samples': String(report.finetuned.answered),
    'evaluation-data': metadataValue(context.data),
  };
  for (const measure of MEASURES) {
    metadata[`evaluation-${measure}`] = decimals(report.finetuned[measure]);
    if (report.difference) metadata[`evaluation-${measure}-minus-base`] = decimals(report.difference[measure]);
  }
  return {
    ModelCard: { ModelCardContent: JSON.stringify(card), ModelCardStatus: 'Draft' },
    CustomerMetadataProperties: metadata,
  };
}
