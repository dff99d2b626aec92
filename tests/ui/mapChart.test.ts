import { describe, expect, it } from 'vitest';
import { mapChartData, mapChartOption, mapTooltip } from '../../src/ui/charts/mapChart.ts';
import { mapSummaryText } from '../../src/ui/charts/mapSummary.ts';
import { DEFAULT_FEATURES } from '../../src/io/index.ts';
import { DETOUR_COLOR, stateColor } from '../../src/ui/charts/palette.ts';
import { mapReportSet } from '../helpers/mapReports.ts';
import { overlappingPairs, renderSvg, textBoxes } from '../helpers/svgBoxes.ts';
import { forkingSample, sparseParitySample } from './sampleReport.ts';

describe('map panel: what the chart is given', () => {
  const { report } = sparseParitySample();

  it('one node per visited state at its mean first visit, sized by occupancy, in its colour, numbered, in words', () => {
    const { nodes } = mapChartData(report);
    const visited = report.map.nodes.filter((n) => n.runs > 0);
    expect(nodes.map((n) => n.state).sort()).toEqual(visited.map((n) => n.state).sort());
    for (const n of nodes) {
      const truth = report.map.nodes[n.state];
      expect(n.value[0]).toBeCloseTo(truth.meanFirstVisit, 9);
      expect(n.label.text).toBe(String(n.state));
      expect(n.words.length).toBeGreaterThan(5);
      expect(n.itemStyle.color).toBe(stateColor(n.state));
      expect(n.topFeatures).toBe(truth.label);
    }
    const bySize = [...nodes].sort((a, b) => a.symbolSize - b.symbolSize).map((n) => n.occupancy);
    expect(bySize).toEqual([...bySize].sort((a, b) => a - b));
  });

  it('one link per map edge, as wide as its share of runs, labelled with its runs and support in the label layer', () => {
    const { links } = mapChartData(report);
    expect(links.map((l) => `${l.from}>${l.to}`)).toEqual(report.map.edges.map((e) => `${e.from}>${e.to}`));
    const maxRuns = Math.max(...report.map.edges.map((e) => e.runs));
    links.forEach((l, i) => {
      const e = report.map.edges[i];
      expect(l.lineStyle.width).toBeCloseTo(1 + 7 * (e.runs / maxRuns));
      // With the stability measured, each edge also says how many comparable restarts have it.
      const support = (report.stability as { edges: { from: number; to: number; support: number }[] }).edges.find(
        (x) => x.from === e.from && x.to === e.to,
      )!.support;
      expect(l.support).toBe(support);
      expect(l.label.text).toBe(`${e.runs} · ${Math.round(100 * support)}%`);
      expect(l.label.formatter()).toBe(l.label.text);
      expect(l.change).toBe(e.label);
    });
    // The graph draws no label of its own on an arrow: the label layer holds them, where the layout put them.
    const { labels } = mapChartData(report);
    for (const l of links) expect(labels.find((x) => x.id === `S${l.from}>S${l.to}`)?.text).toBe(l.label.text);
  });

  it("lights a selected run's path and dims the rest", () => {
    const run = report.runs.find((r) => r.included)!;
    const { links, nodes } = mapChartData(report, { selectedRun: run.key });
    const visited = new Set(run.path);
    for (const l of links)
      expect(l.onPath).toBe(
        visited.has(l.from) &&
          visited.has(l.to) &&
          run.path!.some((s, t) => t > 0 && run.path![t - 1] === l.from && s === l.to),
      );
    expect(links.filter((l) => l.onPath).every((l) => l.lineStyle.opacity === 1)).toBe(true);
    expect(nodes.filter((n) => !visited.has(n.state)).every((n) => n.itemStyle.opacity === 0.3)).toBe(true);
  });

  it('hovering a state shows its top features and its runs; hovering an edge what changes along it', () => {
    const { nodes, links } = mapChartData(report);
    const n = nodes[0];
    const tip = mapTooltip({ dataType: 'node', data: n });
    expect(tip).toContain(`state ${n.state}`);
    expect(tip).toContain(report.map.nodes[n.state].label);
    expect(n.visitors).toHaveLength(report.map.nodes[n.state].runs);
    expect(tip).toContain(n.visitors[0]);
    expect(mapTooltip({ dataType: 'edge', data: links[0] })).toContain(report.map.edges[0].label);
    // Names from imported files are text, never markup: not HTML in the tooltip, not a template in a label.
    const hostile = mapChartData({ ...report, features: report.features.map((_, i) => `{b}|{a}${i}`) });
    expect(hostile.labels.some((l) => l.label.formatter().includes('{b}|{a}'))).toBe(true);
    expect(mapTooltip({ dataType: 'node', data: { ...n, topFeatures: '<img src=x onerror=alert(1)>' } })).not.toContain(
      '<img',
    );
  });

  it('the accessible summary states the number of states, the edges, the verdict and the detours', () => {
    expect(mapSummaryText(report)).toBe(
      `6 states over 40 runs. Edges: ${report.map.edges.map((e) => `${e.from}→${e.to} (${e.runs} runs)`).join(', ')}. The map is linear (0 → 1 → 2 → 3 → 4 → 5), supported by 61% of 8 fits, K = 6, 8; no detour states.`,
    );
  });

  it('a forking map with a detour: the detour is ringed and named, states that first appear together get separate lanes', () => {
    const { report: fork } = forkingSample();
    expect(fork.map.shape).toBe('forking');
    expect(fork.detours.length).toBeGreaterThan(0);
    const { nodes } = mapChartData(fork);
    for (const n of nodes) {
      expect(n.detour).toBe(fork.detours.includes(n.state));
      if (n.detour) expect(n.itemStyle.borderColor).toBe(DETOUR_COLOR);
    }
    const lanes = new Set(nodes.map((n) => n.value[1]));
    expect(lanes.size).toBeGreaterThan(1);
    expect(mapSummaryText(fork)).toMatch(/The map is forking, supported by \d+% of \d+ fits?, K = 4; /);
    expect(mapChartOption(fork).series).toHaveLength(2);
  });

  it('server-rendered at phone, panel and export sizes: no text of the chart overlaps another or covers a state', async () => {
    const { report: fork } = forkingSample();
    const reports = [
      { name: 'sparse-parity', report },
      { name: 'synthetic-forking', report: fork },
      ...mapReportSet(DEFAULT_FEATURES),
    ];
    for (const { name, report: r } of reports)
      for (const [width, height] of [
        [360, 300],
        [720, 340],
        [1000, 400],
      ]) {
        const { nodes, layout } = mapChartData(r, { width, height });
        const svg = await renderSvg(mapChartOption(r, { width, height }), width, height);
        const boxes = textBoxes(svg);
        // Each state's number is drawn where the layout put the state (to a pixel), so the layout's circles are the chart's.
        for (const n of layout.nodes) {
          const number = boxes.find(
            (b) =>
              b.text === String(n.state) &&
              Math.abs(b.x + b.width / 2 - n.cx) < 1.5 &&
              Math.abs(b.y + b.height / 2 - n.cy) < 1.5,
          );
          expect(number, `${name} ${width}: state ${n.state}`).toBeDefined();
        }
        expect(
          overlappingPairs(boxes).map(([a, b]) => `${a.text} / ${b.text}`),
          `${name} ${width}`,
        ).toEqual([]);
        for (const b of boxes)
          for (const n of layout.nodes) {
            if (b.text === String(n.state) && Math.hypot(b.x + b.width / 2 - n.cx, b.y + b.height / 2 - n.cy) < 2)
              continue;
            const nx = Math.max(b.x, Math.min(n.cx, b.x + b.width));
            const ny = Math.max(b.y, Math.min(n.cy, b.y + b.height));
            expect(
              Math.hypot(nx - n.cx, ny - n.cy),
              `${name} ${width}: "${b.text}" on state ${n.state}`,
            ).toBeGreaterThan(n.r - 1.5);
          }
        expect(nodes).toHaveLength(layout.nodes.length);
      }
  }, 120_000);
});
