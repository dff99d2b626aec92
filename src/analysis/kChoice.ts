/**
 * How firmly the data choose K. Both criteria (the best restart's BIC, and the authors' mean BIC over
 * restarts) are computed; then the restarts are resampled with replacement within each K, as if other
 * seeds had been drawn, and, when a bootstrap over runs was fitted, its replicates are scored too. A K
 * that wins often enough under that noise is reported as indistinguishable from the chosen one.
 */
import { createRng } from '../numeric/rng.ts';
import { bic } from './hmm/criteria.ts';
import { ANALYSIS_DEFAULTS } from './defaults.ts';
import { argminK, pickRestart, type FitJobResult, type ModelSelection } from './selection.ts';

export interface KWins {
  k: number;
  /** Share of resamples (or replicates) in which this K has the lowest best-restart BIC, and the lowest mean BIC. */
  best: number;
  mean: number;
}

export interface KChoice {
  criterion: 'best' | 'mean';
  chosenK: number;
  byBest: number;
  byMean: number;
  agree: boolean;
  restartResamples: { resamples: number; restartsPerK: number; wins: KWins[] };
  bootstrap?: { replicates: number; restartsPerK: number; wins: KWins[] };
  /** Other K that win at least `share` of the resamples or replicates under the criterion used. */
  indistinguishable: number[];
  share: number;
  note: string;
}

export interface KChoiceOptions {
  seed?: number;
  resamples?: number;
  share?: number;
  comparableWithin?: number;
  avoidDegenerate?: boolean;
  nFeatures: number;
}

type Scored = { k: number; best: number; mean: number };

function scoreK(k: number, fits: readonly FitJobResult[], nHeld: number, o: KChoiceOptions): Scored {
  const ok = fits.filter((r) => Number.isFinite(r.heldOutLogLikelihood));
  const { used } = pickRestart(ok, nHeld, o.comparableWithin, o.avoidDegenerate);
  const bics = ok.map((r) => bic(r.heldOutLogLikelihood, k, o.nFeatures, nHeld));
  return {
    k,
    best: used ? bic(used.heldOutLogLikelihood, k, o.nFeatures, nHeld) : NaN,
    mean: bics.length ? bics.reduce((a, b) => a + b, 0) / bics.length : NaN,
  };
}

function tally(ks: readonly number[], winners: { best?: number; mean?: number }[]): KWins[] {
  const n = Math.max(1, winners.length);
  return ks.map((k) => ({
    k,
    best: winners.filter((w) => w.best === k).length / n,
    mean: winners.filter((w) => w.mean === k).length / n,
  }));
}

function winnersOf(scored: readonly Scored[]): { best?: number; mean?: number } {
  return { best: argminK(scored, (s) => s.best), mean: argminK(scored, (s) => s.mean) };
}

const pct = (x: number) => `${Math.round(100 * x)}%`;

export function assessKChoice(selection: ModelSelection, options: KChoiceOptions): KChoice {
  const seed = options.seed ?? ANALYSIS_DEFAULTS.seed;
  const resamples = options.resamples ?? ANALYSIS_DEFAULTS.restartResamples;
  const share = options.share ?? ANALYSIS_DEFAULTS.indistinguishableShare;
  const nHeld = selection.nHeldOutObservations;
  const rows = selection.rows.filter((r) => Number.isFinite(r.bic));
  const ks = rows.map((r) => r.k);
  const byK = new Map(
    ks.map((k) => [k, selection.results.filter((r) => r.job.k === k && Number.isFinite(r.heldOutLogLikelihood))]),
  );
  const restartsPerK = Math.max(0, ...[...byK.values()].map((v) => v.length));
  const rng = createRng(seed, 'restart-resample');
  const winners: { best?: number; mean?: number }[] = [];
  for (let b = 0; b < resamples; b++) {
    const scored = ks.map((k) => {
      const fits = byK.get(k)!;
      const drawn = fits.map(() => fits[Math.floor(rng.next() * fits.length)]);
      return scoreK(k, drawn, nHeld, options);
    });
    winners.push(winnersOf(scored));
  }
  const restartWins = tally(ks, winners);
  let bootstrap: KChoice['bootstrap'];
  if (selection.bootstrap.length > 0) {
    const replicates = [...new Set(selection.bootstrap.map((r) => r.job.replicate ?? 0))].sort((a, b) => a - b);
    const reps = replicates.map((b) =>
      winnersOf(
        ks.map((k) =>
          scoreK(
            k,
            selection.bootstrap.filter((r) => r.job.replicate === b && r.job.k === k),
            nHeld,
            options,
          ),
        ),
      ),
    );
    bootstrap = {
      replicates: replicates.length,
      restartsPerK: Math.max(
        ...ks.map((k) => selection.bootstrap.filter((r) => r.job.k === k && r.job.replicate === replicates[0]).length),
      ),
      wins: tally(ks, reps),
    };
  }
  const criterion = selection.criterion;
  const chosenK = selection.chosenK;
  const winShare = (w: KWins) => (criterion === 'mean' ? w.mean : w.best);
  const indistinguishable = ks.filter(
    (k) =>
      k !== chosenK &&
      (winShare(restartWins.find((w) => w.k === k)!) >= share ||
        (bootstrap !== undefined && winShare(bootstrap.wins.find((w) => w.k === k)!) >= share)),
  );
  const agree = selection.chosenKByBest === selection.chosenKByMean;
  const parts: string[] = [];
  parts.push(
    agree
      ? `both criteria choose K=${chosenK} (best restart's BIC and mean BIC over restarts)`
      : `the criteria disagree: the best restart's BIC chooses K=${selection.chosenKByBest}, the mean BIC over restarts K=${selection.chosenKByMean}; K=${chosenK} is used (--criterion ${criterion})`,
  );
  const describeWins = (wins: KWins[]) =>
    wins
      .filter((w) => winShare(w) > 0)
      .sort((a, b) => winShare(b) - winShare(a))
      .map((w) => `K=${w.k} ${pct(winShare(w))}`)
      .join(', ');
  if (restartsPerK > 1)
    parts.push(
      `resampling the ${restartsPerK} restarts per K ${resamples} times, K wins: ${describeWins(restartWins)}`,
    );
  else parts.push('one restart per K: restart noise cannot be measured');
  if (bootstrap)
    parts.push(`over ${bootstrap.replicates} bootstrap replicates of the runs: ${describeWins(bootstrap.wins)}`);
  if (indistinguishable.length) {
    const all = [...indistinguishable, chosenK].sort((a, b) => a - b);
    parts.push(
      `K = ${all.slice(0, -1).join(', ')} and ${all.at(-1)} are indistinguishable here (another K winning at least ${pct(share)} of them)`,
    );
  }
  return {
    criterion,
    chosenK,
    byBest: selection.chosenKByBest,
    byMean: selection.chosenKByMean,
    agree,
    restartResamples: { resamples, restartsPerK, wins: restartWins },
    ...(bootstrap ? { bootstrap } : {}),
    indistinguishable,
    share,
    note: parts.join('; '),
  };
}
