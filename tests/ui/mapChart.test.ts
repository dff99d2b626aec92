import { describe, expect, it } from 'vitest';
import { mapChartData, mapChartOption, mapTooltip } from '../../src/ui/charts/mapChart.ts';
import { placeStates } from '../../src/ui/charts/mapLayout.ts';
import { mapSummaryText } from '../../src/ui/charts/mapSummary.ts';
import { DETOUR_COLOR, stateColor } from '../../src/ui/charts/palette.ts';
import { forkingSample, sparseParitySample } from './sampleReport.ts';

describe('map panel: what the chart is given', () => {
  const { report } = sparseParitySample();

  it('one node per visited state at its mean first visit, sized by occupancy, in its colour', () => {
    const { nodes } = mapChartData(report);
    const visited = report.map.nodes.filter((n) => n.runs > 0);
    expect(nodes.map((n) => n.state).sort()).toEqual(visited.map((n) => n.state).sort());
    for (const n of nodes) {
      const truth = report.map.nodes[n.state];
      expect(n.value[0]).toBe(truth.meanFirstVisit);
      expect(n.itemStyle.color).toBe(stateColor(n.state));
      expect(n.topFeatures).toBe(truth.label);
    }
    const bySize = [...nodes].sort((a, b) => a.symbolSize - b.symbolSize).map((n) => n.occupancy);
    expect(bySize).toEqual([...bySize].sort((a, b) => a - b));
  });

  it('one link per map edge, as wide as its share of runs, labelled with its runs and (on hover) its feature changes', () => {
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
      expect(l.emphasis.label.text).toContain(e.label);
    });
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
    const hostile = mapChartData({
      ...report,
      map: {
        ...report.map,
        nodes: report.map.nodes.map((x) => ({ ...x, topFeatures: [{ feature: '{b}|{a}', importance: 1 }] })),
      },
    });
    expect(hostile.nodes[0].label.formatter()).toContain('{b}|{a}');
    expect(mapTooltip({ dataType: 'node', data: { ...n, topFeatures: '<img src=x onerror=alert(1)>' } })).not.toContain(
      '<img',
    );
  });

  it('the accessible summary states the number of states, the edges, the verdict and the detours', () => {
    expect(mapSummaryText(report)).toBe(
      `6 states over 40 runs. Edges: ${report.map.edges.map((e) => `${e.from}→${e.to} (${e.runs} runs)`).join(', ')}. The map is linear (0 → 1 → 2 → 3 → 4 → 5), supported by ${Math.round(100 * (report.stability as { verdict: { support: number } }).verdict.support)}% of ${(report.stability as { comparable: number }).comparable} comparable restarts; no detour states.`,
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
    const placed = placeStates(fork);
    const span = Math.max(...placed.map((p) => p.x));
    for (const a of placed)
      for (const b of placed) if (a !== b && a.lane === b.lane) expect(Math.abs(a.x - b.x)).toBeGreaterThan(span / 12);
    expect(mapSummaryText(fork)).toMatch(/The map is forking, supported by \d+% of \d+ comparable restarts?; /);
    expect(mapChartOption(fork).series).toHaveLength(1);
  });
});
