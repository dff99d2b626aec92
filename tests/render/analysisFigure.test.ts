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
    expect(svg).toContain(`Training map: ${report.map.shape}, K=${report.selection.chosenK}`);
    expect(svg).toContain('Model selection (held-out runs; chosen K=2, lowest BIC)');
    // One black convergence tick per converged run.
    expect(svg.match(/fill="#000"/g)?.length).toBe(report.runs.filter((r) => r.convergence?.converged).length);
  });

  it('escapes text', () => {
    expect(escapeXml(`a<b & "c" 'd'>`)).toBe('a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;');
  });
});
