/**
 * "Explain this map": the report read aloud in order, one step at a time, for a class. Each step says one thing in
 * plain words, names the glossary terms it uses and the states and arrows to light while it is read. Pure, so the page's
 * teacher view, a test or a printout can use it.
 */
import type { AnalysisReport } from '../analysis/index.ts';
import type { TermId } from './glossary.ts';
import { forkStates, listWords } from './legend.ts';
import { describeStates } from './stateWords.ts';
import { detourSupport, kRange, measuredStability, percent, supportBasis, verdictSupport } from './support.ts';

export interface WalkStep {
  id: string;
  title: string;
  text: string;
  terms: TermId[];
  /** What to light on the map while the step is read. */
  focus: { states: number[]; edges: [number, number][] };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const none = { states: [], edges: [] };

export function explainMap(report: AnalysisReport): WalkStep[] {
  const included = report.runs.filter((r) => r.included);
  const k = report.selection.chosenK;
  const steps: WalkStep[] = [];
  const fourteen =
    report.features.length === 14 ? 'the 14 weight metrics' : plural(report.features.length, 'measured column');
  steps.push({
    id: 'overview',
    title: 'What you are looking at',
    text:
      `${plural(included.length, 'run')} of the same training, each from its own random seed, were measured at every checkpoint (${fourteen}). ` +
      `A hidden Markov model sorts every checkpoint into one of ${k} states: recurring patterns of those measurements. ` +
      `Each circle is a state, placed left to right by when runs first reach it; each arrow is a move that some runs make.`,
    terms: ['checkpoint', 'state', 'K', 'mean-first-visit', 'transition'],
    focus: none,
  });
  steps.push(kStep(report));
  const described = describeStates(report);
  const starts = new Map<number, number>();
  for (const r of included) if (r.path?.length) starts.set(r.path[0], (starts.get(r.path[0]) ?? 0) + 1);
  const startStates = [...starts.keys()].sort((a, b) => a - b);
  const startText = startStates.map((s) => {
    const n = starts.get(s)!;
    const who = n === included.length ? (n === 1 ? 'The run starts' : `All ${n} runs start`) : `${n} start`;
    const d = described.find((x) => x.state === s);
    const words =
      d && d.from === null && d.changes.length ? `: ${d.headline} (${d.list}, against each run’s average)` : '';
    return `${who} in state ${s}${words}.`;
  });
  steps.push({
    id: 'start',
    title: 'Where runs start',
    text: startText.join(' '),
    terms: ['sd'],
    focus: { states: startStates, edges: [] },
  });
  const detours = new Set(report.detours);
  for (const d of described.filter((x) => x.from !== null)) {
    const node = report.map.nodes[d.state];
    const incoming = report.map.edges.filter((e) => e.to === d.state);
    steps.push({
      id: `state-${d.state}`,
      title: `State ${d.state}${detours.has(d.state) ? ' (a detour)' : ''}`,
      text:
        `${d.sentence} ${plural(node.runs, 'run')} ${node.runs === 1 ? 'visits' : 'visit'} it, first at checkpoint ${Math.round(node.meanFirstVisit)} on average; ` +
        `it holds ${percent(node.occupancy)} of all checkpoints.`,
      terms: ['sd', 'occupancy'],
      focus: { states: [d.state], edges: incoming.map((e) => [e.from, e.to]) },
    });
  }
  steps.push(shapeStep(report));
  steps.push(regressionStep(report));
  const conv = convergenceStep(report);
  if (conv) steps.push(conv);
  steps.push(sureStep(report));
  return steps;
}

function kStep(report: AnalysisReport): WalkStep {
  const k = report.selection.chosenK;
  const s = report.settings;
  const heldOut = report.runs.filter((r) => r.role === 'held-out').length;
  const lines: string[] = [];
  if (typeof s.states === 'number') lines.push(`K = ${k} was fixed by the settings, not chosen from the data.`);
  else {
    lines.push(
      `K = ${k} describes the ${plural(heldOut, 'held-out run')} best for its size: it has the lowest BIC among K = ${s.kMin} to ${s.kMax}.`,
    );
    const others = report.stability.kChoice.indistinguishable;
    if (others.length)
      lines.push(
        `${kRange(others)} ${others.length > 1 ? 'fit' : 'fits'} about as well when the restarts are resampled, so states that only one K has deserve care.`,
      );
    if (k === s.kMax && s.kMax > s.kMin)
      lines.push(`K = ${k} is the top of the searched range: more states might fit better (raise k-max to see).`);
    if (heldOut < 4) lines.push(`Only ${plural(heldOut, 'run')} held out: too few to choose K reliably.`);
  }
  return {
    id: 'k',
    title: 'How many states',
    text: lines.join(' '),
    terms: typeof s.states === 'number' ? ['K'] : ['K', 'held-out', 'bic', 'indistinguishable-k'],
    focus: none,
  };
}

function shapeStep(report: AnalysisReport): WalkStep {
  const edges = report.map.edges;
  if (report.map.shape === 'linear')
    return {
      id: 'shape',
      title: 'One road',
      text: `The map is linear: every run walks the same chain${report.map.order ? ` ${report.map.order.join(' → ')}` : ''}, some starting later or stopping earlier.`,
      terms: ['linear'],
      focus: { states: report.map.order ?? [], edges: edges.map((e) => [e.from, e.to]) },
    };
  const forks = forkStates(report);
  const sentences = forks.map((f) => {
    const out = edges.filter((e) => e.from === f).sort((a, b) => b.runs - a.runs);
    return `From state ${f}, ${listWords(out.map((e) => `${plural(e.runs, 'run')} go${e.runs === 1 ? 'es' : ''} to ${e.to}`))}.`;
  });
  const order = new Map(report.map.nodes.map((n) => [n.state, n.meanFirstVisit]));
  const back = edges.filter((e) => order.get(e.to)! < order.get(e.from)!);
  if (back.length)
    sentences.push(
      `Some runs go back: ${listWords(back.map((e) => `${e.from} → ${e.to} (${plural(e.runs, 'run')})`))}.`,
    );
  return {
    id: 'shape',
    title: 'Where the roads part',
    text: `The map forks: runs do not all take the same route. ${sentences.join(' ')}`.trim(),
    terms: ['forking', 'transition'],
    focus: { states: forks, edges: edges.filter((e) => forks.includes(e.from)).map((e) => [e.from, e.to]) },
  };
}

function regressionStep(report: AnalysisReport): WalkStep {
  const reg = report.regression;
  if ('skipped' in reg)
    return {
      id: 'detours',
      title: 'What delays convergence',
      text: `The link between states and convergence time was not measured: ${reg.skipped}.`,
      terms: [],
      focus: none,
    };
  const fmtP = reg.fPValue === 0 ? '≈ 0' : reg.fPValue < 0.001 ? reg.fPValue.toExponential(1) : reg.fPValue.toFixed(3);
  const lines = [
    `How long runs spend in each state predicts when they converge with R² = ${reg.rSquared.toFixed(2)} (F-test p ${reg.fPValue === 0 ? fmtP : `= ${fmtP}`}).`,
  ];
  if (!reg.significant)
    lines.push('That is not significant (p ≥ 0.05): read the detours below as hints, not findings.');
  if (report.detours.length) {
    for (const d of report.detours) {
      const support = detourSupport(report, d);
      lines.push(
        `State ${d} is a detour: every unit of occupancy there goes with ${reg.coefficients[d].toFixed(0)} more checkpoints before converging, and some converged runs never visit it` +
          (support === undefined ? '.' : ` (${percent(support)} of the fits agree).`),
      );
    }
  } else lines.push('No state is a detour here.');
  return {
    id: 'detours',
    title: 'What delays convergence',
    text: lines.join(' '),
    terms: ['r2', 'f-test-p', 'coefficient', 'detour'],
    focus: { states: report.detours, edges: [] },
  };
}

function convergenceStep(report: AnalysisReport): WalkStep | null {
  const runs = report.runs.filter((r) => r.included && r.convergence);
  if (runs.length === 0) return null;
  const converged = runs.filter((r) => r.convergence!.converged).length;
  const censored = runs.length - converged;
  const threshold = report.settings.threshold;
  return {
    id: 'convergence',
    title: 'Who converged',
    text:
      `${converged} of ${runs.length} runs passed ${threshold} eval accuracy.` +
      (censored === 1
        ? ' One had not by its last checkpoint: it is censored, its convergence time only known to be later.'
        : censored
          ? ` ${censored} had not by their last checkpoint: they are censored, their convergence times only known to be later.`
          : ''),
    terms: censored ? ['converged', 'censored'] : ['converged'],
    focus: none,
  };
}

function sureStep(report: AnalysisReport): WalkStep {
  const st = measuredStability(report);
  const basis = supportBasis(report);
  const share = verdictSupport(report);
  const lines: string[] = [];
  if (!st || !basis || share === null) {
    lines.push(
      `How sure the map is was not measured (${'skipped' in report.stability ? report.stability.skipped : 'no restarts'}).`,
    );
  } else {
    const others = basis.ks.filter((k) => k !== st.k);
    lines.push(
      `The model was fitted ${plural(st.fits.length, 'time')} at ${kRange([st.k])} from different random starts${others.length ? `, and at ${kRange(others)} too (the data cannot choose between these K)` : ''}; ${basis.fits} of those fits${others.length ? `, over ${kRange(basis.ks)},` : ''} describe the held-out runs about as well as the best (comparable restarts).`,
    );
    lines.push(
      basis.fits === 1
        ? 'With a single comparable fit the shares say nothing yet.'
        : `${percent(share)} of them draw the map ${report.map.shape}; each arrow's label gives its own share.`,
    );
  }
  const degenerate = report.warnings.filter((w) => w.kind === 'degenerate-fit');
  if (degenerate.length) lines.push(`Caveat: ${degenerate.map((w) => w.message).join(' ')}`);
  return {
    id: 'sure',
    title: 'How sure this map is',
    text: lines.join(' '),
    terms: ['restart', 'comparable-restarts', 'support', ...(degenerate.length ? (['degenerate'] as TermId[]) : [])],
    focus: none,
  };
}
