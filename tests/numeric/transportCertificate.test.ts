/** The simplex solver's optimality certificates, against basis enumeration, its pivot bound and the case that once looped (transport.test.ts has the closed forms). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { earthMoversDistance, MASS_UNITS, pivotLimit, solveTransport } from '../../src/numeric/transport.ts';
import { bruteForceTransport } from '../helpers/transportBruteForce.ts';
import { transportProblem, type ProblemKind, type TransportProblem } from './transportProblems.ts';

const kinds: ProblemKind[] = ['random', 'degenerate', 'sparse', 'equal'];
const problem = (maxSize: number) =>
  fc
    .record({
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      n: fc.integer({ min: 1, max: maxSize }),
      m: fc.integer({ min: 1, max: maxSize }),
      kind: fc.constantFrom(...kinds),
    })
    .map(({ seed, n, m, kind }) => ({ ...transportProblem(seed, n, m, kind), kind }));

/** The plan is feasible and the potentials certify it optimal (dual feasible, complementary slack, no duality gap). */
function expectCertifiedOptimal({ p, q, cost }: TransportProblem): number {
  const s = solveTransport(p, q, cost);
  const n = p.length;
  const m = q.length;
  const mass = p.reduce((a, b) => a + b, 0);
  const cmax = Math.max(...cost.flat().map(Math.abs));
  const massTol = (4 * (n + m) * mass) / MASS_UNITS;
  const costTol = 1e-9 * cmax;
  for (let i = 0; i < n; i++) {
    const row = s.plan[i].reduce((a, b) => a + b, 0);
    expect(Math.abs(row - p[i])).toBeLessThanOrEqual(massTol);
  }
  for (let j = 0; j < m; j++) {
    const col = s.plan.reduce((a, r) => a + r[j], 0);
    expect(Math.abs(col - q[j])).toBeLessThanOrEqual(massTol);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      expect(s.plan[i][j]).toBeGreaterThanOrEqual(0);
      const reduced = cost[i][j] - s.u[i] - s.v[j];
      expect(reduced).toBeGreaterThanOrEqual(-costTol);
      if (s.plan[i][j] > 0) expect(Math.abs(reduced)).toBeLessThanOrEqual(costTol);
    }
  }
  const dual = p.reduce((a, x, i) => a + x * s.u[i], 0) + q.reduce((a, x, j) => a + x * s.v[j], 0);
  expect(Math.abs(dual - s.cost)).toBeLessThanOrEqual(costTol * mass + cmax * massTol);
  expect(s.pivots).toBeLessThanOrEqual(pivotLimit(n, m));
  // Far below the guard: over 10⁵ seeded problems up to 16×16 the most pivots seen was 0.5·n·m.
  expect(s.pivots).toBeLessThanOrEqual(n * m + n + m);
  return s.cost;
}

