import { EvaluationOptions, EvaluationReport, IPromptAnswerer, evaluateEndpoints } from './endpoint-evaluation';
import { htmlReport, jsonReport, scoreTable } from './evaluation-report';
import { EvaluationSample, readEvaluationSamples } from './evaluation-samples';
import { RougeScores, rougeScores } from './rouge';

/** ROUGE-1, ROUGE-2 and ROUGE-L F1 as Google's rouge-score computes them with its stemmer on. */
export class RougeScorer {
  /** The scores of `prediction` against `reference` (rouge-score's `score(target, prediction)`). */
  public static score(reference: string, prediction: string): RougeScores {
    return rougeScores(reference, prediction);
  }
}

/**
 * Did fine-tuning help? Asks a fine-tuned endpoint (and, to compare, one serving the base
 * model) every held-out sample and scores the answers with ROUGE; what `llama3-ft evaluate` runs.
 */
export class Llama3Evaluation {
  /**
   * The samples of a held-out `.jsonl` file or directory (`llama3-ft split`'s holdout/): prompts
   * from the template (the directory's, `templateFile`, else JumpStart's default), references
   * from its completion; chat records end at their last assistant turn.
   */
  public static readSamples(location: string, templateFile?: string, maxSamples?: number): EvaluationSample[] {
    return readEvaluationSamples(location, templateFile, maxSamples);
  }

  /** Asks every endpoint every sample and scores the answers (Llama3EndpointClient answers prompts). */
  public static async evaluate(
    samples: EvaluationSample[],
    finetuned: IPromptAnswerer,
    baseline?: IPromptAnswerer,
    options?: EvaluationOptions,
  ): Promise<EvaluationReport> {
    return evaluateEndpoints(samples, finetuned, baseline, options);
  }

  /** The table of mean scores per endpoint and their difference. */
  public static table(report: EvaluationReport): string {
    return scoreTable(report);
  }

  /** The JSON report: samples, finetuned, baseline and records. */
  public static json(report: EvaluationReport): string {
    return jsonReport(report);
  }

  /** A self-contained HTML report: a chart of the scores and the side-by-side table. */
  public static html(report: EvaluationReport): string {
    return htmlReport(report);
  }
}
