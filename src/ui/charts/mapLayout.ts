/** Where each visited state sits on the map: x at its mean first visit (in checkpoints), a lane so neighbours do not overlap. */
import type { AnalysisReport } from '../../analysis/index.ts';

export interface PlacedState {
  state: number;
  x: number;
  lane: number;
  /** Node diameter in pixels, by occupancy. */
  size: number;
}

/** Lanes alternate around the middle: 0, +1, −1, +2, −2. */
const LANES = [0, 1, -1, 2, -2];

export function placeStates(report: AnalysisReport): PlacedState[] {
  const nodes = report.map.nodes
    .filter((n) => n.runs > 0)
    .sort((a, b) => a.meanFirstVisit - b.meanFirstVisit || a.state - b.state);
  const span = Math.max(1, ...nodes.map((n) => n.meanFirstVisit));
  // Two states closer than this share no lane.
  const near = span / 12;
  const placed: PlacedState[] = [];
  for (const n of nodes) {
    const lane =
      LANES.find((l) => placed.every((p) => p.lane !== l || Math.abs(p.x - n.meanFirstVisit) > near)) ??
      LANES[placed.length % LANES.length];
    placed.push({ state: n.state, x: n.meanFirstVisit, lane, size: 18 + 46 * Math.sqrt(n.occupancy) });
  }
  return placed;
}
