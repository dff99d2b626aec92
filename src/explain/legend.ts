/**
 * What the map's marks mean, as data built from one report: a title, a one-sentence summary, the legend's entries
 * and the examples it draws (the smallest and largest node, the thinnest and widest arrow, an arrow label of this
 * map, every state's colour with its words). The page's panel, its exported PNG/SVG and the CLI figure draw the same
 * model; none of them writes the words again.
 */
import type { AnalysisReport } from '../analysis/index.ts';
import { safeText } from '../io/safeText.ts';
import { colorOfState } from '../render/stateColor.ts';
import type { TermId } from './glossary.ts';
import { describeStates } from './stateWords.ts';
import { edgeSupport, kRange, measuredStability, percent, supportBasis, verdictSupport } from './support.ts';

export type LegendMark =
  'position' | 'size' | 'width' | 'edge-label' | 'weak-edge' | 'ghost-edge' | 'detour' | 'colour' | 'path';

export interface LegendEntry {
  mark: LegendMark;
  text: string;
  /** Glossary terms the entry uses. */
  terms: TermId[];
}

export interface StateKey {
  state: number;
  color: string;
  detour: boolean;
  /** The state's plain words ("weights shrink"). */
  words: string;
}

export interface MapLegend {
  title: string;
  summary: string;
  entries: LegendEntry[];
  /** The smallest and largest occupancy drawn (one when they are equal), with their text ("7.7%"). */
  sizes: { occupancy: number; text: string }[];
  /** The fewest and most runs on an arrow, and the most (widths are relative to it). */
  widths: { runs: number[]; maxRuns: number };
  /** The label of this map's busiest arrow, as the example. */
  edgeExample: string | null;
  states: StateKey[];
}