describe('transport (network simplex on whole units)', () => {
  it('random and degenerate problems up to 16×16: optimal by the dual certificate, within the pivot bound', () => {
    fc.assert(
      fc.property(problem(16), (pr) => void expectCertifiedOptimal(pr)),
      { numRuns: 400 },
    );
  });

  it('equals the best vertex of the transport polytope, found by enumerating every basis (up to 4×4)', () => {
    fc.assert(
      fc.property(problem(4), (pr) => {
        const emd = expectCertifiedOptimal(pr);
        const brute = bruteForceTransport(pr.p, pr.q, pr.cost);
        const scale = Math.max(...pr.cost.flat().map(Math.abs)) * pr.p.reduce((a, b) => a + b, 0);
        expect(Math.abs(emd - brute)).toBeLessThanOrEqual(1e-9 * scale);
      }),
      { numRuns: 150 },
    );
  });

  it('a distribution moved onto itself over a metric costs 0; zero costs cost 0; one source or one sink is forced', () => {
    const p = [0.2, 0, 0.5, 0.3];
    const metric = p.map((_, i) => p.map((_, j) => Math.abs(i - j) * 1.5));
    expect(earthMoversDistance(p, p, metric)).toBe(0);
    expect(
      earthMoversDistance(
        p,
        [0.25, 0.25, 0.25, 0.25],
        metric.map((r) => r.map(() => 0)),
      ),
    ).toBe(0);
    const one = solveTransport([2], [0.5, 1.5], [[3, 5]]);
    expect(one.plan).toEqual([[0.5, 1.5]]);
    expect(one.cost).toBeCloseTo(9, 14);
    // The optimal basis is evaluated at the given masses, not at their rounding to units.
    const point = solveTransport([1], [0.2, 0.3, 0.5], [[4, 1, 2]]);
    expect(point.plan[0]).toEqual([0.2, 0.3, 0.5]);
    expect(point.cost).toBeCloseTo(2.1, 14);
    expect(one.pivots).toBe(0);
  });

  it('the K=8 problem on which the earlier solver looped forever (from a 100-run × 2600-checkpoint analysis)', () => {
    // Occupancies of two runs (counts / 2600) and distances between eight state means: the old successive
    // shortest paths walked a cycle of predecessor links created by rounding and never returned.
    const p = [
      0.105, 0.010769230769230769, 0.06153846153846154, 0.18576923076923077, 0.03653846153846154, 0.4869230769230769, 0,
      0.11346153846153846,
    ];
    const q = [
      0.23307692307692307, 0.4642307692307692, 0, 0.10230769230769231, 0.06923076923076923, 0, 0, 0.13115384615384615,
    ];
    const cost = HANG_COST;
    expectCertifiedOptimal({ p, q, cost });
  });

  it('refuses what is not a transport problem, saying why', () => {
    expect(() =>
      earthMoversDistance(
        [1, 0],
        [0.5, 0],
        [
          [0, 1],
          [1, 0],
        ],
      ),
    ).toThrow(/equal positive mass, got 1 and 0.5/);
    expect(() =>
      earthMoversDistance(
        [0, 0],
        [0, 0],
        [
          [0, 1],
          [1, 0],
        ],
      ),
    ).toThrow(/equal positive mass/);
    expect(() =>
      earthMoversDistance(
        [1.5, -0.5],
        [0.5, 0.5],
        [
          [0, 1],
          [1, 0],
        ],
      ),
    ).toThrow(/non-negative finite masses; the first distribution has -0.5 at 1/);
    expect(() =>
      earthMoversDistance(
        [NaN, 1],
        [0.5, 0.5],
        [
          [0, 1],
          [1, 0],
        ],
      ),
    ).toThrow(/non-negative finite masses/);
    expect(() => earthMoversDistance([1], [1], [[Infinity]])).toThrow(/finite costs; cost\[0\]\[0\] is Infinity/);
    expect(() => earthMoversDistance([1], [0.5, 0.5], [[0]])).toThrow(/a 1×2 cost matrix/);
    expect(() => earthMoversDistance([], [1], [])).toThrow(/non-empty/);
  });
});

const HANG_COST: number[][] = [
  [
    0, 16.747369325992086, 11.993940985824679, 10.01306028067467, 11.471569145569505, 11.195494805830391,
    10.596367616335053, 13.190651152155073,
  ],
  [
    16.747369325992086, 0, 17.455166789724135, 15.784053885856943, 13.727958445454675, 15.824404789034135,
    11.649308795047114, 15.223113069552637,
  ],
  [
    11.993940985824679, 17.455166789724135, 0, 10.764834852178607, 11.786956547646264, 10.029535197181806,
    11.099989823204018, 15.943059852506222,
  ],
  [
    10.01306028067467, 15.784053885856943, 10.764834852178607, 0, 12.071096456081733, 9.490819718569798,
    8.166755770794087, 14.683586254327041,
  ],
  [
    11.471569145569505, 13.727958445454675, 11.786956547646264, 12.071096456081733, 0, 11.577069592995302,
    9.439522873452145, 13.114407933576285,
  ],
  [
    11.195494805830391, 15.824404789034135, 10.029535197181806, 9.490819718569798, 11.577069592995302, 0,
    11.404262101627321, 15.121712952642577,
  ],
  [
    10.596367616335053, 11.649308795047114, 11.099989823204018, 8.166755770794087, 9.439522873452145,
    11.404262101627321, 0, 14.59774134857077,
  ],
  [
    13.190651152155073, 15.223113069552637, 15.943059852506222, 14.683586254327041, 13.114407933576285,
    15.121712952642577, 14.59774134857077, 0,
  ],
];
