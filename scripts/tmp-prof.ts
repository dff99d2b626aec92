import { selectBackend } from '/work/wt/classroom/src/train/backend.ts';
import { BatchedTrainer } from '/work/wt/classroom/src/train/batchedTrainer.ts';
import { createTaskModel, trainingConfig } from '/work/wt/classroom/tasks/index.ts';
await selectBackend({ requested: 'wasm' });
const specs = JSON.parse(process.argv[2]);
for (const spec of specs) {
  const cfg = trainingConfig('modular-addition', 'quick');
  Object.assign(cfg.model, spec.model);
  const nTrain = Math.floor(Number(cfg.model.trainFraction) * Number(cfg.model.modulus) ** 2);
  cfg.batchSize = spec.batch ?? nTrain;
  cfg.epochs = 1000;
  const t = new BatchedTrainer(await createTaskModel(cfg), Array.from({ length: 40 }, (_, i) => i));
  for (let i = 0; i < 3; i++) t.step();
  await t.settle();
  let c0 = process.cpuUsage();
  const n = spec.steps ?? 20;
  for (let i = 0; i < n; i++) t.step();
  await t.settle();
  let c = process.cpuUsage(c0);
  const stepMs = (c.user + c.system) / 1000 / n;
  await t.checkpoint();
  c0 = process.cpuUsage();
  await t.checkpoint();
  await t.checkpoint();
  c = process.cpuUsage(c0);
  const ckMs = (c.user + c.system) / 1000 / 2;
  console.log(JSON.stringify({ model: spec.model, batch: cfg.batchSize, nTrain, stepMs: +stepMs.toFixed(1), seedStepsPerCpuS: Math.round(40000 / stepMs), checkpointMs: Math.round(ckMs) }));
  t.dispose();
}
