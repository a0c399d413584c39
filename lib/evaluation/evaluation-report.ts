import { EvaluationReport, MeanScores } from './endpoint-evaluation';

const METRICS = ['rouge1', 'rouge2', 'rougeL'] as const;

/** The table of mean scores per endpoint, and the difference. */
export function scoreTable(report: EvaluationReport): string {
  const row = (name: string, scores: MeanScores) =>
    `${name.padEnd(12)}${METRICS.map((m) => scores[m].toFixed(4).padStart(9)).join('')}   ${scores.answered}/${report.samples}`;
  const lines = [
    `${''.padEnd(12)}${METRICS.map((m) => m.padStart(9)).join('')}   answered`,
    row('fine-tuned', report.finetuned),
  ];
  if (report.baseline && report.difference) {
    const difference = report.difference;
    lines.push(row('base', report.baseline));
    lines.push(
      `${'difference'.padEnd(12)}${METRICS.map((m) => `${difference[m] >= 0 ? '+' : ''}${difference[m].toFixed(4)}`.padStart(9)).join('')}` +
        `   over the ${difference.answered} both answered`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The JSON report: `samples`, `finetuned`, `baseline` (means in 0..1) and `records`. */
export function jsonReport(report: EvaluationReport): string {
  const means = (s: MeanScores) => ({ rouge1: s.rouge1, rouge2: s.rouge2, rougeL: s.rougeL });
  return `${JSON.stringify(
    {
      samples: report.samples,
      finetuned: means(report.finetuned),
      ...(report.baseline ? { baseline: means(report.baseline) } : {}),
      ...(report.difference
        ? { difference: { ...means(report.difference), samples: report.difference.answered } }
        : {}),
      records: report.records.map((r) => ({
        prompt: r.prompt,
        reference: r.reference,
        answers: {
          finetuned: r.finetuned.answer ?? null,
          ...(r.baseline ? { baseline: r.baseline.answer ?? null } : {}),
        },
        scores: {
          finetuned: r.finetuned.scores ?? null,
          ...(r.baseline ? { baseline: r.baseline.scores ?? null } : {}),
        },
        ...(r.finetuned.failure || r.baseline?.failure
          ? { errors: { finetuned: r.finetuned.failure, baseline: r.baseline?.failure } }
          : {}),
      })),
    },
    null,
    2,
  )}\n`;
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A self-contained HTML report: a bar chart of the mean scores and the walkthrough's side-by-side table. */
export function htmlReport(report: EvaluationReport): string {
  const series = [
    { name: 'fine-tuned', scores: report.finetuned, color: '#2b6cb0' },
    ...(report.baseline ? [{ name: 'base', scores: report.baseline, color: '#a0aec0' }] : []),
  ];
  const barWidth = 36;
  const bars = METRICS.flatMap((m, i) =>
    series.map((s, j) => {
      const x = 40 + i * (series.length * barWidth + 40) + j * barWidth;
      const h = Math.round(s.scores[m] * 200);
      return (
        `<rect x="${x}" y="${220 - h}" width="${barWidth - 4}" height="${h}" fill="${s.color}"><title>${s.name} ${m} ${s.scores[m].toFixed(4)}</title></rect>` +
        `<text x="${x + barWidth / 2 - 2}" y="${215 - h}" font-size="11" text-anchor="middle">${s.scores[m].toFixed(3)}</text>`
      );
    }),
  );
  const labels = METRICS.map(
    (m, i) =>
      `<text x="${40 + i * (series.length * barWidth + 40) + (series.length * barWidth) / 2}" y="240" font-size="13" text-anchor="middle">${m}</text>`,
  );
  const legend = series.map(
    (s, j) =>
      `<rect x="${40 + j * 110}" y="255" width="12" height="12" fill="${s.color}"/><text x="${58 + j * 110}" y="266" font-size="12">${s.name}</text>`,
  );
  const cell = (a?: { answer?: string; failure?: string; scores?: { rougeL: number } }) =>
    a === undefined
      ? ''
      : `<td>${escape(a.answer ?? `(no answer: ${a.failure ?? 'unknown'})`)}${a.scores ? `<br><small>ROUGE-L ${a.scores.rougeL.toFixed(3)}</small>` : ''}</td>`;
  const rows = report.records.map(
    (r) =>
      `<tr><td>${escape(r.prompt)}</td><td>${escape(r.reference)}</td>${cell(r.baseline)}${cell(r.finetuned)}</tr>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fine-tuned vs base model: ROUGE on ${report.samples} held-out samples</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:6px;vertical-align:top;white-space:pre-wrap;max-width:28em}th{background:#f4f4f4}</style></head>
<body><h1>ROUGE F1 on ${report.samples} held-out samples</h1>
<svg width="${60 + METRICS.length * (series.length * barWidth + 40)}" height="280" role="img" aria-label="mean ROUGE scores">${bars.join('')}${labels.join('')}${legend.join('')}</svg>
<pre>${escape(scoreTable(report))}</pre>
<table><tr><th>Prompt</th><th>Ground truth</th>${report.baseline ? '<th>Base model</th>' : ''}<th>Fine-tuned model</th></tr>
${rows.join('\n')}
</table></body></html>
`;
}
