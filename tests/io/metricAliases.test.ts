import { describe, expect, it } from 'vitest';
import {
  ALIAS_TABLES,
  aliasesFor,
  AUTHORS_COLUMNS,
  DEFAULT_FEATURES,
  POLYPYTHIAS_COLUMNS,
} from '../../src/io/index.ts';
import { describeRenames } from '../../src/io/metricAliases.ts';

/**
 * The 14 names PolyPythias' MetricExtractor.metrics lists and get_metrics writes after `seed` and `step`
 * (EleutherAI/pythia, polypythias/training-maps/extract_metrics.py at 6fc22995fe4d1c9f17a6961fd31951c4c7efe3ca).
 */
const POLYPYTHIAS_WRITES = [
  'L1',
  'L2',
  'L1/L2',
  'mu_w',
  'median_w',
  'sigma_w',
  'mu_b',
  'median_b',
  'sigma_b',
  'trace',
  'lambda_max',
  'trace/lambda',
  'mu_lambda',
  'sigma_lambda',
];

describe("other tools' metric names", () => {
  it("PolyPythias' table names exactly what their script writes, onto our 14 metrics one to one", () => {
    expect(Object.keys(POLYPYTHIAS_COLUMNS).sort()).toEqual([...POLYPYTHIAS_WRITES].sort());
    expect(Object.values(POLYPYTHIAS_COLUMNS).sort()).toEqual([...DEFAULT_FEATURES].sort());
    const poly = ALIAS_TABLES.find((t) => t.aliases === POLYPYTHIAS_COLUMNS)!;
    for (const d of poly.distinctive) expect(POLYPYTHIAS_WRITES).toContain(d);
  });

  it("the authors' table maps onto our columns, and its distinctive names are theirs", () => {
    const ours = new Set([...DEFAULT_FEATURES, 'step', 'train_loss', 'eval_loss', 'train_acc', 'eval_acc']);
    for (const to of Object.values(AUTHORS_COLUMNS)) expect(ours.has(to)).toBe(true);
    const authors = ALIAS_TABLES.find((t) => t.aliases === AUTHORS_COLUMNS)!;
    for (const d of authors.distinctive) expect(Object.keys(AUTHORS_COLUMNS)).toContain(d);
  });

  it('applies a table only to a header with one of its distinctive names; the accuracies always', () => {
    expect(aliasesFor(['L1', 'L2', 'trace'])).toEqual([]);
    expect(aliasesFor(['L1', 'mu_w']).map((r) => [r.from, r.to])).toEqual([
      ['L1', 'l1'],
      ['mu_w', 'weight_mean'],
    ]);
    expect(aliasesFor(['eval_accuracy', 'loss']).map((r) => [r.from, r.to])).toEqual([['eval_accuracy', 'eval_acc']]);
    expect(describeRenames(aliasesFor(['L1', 'mu_w', 'eval_accuracy']))).toEqual([
      'columns renamed from the names of PolyPythias extract_metrics.py (EleutherAI/pythia): L1 → l1, mu_w → weight_mean',
      "columns renamed from the names of the authors' pipeline (michahu/modeling-training): eval_accuracy → eval_acc",
    ]);
  });
});
