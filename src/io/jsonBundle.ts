import { BundleError, lineColumnAt } from './bundleError.ts';
import { findJsonSyntaxError, locateJsonPath } from './jsonLocate.ts';
import { RUN_BUNDLE_FORMAT, type Checkpoints, type Run, type RunBundle, type RunGroup } from './runBundle.ts';

/**
 * Python's json writes bare NaN/Infinity. Outside strings they become marker strings that cannot occur in the
 * data (a NUL-prefixed nonce absent from the text), and are read back as numbers; positions in the patched text
 * are mapped back, so every reported line and column points into the original.
 */
interface PatchedJson {
  text: string;
  /** The marker string (the parsed value) for each bare token. */
  markers: Map<string, number>;
  /** Original offset of a patched offset. */
  original(offset: number): number;
}

function quoteNonFiniteTokens(text: string): PatchedJson {
  const identity: PatchedJson = { text, markers: new Map(), original: (o) => o };
  if (!/NaN|Infinity/.test(text)) return identity;
  let nonce = 'trainmap-nonfinite';
  for (let n = 0; text.includes(nonce); n++) nonce = `trainmap-nonfinite-${n}`;
  const tokens: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
  const markers = new Map<string, number>();
  // [patched offset where a replacement ends, how much longer the text is from there on]
  const shifts: [number, number][] = [];
  let grown = 0;
  const patched = text.replace(/"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g, (m, at: number) => {
    if (!Object.hasOwn(tokens, m)) return m;
    markers.set(`\u0000${nonce}:${m}`, tokens[m]);
    // In the JSON text the NUL is the six-character escape \u0000, so the marker is valid JSON.
    const quoted = `"\\u0000${nonce}:${m}"`;
    grown += quoted.length - m.length;
    shifts.push([at + grown + m.length, grown]);
    return quoted;
  });
  if (shifts.length === 0) return identity;
  const original = (offset: number): number => {
    let lo = 0;
    let hi = shifts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (shifts[mid][0] <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? offset : Math.max(0, offset - shifts[lo - 1][1]);
  };
  return { text: patched, markers, original };
}

const STRING_NUMBERS: Record<string, number> = {
  NaN: NaN,
  nan: NaN,
  Infinity: Infinity,
  inf: Infinity,
  '-Infinity': -Infinity,
  '-inf': -Infinity,
};

type Path = (string | number)[];

