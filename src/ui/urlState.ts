/**
 * The lab's whole setup in its URL: the training and analysis settings (the same names as `trainmap run` and
 * `trainmap analyze` flags, parsed by the settings table's own parser) and teacher mode (hidden panels and
 * controls, a locked task/preset). A link carries only what differs from its preset, so it stays short and
 * readable; decoding fills in the rest. A link is something a person typed, pasted or was sent, so decoding
 * never throws: whatever it cannot use is reported as a sentence for the page and left out.
 */
import { teachingPreset } from '../../tasks/teachingPreset.ts';
import { ANALYSIS_SETTINGS, ANALYZE_CLI_SETTINGS, analyzeOptions } from '../settings/analysis.ts';
import { parseSetting, SettingError, type SettingSpec, type SettingValue } from '../settings/spec.ts';
import {
  presetValues,
  RUN_CLI_SETTINGS,
  TRAINING_SETTINGS,
  trainingRequest,
  type SettingValues,
} from '../settings/training.ts';
import { MESSAGE_MAX_BYTES, safeText } from '../io/safeText.ts';
import { getTask } from '../../tasks/index.ts';

/** The link format this lab writes; a link of a later version is read as far as its keys are known. */
export const URL_VERSION = 1;

/** The lab's panels, by the names teacher mode's `hide` uses. */
export const LAB_PANELS = [
  'map',
  'ribbons',
  'curves',
  'selection',
  'regression',
  'sessions',
  'training',
  'import',
  'export',
  'groups',
  'forecast',
  'analysis',
  'replay',
  'grokking',
] as const;
export type LabPanel = (typeof LAB_PANELS)[number];

export const URL_TRAINING_SETTINGS: readonly SettingSpec[] = TRAINING_SETTINGS.filter((s) => s.surface === 'both');
export const URL_ANALYSIS_SETTINGS: readonly SettingSpec[] = ANALYSIS_SETTINGS.filter((s) => s.surface === 'both');

/** Everything `hide` may name, in the order links list them: the panels, then the settings as the table lists them. */
export const HIDEABLE: readonly string[] = [
  ...LAB_PANELS,
  ...URL_TRAINING_SETTINGS.map((s) => s.name),
  ...URL_ANALYSIS_SETTINGS.map((s) => s.name),
];

/** At most this many problems are listed; a hostile link with thousands of keys gets one more line saying how many were left out. */
export const MAX_PROBLEMS = 20;

/** The fastest replay a link may ask for, in checkpoints per second (faster is a scrub to the end). */
export const MAX_REPLAY_SPEED = 64;

export interface LabUrlState {
  /** Every lab training setting that applies to the task: task, preset, the table's defaults, the preset's values, the changes. */
  training: SettingValues;
  /** Every lab analysis setting with a value: the table's defaults and the changes (features only when given). */
  analysis: SettingValues;
  /** Panels and settings the page hides from students, in HIDEABLE order. */
  hide: string[];
  /** Students cannot change the task and preset. */
  lock: boolean;
  /** The bundled recorded session or comparison of them to show (an id of static/samples/manifest.json, checked when the manifest is read). */
  sample: string | null;
  /** Replay it at once (auto-play), at this many checkpoints per second (null: the replay's default). */
  replay: boolean;
  speed: number | null;
}

/** What encodeLabUrl takes: missing analysis values are the defaults; no hide and no lock is no teacher mode. */
export interface LabUrlInput {
  training: SettingValues;
  analysis?: SettingValues;
  hide?: readonly string[];
  lock?: boolean;
  sample?: string | null;
  replay?: boolean;
  speed?: number | null;
}

/** Something in a link that was not used. key and value are escaped and cut like the message, fit to show as they are. */
export interface UrlProblem {
  key: string;
  value: string;
  message: string;
}

// Keys of the link that are not settings; parsed by the table's parser all the same.
const VERSION_SPEC: SettingSpec = { name: 'v', type: 'integer', help: 'link version', min: 1, surface: 'both' };
const LOCK_SPEC: SettingSpec = { name: 'lock', type: 'boolean', help: 'lock the task and preset', surface: 'both' };
const CLI_ONLY = new Set([...RUN_CLI_SETTINGS, ...ANALYZE_CLI_SETTINGS].map((s) => s.name));
const TABLE = new Map<string, SettingSpec>(
  [...URL_TRAINING_SETTINGS, ...URL_ANALYSIS_SETTINGS].map((s) => [s.name, s]),
);
const HIDE_ORDER = new Map(HIDEABLE.map((name, i) => [name, i]));

