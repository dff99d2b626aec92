import { describe, expect, it } from 'vitest';
import type { AnalysisReport } from '../../src/analysis/index.ts';
import { DEFAULT_FEATURES } from '../../src/io/index.ts';
import { rectCircleDepth, rectsOverlap, type Rect } from '../../src/render/labelPlacement.ts';
import { controlPoint, edgeWidth, layoutMap, nodeDiameter, type MapLayout } from '../../src/render/mapLayout.ts';
import { mapReportSet } from '../helpers/mapReports.ts';
import { sparseParityReport } from '../ui/sampleReport.ts';

const SIZES: [number, number][] = [
  [360, 300],
  [720, 340],
  [1100, 360],
];

function laidOut(report: AnalysisReport, width: number, height: number): MapLayout {
  return layoutMap(report, {
    width,
    height,
    margin: { left: 8, right: 8, top: 8, bottom: 44 },
    nodeLabels: (s) => [[`state ${s} in words, fairly long`], [`state ${s}`]],
    edgeLabels: (e) => [[`${e.runs} · 100%`]],
  });
}

const labelsOf = (l: MapLayout): Rect[] => [...l.nodes, ...l.edges].flatMap((x) => (x.label ? [x.label.rect] : []));

describe('map layout', () => {
  const reports = [{ name: 'sparse-parity', report: sparseParityReport() }, ...mapReportSet(DEFAULT_FEATURES)];

  it('no state overlaps another; states sit left to right by mean first visit, inside the plot', () => {
    for (const { name, report } of reports)
      for (const [w, h] of SIZES) {
        const l = laidOut(report, w, h);
        const n = l.nodes;
        expect(
          n.map((x) => x.state).sort((a, b) => a - b),
          name,
        ).toEqual(report.map.nodes.filter((x) => x.runs > 0).map((x) => x.state));
        for (let i = 0; i < n.length; i++) {
          expect(n[i].cx - n[i].r, name).toBeGreaterThanOrEqual(l.plot.x);
          expect(n[i].cx + n[i].r, name).toBeLessThanOrEqual(l.plot.x + l.plot.width);
          expect(n[i].cy - n[i].r, name).toBeGreaterThanOrEqual(l.plot.y);
          expect(n[i].cy + n[i].r, name).toBeLessThanOrEqual(l.plot.y + l.plot.height);
          for (let j = i + 1; j < n.length; j++) {
            expect(
              Math.hypot(n[i].cx - n[j].cx, n[i].cy - n[j].cy),
              `${name} ${w}: ${n[i].state}/${n[j].state}`,
            ).toBeGreaterThan(n[i].r + n[j].r);
            if (n[i].firstVisit < n[j].firstVisit) expect(n[i].cx).toBeLessThan(n[j].cx);
          }
        }
      }
  });

  it('no label covers a state or another label, and every label stays on the chart', () => {
    for (const { name, report } of reports)
      for (const [w, h] of SIZES) {
        const l = laidOut(report, w, h);
        const labels = labelsOf(l);
        for (const [i, a] of labels.entries()) {
          expect(a.x, name).toBeGreaterThanOrEqual(0);
          expect(a.x + a.width, name).toBeLessThanOrEqual(w);
          expect(a.y, name).toBeGreaterThanOrEqual(0);
          expect(a.y + a.height, name).toBeLessThanOrEqual(l.plot.y + l.plot.height);
          for (const n of l.nodes) expect(rectCircleDepth(a, { cx: n.cx, cy: n.cy, r: n.r }), `${name} ${w}`).toBe(0);
          for (const b of labels.slice(i + 1)) expect(rectsOverlap(a, b), `${name} ${w}`).toBe(false);
        }
        // Labels left out are named, and each label either is drawn or is named as left out.
        const drawn = l.edges.filter((e) => e.label).length + l.nodes.filter((n) => n.label).length;
        expect(drawn + l.hidden.length, name).toBe(l.edges.length + l.nodes.length);
      }
  });

  it('at the page’s usual width every label of the shipped map and of mid-sized sampled maps finds a spot', () => {
    for (const { name, report } of reports.filter((r) => r.report.map.nodes.length <= 9))
      expect(laidOut(report, 720, 340).hidden, name).toEqual([]);
    expect(laidOut(sparseParityReport(), 360, 300).hidden).toEqual([]);
  });

  it('an arrow bends around a state in its way; a pair j→k, k→j shares a curveness (so ECharts bends them apart)', () => {
    const report = sparseParityReport();
    // A skip from the first to the last state of the chain runs straight through the states in between unless bent.
    const skip = { ...report.map.edges[0], from: 0, to: 5 };
    const back = { ...report.map.edges[0], from: 5, to: 0 };
    const l = laidOut({ ...report, map: { ...report.map, edges: [...report.map.edges, skip, back] } }, 720, 340);
    const laidSkip = l.edges.find((e) => e.from === 0 && e.to === 5)!;
    const laidBack = l.edges.find((e) => e.from === 5 && e.to === 0)!;
    expect(laidSkip.curveness).toBe(laidBack.curveness);
    expect(Math.abs(laidSkip.curveness)).toBeGreaterThanOrEqual(0.2);
    for (const n of l.nodes.filter((x) => x.state !== 0 && x.state !== 5))
      for (let t = 0.05; t < 1; t += 0.05) {
        const { start: a, control: c, end: b } = laidSkip;
        const p = {
          x: (1 - t) ** 2 * a.x + 2 * (1 - t) * t * c.x + t * t * b.x,
          y: (1 - t) ** 2 * a.y + 2 * (1 - t) * t * c.y + t * t * b.y,
        };
        expect(Math.hypot(p.x - n.cx, p.y - n.cy)).toBeGreaterThan(n.r);
      }
    expect(controlPoint({ x: 0, y: 0 }, { x: 10, y: 0 }, 0.5)).toEqual({ x: 5, y: -5 });
  });

  it('sizes: area by occupancy, never too small for the number; widths relative to the busiest arrow', () => {
    expect(nodeDiameter(0)).toBe(18);
    expect(nodeDiameter(1)).toBe(64);
    expect(nodeDiameter(0.25, 0.5)).toBe(20.5);
    expect(nodeDiameter(0, 0.55)).toBe(18);
    expect(edgeWidth(10, 10)).toBe(8);
    expect(edgeWidth(5, 10)).toBe(4.5);
  });
});
