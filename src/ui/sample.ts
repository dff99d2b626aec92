/**
 * The recorded runs the lab opens on: our 40-seed sparse-parity paper run (static/samples/), with the analysis the
 * CLI exported for it, so the first map is drawn from a warm refit in a moment while a full model selection runs.
 */
import type { AnalysisReport } from '../analysis/index.ts';
import { reviveNonFinite } from '../io/analysisJson.ts';
import { parseRunsCsv, type RunBundle } from '../io/index.ts';

export const SAMPLE_FILE = 'sparse-parity-paper.csv';

export async function loadSample(base = './samples/'): Promise<{ bundle: RunBundle; report: AnalysisReport | null }> {
  const [csv, analysis] = await Promise.all([
    fetch(base + SAMPLE_FILE).then((r) => {
      if (!r.ok) throw new Error(`${SAMPLE_FILE}: HTTP ${r.status}`);
      return r.text();
    }),
    fetch(base + SAMPLE_FILE.replace(/\.csv$/, '.analysis.json'))
      .then(async (r) => (r.ok ? (reviveNonFinite(await r.json()) as AnalysisReport) : null))
      .catch(() => null),
  ]);
  const bundle = parseRunsCsv(csv, SAMPLE_FILE);
  bundle.groups[0].name = 'sparse-parity/paper (recorded)';
  return { bundle, report: analysis };
}