const DEFAULT_TASK = String(TRAINING_SETTINGS.find((s) => s.name === 'task')!.default);
const DEFAULT_PRESET = String(TRAINING_SETTINGS.find((s) => s.name === 'preset')!.default);

/**
 * The preset of a link that names none: the task's teaching preset for the backend the link asks for
 * (tasks/teachingPreset.ts; 'auto' is taken for a CPU, the machine a class can count on), not the table's default,
 * which for modular addition is the paper's 10,000-epoch run.
 */
function defaultPreset(task: string, backend: string | undefined): string {
  return teachingPreset(task, { name: backend ?? 'auto' });
}

function hasPreset(task: string, preset: string): boolean {
  const def = getTask(task);
  return def !== undefined && Object.hasOwn(def.presets, preset);
}

/** What a task and preset mean before any change: the table's defaults under the preset's values. */
function baseTraining(task: string, preset: string): SettingValues {
  const defaults = URL_TRAINING_SETTINGS.filter((s) => s.default !== undefined).map(
    (s) => [s.name, s.default] as const,
  );
  return {
    ...Object.fromEntries(defaults),
    ...(hasPreset(task, preset) ? presetValues(task, preset) : { task, preset }),
  };
}

function baseAnalysis(): SettingValues {
  return Object.fromEntries(
    URL_ANALYSIS_SETTINGS.filter((s) => s.default !== undefined).map((s) => [s.name, s.default] as const),
  );
}

/** A checked value, or the SettingError saying why not. URL booleans given bare (`?layer-norm`) are true, as a bare CLI flag is. */
function parseUrlValue(spec: SettingSpec, raw: string): SettingValue {
  const value = parseSetting(spec, spec.type === 'boolean' && raw === '' ? '1' : raw);
  // -0 and 0 are the same setting; keeping one spelling keeps states comparable.
  return value === 0 ? 0 : value;
}

/** The lab's controls take fewer of some things than the CLI (seeds); a link is the lab's state, so the same bound holds. */
function checkLabBound(spec: SettingSpec, value: SettingValue): void {
  if (spec.labMax !== undefined && typeof value === 'number' && value > spec.labMax)
    throw new SettingError(spec.name, `--${spec.name} must be at most ${spec.labMax} in the lab`);
}

/** Canonical value for comparing with the preset: what the table makes of it, or the value itself when the table refuses it. */
function canonical(spec: SettingSpec, value: SettingValue): SettingValue {
  try {
    return typeof value === 'string' ? parseUrlValue(spec, value) : value === 0 ? 0 : value;
  } catch {
    return value;
  }
}

function urlText(value: SettingValue): string {
  return typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
}

function orderHide(names: readonly string[]): string[] {
  const rank = (n: string) => HIDE_ORDER.get(n) ?? HIDEABLE.length;
  // Unknown names keep their order after the known ones, so the reader of the link reports them.
  return [...new Set(names)]
    .map((n, i) => [n, i] as const)
    .sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1])
    .map(([n]) => n);
}

/**
 * The link's query (without '?'): task and preset always, then only the settings that differ from the preset
 * and the table's defaults, then teacher mode, then `v`. Values the table refuses are written as they are,
 * so the reader of the link reports them rather than silently dropping what the lab showed.
 */
