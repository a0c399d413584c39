import { porterStem } from './porter-stemmer';

/**
 * ROUGE-1, ROUGE-2 and ROUGE-L F1 as Google's `rouge-score` computes them with its stemmer
 * on (`RougeScorer([...], use_stemmer=True)`, which SageMaker's own model evaluation uses):
 * the text is lowercased, runs of characters other than a-z and 0-9 split it into tokens,
 * tokens longer than 3 characters are Porter-stemmed (NLTK's default stemmer); ROUGE-N counts
 * the clipped overlap of n-grams, ROUGE-L the longest common subsequence; F = 2PR / (P + R).
 */
export interface RougeScores {
  readonly rouge1: number;
  readonly rouge2: number;
  readonly rougeL: number;
}

/** Precision, recall and F1 of one ROUGE measure. */
export interface RougeScore {
  readonly precision: number;
  readonly recall: number;
  readonly fmeasure: number;
}

export function rougeTokens(text: string): string[] {
  // Stryker disable next-line Regex: one space per character or per run: the split below takes runs either way.
  const spaced = text.toLowerCase().replace(/[^a-z0-9]+/g, ' ');
  // Stryker disable next-line Regex: splitting at each space leaves empty tokens, which the filter drops.
  const tokens = spaced.split(/\s+/).filter((t) => t.length > 0);
  return tokens.map((t) => (t.length > 3 ? porterStem(t) : t));
}

function score(overlap: number, predicted: number, reference: number): RougeScore {
  const precision = overlap / Math.max(predicted, 1);
  const recall = overlap / Math.max(reference, 1);
  return { precision, recall, fmeasure: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}

function ngramCounts(tokens: string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const gram = tokens.slice(i, i + n).join(' ');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/** ROUGE-N of a prediction against its reference. */
export function rougeN(reference: string[], prediction: string[], n: number): RougeScore {
  const ref = ngramCounts(reference, n);
  const pred = ngramCounts(prediction, n);
  let overlap = 0;
  for (const [gram, count] of pred) overlap += Math.min(count, ref.get(gram) ?? 0);
  const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
  return score(overlap, total(pred), total(ref));
}

/** ROUGE-L: the longest common subsequence of the token lists. */
export function rougeL(reference: string[], prediction: string[]): RougeScore {
  let previous = new Array<number>(prediction.length + 1).fill(0);
  for (const r of reference) {
    const row = new Array<number>(prediction.length + 1).fill(0);
    for (let j = 1; j <= prediction.length; j++) {
      row[j] = r === prediction[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], row[j - 1]);
    }
    previous = row;
  }
  return score(previous[prediction.length], prediction.length, reference.length);
}

/** The three F1 scores of a prediction against its reference (rouge-score's `score(target, prediction)`). */
export function rougeScores(reference: string, prediction: string): RougeScores {
  const ref = rougeTokens(reference);
  const pred = rougeTokens(prediction);
  return {
    rouge1: rougeN(ref, pred, 1).fmeasure,
    rouge2: rougeN(ref, pred, 2).fmeasure,
    rougeL: rougeL(ref, pred).fmeasure,
  };
}
