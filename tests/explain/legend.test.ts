import { describe, expect, it } from 'vitest';
import { edgeLabelText, forkStates, mapLegend, mapSentence, mapTitle } from '../../src/explain/legend.ts';
import { TERMS } from '../../src/explain/glossary.ts';
import { DEFAULT_FEATURES } from '../../src/io/index.ts';
import { colorOfState } from '../../src/render/stateColor.ts';
import { mapReport } from '../helpers/mapReports.ts';
import { sparseParityReport } from '../ui/sampleReport.ts';

describe('legend model', () => {
  const report = sparseParityReport();

  it('explains node size, edge width, edge labels, colours and the detour mark, with this map’s own numbers', () => {
    const legend = mapLegend(report);
    const marks = legend.entries.map((e) => e.mark);
    expect(marks).toEqual(['position', 'size', 'width', 'edge-label', 'weak-edge', 'detour', 'colour']);
    const text = (m: string) => legend.entries.find((e) => e.mark === m)!.text;
    const occ = report.map.nodes.filter((n) => n.runs > 0).map((n) => n.occupancy);
    expect(legend.sizes.map((s) => s.occupancy)).toEqual([Math.min(...occ), Math.max(...occ)]);
    expect(text('size')).toBe(
      `Circle area: occupancy, the share of all checkpoints in the state (here ${legend.sizes[0].text} to ${legend.sizes[1].text}).`,
    );
    expect(text('width')).toBe('Arrow width: runs that make the move (here 40 of 40).');
    // The example is this map's busiest arrow, as drawn ("40 · 100%"), and the share names the fits and the K.
    expect(legend.edgeExample).toBe('40 · 100%');
    expect(text('edge-label')).toBe(
      'Arrow label “40 · 100%”: runs that make the move · share of 8 fits (K = 6, 8) whose map has the arrow.',
    );
    expect(text('detour')).toMatch(/none in this map/);
    for (const e of legend.entries) for (const t of e.terms) expect(TERMS[t]).toBeDefined();
    expect(legend.states.map((s) => s.state)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const s of legend.states) {
      expect(s.color).toBe(colorOfState(report, s.state));
      expect(s.words.length).toBeGreaterThan(3);
    }
  });

  it('a title and a one-sentence summary: linear, with the order and how many fits agree', () => {
    expect(mapTitle(report)).toBe('Training map of sparse-parity-paper (linear, K = 6)');
    expect(mapTitle(report, 'my class')).toBe('Training map of my class (linear, K = 6)');
    expect(mapSentence(report)).toBe(
      'All 40 runs pass through the same 6 states in one order (0 → 1 → 2 → 3 → 4 → 5); 61% of 8 fits (K = 6, 8) draw it linear.',
    );
  });

  it('forking, with detours and an unmeasured stability: where runs part, the detours, no support claimed', () => {
    const fork = mapReport({ states: 5, shape: 'forking', features: [...DEFAULT_FEATURES], seed: 3, stability: false });
    const sentence = mapSentence(fork);
    const forks = forkStates(fork);
    expect(forks.length).toBeGreaterThan(0);
    expect(sentence).toMatch(
      new RegExp(`^30 runs take different routes through 5 states, parting at states? ${forks[0]}`),
    );
    expect(sentence).toContain(`detour state${fork.detours.length > 1 ? 's' : ''} ${fork.detours[0]}`);
    expect(sentence).not.toMatch(/fits/);
    expect(sentence.match(/\./g)).toHaveLength(1);
    const legend = mapLegend(fork, { selectablePath: true });
    expect(legend.entries.map((e) => e.mark)).toEqual([
      'position',
      'size',
      'width',
      'edge-label',
      'detour',
      'colour',
      'path',
    ]);
    expect(legend.entries.find((e) => e.mark === 'edge-label')!.text).toBe('Arrow label: runs that make the move.');
    expect(legend.states.filter((s) => s.detour).map((s) => s.state)).toEqual(fork.detours);
    expect(
      mapLegend(mapReport({ states: 5, shape: 'forking', features: [...DEFAULT_FEATURES], seed: 3 }), {
        ghostEdges: true,
      }).entries.map((e) => e.mark),
    ).toContain('ghost-edge');
  });

  it('edge labels: runs, and the support when measured', () => {
    expect(edgeLabelText(36, 1)).toBe('36 · 100%');
    expect(edgeLabelText(12, 0.5)).toBe('12 · 50%');
    expect(edgeLabelText(3, undefined)).toBe('3');
  });
});
