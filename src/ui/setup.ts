/**
 * The lab's setup: the training and analysis settings of its controls, teacher mode, and what a link said about
 * them. Plain data and pure functions: the Lab holds one Setup and replaces it on every change, the URL is a
 * function of it, and what a page opens on is decided here, so all of it is tested without a page.
 */
import { analyzeOptions, presetValues, TRAINING_SETTINGS, type SettingValues } from '../settings/index.ts';
import type { AnalysisRequestOptions } from '../workers/protocol.ts';
import { getTask, taskNames } from '../../tasks/index.ts';
import { decodeLabUrl, encodeLabUrl, studentLink } from './urlState.ts';

export interface Setup {
  training: SettingValues;
  /** Analysis setting values from the link (the analyses of groups and imports use them). */
  analysis: SettingValues;
  /** Teacher mode: panels and settings hidden from students, and the task and preset locked. */
  hide: readonly string[];
  lock: boolean;
  /** What in the link could not be used, one sentence each. */
  problems: readonly string[];
  /** The link carried a setup (a shared link, or the lab's own URL reloaded). */
  fromLink: boolean;
  /** The recorded session on show or to show (null: the manifest's first), whether to replay it, and how fast. */
  sample: string | null;
  replay: boolean;
  speed: number | null;
}

/** Settings the lab shows as controls. */
export const LAB_SETTINGS = TRAINING_SETTINGS.filter((s) => s.surface === 'both');

/** The table's defaults with the first task's first teaching preset: what the controls show at first. */
export function initialSetup(): Setup {
  const task = taskNames()[0];
  const presets = Object.entries(getTask(task)!.presets);
  const preset = (presets.find(([, p]) => p.teaching) ?? presets[0])[0];
  const defaults = Object.fromEntries(
    TRAINING_SETTINGS.filter((s) => s.default !== undefined).map((s) => [s.name, s.default]),
  );
  return {
    training: { ...defaults, ...presetValues(task, preset) },
    analysis: {},
    hide: [],
    lock: false,
    problems: [],
    fromLink: false,
    sample: null,
    replay: false,
    speed: null,
  };
}

/** The setup a page opens with: the link's, when it has one (never throws: what it cannot use is a problem). */
export function setupFromLink(search: string): Setup {
  if (search.replace(/^\?/, '') === '') return initialSetup();
  const { state, problems } = decodeLabUrl(search);
  return {
    training: state.training,
    analysis: state.analysis,
    hide: state.hide,
    lock: state.lock,
    problems: problems.map((p) => p.message),
    fromLink: true,
    sample: state.sample,
    replay: state.replay,
    speed: state.speed,
  };
}

/** The query string of the setup (written to the address bar). */
export function linkOf(setup: Setup): string {
  const { training, analysis, hide, lock, sample, replay, speed } = setup;
  return encodeLabUrl({ training, analysis, hide, lock, sample, replay, speed });
}

/** The recorded session on show, and whether it is being replayed (and how fast), as the link says it. */
export function withSample(setup: Setup, sample: string | null, replay: boolean, speed: number | null): Setup {
  return { ...setup, sample, replay, speed };
}

/** Teacher mode: the link hides panels or locks the task (students get such links). */
export function isTeacherLink(setup: Setup): boolean {
  return setup.lock || setup.hide.length > 0;
}

/** The "copy link for students" URL: this setup with the teacher's choice of hidden panels and settings. */
export function studentLinkOf(setup: Setup, teacher: { hide: readonly string[]; lock: boolean }, base: string): string {
  const { training, analysis, sample, replay, speed } = setup;
  return studentLink({ training, analysis, sample, replay, speed }, teacher, base);
}

/** The same training settings, as a link writes them: two setups train the same thing exactly when these agree. */
export function sameTraining(a: SettingValues, b: SettingValues): boolean {
  const key = (training: SettingValues) => encodeLabUrl({ training });
  return key(a) === key(b);
}

export function withSetting(setup: Setup, name: string, value: SettingValues[string]): Setup {
  return { ...setup, training: { ...setup.training, [name]: value } };
}

/** An analysis setting changed in the page (undefined: back to its default, as a link without it says). */
export function withAnalysis(setup: Setup, name: string, value: SettingValues[string] | undefined): Setup {
  const analysis = { ...setup.analysis };
  if (value === undefined) delete analysis[name];
  else analysis[name] = value;
  return { ...setup, analysis };
}

/** Chooses a task and preset: the controls take the preset's values, keeping the seeds and the backend. */
export function withPreset(setup: Setup, task: string, preset: string): Setup {
  const { training } = setup;
  const keep = { seeds: training.seeds, 'seed-start': training['seed-start'], backend: training.backend };
  return { ...setup, training: { ...presetValues(task, preset), ...keep } };
}

/** The controls show a group's configuration (the group on show). */
export function withTraining(setup: Setup, training: SettingValues): Setup {
  return { ...setup, training: { ...training } };
}

/** Analysis options from the link's analysis settings (a refused value was reported when the link was read). */
export function analysisOptionsOf(setup: Setup): AnalysisRequestOptions {
  try {
    return analyzeOptions(setup.analysis);
  } catch {
    return {};
  }
}

/** Setting names whose values differ between two sets of training settings, the backend aside. */
export function changedSettings(controls: SettingValues, group: SettingValues): string[] {
  return Object.keys(controls).filter((k) => k !== 'backend' && String(controls[k]) !== String(group[k]));
}

/**
 * What a page opens on: the session that was open last, or the recorded sample. A reload, a plain visit, or the
 * link of the very group shown last reopen the session; a shared link to other settings opens those, beside the
 * sample, and the stored sessions stay a click away.
 */
export function openingOf(o: {
  setup: Setup;
  /** The page was reloaded (its URL is the lab's own). */
  reload: boolean;
  /** A session was open last and still has groups. */
  hasSession: boolean;
  /** The training settings of the group shown last (null: the sample or an import was on show). */
  lastShown: SettingValues | null;
}): 'session' | 'sample' {
  // A link to a recorded session (or its replay) shows that, whatever was open last.
  if (!o.hasSession || o.setup.sample !== null || o.setup.replay) return 'sample';
  if (o.reload || !o.setup.fromLink) return 'session';
  return o.lastShown !== null && sameTraining(o.setup.training, o.lastShown) ? 'session' : 'sample';
}
