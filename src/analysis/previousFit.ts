/**
 * The earlier fit whose state numbering an analysis keeps (`trainmap analyze --previous`, the page's
 * "keep numbering"): taken from an exported analysis and checked part by part, so a wrong or damaged file
 * gets a sentence naming what is wrong instead of failing deep inside the matching.
 */
import type { RunBundle } from '../io/runBundle.ts';
import { safeText } from '../io/safeText.ts';
import { reviveNonFinite } from '../io/analysisJson.ts';
import { ANALYSIS_FORMAT, type AnalysisReport } from './analysisReport.ts';
import { validateParams } from './hmm/params.ts';
import type { HMMParams } from './hmm/types.ts';
import type { PreviousFit } from './stateNumbering.ts';

export class PreviousFitError extends Error {
  constructor(file: string, detail: string) {
    super(`${safeText(file, 200)}: not a usable previous analysis: ${detail}`);
    this.name = 'PreviousFitError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Record<string, unknown>, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'string') return `the string "${safeText(v, 40)}"`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${safeText(String(v), 40)}`;
}

/**
 * The previous fit in a bundle read from `file` (an exported analysis), with its states' identities; throws
 * PreviousFitError saying what is missing or malformed.
 */
export function previousFitOf(bundle: RunBundle, file: string): PreviousFit {
  const fail = (detail: string): never => {
    throw new PreviousFitError(file, detail);
  };
  const analysis = bundle.analysis;
  if (analysis === undefined)
    fail("it is a run bundle without an 'analysis' key; pass a file written by 'trainmap analyze'");
  if (!isObject(analysis)) fail(`'analysis' is ${describe(analysis)}, expected an object`);
  const a = analysis as Record<string, unknown>;
  if (own(a, 'format') !== ANALYSIS_FORMAT)
    fail(`analysis.format is ${describe(own(a, 'format'))}, expected "${ANALYSIS_FORMAT}"`);
  const features = own(a, 'features');
  if (!Array.isArray(features) || features.length === 0 || !features.every((f) => typeof f === 'string')) {
    fail(`analysis.features is ${describe(features)}, expected a list of feature names`);
  }
  const d = (features as string[]).length;
  const model = own(a, 'model');
  if (!isObject(model)) fail(`analysis.model is ${describe(model)}, expected an object`);
  const params = own(model as Record<string, unknown>, 'params');
  if (!isObject(params)) fail(`analysis.model.params is ${describe(params)}, expected an object`);
  const p = params as Record<string, unknown>;
  const vector = (v: unknown, path: string, length: number): number[] => {
    if (!Array.isArray(v) || v.length !== length) fail(`${path} is ${describe(v)}, expected ${length} numbers`);
    (v as unknown[]).forEach((x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x))
        fail(`${path}[${i}] is ${describe(x)}, expected a finite number`);
    });
    return v as number[];
  };
  const matrix = (v: unknown, path: string, rows: number, cols: number): number[][] => {
    if (!Array.isArray(v) || v.length !== rows) fail(`${path} is ${describe(v)}, expected ${rows} rows`);
    return (v as unknown[]).map((row, i) => vector(row, `${path}[${i}]`, cols));
  };
  const startprob = own(p, 'startprob');
  if (!Array.isArray(startprob) || startprob.length === 0)
    fail(`analysis.model.params.startprob is ${describe(startprob)}, expected one probability per state`);
  const k = (startprob as unknown[]).length;
  const covarsRaw = own(p, 'covars');
  if (!Array.isArray(covarsRaw) || covarsRaw.length !== k)
    fail(`analysis.model.params.covars is ${describe(covarsRaw)}, expected ${k} matrices`);
  const fit: HMMParams = {
    startprob: vector(startprob, 'analysis.model.params.startprob', k),
    transmat: matrix(own(p, 'transmat'), 'analysis.model.params.transmat', k, k),
    means: matrix(own(p, 'means'), 'analysis.model.params.means', k, d),
    covars: (covarsRaw as unknown[]).map((c, s) => matrix(c, `analysis.model.params.covars[${s}]`, d, d)),
  };
  try {
    validateParams(fit, d);
  } catch (e) {
    fail(`analysis.model.params: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { params: fit, features: features as string[], ...identityOf(a, k) };
}

/** The identities of an exported analysis's states, when it recorded valid ones (older exports did not). */
function identityOf(a: Record<string, unknown>, k: number): { identity?: number[] } {
  const map = own(a, 'map');
  const nodes = isObject(map) ? own(map, 'nodes') : undefined;
  if (!Array.isArray(nodes) || nodes.length !== k) return {};
  const identity = nodes.map((n) => (isObject(n) ? own(n, 'identity') : undefined));
  const valid = identity.every((x) => Number.isInteger(x) && (x as number) >= 0) && new Set(identity).size === k;
  return valid ? { identity: identity as number[] } : {};
}

/** What a refit carries over from a report it follows: the fit, what it decoded of each run, and its identities. */
export function previousOfReport(report: AnalysisReport): PreviousFit {
  return {
    params: report.model.params,
    features: report.features,
    paths: report.runs.flatMap((r) => (r.path ? [{ key: r.key, path: r.path }] : [])),
    identity: report.map.nodes.map((n) => n.identity ?? n.state),
  };
}

/**
 * The whole analysis a bundle carries (an export of the CLI or the page), ready to show without refitting:
 * the fit is checked as for --previous, the report's other parts for presence, and the non-finite numbers
 * that JSON held as strings are numbers again.
 */
export function exportedAnalysisOf(bundle: RunBundle, file: string): AnalysisReport {
  previousFitOf(bundle, file);
  const a = bundle.analysis as Record<string, unknown>;
  for (const key of ['settings', 'runs', 'selection', 'map', 'regression', 'dissimilarity', 'warnings'] as const) {
    const v = own(a, key);
    if (v === undefined || v === null || typeof v !== 'object')
      throw new PreviousFitError(
        file,
        `analysis.${key} is ${describe(v)}, expected ${key === 'runs' || key === 'warnings' ? 'a list' : 'an object'}`,
      );
  }
  const map = own(a, 'map') as Record<string, unknown>;
  if (!Array.isArray(own(map, 'nodes')) || !Array.isArray(own(map, 'edges')))
    throw new PreviousFitError(file, 'analysis.map has no nodes and edges');
  const report = reviveNonFinite(structuredClone(a)) as AnalysisReport;
  // Exported before states had identities: each state's identity is its number.
  for (const node of report.map.nodes) node.identity ??= node.state;
  return report;
}
