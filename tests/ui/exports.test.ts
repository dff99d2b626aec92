import { describe, expect, it } from 'vitest';
import { mapLegend, mapSentence } from '../../src/explain/legend.ts';
import { escapeXml } from '../../src/render/svg.ts';
import { fileStem, mapSvg } from '../../src/ui/exports.ts';
import { overlappingPairs, textBoxes } from '../helpers/svgBoxes.ts';
import { xmlWellFormedError } from '../helpers/xmlWellFormed.ts';
import { sparseParityReport } from './sampleReport.ts';

describe('exported map', () => {
  const report = sparseParityReport();

  it('holds a title, the one-sentence summary, the map and its legend, as one well-formed SVG', () => {
    const svg = mapSvg(report, { name: 'Class <3> & "friends"' });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="1000" height="\d+"/);
    expect(xmlWellFormedError(svg)).toBeNull();
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    const all = texts.join(' ');
    expect(texts[0]).toBe(escapeXml('Training map of Class <3> & "friends" (linear, K = 6)'));
    expect(all).toContain(escapeXml(mapSentence(report)));
    for (const e of mapLegend(report).entries) expect(all).toContain(escapeXml(e.text));
    // The chart itself, nested at its place: every state's number and every arrow's label.
    expect(svg.match(/<svg /g)).toHaveLength(2);
    for (const n of report.map.nodes.filter((x) => x.runs > 0)) expect(texts).toContain(String(n.state));
    expect(texts.filter((t) => t === '40 · 100%').length).toBe(report.map.edges.length + 1); // + the legend's example
  });

  it('no text of the export overlaps another', () => {
    for (const width of [700, 1000]) {
      const boxes = textBoxes(mapSvg(report, { width }));
      expect(
        overlappingPairs(boxes).map(([a, b]) => `${a.text} / ${b.text}`),
        `${width}`,
      ).toEqual([]);
    }
  });

  it('file names from titles', () => {
    expect(fileStem('Sparse parity: 40 seeds!')).toBe('sparse-parity-40-seeds');
    expect(fileStem('***')).toBe('trainmap');
  });
});
