/**
 * Trains one candidate modular-addition configuration (the search for a CPU teaching preset, issue #16 §3) and
 * says, per seed, when it memorized (train accuracy ≥ 0.99) and what its eval accuracy was then, and when it
 * generalized (eval accuracy ≥ 0.9), with the measured training speed. Writes the bundle, so growing prefixes can
 * be analyzed with scripts/first-fork.ts.
 *
 * Usage: npx tsx scripts/teaching-search.ts '{"modulus":23,"dModel":32,"heads":4,"dHead":8,"dMlp":128,
 *   "trainFraction":0.5,"lr":0.01,"wd":1,"epochs":600,"checkpointEvery":5,"seeds":40}' out/search/a.json
 * Any field left out takes the value of modular-addition/quick. "preset" picks another base preset.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatRunsJson } from '../src/io/index.ts';
import { selectBackend } from '../src/train/backend.ts';
import { TrainingSession, type DoneEvent } from '../src/train/session.ts';
import { createTaskModel, trainingConfig, validateConfig } from '../tasks/index.ts';
import { bundleMilestones } from '../src/classroom/milestones.ts';

const spec = JSON.parse(process.argv[2] ?? '{}') as Record<string, number | boolean | string>;
const out = process.argv[3] ?? 'out/search/candidate.json';
const cfg = trainingConfig('modular-addition', String(spec.preset ?? 'quick'));
for (const k of ['modulus', 'dModel', 'heads', 'dHead', 'dMlp', 'trainFraction', 'layerNorm'] as const)
  if (spec[k] !== undefined) cfg.model[k] = spec[k] as number | boolean;
if (spec.lr !== undefined) cfg.optimizer.learningRate = Number(spec.lr);
if (spec.wd !== undefined) cfg.optimizer.weightDecay = Number(spec.wd);
if (spec.beta2 !== undefined && cfg.optimizer.kind === 'adamw') cfg.optimizer.beta2 = Number(spec.beta2);
if (spec.epochs !== undefined) cfg.epochs = Number(spec.epochs);
if (spec.checkpointEvery !== undefined) cfg.checkpointEvery = Number(spec.checkpointEvery);
const nTrain = Math.floor(Number(cfg.model.trainFraction) * Number(cfg.model.modulus) ** 2);
cfg.batchSize = spec.batchSize !== undefined ? Math.min(Number(spec.batchSize), nTrain) : nTrain;
cfg.preset = 'search';
validateConfig(cfg);
const seeds = Array.from({ length: Number(spec.seeds ?? 40) }, (_, i) => i);

const backend = await selectBackend({ requested: 'wasm' });
const session = new TrainingSession({
  model: await createTaskModel(cfg),
  seeds,
  backend,
  store: { flush: async () => undefined },
  sink: (e) => {
    if (e.type === 'progress' && e.stepsDone % 100 === 0)
      process.stderr.write(
        `step ${e.stepsDone}/${e.totalSteps} ${(e.stepsPerSecond * seeds.length).toFixed(0)} seed-steps/s eval ${e.meanEvalAcc?.toFixed(3)}\n`,
      );
  },
  yieldToHost: () => new Promise((resolve) => setImmediate(resolve)),
  saveEveryMs: 1e9,
  progressEveryMs: 0,
});
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const done: DoneEvent = await session.start();
const wall = (performance.now() - t0) / 1000;
const cpuUsed = process.cpuUsage(cpu0);
const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, formatRunsJson(session.bundle));
session.dispose();

const m = bundleMilestones(session.bundle, cfg.convergenceThreshold);
const memorizedFirst = m.filter((s) => s.memorized !== null && s.evalAtMemorized! < 0.5).length;
const generalized = m.filter((s) => s.generalized !== null).map((s) => s.generalizedEpoch!);
generalized.sort((a, b) => a - b);
const q = (f: number) => generalized[Math.min(generalized.length - 1, Math.floor(f * generalized.length))];
const summary = {
  spec,
  config: cfg,
  nTrain,
  wallSeconds: Math.round(wall),
  cpuSeconds: Math.round(cpu),
  seedStepsPerSecond: Math.round((done.stepsRun * seeds.length) / wall),
  // Training holds one core: its CPU time is what a quiet machine's wall time would be (checkpoints included).
  seedStepsPerCpuSecond: Math.round((done.stepsRun * seeds.length) / cpu),
  loadAverage: (await import('node:os')).loadavg().map((v) => +v.toFixed(1)),
  memorizedFirst: `${memorizedFirst}/${seeds.length}`,
  generalized: `${generalized.length}/${seeds.length}`,
  generalizedEpochQuartiles: generalized.length ? [q(0), q(0.25), q(0.5), q(0.75), q(0.99)] : [],
  perSeed: m.map((s) => [s.memorizedEpoch, +(s.evalAtMemorized ?? NaN).toFixed(2), s.generalizedEpoch]),
};
writeFileSync(out.replace(/\.json$/, '.summary.json'), JSON.stringify(summary, null, 1));
console.log(JSON.stringify({ ...summary, perSeed: undefined, config: undefined }));
