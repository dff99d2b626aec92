import { describe, expect, it } from 'vitest';
import { shippedAnalysisFits } from '../../src/ui/sample.ts';
import { analysisOptionsOf, setupFromLink } from '../../src/ui/setup.ts';
import { sparseParitySample } from './sampleReport.ts';

describe('a sample opens on its shipped analysis only when that is what the page asks for', () => {
  const { report } = sparseParitySample();
  const options = (link: string) => analysisOptionsOf(setupFromLink(link));

  it('a plain link, or one that sets what the shipped analysis used, keeps the shipped analysis', () => {
    expect(shippedAnalysisFits(report, options(''))).toBe(true);
    expect(shippedAnalysisFits(report, options(`?k-max=${report.settings.kMax}&v=1`))).toBe(true);
  });

  it('analysis settings that differ from the shipped ones ask for an analysis at once', () => {
    expect(shippedAnalysisFits(report, options('?k-max=2&v=1'))).toBe(false);
    expect(shippedAnalysisFits(report, options('?states=3&v=1'))).toBe(false);
    expect(shippedAnalysisFits(report, { threshold: 0.5 })).toBe(false);
  });
});
