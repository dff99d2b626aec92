/**
 * Writes static/samples/<sample>.analysis.json: the default analysis of a bundled sample, which the lab shows at
 * once and refits warm in its analysis worker while a full model selection runs there.
 * Usage: npx tsx scripts/make-sample-analysis.ts [static/samples/sparse-parity-paper.csv]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { analyzeRunsWith } from '../src/analysis/index.ts';
import { defaultWorkerCount, workerFitRunner } from '../src/cli/fitPool.ts';
import { stringifyNonFinite } from '../src/io/analysisJson.ts';
import { readBundleText } from '../src/io/index.ts';

const file = process.argv[2] ?? 'static/samples/sparse-parity-paper.csv';
const bundle = readBundleText(readFileSync(file, 'utf8'), file);
const runner = workerFitRunner(defaultWorkerCount());
const report = await analyzeRunsWith(runner, bundle, {});
runner.close();
const out = file.replace(/\.(csv|json)$/i, '') + '.analysis.json';
// Only the analysis: the page has the runs already.
writeFileSync(out, stringifyNonFinite(report));
console.log(`${out}: K=${report.selection.chosenK}, ${report.map.shape}`);
