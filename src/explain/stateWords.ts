/**
 * Each state in plain words: what changes when runs arrive in it ("weights shrink: L2 norm ↓0.6 SD, weight variance
 * ↓0.4 SD"), from the fitted state means. Features are z-scored per run (docs/method.md §4), so a difference of state
 * means reads in per-run standard deviations, as the map's edge labels do (§8). A state where runs start is described
 * by its level against each run's own average instead.
 */
import type { AnalysisReport } from '../analysis/index.ts';
import { groupWords, metricGroup, metricName } from './glossary.ts';

export interface StateChange {
  feature: string;
  /** Plain name of the feature. */
  name: string;
  /** Change of the state mean (or, for a start state, its level) in per-run SDs. */
  delta: number;
}

export interface StateDescription {
  state: number;
  /** The state most runs arrive from, or null where runs start (described by its level then). */
  from: number | null;
  /** A few words: "weights shrink", "weights shrink, biases rise". */
  headline: string;
  /** The headline's first idea alone, for tight labels. */
  short: string;
  /** The biggest changes, largest first. */
  changes: StateChange[];
  /** The changes as a list: "L2 norm ↓0.6 SD, weight variance ↓0.4 SD". */
  list: string;
  /** Headline and changes: "weights shrink: L2 norm ↓0.6 SD, weight variance ↓0.4 SD". */
  text: string;
  /** A full sentence for summaries and the walkthrough. */
  sentence: string;
}

/** Changes smaller than this (in SDs) are not worth words. */
export const NOTABLE_SD = 0.1;

/** "↓0.6 SD" for a change, "+0.6 SD" for a level. */
export function formatSd(delta: number, level = false): string {
  const size = Math.abs(delta).toFixed(1);
  if (level) return `${delta >= 0 ? '+' : '−'}${size} SD`;
  return `${delta >= 0 ? '↑' : '↓'}${size} SD`;
}

/** The state runs mostly arrive from: the busiest incoming edge, unless more runs start in the state than take it. */
function arrivalState(report: AnalysisReport, state: number): number | null {
  const incoming = report.map.edges.filter((e) => e.to === state);
  if (incoming.length === 0) return null;
  const busiest = incoming.reduce((a, b) => (b.runs > a.runs ? b : a));
  const starts = report.runs.filter((r) => r.path && r.path[0] === state).length;
  return starts >= busiest.runs ? null : busiest.from;
}

/**
 * Groups the changes and names the strongest one or two ideas ("weights shrink, biases rise"). A group whose members
 * move in opposite directions (L1 up, L2 down) has no single verb: its largest member speaks for it by name.
 */
function headlineOf(changes: readonly StateChange[], level: boolean): string[] {
  const groups: { group: string; weight: number; members: StateChange[] }[] = [];
  for (const c of changes) {
    const group = metricGroup(c.feature);
    let g = groups.find((x) => x.group === group);
    if (!g) groups.push((g = { group, weight: 0, members: [] }));
    g.weight += Math.abs(c.delta);
    g.members.push(c);
  }
  groups.sort((a, b) => b.weight - a.weight);
  const picked = groups.filter((g, i) => i === 0 || (i === 1 && g.weight >= 0.5 * groups[0].weight));
  return picked.map((g) => {
    const lead = g.members[0];
    const up = lead.delta >= 0;
    const mixed = g.members.some((m) => m.delta >= 0 !== up);
    if (mixed) return level ? `${up ? 'high' : 'low'} ${lead.name}` : `${lead.name} ${up ? 'rises' : 'falls'}`;
    const words = groupWords(g.group);
    return level ? (up ? words.high : words.low) : up ? words.rise : words.fall;
  });
}

/** Describes one state; `topN` changes at most, each of at least NOTABLE_SD. */
export function describeState(report: AnalysisReport, state: number, topN = 3): StateDescription {
  const means = report.model.params.means;
  const from = arrivalState(report, state);
  const level = from === null;
  const changes: StateChange[] = report.features
    .map((feature, i) => ({
      feature,
      name: metricName(feature),
      delta: level ? means[state][i] : means[state][i] - means[from][i],
    }))
    .filter((c) => Number.isFinite(c.delta) && Math.abs(c.delta) >= NOTABLE_SD)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.feature.localeCompare(b.feature))
    .slice(0, topN);
  const list = changes.map((c) => `${c.name} ${formatSd(c.delta, level)}`).join(', ');
  const parts = changes.length
    ? headlineOf(changes, level)
    : [level ? 'near each run’s average' : `like state ${from}`];
  const headline = parts.join(', ');
  const text = changes.length ? `${headline}: ${list}` : headline;
  const where = level ? `Runs start in state ${state}` : `State ${state}, reached from state ${from}`;
  const detail = changes.length ? ` (${list}${level ? ', against each run’s average' : ''})` : '';
  return { state, from, headline, short: parts[0], changes, list, text, sentence: `${where}: ${headline}${detail}.` };
}

/** Every visited state, in order of mean first visit. */
export function describeStates(report: AnalysisReport, topN = 3): StateDescription[] {
  return report.map.nodes
    .filter((n) => n.runs > 0)
    .sort((a, b) => a.meanFirstVisit - b.meanFirstVisit || a.state - b.state)
    .map((n) => describeState(report, n.state, topN));
}
