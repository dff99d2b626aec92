import { BundleError, lineColumnAt } from './bundleError.ts';
import { bundleText } from './decodeText.ts';
import { findJsonSyntaxError, locateJsonPath } from './jsonLocate.ts';
import { MAX_JSON_DEPTH, prescanJson, type PatchedJson } from './jsonPrescan.ts';
import {
  newCheckpoints,
  RUN_BUNDLE_FORMAT,
  type BundleNote,
  type Checkpoints,
  type Run,
  type RunBundle,
  type RunGroup,
} from './runBundle.ts';
import { quoted, safeText } from './safeText.ts';

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
    const where = this.where(path);
    throw new BundleError(this.file, line, column, `${where ? where + ': ' : ''}${detail}`);
  }
  /** A path as the message shows it: groups[0].runs[2].checkpoints["odd name"]. */
  where(path: Path): string {
    return path
      .map((p) =>
        typeof p === 'number'
          ? `[${p}]`
          : /^[A-Za-z_][\w-]*$/.test(p)
            ? `.${p}`
            : `[${JSON.stringify(safeText(p, 40))}]`,
      )
      .join('')
      .replace(/^\./, '');
  }
  /** Fails at the object holding a required key that is not there. */
  required(o: Record<string, unknown>, key: string, path: Path, what: string): unknown {
    if (!Object.hasOwn(o, key)) this.fail(path, `missing required key '${key}' (${what})`);
    return o[key];
  }
  object(v: unknown, path: Path): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      this.fail(path, `expected an object, got ${describe(v)}`);
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
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string "${safeText(v, 60)}"`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${safeText(String(v), 60)}`;
}

/**
 * Reads the JSON run bundle (method.md §14) from text or bytes (see decodeText.ts). Non-finite metric values may
 * be null, "NaN"/"Infinity" strings or Python's bare tokens. Columns are kept under any name, `__proto__`
 * and `constructor` included.
 */
