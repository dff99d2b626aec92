import { describe, expect, it } from 'vitest';
import type { AnalysisReport } from '../../src/analysis/index.ts';
import { forkSentence, ReportLog } from '../../src/replay/reportLog.ts';

const report = (shape: 'linear' | 'forking') => ({ map: { shape } }) as unknown as AnalysisReport;

describe('ReportLog', () => {
  it('keeps the map on show per checkpoint count, the newest for a count winning', () => {
    const log = new ReportLog();
    const a = report('linear');
    const b = report('forking');
    log.record(3, a);
    log.record(5, a);
    log.record(5, b);
    expect(log.at(5)).toBe(b);
    expect(log.at(4)).toBeNull();
    expect(log.atOrBefore(4)).toEqual({ checkpoints: 3, report: a });
    expect(log.atOrBefore(2)).toBeNull();
    expect(log.counts()).toEqual([3, 5]);
    log.clear();
    expect(log.counts()).toEqual([]);
  });

  it('says when a fork was first visible, and from when on it stayed', () => {
    const log = new ReportLog();
    const shapes = ['linear', 'linear', 'forking', 'linear', 'forking', 'forking'] as const;
    shapes.forEach((s, i) => log.record(i + 3, report(s)));
    const v = log.forkVisibility(20);
    expect(v).toEqual({ first: 5, steady: 7, total: 20 });
    expect(forkSentence(v)).toBe(
      'The fork was first visible at checkpoint 5 of 20 (and from checkpoint 7 on for good).',
    );
    log.record(9, report('linear'));
    expect(log.forkVisibility(20)).toEqual({ first: 5, steady: null, total: 20 });
    expect(forkSentence({ first: 4, steady: 4, total: 9 })).toBe('The fork was first visible at checkpoint 4 of 9.');
    expect(forkSentence(new ReportLog().forkVisibility(12))).toBe('No fork was visible in 12 checkpoints.');
  });
});