export function encodeLabUrl(state: LabUrlInput): string {
  const params = new URLSearchParams();
  const task = String(state.training.task ?? DEFAULT_TASK);
  const preset = String(state.training.preset ?? DEFAULT_PRESET);
  params.set('task', task);
  params.set('preset', preset);
  const write = (specs: readonly SettingSpec[], values: SettingValues, base: SettingValues) => {
    for (const spec of specs) {
      if (spec.name === 'task' || spec.name === 'preset' || !Object.hasOwn(values, spec.name)) continue;
      const v = values[spec.name];
      if (v === undefined) continue;
      if (canonical(spec, v) !== base[spec.name]) params.set(spec.name, urlText(v));
    }
  };
  write(URL_TRAINING_SETTINGS, state.training, baseTraining(task, preset));
  write(URL_ANALYSIS_SETTINGS, state.analysis ?? {}, baseAnalysis());
  const hide = orderHide(state.hide ?? []);
  if (hide.length > 0) params.set('hide', hide.join(','));
  if (state.lock) params.set('lock', '1');
  if (state.sample) params.set('sample', state.sample);
  if (state.replay) params.set('replay', '1');
  if (state.speed !== undefined && state.speed !== null) params.set('speed', String(state.speed));
  params.set('v', String(URL_VERSION));
  // Commas need no escape in a query, and `hide=map,lr` reads better than `hide=map%2Clr`; %2C only ever stands for ','.
  return params.toString().replace(/%2C/g, ',');
}

