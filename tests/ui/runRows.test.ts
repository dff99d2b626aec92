import { describe, expect, it } from 'vitest';
import { ribbonRuns } from '../../src/ui/charts/ribbonChart.ts';
import { runRows } from '../../src/ui/runRows.ts';
import { sparseParityReport } from './sampleReport.ts';

describe('the runs as table rows', () => {
  it('lists every drawn run in the ribbons’ order, its states in visiting order without repeats', () => {
    const report = sparseParityReport();
    for (const order of ['convergence', 'run'] as const) {
      const rows = runRows(report, order);
      expect(rows.map((r) => r.key)).toEqual(ribbonRuns(report, order).map((r) => r.key));
    }
    const rows = runRows(report, 'run');
    for (const [i, run] of ribbonRuns(report, 'run').entries()) {
      const states = rows[i].states.split(' → ').map(Number);
      expect(states[0]).toBe(run.path![0]);
      expect(states.at(-1)).toBe(run.path!.at(-1));
      expect(states.every((s, j) => j === 0 || s !== states[j - 1])).toBe(true);
      expect(rows[i].checkpoints).toBe(run.checkpoints);
      if (run.convergence?.converged) expect(rows[i].converged).toMatch(/^at checkpoint \d+/);
      else expect(rows[i].converged).toBe('not converged');
    }
  });

  it('says where a run converged, with its step when known', () => {
    const report = sparseParityReport();
    const run = report.runs.find((r) => r.included && r.path)!;
    run.convergence = { checkpoint: 7, step: 70, converged: true };
    expect(runRows(report, 'run').find((r) => r.key === run.key)!.converged).toBe('at checkpoint 7 (step 70)');
    run.convergence = { checkpoint: 9, step: null, converged: false };
    expect(runRows(report, 'run').find((r) => r.key === run.key)!.converged).toBe('not converged');
  });
});
