import { describe, expect, it } from 'vitest';
import {
  explainTerm,
  groupWords,
  metricGroup,
  metricLine,
  metricName,
  METRICS,
  TERMS,
  type TermId,
} from '../../src/explain/glossary.ts';
import { DEFAULT_FEATURES } from '../../src/io/index.ts';
import { RAW_CONTROL } from '../helpers/controls.ts';

describe('glossary', () => {
  it('has a plain name, a one-line meaning and a group for each of the 14 metrics, and only those', () => {
    expect(Object.keys(METRICS).sort()).toEqual([...DEFAULT_FEATURES].sort());
    for (const f of DEFAULT_FEATURES) {
      const m = METRICS[f];
      expect(m.name.length, f).toBeGreaterThan(2);
      expect(m.name, f).not.toContain('_'); // words, not the column name
      expect(m.line, f).toMatch(/^[A-Z].{20,160}[.:]$/);
      expect(metricName(f)).toBe(m.name);
      expect(metricLine(f)).toBe(m.line);
      const w = groupWords(metricGroup(f));
      expect(new Set([w.rise, w.fall, w.high, w.low]).size, f).toBe(4);
    }
  });

  it('weights grow and shrink with the size metrics; other columns speak for themselves, cut and as text', () => {
    expect(groupWords(metricGroup('l2'))).toMatchObject({ rise: 'weights grow', fall: 'weights shrink' });
    expect(metricGroup('weight_var')).toBe(metricGroup('l1'));
    expect(metricName('grad_norm')).toBe('grad_norm');
    expect(groupWords(metricGroup('grad_norm'))).toEqual({
      rise: 'grad_norm rises',
      fall: 'grad_norm falls',
      high: 'high grad_norm',
      low: 'low grad_norm',
    });
    expect(metricLine('grad_norm')).toMatch(/not one of the 14 weight metrics/);
    const long = metricName('x'.repeat(500));
    expect([...long]).toHaveLength(28);
    expect(long.endsWith('…')).toBe(true);
    expect(metricName('a\u0000b\u001b[31m')).not.toMatch(RAW_CONTROL);
    // Inherited names are no metrics.
    expect(metricName('constructor')).toBe('constructor');
    expect(metricName('__proto__')).toBe('__proto__');
  });

  it('explains every statistical term the issue names in one line', () => {
    const named: TermId[] = [
      'K',
      'held-out-ll',
      'bic',
      'aic',
      'r2',
      'f-test-p',
      'comparable-restarts',
      'occupancy',
      'censored',
      'support',
    ];
    for (const id of Object.keys(TERMS) as TermId[]) {
      const line = explainTerm(id);
      expect(line.startsWith(`${TERMS[id].term}: `)).toBe(true);
      expect(line, id).not.toMatch(/\n/);
      expect(TERMS[id].line.length, id).toBeLessThan(170);
    }
    for (const id of named) expect(TERMS[id]).toBeDefined();
    expect(TERMS.bic.line).toMatch(/lowest/);
    expect(TERMS['f-test-p'].line).toMatch(/0\.05/);
  });
});
