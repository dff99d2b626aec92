/**
 * The map on show at every checkpoint count of a replay. Scrubbing back shows the map that was on show there, and
 * scrubbing forward again shows the same one (a refit from a different history could draw another); and from the
 * sequence of maps comes the moment a fork became visible.
 */
import type { AnalysisReport } from '../analysis/index.ts';

export interface ForkVisibility {
  /** The first checkpoint count whose map forked (null: none did). */
  first: number | null;
  /** The first count from which every later map forked too (null: the last map is not forking). */
  steady: number | null;
  total: number;
}

export class ReportLog {
  private readonly byCount = new Map<number, AnalysisReport>();

  /** The report on show once `checkpoints` were fed (a newer one for the same count replaces it). */
  record(checkpoints: number, report: AnalysisReport): void {
    this.byCount.set(checkpoints, report);
  }

  /** The report on show at exactly this count, if the replay has been there. */
  at(checkpoints: number): AnalysisReport | null {
    return this.byCount.get(checkpoints) ?? null;
  }

  /** The latest report at or before this count (what to show while a refit for it runs). */
  atOrBefore(checkpoints: number): { checkpoints: number; report: AnalysisReport } | null {
    let best = -1;
    for (const n of this.byCount.keys()) if (n <= checkpoints && n > best) best = n;
    return best < 0 ? null : { checkpoints: best, report: this.byCount.get(best)! };
  }

  counts(): number[] {
    return [...this.byCount.keys()].sort((a, b) => a - b);
  }

  clear(): void {
    this.byCount.clear();
  }

  forkVisibility(total: number): ForkVisibility {
    const counts = this.counts();
    const forks = counts.map((n) => this.byCount.get(n)!.map.shape === 'forking');
    const firstIndex = forks.indexOf(true);
    let steadyIndex: number | null = null;
    for (let i = counts.length - 1; i >= 0 && forks[i]; i--) steadyIndex = i;
    return {
      first: firstIndex < 0 ? null : counts[firstIndex],
      steady: steadyIndex === null ? null : counts[steadyIndex],
      total,
    };
  }
}

/** The sentence the lab shows about it. */
export function forkSentence(v: ForkVisibility): string {
  if (v.first === null) return `No fork was visible in ${v.total} checkpoints.`;
  const steady = v.steady !== null && v.steady !== v.first ? ` (and from checkpoint ${v.steady} on for good)` : '';
  return `The fork was first visible at checkpoint ${v.first} of ${v.total}${steady}.`;
}
