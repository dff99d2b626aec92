import { describe, expect, it } from 'vitest';
import { analyzeRuns } from '../../src/analysis/index.ts';
import { analysisFigureSvg } from '../../src/render/analysisFigure.ts';
import { escapeXml } from '../../src/render/svg.ts';
import { smallBundle } from '../helpers/bundles.ts';

/** Every opened element is closed in order (the figure must parse as XML). */
function wellFormed(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, closing, tag, selfClosing] = m;
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== tag) return false;
    } else stack.push(tag);
  }
  return stack.length === 0;
}

describe('analysis figure', () => {
  const report = analyzeRuns(smallBundle(), { restarts: 2, kMax: 3, seed: 1 });
  const svg = analysisFigureSvg(report);

  it('draws every visited state, every edge and every run, as well-formed SVG', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(wellFormed(svg)).toBe(true);
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    const visited = report.map.nodes.filter((n) => n.runs > 0).length;
    expect(svg.match(/<circle /g)?.length).toBe(visited);
    expect(svg.match(/marker-end="url\(#arrow\)"/g)?.length).toBe(report.map.edges.length);
    const st = report.stability as Exclude<typeof report.stability, { skipped: string }>;
    expect(svg).toContain(
      `Training map: ${report.map.shape} (support ${Math.round(100 * st.verdict.support)}% of ${st.comparable} fits), K=${report.selection.chosenK}`,
    );
    // Each edge's label carries its support.
    for (const e of report.map.edges)
      expect(svg).toMatch(new RegExp(`${e.runs} runs? · ${Math.round(100 * st.edges.find((x) => x.from === e.from && x.to === e.to)!.support)}%`));
    expect(svg).toContain('Model selection (held-out runs; chosen K=2, lowest BIC)');
    // One black convergence tick per converged run.
    expect(svg.match(/fill="#000"/g)?.length).toBe(report.runs.filter((r) => r.convergence?.converged).length);
  });

  it('draws edges by their support: faint and dashed when few comparable fits have them, grey for edges of other fits', () => {
    const st = report.stability as Exclude<typeof report.stability, { skipped: string }>;
    const [e] = report.map.edges;
    const weak = {
      ...report,
      stability: {
        ...st,
        edges: [
          { from: e.from, to: e.to, support: 0.25, shown: true },
          { from: e.to, to: e.from, support: 0.5, shown: false },
        ],
      },
    };
    const out = analysisFigureSvg(weak);
    expect(wellFormed(out)).toBe(true);
    expect(out).toMatch(/stroke-opacity="0\.35" stroke-width="[\d.]+" stroke-dasharray="6 4"/);
    expect(out).toMatch(/runs? · 25%<\/text>/);
    expect(out).toMatch(/stroke="#999" stroke-width="1" stroke-dasharray="3 3"/);
    expect(out).toContain('>50%</text>');
    const none = analysisFigureSvg({ ...report, stability: { skipped: 'off', kChoice: st.kChoice } });
    expect(none).toContain(`Training map: ${report.map.shape}, K=`);
    expect(none).not.toContain('stroke-dasharray="3 3"');
  });

  it('escapes text', () => {
    expect(escapeXml(`a<b & "c" 'd'>`)).toBe('a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;');
  });
});