class Validator {
  constructor(
    readonly patch: PatchedJson,
    readonly original: string,
    readonly file: string,
  ) {}
  fail(path: Path, detail: string): never {
    const { line, column } = lineColumnAt(this.original, this.patch.original(locateJsonPath(this.patch.text, path)));
    const where = path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
      .join('')
      .replace(/^\./, '');
    throw new BundleError(this.file, line, column, `${where ? where + ': ' : ''}${detail}`);
  }
  object(v: unknown, path: Path): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, `expected an object, got ${describe(v)}`);
    return v as Record<string, unknown>;
  }
  array(v: unknown, path: Path): unknown[] {
    if (!Array.isArray(v)) this.fail(path, `expected an array, got ${describe(v)}`);
    return v;
  }
  numbers(v: unknown, path: Path): number[] {
    return this.array(v, path).map((x, i) => {
      if (typeof x === 'number') return x;
      if (x === null) return NaN;
      if (typeof x === 'string') {
        const marked = this.patch.markers.get(x);
        if (marked !== undefined) return marked;
        if (Object.hasOwn(STRING_NUMBERS, x)) return STRING_NUMBERS[x];
      }
      return this.fail([...path, i], `expected a number, got ${describe(x)}`);
    });
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

/** Reads the JSON run bundle (SPEC §11). Non-finite metric values may be null, "NaN"/"Infinity" strings or Python's bare tokens. */
export function parseRunsJson(text: string, file: string): RunBundle {
  if (text.trim() === '') throw new BundleError(file, null, null, 'the file is empty; expected a trainmap.runs/1 JSON bundle');
  const patch = quoteNonFiniteTokens(text);
  const patched = patch.text;
  let raw: unknown;
  try {
    // Bare tokens outside the checkpoints (in an exported analysis, say) come back as numbers too.
    raw = patch.markers.size
      ? JSON.parse(patched, (_k, v: unknown) => (typeof v === 'string' && patch.markers.has(v) ? patch.markers.get(v) : v))
      : JSON.parse(patched);
  } catch (e) {
    const found = findJsonSyntaxError(patched);
    const at = found ? lineColumnAt(text, patch.original(found.offset)) : null;
    const why = found?.message ?? (e instanceof Error ? e.message : String(e));
    throw new BundleError(file, at?.line ?? null, at?.column ?? null, `not valid JSON: ${why}`);
  }
  const v = new Validator(patch, text, file);
  const top = v.object(raw, []);
  if (top.format !== RUN_BUNDLE_FORMAT) v.fail(['format'], `format must be "${RUN_BUNDLE_FORMAT}", got ${describe(top.format)}`);
  const groupsRaw = v.array(top.groups, ['groups']);
  if (groupsRaw.length === 0) v.fail(['groups'], 'the bundle has no groups');
  const groups: RunGroup[] = groupsRaw.map((g, gi) => {
    const gp: Path = ['groups', gi];
    const go = v.object(g, gp);
    if (go.name !== undefined && typeof go.name !== 'string') v.fail([...gp, 'name'], `expected a string, got ${describe(go.name)}`);
    const name = typeof go.name === 'string' ? go.name : `group ${gi}`;
    const config = go.config === undefined ? {} : v.object(go.config, [...gp, 'config']);
    const runsRaw = v.array(go.runs, [...gp, 'runs']);
    const ids = new Map<string, number>();
    const runs: Run[] = runsRaw.map((r, ri) => {
      const rp: Path = [...gp, 'runs', ri];
      const ro = v.object(r, rp);
      if (typeof ro.id !== 'string' && typeof ro.id !== 'number') v.fail([...rp, 'id'], `every run needs an id (string), got ${describe(ro.id)}`);
      const id = String(ro.id);
      if (ids.has(id)) v.fail([...rp, 'id'], `run id '${id}' is used twice in group '${name}' (also runs[${ids.get(id)}])`);
      ids.set(id, ri);
      if (ro.seed !== undefined && ro.seed !== null && typeof ro.seed !== 'number') v.fail([...rp, 'seed'], `seed must be a number, got ${describe(ro.seed)}`);
      const cp = v.object(ro.checkpoints, [...rp, 'checkpoints']);
      if (!('step' in cp)) v.fail([...rp, 'checkpoints'], "missing required column 'step'");
      const checkpoints = {} as Checkpoints;
      for (const [col, values] of Object.entries(cp)) checkpoints[col] = v.numbers(values, [...rp, 'checkpoints', col]);
      const steps = checkpoints.step;
      if (steps.length === 0) v.fail([...rp, 'checkpoints', 'step'], `run '${id}' has no checkpoints`);
      for (const [col, values] of Object.entries(checkpoints)) {
        if (values.length !== steps.length) {
          v.fail([...rp, 'checkpoints', col], `column '${col}' has ${values.length} values but 'step' has ${steps.length}`);
        }
      }
      const seen = new Map<number, number>();
      steps.forEach((s, i) => {
        if (!Number.isInteger(s) || s < 0) v.fail([...rp, 'checkpoints', 'step', i], `step must be a non-negative whole number, got ${s}`);
        if (seen.has(s)) v.fail([...rp, 'checkpoints', 'step', i], `run '${id}' has step ${s} twice (also at index ${seen.get(s)})`);
        seen.set(s, i);
      });
      const run: Run = { id, checkpoints: sortedBySteps(checkpoints) };
      if (typeof ro.seed === 'number' || ro.seed === null) run.seed = ro.seed;
      if (ro.diverged !== undefined) {
        const d = v.object(ro.diverged, [...rp, 'diverged']);
        if (typeof d.step !== 'number' || !Number.isInteger(d.step) || d.step < 0)
          v.fail([...rp, 'diverged', 'step'], `expected the step where the run diverged (a whole number), got ${describe(d.step)}`);
        run.diverged = { step: d.step as number, reason: typeof d.reason === 'string' ? d.reason : 'diverged' };
      }
      return run;
    });
    return { name, config, runs };
  });
  const bundle: RunBundle = { format: RUN_BUNDLE_FORMAT, groups };
  if (top.analysis !== undefined) bundle.analysis = top.analysis;
  return bundle;
}

function sortedBySteps(cp: Checkpoints): Checkpoints {
  const order = cp.step.map((_, i) => i);
  if (order.every((i) => i === 0 || cp.step[i] > cp.step[i - 1])) return cp;
  order.sort((a, b) => cp.step[a] - cp.step[b]);
  const out = {} as Checkpoints;
  for (const [col, values] of Object.entries(cp)) out[col] = order.map((i) => values[i]);
  return out;
}

/** JSON with non-finite numbers as "NaN"/"Infinity"/"-Infinity" strings, so nothing is lost on the way back. */
export function formatRunsJson(bundle: RunBundle, indent?: number): string {
  return JSON.stringify(bundle, (_k, value) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value), indent);
}
