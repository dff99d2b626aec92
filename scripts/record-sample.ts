/**
 * Records a bundled session for the lab (issue #16 §2): trains it with `trainmap run` (unless --bundle names one
 * already trained, with its provenance), writes static/samples/<id>.csv.gz, analyzes that very CSV with the default
 * analysis (as scripts/make-sample-analysis.ts does) into <id>.analysis.json.gz, and enters it in
 * static/samples/manifest.json with its provenance: the command, the commit, the machine, the wall time and the load.
 *
 * Usage:
 *   npx tsx scripts/record-sample.ts --id modadd-cpu --title '…' --description '…' -- \
 *     --task modular-addition --preset cpu --seeds 40 --backend wasm
 *   npx tsx scripts/record-sample.ts --id … --title … --description … --bundle out/x.json --provenance out/x.provenance.json
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { analyzeRunsWith } from '../src/analysis/index.ts';
import { defaultWorkerCount, workerFitRunner } from '../src/cli/fitPool.ts';
import { stringifyNonFinite } from '../src/io/analysisJson.ts';
import { formatRunsCsv, parseRunsCsv, parseRunsJson } from '../src/io/index.ts';
import { checkpointSteps } from '../src/replay/prefix.ts';
import type { TrainingConfig } from '../src/train/task.ts';
import {
  parseSampleManifest,
  SAMPLE_MANIFEST_FORMAT,
  settingsBeyondPreset,
  type SampleEntry,
  type SampleManifest,
  type SampleProvenance,
} from '../src/replay/samples.ts';

const SAMPLES = 'static/samples';
const argv = process.argv.slice(2);
const split = argv.indexOf('--');
const own = split >= 0 ? argv.slice(0, split) : argv;
const runArgs = split >= 0 ? argv.slice(split + 1) : [];
const flag = (name: string) => {
  const i = own.indexOf(`--${name}`);
  return i >= 0 ? own[i + 1] : undefined;
};
const id = flag('id');
const title = flag('title');
const description = flag('description');
if (!id || !title || !description || !/^[a-z0-9-]+$/.test(id))
  throw new Error(
    'usage: record-sample.ts --id lower-case-id --title … --description … (-- trainmap run flags | --bundle b.json --provenance p.json)',
  );

let bundlePath = flag('bundle');
let provenance: SampleProvenance;
if (!bundlePath) {
  bundlePath = `out/samples/${id}.json`;
  mkdirSync('out/samples', { recursive: true });
  const args = ['run', ...runArgs, '--out', bundlePath, '--force'];
  const loadBefore = loadavg()[0];
  const t0 = Date.now();
  const result = spawnSync('npx', ['tsx', 'src/cli/main.ts', ...args], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`trainmap run failed (exit ${result.status})`);
  const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no']).toString().trim() !== '';
  provenance = {
    command: `npm run trainmap -- ${args.slice(0, -1).join(' ')}`,
    commit: execFileSync('git', ['rev-parse', 'HEAD']).toString().trim() + (dirty ? ' (with uncommitted changes)' : ''),
    machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores`,
    wallSeconds: Math.round((Date.now() - t0) / 1000),
    load: `load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`,
    date: new Date().toISOString(),
  };
  writeFileSync(bundlePath.replace(/\.json$/, '.provenance.json'), JSON.stringify(provenance, null, 1));
} else {
  const p = flag('provenance');
  if (!p) throw new Error('--bundle needs --provenance (the JSON record-sample wrote when it trained it)');
  provenance = JSON.parse(readFileSync(p, 'utf8')) as SampleProvenance;
}

const trained = parseRunsJson(readFileSync(bundlePath, 'utf8'), bundlePath);
const config = trained.groups[0].config as { task?: string; preset?: string; backend?: string };
provenance.machine += config.backend ? `, backend ${config.backend}` : '';
const runsFile = `${id}.csv.gz`;
const gz = gzipSync(formatRunsCsv(trained), { level: 9 });
writeFileSync(`${SAMPLES}/${runsFile}`, gz);
// The analysis is of the CSV as the page will read it, so its run keys and values are the page's.
const bundle = parseRunsCsv(formatRunsCsv(trained), runsFile);
const runner = workerFitRunner(defaultWorkerCount());
const threshold = Number((trained.groups[0].config as { convergenceThreshold?: number }).convergenceThreshold ?? 0.9);
const report = await analyzeRunsWith(runner, bundle, { threshold });
runner.close();
const analysisFile = `${id}.analysis.json.gz`;
writeFileSync(`${SAMPLES}/${analysisFile}`, gzipSync(stringifyNonFinite(report), { level: 9 }));

const manifestPath = `${SAMPLES}/manifest.json`;
const manifest: SampleManifest = existsSync(manifestPath)
  ? parseSampleManifest(JSON.parse(readFileSync(manifestPath, 'utf8')), manifestPath)
  : { format: SAMPLE_MANIFEST_FORMAT, samples: [] };
const entry: SampleEntry = {
  id,
  title,
  description,
  runs: runsFile,
  analysis: analysisFile,
  task: config.task ?? 'unknown',
  preset: config.preset ?? 'unknown',
  seeds: bundle.groups[0].runs.length,
  checkpoints: checkpointSteps(bundle).length,
  bytes: statSync(`${SAMPLES}/${runsFile}`).size + statSync(`${SAMPLES}/${analysisFile}`).size,
  provenance,
};
// What its command set beyond the preset (layer norm, batch size…): what a comparison of samples names as differing.
const settings = config.task && config.preset ? settingsBeyondPreset(config as unknown as TrainingConfig) : {};
if (Object.keys(settings).length) entry.settings = settings;
const at = manifest.samples.findIndex((s) => s.id === id);
if (at >= 0) manifest.samples[at] = entry;
else manifest.samples.push(entry);
writeFileSync(manifestPath, JSON.stringify(parseSampleManifest(manifest, manifestPath), null, 2) + '\n');
console.log(
  `${SAMPLES}/${runsFile} (${(gz.length / 1024).toFixed(0)} KiB) and ${analysisFile}: K=${report.selection.chosenK}, ${report.map.shape}, detours ${report.detours.join(',') || 'none'}; ${entry.bytes} bytes in all`,
);
