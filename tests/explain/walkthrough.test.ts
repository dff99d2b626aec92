import { describe, expect, it } from 'vitest';
import { TERMS } from '../../src/explain/glossary.ts';
import { describeStates } from '../../src/explain/stateWords.ts';
import { explainMap } from '../../src/explain/walkthrough.ts';
import { DEFAULT_FEATURES } from '../../src/io/index.ts';
import { mapReport } from '../helpers/mapReports.ts';
import { sparseParityReport } from '../ui/sampleReport.ts';

describe('explain this map (teacher mode)', () => {
  it('walks through a linear map in order: what it is, K, the start, each state, the road, delays, convergence, how sure', () => {
    const report = sparseParityReport();
    const steps = explainMap(report);
    expect(steps.map((s) => s.id)).toEqual([
      'overview',
      'k',
      'start',
      'state-1',
      'state-2',
      'state-3',
      'state-4',
      'state-5',
      'shape',
      'detours',
      'convergence',
      'sure',
    ]);
    const byId = Object.fromEntries(steps.map((s) => [s.id, s]));
    expect(byId.overview.text).toMatch(/^40 runs of the same training/);
    expect(byId.k.text).toMatch(/^K = 6 describes the 8 held-out runs best .* lowest BIC among K = 1 to 8\./);
    // The shipped analysis found K = 8 about as good (the resampling says so): the walkthrough says it too.
    expect(byId.k.text).toContain('K = 8 fits about as well');
    expect(byId.start.text).toMatch(/^All 40 runs start in state 0: /);
    const words = describeStates(report);
    expect(byId['state-2'].text).toContain(words.find((d) => d.state === 2)!.sentence);
    expect(byId['state-2'].focus).toEqual({ states: [2], edges: [[1, 2]] });
    expect(byId.shape.text).toBe(
      'The map is linear: every run walks the same chain 0 → 1 → 2 → 3 → 4 → 5, some starting later or stopping earlier.',
    );
    expect(byId.detours.text).toMatch(/R² = 0\.98 .* No state is a detour here\./);
    expect(byId.convergence.text).toBe('40 of 40 runs passed 0.9 eval accuracy.');
    // The supports count the comparable fits at every plausible K (here 6 and 8), as the CLI summary does.
    expect(byId.sure.text).toMatch(
      /fitted 20 times at K = 6 .*, and at K = 8 too .* 8 of those fits, over K = 6, 8, .* 61% of them draw the map linear/,
    );
    for (const s of steps) {
      expect(s.text.length).toBeGreaterThan(20);
      for (const t of s.terms) expect(TERMS[t], `${s.id}: ${t}`).toBeDefined();
    }
  });

  it('a forking map: where runs part, the ways back, the detours with their support, the censored runs; a fixed K says so', () => {
    const fork = mapReport({ states: 6, shape: 'forking', features: [...DEFAULT_FEATURES], seed: 11 });
    fork.settings = { ...fork.settings, states: 6 };
    // The helper's supports are set at the chosen K alone (its acrossK is the sample's, without these detours).
    delete (fork.stability as { acrossK?: unknown }).acrossK;
    fork.regression = {
      ...(fork.regression as Exclude<typeof fork.regression, { skipped: string }>),
      significant: false,
      fPValue: 0.2,
    };
    for (const r of fork.runs.slice(0, 3)) r.convergence = { ...r.convergence!, converged: false };
    const steps = explainMap(fork);
    const byId = Object.fromEntries(steps.map((s) => [s.id, s]));
    expect(byId.k.text).toBe('K = 6 was fixed by the settings, not chosen from the data.');
    expect(byId.shape.title).toBe('Where the roads part');
    expect(byId.shape.text).toMatch(/^The map forks: runs do not all take the same route\. From state \d+, /);
    expect(byId.detours.text).toContain('(F-test p = 0.200). That is not significant');
    for (const d of fork.detours) expect(byId.detours.text).toContain(`State ${d} is a detour`);
    expect(byId.detours.text).toContain('(60% of the fits agree)');
    expect(byId.convergence.text).toBe(
      '27 of 30 runs passed 0.9 eval accuracy. 3 had not by their last checkpoint: they are censored, their convergence times only known to be later.',
    );
    expect(steps.filter((s) => s.id.startsWith('state-')).length).toBe(
      fork.map.nodes.filter((n) => n.runs > 0).length - 1,
    );
  });
});
