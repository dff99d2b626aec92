import { describe, expect, it } from 'vitest';
import { mapLegend, type LegendMark } from '../../src/explain/legend.ts';
import { figureHeader, legendBlock, legendMark, legendMarkDocument, wrapText } from '../../src/render/legendSvg.ts';
import { nodeDiameter } from '../../src/render/mapLayout.ts';
import { textWidth } from '../../src/render/textMeasure.ts';
import { overlappingPairs, textBoxes } from '../helpers/svgBoxes.ts';
import { xmlWellFormedError } from '../helpers/xmlWellFormed.ts';
import { sparseParityReport } from '../ui/sampleReport.ts';

describe('legend drawing', () => {
  const legend = mapLegend(sparseParityReport(), { ghostEdges: true, selectablePath: true });

  it('wraps words to a width, a long word on a line of its own', () => {
    const lines = wrapText('one two three four five six seven', 60, 11);
    expect(lines.join(' ')).toBe('one two three four five six seven');
    for (const l of lines.filter((x) => x.includes(' '))) expect(textWidth(l, 11)).toBeLessThanOrEqual(60);
    expect(wrapText(`a ${'x'.repeat(40)} b`, 50, 11)).toEqual(['a', 'x'.repeat(40), 'b']);
  });

  it('draws every mark as a small well-formed picture; the size mark at the map’s own node sizes', () => {
    const marks: LegendMark[] = [
      'position',
      'size',
      'width',
      'edge-label',
      'weak-edge',
      'ghost-edge',
      'detour',
      'colour',
      'path',
    ];
    for (const m of marks) {
      const doc = legendMarkDocument(m, legend, 0.8);
      expect(xmlWellFormedError(doc.svg), m).toBeNull();
      expect(doc.width).toBeGreaterThan(10);
      expect(doc.height).toBeGreaterThan(10);
    }
    const size = legendMark('size', legend, 0.8).svg;
    for (const s of legend.sizes)
      expect(size).toContain(`r="${Math.round((nodeDiameter(s.occupancy, 0.8) / 2) * 100) / 100}"`);
    expect(legendMark('edge-label', legend).svg).toContain('>40 · 100%</text>');
  });

  it('title, summary and legend wrap inside their width, and none of their text overlaps', () => {
    for (const width of [360, 700, 1068]) {
      const header = figureHeader(legend, 16, 8, width - 32);
      const block = legendBlock(legend, 16, 8 + header.height, width - 32);
      const svg = `<svg xmlns="http://www.w3.org/2000/svg">${header.svg}${block.svg}</svg>`;
      expect(xmlWellFormedError(svg)).toBeNull();
      const boxes = textBoxes(svg);
      expect(
        overlappingPairs(boxes).map(([a, b]) => `${a.text} / ${b.text}`),
        `${width}`,
      ).toEqual([]);
      for (const b of boxes) expect(b.x + b.width, `${width}: ${b.text}`).toBeLessThanOrEqual(width - 16 + 0.5);
      expect(boxes.map((b) => b.text).join(' ')).toContain('How to read the map');
      expect(Math.max(...boxes.map((b) => b.y + b.height))).toBeLessThanOrEqual(8 + header.height + block.height + 1);
    }
  });
});
