/**
 * The caveats of an analysis as the page lists them and the CLI prints them: the analysis's own sentence (one
 * text function for both, so they say the same words), a short heading, the glossary term that explains it in one
 * line, and what the reader can do about it (a K at the top of the searched range: raise k-max and refit).
 * docs/method.md §13.8.
 */
import { caveatsOf, type AnalysisReport, type AnalysisWarning, type CaveatKind } from '../analysis/index.ts';
import { raisedKMax } from '../analysis/caveats.ts';
import { safeText } from '../io/safeText.ts';
import { ANALYSIS_SETTINGS } from '../settings/analysis.ts';
import type { TermId } from './glossary.ts';

/** The largest k-max the settings table takes. */
const K_MAX_LIMIT = ANALYSIS_SETTINGS.find((s) => s.name === 'k-max')!.max!;

export interface Caveat {
  kind: CaveatKind;
  /** A few words naming the caveat. */
  heading: string;
  /** The analysis's sentence about it, escaped and cut: what the CLI prints and the page shows. */
  text: string;
  /** The glossary term whose line explains it. */
  term: TermId;
  /** A k-max to raise to and refit with, for a K chosen at the top of the searched range. */
  raiseKMax?: number;
}

const ABOUT: Record<CaveatKind, { heading: string; term: TermId }> = {
  'degenerate-replaced': { heading: 'Degenerate best restart replaced', term: 'degenerate' },
  'degenerate-fit': { heading: 'Degenerate fit shown', term: 'degenerate' },
  'indistinguishable-k': { heading: 'Indistinguishable K', term: 'indistinguishable-k' },
  'k-at-top': { heading: 'K at the top of the searched range', term: 'K' },
  'few-held-out': { heading: 'Too few held-out runs', term: 'held-out' },
  'regression-not-significant': { heading: 'Regression not significant', term: 'f-test-p' },
};

/** One caveat's sentence as both the page and the terminal write it. */
export function caveatText(warning: AnalysisWarning): string {
  return safeText(warning.message, 400);
}

/** Every caveat of a report, in the analysis's order. */
export function caveatList(report: Pick<AnalysisReport, 'warnings' | 'settings'>): Caveat[] {
  return caveatsOf(report).map((w) => {
    const kind = w.kind as CaveatKind;
    const raise =
      kind === 'k-at-top' && report.settings.kMax < K_MAX_LIMIT
        ? { raiseKMax: Math.min(K_MAX_LIMIT, raisedKMax(report.settings.kMax)) }
        : {};
    return { kind, ...ABOUT[kind], text: caveatText(w), ...raise };
  });
}
