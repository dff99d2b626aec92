/**
 * The caveats of an analysis (what qualifies how far its map can be trusted), as structured warnings: the kinds
 * are listed in CAVEAT_KINDS, each carries the numbers it is about, and its sentence says what to do. The CLI
 * prints the same entries the exported analysis holds.
 */
import { ANALYSIS_DEFAULTS } from './defaults.ts';
import type { AnalysisSettings, AnalysisWarning } from './analysisReport.ts';
import type { BagOfStatesRegression } from './bagOfStates.ts';
import { describeFinding, type DegenerateFinding } from './hmm/degeneracy.ts';
import type { RestartGuard } from './selection.ts';
import { formatKs, type PlausibleK } from './supportAcrossK.ts';

const perCp = (x: number) => `${x.toFixed(3)} nats per held-out checkpoint`;

/** Too few held-out runs for model selection to be trusted. */
export function fewHeldOutCaveat(included: number, heldOut: number): AnalysisWarning[] {
  if (heldOut >= 4) return [];
  return [
    {
      kind: 'few-held-out',
      heldOutRuns: heldOut,
      message: `only ${included} runs (${heldOut} held out): model selection is unreliable with so few held-out runs and tends to choose few states; the paper used 40 runs`,
    },
  ];
}

/** The k-max a K at the top of the searched range suggests trying next. */
export const raisedKMax = (kMax: number): number => kMax + 4;

/** K chosen at the top of the searched range: a larger K was never tried. */
export function kAtTopCaveat(chosenK: number, settings: AnalysisSettings): AnalysisWarning[] {
  if (settings.states !== 'auto' || chosenK !== settings.kMax || settings.kMax <= settings.kMin) return [];
  return [
    {
      kind: 'k-at-top',
      k: chosenK,
      message: `K=${chosenK} is the top of the searched range (k-max ${settings.kMax}): a larger K may fit better; raise k-max (--k-max ${raisedKMax(settings.kMax)}) to find out`,
    },
  ];
}

/** Other Ks the data cannot tell from the chosen one; the supports count fits at every one of them. */
export function indistinguishableKCaveat(chosenK: number, plausible: readonly PlausibleK[]): AnalysisWarning[] {
  const others = plausible.filter((p) => !p.chosen);
  if (others.length === 0) return [];
  const ks = plausible.map((p) => p.k).sort((a, b) => a - b);
  return [
    {
      kind: 'indistinguishable-k',
      k: chosenK,
      ks,
      message: `K = ${formatKs(ks)} are indistinguishable here (${others.map((p) => `K=${p.k}: ${p.reasons.join('; ')}`).join('; ')}); the map is drawn at K=${chosenK}, and its supports count the comparable fits at every one of these K`,
    },
  ];
}

export function regressionCaveat(regression: BagOfStatesRegression | { skipped: string }): AnalysisWarning[] {
  if ('skipped' in regression || regression.significant || !Number.isFinite(regression.fPValue)) return [];
  return [
    {
      kind: 'regression-not-significant',
      pValue: regression.fPValue,
      message: `the regression of convergence time on state occupancy is not significant (F-test p = ${regression.fPValue.toPrecision(2)} ≥ 0.05): do not read its coefficients, and treat the detours as unproven`,
    },
  ];
}

/** What the degeneracy guard found and did at the chosen K, in the shown numbering (method.md §13.4). */
export function degeneracyCaveats(
  k: number,
  shownFindings: readonly DegenerateFinding[],
  guard: RestartGuard | undefined,
  options: { comparableWithin?: number; avoidDegenerate?: boolean },
): AnalysisWarning[] {
  const out: AnalysisWarning[] = [];
  const within = options.comparableWithin ?? ANALYSIS_DEFAULTS.comparableWithin;
  if (guard?.action === 'avoided') {
    out.push({
      kind: 'degenerate-replaced',
      k,
      restart: guard.degenerateRestart,
      replacedBy: guard.usedRestart,
      message: `K=${k}: the restart with the best held-out likelihood (restart ${guard.degenerateRestart}) is degenerate (${guard.findings.map(describeFinding).join('; ')}, in its own numbering); restart ${guard.usedRestart}, ${perCp(guard.gapPerCheckpoint!)} below it and without degenerate states, is shown instead`,
    });
  }
  for (const f of shownFindings) {
    const why = !(options.avoidDegenerate ?? ANALYSIS_DEFAULTS.avoidDegenerate)
      ? 'the guard against degenerate fits is off (--avoid-degenerate false)'
      : guard?.cleanRestart !== undefined
        ? `the best restart without degenerate states (restart ${guard.cleanRestart}) is ${perCp(guard.gapPerCheckpoint!)} worse, beyond the ${perCp(within)} tolerance, so this fit is kept`
        : `every restart at K=${k} has degenerate states`;
    out.push({
      kind: 'degenerate-fit',
      k,
      ...(f.states.length === 1 ? { state: f.states[0] } : { states: f.states }),
      message: `the shown fit is degenerate: ${describeFinding(f)}; ${why} — read these states as an artifact of the fit, not a phase of training`,
    });
  }
  return out;
}