/** The "copy link for students" URL: the page's address without its query or fragment, and the state with this teacher mode. */
export function studentLink(
  state: LabUrlInput,
  teacher: { hide: readonly string[]; lock: boolean },
  baseUrl: string,
): string {
  const base = baseUrl.replace(/[?#][\s\S]*$/, '');
  return `${base}?${encodeLabUrl({ ...state, hide: teacher.hide, lock: teacher.lock })}`;
}

/** A problem about key=value; the table's messages end with the raw value ("; got '…'"), which is shown escaped at the front instead. */
function problem(key: string, value: string, reason: string): UrlProblem {
  const k = safeText(key, 40);
  const v = safeText(value, 60);
  const cut = reason.search(/[;,] got /);
  const why = cut >= 0 ? reason.slice(0, cut) : reason;
  return { key: k, value: v, message: safeText(`${k}=${v} was ignored: ${why}`, MESSAGE_MAX_BYTES) };
}

function note(key: string, value: string, message: string): UrlProblem {
  return { key: safeText(key, 40), value: safeText(value, 60), message: safeText(message, MESSAGE_MAX_BYTES) };
}

/**
 * The lab's state from a query string (with or without '?'). Never throws: unknown keys, refused values, an
 * unknown task or preset (the default is used), a setting the task does not take, repeated keys (the last
 * wins), unknown names in `hide` and a newer link version each add a problem; everything usable applies.
 */
export function decodeLabUrl(search: string): { state: LabUrlState; problems: UrlProblem[] } {
  const problems: UrlProblem[] = [];
  // A Map, not an object: keys such as __proto__ come from the link.
  const given = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(search)) {
    const list = given.get(key);
    if (list) list.push(value);
    else given.set(key, [value]);
  }
  const take = (key: string): string | undefined => {
    const values = given.get(key);
    if (!values) return undefined;
    const last = values[values.length - 1];
    if (values.length > 1)
      problems.push(
        note(
          key,
          last,
          `${safeText(key, 40)} was given ${values.length} times; only the last, ${safeText(last, 60)}, was read`,
        ),
      );
    return last;
  };

  const version = take('v');
  if (version !== undefined) {
    try {
      const v = parseUrlValue(VERSION_SPEC, version) as number;
      if (v > URL_VERSION)
        problems.push(
          note(
            'v',
            version,
            `this link is of a newer lab (v=${v}; this lab reads v=${URL_VERSION}): the settings it knows were applied, any others ignored`,
          ),
        );
    } catch {
      problems.push(problem('v', version, `the link version must be a whole number ≥ 1`));
    }
  }

  let task = DEFAULT_TASK;
  const rawTask = take('task');
  if (rawTask !== undefined) {
    try {
      task = String(parseUrlValue(TABLE.get('task')!, rawTask));
    } catch (e) {
      problems.push(
        problem('task', rawTask, `${(e as Error).message.replace(/; got [\s\S]*$/, '')}; ${DEFAULT_TASK} was used`),
      );
    }
  }
  let preset = defaultPreset(task, given.get('backend')?.at(-1));
  const rawPreset = take('preset');
  if (rawPreset !== undefined) {
    if (hasPreset(task, rawPreset)) preset = rawPreset;
    else {
      const names = Object.keys(getTask(task)!.presets).join(', ');
      problems.push(
        problem('preset', rawPreset, `${task} has no such preset (its presets: ${names}); ${preset} was used`),
      );
    }
  }

  const training = baseTraining(task, preset);
  for (const spec of URL_TRAINING_SETTINGS) {
    if (spec.name === 'task' || spec.name === 'preset') continue;
    const raw = take(spec.name);
    if (raw === undefined) continue;
    try {
      const value = parseUrlValue(spec, raw);
      checkLabBound(spec, value);
      // The run's own checks (a setting the task does not take, a learning rate of 0) on this value alone.
      trainingRequest({ task, preset, [spec.name]: value });
      training[spec.name] = value;
    } catch (e) {
      problems.push(problem(spec.name, raw, (e as Error).message));
    }
  }

  const analysis = baseAnalysis();
  for (const spec of URL_ANALYSIS_SETTINGS) {
    const raw = take(spec.name);
    if (raw === undefined) continue;
    try {
      const value = parseUrlValue(spec, raw);
      analyzeOptions({ [spec.name]: value });
      analysis[spec.name] = value;
    } catch (e) {
      problems.push(problem(spec.name, raw, (e as Error).message));
    }
  }

  const hide: string[] = [];
  const rawHide = take('hide');
  if (rawHide !== undefined) {
    for (const name of rawHide.split(',').map((n) => n.trim())) {
      if (name === '') continue;
      if (HIDE_ORDER.has(name)) hide.push(name);
      else
        problems.push(
          problem('hide', name, `hide takes the names of panels (${LAB_PANELS.join(', ')}) and of the lab's settings`),
        );
    }
  }
  let lock = false;
  const rawLock = take('lock');
  if (rawLock !== undefined) {
    try {
      lock = parseUrlValue(LOCK_SPEC, rawLock) as boolean;
    } catch {
      problems.push(problem('lock', rawLock, 'lock must be 1 or 0'));
    }
  }

  const replay = decodeReplay(take, problems);

  const known = new Set(['v', 'hide', 'lock', 'sample', 'replay', 'speed', ...TABLE.keys()]);
  for (const [key, values] of given) {
    if (known.has(key)) continue;
    const why = CLI_ONLY.has(key) ? `--${key} is a command-line option only` : 'the lab has no such setting';
    problems.push(problem(key, values[values.length - 1], why));
  }

  const state: LabUrlState = { training, analysis, hide: orderHide(hide), lock, ...replay };
  if (problems.length <= MAX_PROBLEMS) return { state, problems };
  const shown = problems.slice(0, MAX_PROBLEMS);
  shown.push(note('', '', `${problems.length - MAX_PROBLEMS} more problems in this link were not listed`));
  return { state, problems: shown };
}

/** sample, replay and speed: which recorded session, and whether and how fast to replay it. */
function decodeReplay(
  take: (key: string) => string | undefined,
  problems: UrlProblem[],
): Pick<LabUrlState, 'sample' | 'replay' | 'speed'> {
  let sample: string | null = null;
  const rawSample = take('sample');
  if (rawSample !== undefined) {
    if (/^[a-z0-9-]{1,80}$/.test(rawSample)) sample = rawSample;
    else problems.push(problem('sample', rawSample, 'a sample is named by its id (lower-case letters, digits, -)'));
  }
  let replay = false;
  const rawReplay = take('replay');
  if (rawReplay !== undefined) {
    try {
      replay = parseUrlValue(LOCK_SPEC, rawReplay) as boolean;
    } catch {
      problems.push(problem('replay', rawReplay, 'replay must be 1 or 0'));
    }
  }
  let speed: number | null = null;
  const rawSpeed = take('speed');
  if (rawSpeed !== undefined) {
    const v = Number(rawSpeed);
    if (rawSpeed.trim() !== '' && Number.isFinite(v) && v > 0 && v <= MAX_REPLAY_SPEED) speed = v;
    else
      problems.push(
        problem('speed', rawSpeed, `speed is checkpoints per second, a number above 0 and at most ${MAX_REPLAY_SPEED}`),
      );
  }
  return { sample, replay, speed };
}