export interface LegendOptions {
  /** Names the data in the title (a session, a group, a file). */
  name?: string;
  /** The figure draws other fits' arrows (grey, dotted); the page does not. */
  ghostEdges?: boolean;
  /** The page can light one run's path. */
  selectablePath?: boolean;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "1, 2 and 3". */
export function listWords(items: readonly (string | number)[]): string {
  const s = items.map(String);
  return s.length <= 1 ? (s[0] ?? '') : `${s.slice(0, -1).join(', ')} and ${s.at(-1)}`;
}

/** An arrow's label on the map: runs, and the share of fits that have it when that was measured. */
export function edgeLabelText(runs: number, support: number | undefined): string {
  return support === undefined ? String(runs) : `${runs} · ${percent(support)}`;
}

/** The title; without a name, the data's group when all runs share one. */
export function mapTitle(report: AnalysisReport, name?: string): string {
  const groups = new Set(report.runs.map((r) => r.group));
  const named = name ?? (groups.size === 1 ? [...groups][0] : '');
  const what = named ? `Training map of ${safeText(named, 80)}` : 'Training map';
  return `${what} (${report.map.shape}, K = ${report.selection.chosenK})`;
}

/** States with arrows to two or more others: where runs part ways. */
export function forkStates(report: AnalysisReport): number[] {
  const out = new Map<number, number>();
  for (const e of report.map.edges) out.set(e.from, (out.get(e.from) ?? 0) + 1);
  return [...out].filter(([, n]) => n >= 2).map(([s]) => s);
}

/** The map in one sentence: runs, states, the shape, detours and how many fits agree. */
export function mapSentence(report: AnalysisReport): string {
  const runs = report.runs.filter((r) => r.included).length;
  const states = report.map.nodes.filter((n) => n.runs > 0).length;
  const parts: string[] = [];
  if (report.map.shape === 'linear') {
    const order = report.map.order ? ` (${report.map.order.join(' → ')})` : '';
    parts.push(
      runs === 1
        ? `The one run passes through ${plural(states, 'state')}${order}`
        : `All ${runs} runs pass through the same ${plural(states, 'state')} in one order${order}`,
    );
  } else {
    const forks = forkStates(report);
    const at = forks.length ? `, parting at state${forks.length > 1 ? 's' : ''} ${listWords(forks)}` : '';
    parts.push(`${runs} runs take different routes through ${plural(states, 'state')}${at}`);
  }
  if (report.detours.length) {
    const reg = report.regression;
    const caveat = 'skipped' in reg || reg.significant ? '' : ' (the regression is not significant)';
    const d = report.detours;
    parts.push(
      `detour state${d.length > 1 ? 's' : ''} ${listWords(d)} ${d.length > 1 ? 'go' : 'goes'} with later convergence${caveat}`,
    );
  }
  const basis = supportBasis(report);
  const share = verdictSupport(report);
  if (basis && share !== null)
    parts.push(`${percent(share)} of ${plural(basis.fits, 'fit')} (${kRange(basis.ks)}) draw it ${report.map.shape}`);
  return `${parts.join('; ')}.`;
}

export function mapLegend(report: AnalysisReport, options: LegendOptions = {}): MapLegend {
  const visited = report.map.nodes.filter((n) => n.runs > 0);
  const occupancies = visited.map((n) => n.occupancy);
  const lo = Math.min(...occupancies);
  const hi = Math.max(...occupancies);
  const edgeRuns = report.map.edges.map((e) => e.runs);
  const fewest = Math.min(...edgeRuns);
  const most = Math.max(...edgeRuns);
  const runs = report.runs.filter((r) => r.included).length;
  const basis = supportBasis(report);
  const busiest = report.map.edges.reduce<(typeof report.map.edges)[number] | null>(
    (a, e) => (a && a.runs >= e.runs ? a : e),
    null,
  );
  const edgeExample = busiest ? edgeLabelText(busiest.runs, edgeSupport(report, busiest.from, busiest.to)) : null;
  const entries: LegendEntry[] = [
    {
      mark: 'position',
      text: 'Left to right: when runs first reach a state (mean first visit, in checkpoints); the number names the state.',
      terms: ['state', 'mean-first-visit'],
    },
    {
      mark: 'size',
      text: `Circle area: occupancy, the share of all checkpoints in the state (here ${pct1(lo)}${lo === hi ? '' : ` to ${pct1(hi)}`}).`,
      terms: ['occupancy'],
    },
    {
      mark: 'width',
      text: edgeRuns.length
        ? `Arrow width: runs that make the move (here ${fewest === most ? fewest : `${fewest} to ${most}`} of ${runs}).`
        : 'Arrow width: runs that make the move (no run moves between states here).',
      terms: ['transition'],
    },
    {
      mark: 'edge-label',
      text:
        basis && edgeExample
          ? `Arrow label “${edgeExample}”: runs that make the move · share of ${plural(basis.fits, 'fit')} (${kRange(basis.ks)}) whose map has the arrow.`
          : 'Arrow label: runs that make the move.',
      terms: basis ? ['transition', 'support', 'comparable-restarts'] : ['transition'],
    },
  ];
  if (measuredStability(report))
    entries.push({
      mark: 'weak-edge',
      text: 'Faint dashed arrow: fewer than half of those fits have it.',
      terms: ['support'],
    });
  if (options.ghostEdges && measuredStability(report))
    entries.push({
      mark: 'ghost-edge',
      text: 'Grey dotted arrow: an arrow a quarter or more of the other fits have and this one lacks.',
      terms: ['support'],
    });
  entries.push(
    {
      mark: 'detour',
      text: report.detours.length
        ? `Dashed red ring: a detour (state${report.detours.length > 1 ? 's' : ''} ${listWords(report.detours)}): runs that spend time there converge later, and some converged runs skip it.`
        : 'Dashed red ring: a detour state, where runs converge later (none in this map).',
      terms: ['detour'],
    },
    { mark: 'colour', text: 'Colour: one per state, kept when the map is refitted.', terms: ['state'] },
  );
  if (options.selectablePath)
    entries.push({ mark: 'path', text: 'A chosen run’s path is drawn dark; the rest fade.', terms: [] });
  const detours = new Set(report.detours);
  return {
    title: mapTitle(report, options.name),
    summary: mapSentence(report),
    entries,
    sizes: (lo === hi ? [lo] : [lo, hi]).map((o) => ({ occupancy: o, text: pct1(o) })),
    widths: { runs: edgeRuns.length ? (fewest === most ? [most] : [fewest, most]) : [], maxRuns: Math.max(1, most) },
    edgeExample,
    states: describeStates(report).map((d) => ({
      state: d.state,
      color: colorOfState(report, d.state),
      detour: detours.has(d.state),
      words: d.short,
    })),
  };
}

function pct1(share: number): string {
  const p = 100 * share;
  return `${p < 10 ? p.toFixed(1) : Math.round(p)}%`;
}