export function parseRunsJson(input: string | Uint8Array, file: string): RunBundle {
  const text = bundleText(input, file);
  if (text.trim() === '')
    throw new BundleError(file, null, null, 'the file is empty; expected a trainmap.runs/1 JSON bundle');
  const patch = prescanJson(text);
  if (patch.tooDeepAt >= 0) {
    const at = lineColumnAt(text, patch.tooDeepAt);
    throw new BundleError(
      file,
      at.line,
      at.column,
      `not a run bundle: nesting deeper than ${MAX_JSON_DEPTH} levels (a bundle needs about 8)`,
    );
  }
  const patched = patch.text;
  let raw: unknown;
  try {
    // Bare tokens outside the checkpoints (in an exported analysis, say) come back as numbers too.
    raw = patch.markers.size
      ? JSON.parse(patched, (_k, v: unknown) =>
          typeof v === 'string' && patch.markers.has(v) ? patch.markers.get(v) : v,
        )
      : JSON.parse(patched);
  } catch (e) {
    const found = findJsonSyntaxError(patched, MAX_JSON_DEPTH);
    const at = found ? lineColumnAt(text, patch.original(found.offset)) : null;
    const why = found?.message ?? (e instanceof Error ? e.message : String(e));
    throw new BundleError(file, at?.line ?? null, at?.column ?? null, `not valid JSON: ${why}`);
  }
  const v = new Validator(patch, text, file);
  const top = v.object(raw, []);
  const format = v.required(top, 'format', [], `a run bundle starts with "format": "${RUN_BUNDLE_FORMAT}"`);
  if (format !== RUN_BUNDLE_FORMAT)
    v.fail(['format'], `format must be "${RUN_BUNDLE_FORMAT}", got ${describe(format)}`);
  const groupsRaw = v.array(v.required(top, 'groups', [], 'the list of run groups'), ['groups']);
  if (groupsRaw.length === 0) v.fail(['groups'], 'the bundle has no groups');
  const notes: BundleNote[] = [];
  const groups: RunGroup[] = groupsRaw.map((g, gi) => {
    const gp: Path = ['groups', gi];
    const go = v.object(g, gp);
    const nameRaw = Object.hasOwn(go, 'name') ? go.name : undefined;
    if (nameRaw !== undefined && typeof nameRaw !== 'string')
      v.fail([...gp, 'name'], `expected a string, got ${describe(nameRaw)}`);
    const name = typeof nameRaw === 'string' ? nameRaw : `group ${gi}`;
    const config = Object.hasOwn(go, 'config') ? v.object(go.config, [...gp, 'config']) : {};
    const runsRaw = v.array(v.required(go, 'runs', gp, 'the list of runs'), [...gp, 'runs']);
    const ids = new Map<string, number>();
    const runs: Run[] = runsRaw.map((r, ri) => {
      const rp: Path = [...gp, 'runs', ri];
      const ro = v.object(r, rp);
      const idRaw = Object.hasOwn(ro, 'id') ? ro.id : undefined;
      if (typeof idRaw !== 'string' && typeof idRaw !== 'number')
        v.fail([...rp, 'id'], `every run needs an id (string), got ${describe(idRaw)}`);
      const id = String(idRaw);
      if (ids.has(id))
        v.fail(
          [...rp, 'id'],
          `run id ${quoted(id)} is used twice in group ${quoted(name)} (also runs[${ids.get(id)}])`,
        );
      ids.set(id, ri);
      const seed = Object.hasOwn(ro, 'seed') ? ro.seed : undefined;
      if (seed !== undefined && seed !== null && typeof seed !== 'number')
        v.fail([...rp, 'seed'], `seed must be a number, got ${describe(seed)}`);
      const cp = v.object(v.required(ro, 'checkpoints', rp, 'the columns of the run'), [...rp, 'checkpoints']);
      if (!Object.hasOwn(cp, 'step')) v.fail([...rp, 'checkpoints'], "missing required column 'step'");
      const checkpoints = newCheckpoints();
      for (const [col, values] of Object.entries(cp)) checkpoints[col] = v.numbers(values, [...rp, 'checkpoints', col]);
      const steps = checkpoints.step;
      if (steps.length === 0) v.fail([...rp, 'checkpoints', 'step'], `run ${quoted(id)} has no checkpoints`);
      for (const [col, values] of Object.entries(checkpoints)) {
        if (values.length !== steps.length) {
          v.fail(
            [...rp, 'checkpoints', col],
            `column ${quoted(col)} has ${values.length} values but 'step' has ${steps.length}`,
          );
        }
      }
      const seen = new Map<number, number>();
      let outOfOrder = -1;
      steps.forEach((s, i) => {
        if (!Number.isInteger(s) || s < 0)
          v.fail([...rp, 'checkpoints', 'step', i], `step must be a non-negative whole number, got ${s}`);
        if (seen.has(s))
          v.fail(
            [...rp, 'checkpoints', 'step', i],
            `run ${quoted(id)} has step ${s} twice (also at index ${seen.get(s)})`,
          );
        seen.set(s, i);
        if (outOfOrder < 0 && i > 0 && s < steps[i - 1]) outOfOrder = i;
      });
      if (outOfOrder >= 0) {
        notes.push({
          kind: 'steps-reordered',
          group: name,
          run: id,
          message: `run ${quoted(id)}: checkpoints were not in step order (step ${steps[outOfOrder]} after step ${steps[outOfOrder - 1]}, at index ${outOfOrder} of ${v.where([...rp, 'checkpoints', 'step'])}); they were sorted by step, every column together`,
        });
      }
      const run: Run = { id, checkpoints: sortedBySteps(checkpoints) };
      if (typeof seed === 'number' || seed === null) run.seed = seed;
      if (Object.hasOwn(ro, 'diverged') && ro.diverged !== undefined) {
        const d = v.object(ro.diverged, [...rp, 'diverged']);
        const dStep = Object.hasOwn(d, 'step') ? d.step : undefined;
        if (typeof dStep !== 'number' || !Number.isInteger(dStep) || dStep < 0)
          v.fail(
            [...rp, 'diverged', 'step'],
            `expected the step where the run diverged (a whole number), got ${describe(dStep)}`,
          );
        run.diverged = {
          step: dStep as number,
          reason: Object.hasOwn(d, 'reason') && typeof d.reason === 'string' ? d.reason : 'diverged',
        };
      }
      return run;
    });
    return { name, config, runs };
  });
  const bundle: RunBundle = { format: RUN_BUNDLE_FORMAT, groups };
  if (Object.hasOwn(top, 'analysis') && top.analysis !== undefined) bundle.analysis = top.analysis;
  if (notes.length) bundle.notes = notes;
  return bundle;
}

function sortedBySteps(cp: Checkpoints): Checkpoints {
  const order = cp.step.map((_, i) => i);
  if (order.every((i) => i === 0 || cp.step[i] > cp.step[i - 1])) return cp;
  order.sort((a, b) => cp.step[a] - cp.step[b]);
  const out = newCheckpoints();
  for (const [col, values] of Object.entries(cp)) out[col] = order.map((i) => values[i]);
  return out;
}

/** JSON with non-finite numbers as "NaN"/"Infinity"/"-Infinity" strings, so nothing is lost on the way back. */
export function formatRunsJson(bundle: RunBundle, indent?: number): string {
  const { notes: _notes, ...written } = bundle;
  return JSON.stringify(
    written,
    (_k, value) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value),
    indent,
  );
}
