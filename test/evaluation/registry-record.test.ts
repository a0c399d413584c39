import { evaluationRecord } from '../../lib/evaluation/registry-record';

const finetuned = { rouge1: 0.5123456, rouge2: 0.25, rougeL: 0.4, answered: 9 };
const baseline = { rouge1: 0.3, rouge2: 0.1, rougeL: 0.2, answered: 10 };
const difference = { rouge1: 0.21, rouge2: 0.15, rougeL: 0.2, answered: 9 };
const at = new Date('2026-12-03T15:00:00Z');

test("the model card's evaluation holds each model's mean ROUGE F1, in the card schema's shape", () => {
  const record = evaluationRecord(
    { samples: 10, finetuned, baseline, difference, records: [] },
    { data: 'holdout/', endpoint: 'ft', baselineEndpoint: 'base', evaluatedAt: at },
  );
  expect(record.ModelCard.ModelCardStatus).toBe('Draft');
  const [evaluation] = JSON.parse(record.ModelCard.ModelCardContent).evaluation_details;
  expect(evaluation.name).toBe('llama3-ft evaluate 2026-12-03');
  expect(evaluation.name.length).toBeLessThanOrEqual(63);
  expect(evaluation.datasets).toEqual(['holdout/']);
  expect(evaluation.evaluation_observation).toContain('9 of 10 held-out sample(s) answered by ft');
  expect(evaluation.evaluation_observation).toContain('compared with the base model on base');
  expect(evaluation.metric_groups.map((g: { name: string }) => g.name)).toEqual([
    'Fine-tuned model',
    'Base model',
    'Fine-tuned minus base',
  ]);
  expect(evaluation.metric_groups[0].metric_data).toEqual([
    { name: 'rouge1 F1', type: 'number', value: 0.5123456 },
    { name: 'rouge2 F1', type: 'number', value: 0.25 },
    { name: 'rougeL F1', type: 'number', value: 0.4 },
  ]);
  expect(record.CustomerMetadataProperties).toEqual({
    'evaluation-date': '2026-12-03T15:00:00.000Z',
    'evaluation-samples': '9',
    'evaluation-data': 'holdout/',
    'evaluation-rouge1': '0.5123',
    'evaluation-rouge1-minus-base': '0.2100',
    'evaluation-rouge2': '0.2500',
    'evaluation-rouge2-minus-base': '0.1500',
    'evaluation-rougeL': '0.4000',
    'evaluation-rougeL-minus-base': '0.2000',
  });
});

test('without a baseline only the fine-tuned scores are recorded', () => {
  const record = evaluationRecord(
    { samples: 9, finetuned, records: [] },
    { data: 'h', endpoint: 'ft', evaluatedAt: at },
  );
  const [evaluation] = JSON.parse(record.ModelCard.ModelCardContent).evaluation_details;
  expect(evaluation.metric_groups).toHaveLength(1);
  expect(evaluation.evaluation_observation).not.toContain('compared');
  expect(Object.keys(record.CustomerMetadataProperties).filter((k) => k.includes('minus'))).toEqual([]);
});

test("a data path is kept within SageMaker's metadata value rules: its characters and 256 at most", () => {
  const data = `/home/me/${'x'.repeat(300)}/held out (v2),final.jsonl`;
  const value = evaluationRecord({ samples: 1, finetuned, records: [] }, { data, endpoint: 'ft', evaluatedAt: at })
    .CustomerMetadataProperties['evaluation-data'];
  expect(value).toMatch(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u);
  expect(value.endsWith('held out _v2__final.jsonl')).toBe(true);
});
