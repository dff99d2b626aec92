/**
 * Every setting of a training run: what `trainmap run` accepts as flags and the lab as controls and URL
 * parameters. A run is fully described by these values; `trainingRequest` turns them into the config and seeds.
 */
import { BACKENDS } from '../train/backendNames.ts';
import type { TrainingConfig } from '../train/task.ts';
import { getTask, presetOf, taskNames, trainingConfig } from '../../tasks/index.ts';
import { checkSetting, SettingError, type SettingSpec, type SettingValue } from './spec.ts';

export const TRAINING_SETTINGS: readonly SettingSpec[] = [
  {
    name: 'task',
    type: 'string',
    help: 'what to train',
    choices: taskNames(),
    default: 'sparse-parity',
    surface: 'both',
  },
  {
    name: 'preset',
    type: 'string',
    help: `the task's configuration (${taskNames()
      .map((t) => `${t}: ${Object.keys(getTask(t)!.presets).join('|')}`)
      .join('; ')})`,
    default: 'paper',
    surface: 'both',
  },
  {
    name: 'seeds',
    type: 'integer',
    help: 'how many seeds train together',
    default: 40,
    min: 1,
    max: 4096,
    labMax: 64,
    surface: 'both',
  },
  {
    name: 'seed-start',
    type: 'integer',
    help: 'first seed (seeds are seed-start … seed-start+seeds−1)',
    default: 0,
    min: 0,
    max: 2 ** 31 - 1,
    surface: 'both',
  },
  {
    name: 'epochs',
    type: 'integer',
    help: 'epochs',
    defaultText: "the preset's",
    min: 1,
    max: 1_000_000,
    surface: 'both',
  },
  {
    name: 'checkpoint-every',
    type: 'integer',
    help: 'epochs between checkpoints',
    defaultText: "the preset's",
    min: 1,
    max: 1_000_000,
    surface: 'both',
  },
  {
    name: 'sv-every',
    type: 'integer',
    help:
      'the singular-value metrics (spectral, trace_over_spectral, sv_mean, sv_var) at every k-th checkpoint only, their last values repeated in between ' +
      '(the other metrics at every checkpoint); speeds up metric time on big models, where the SVDs are most of it',
    default: 1,
    min: 1,
    max: 1_000_000,
    surface: 'both',
  },
  {
    name: 'batch-size',
    type: 'integer',
    help: 'batch size',
    defaultText: "the preset's",
    min: 1,
    max: 1_000_000,
    surface: 'both',
  },
  { name: 'lr', type: 'number', help: 'learning rate', defaultText: "the preset's", max: 1e3, surface: 'both' },
  {
    name: 'weight-decay',
    type: 'number',
    help: 'weight decay (decoupled for AdamW, L2 for SGD)',
    defaultText: "the preset's",
    min: 0,
    max: 1e3,
    surface: 'both',
  },
  {
    name: 'layer-norm',
    type: 'boolean',
    help: 'modular addition with post-LN (the stabilized variant)',
    defaultText: "the preset's",
    surface: 'both',
  },
  {
    name: 'backend',
    type: 'string',
    help: 'tfjs backend; auto picks the fastest that works here (in Node webgpu needs a Vulkan driver and is used only when asked for)',
    // The named backends first, webgl (browser only) and auto after them.
    choices: [...BACKENDS.filter((b) => b !== 'webgl'), 'webgl', 'auto'],
    default: 'auto',
    surface: 'both',
  },
];

/** Flags of `trainmap run` that are about files and the terminal, not about the run itself. */
export const RUN_CLI_SETTINGS: readonly SettingSpec[] = [
  {
    name: 'out',
    type: 'string',
    help: 'the run bundle to write as training goes (JSON); its state goes to <out>.state',
    surface: 'cli',
  },
  {
    name: 'resume',
    type: 'boolean',
    help: 'continue the partial bundle at --out from its saved state',
    surface: 'cli',
  },
  { name: 'force', type: 'boolean', help: 'overwrite an existing --out', surface: 'cli' },
  {
    name: 'analyze',
    type: 'boolean',
    help: 'analyze the bundle when training ends (writes <out>.analysis.json)',
    surface: 'cli',
  },
  {
    name: 'save-every',
    type: 'number',
    help: 'seconds between saves of the bundle and state',
    default: 30,
    min: 0,
    max: 86_400,
    surface: 'cli',
  },
];

export type SettingValues = Record<string, SettingValue | undefined>;

/** What a run is: its configuration, its seeds and the backend asked for. */
export interface TrainingRequest {
  config: TrainingConfig;
  seeds: number[];
  backend: (typeof BACKENDS)[number] | 'auto';
}

function get<T extends SettingValue>(values: SettingValues, name: string): T | undefined {
  const spec = TRAINING_SETTINGS.find((s) => s.name === name)!;
  const v = values[name];
  if (v === undefined) return spec.default as T | undefined;
  return checkSetting(spec, v) as T;
}

/** Turns setting values (parsed flags or URL parameters) into a run; unknown tasks, presets or values are SettingErrors. */
export function trainingRequest(values: SettingValues): TrainingRequest {
  const task = get<string>(values, 'task')!;
  const preset = get<string>(values, 'preset')!;
  const layerNorm = get<boolean>(values, 'layer-norm');
  let config: TrainingConfig;
  try {
    config = trainingConfig(task, preset, {
      epochs: get<number>(values, 'epochs'),
      checkpointEvery: get<number>(values, 'checkpoint-every'),
      singularValuesEvery: get<number>(values, 'sv-every'),
      batchSize: get<number>(values, 'batch-size'),
      learningRate: get<number>(values, 'lr'),
      weightDecay: get<number>(values, 'weight-decay'),
      ...(layerNorm !== undefined ? { model: { 'layer-norm': layerNorm } } : {}),
    });
  } catch (e) {
    throw new SettingError(/preset/.test((e as Error).message) ? 'preset' : 'task', (e as Error).message);
  }
  const count = get<number>(values, 'seeds')!;
  const start = get<number>(values, 'seed-start')!;
  const seeds = Array.from({ length: count }, (_, i) => start + i);
  return { config, seeds, backend: get<TrainingRequest['backend']>(values, 'backend')! };
}

/** The setting values a preset implies (what a control shows before the user changes anything). */
export function presetValues(task: string, preset: string): SettingValues {
  return configValues({ ...presetOf(task, preset), task: task as TrainingConfig['task'], preset });
}

/** The setting values of a configuration: a preset's, or a trained group's as its bundle records it. */
export function configValues(p: Omit<TrainingConfig, 'convergenceThreshold'>): SettingValues {
  return {
    task: p.task,
    preset: p.preset,
    epochs: p.epochs,
    'checkpoint-every': p.checkpointEvery,
    ...(p.singularValuesEvery !== undefined ? { 'sv-every': p.singularValuesEvery } : {}),
    'batch-size': p.batchSize,
    lr: p.optimizer.learningRate,
    'weight-decay': p.optimizer.weightDecay,
    ...(typeof p.model.layerNorm === 'boolean' ? { 'layer-norm': p.model.layerNorm } : {}),
  };
}

/** One line per preset of every task, for help texts and the lab's preset picker. */
export function describePresets(): string {
  return taskNames()
    .flatMap((t) =>
      Object.entries(getTask(t)!.presets).map(([name, p]) => `  ${`${t}/${name}`.padEnd(28)}${p.description}`),
    )
    .join('\n');
}
