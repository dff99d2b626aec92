import { describe, expect, it } from 'vitest';
import { provenanceLine, shippedAnalysisFits } from '../../src/ui/sample.ts';
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

describe('the provenance line of a sample', () => {
  const entry = (commit: string) =>
    ({
      id: 'x',
      seeds: 2,
      checkpoints: 3,
      provenance: { command: 'trainmap run', commit, machine: 'a laptop', wallSeconds: 90 },
    }) as unknown as Parameters<typeof provenanceLine>[0];

  it('shortens a bare hash and keeps a commit described in words whole', () => {
    expect(provenanceLine(entry('9cc64620a1b2c3d4e5f60718293a4b5c6d7e8f90'))).toContain('(commit 9cc6462)');
    expect(provenanceLine(entry('the classroom branch (5bcd822 … 15485ec)'))).toContain(
      '(commit the classroom branch (5bcd822 … 15485ec))',
    );
  });
});
