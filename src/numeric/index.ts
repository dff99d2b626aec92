/** Numerical building blocks below both training and analysis: seeded RNG streams, linear algebra, special functions, transport, assignment. */
export { createRng, deriveSeed, type Rng } from './rng.ts';
export {
  choleskyLower,
  invertLower,
  invertSpd,
  logDetFromCholesky,
  covarianceOfRows,
  flatten2d,
  solveLinear,
} from './linalg.ts';
export { mean, median, medianWithout } from './stats.ts';
export { fDistributionSurvival, regularizedBeta, logGamma } from './specialFunctions.ts';
export { earthMoversDistance, solveTransport, type TransportSolution } from './transport.ts';
export { hungarian } from './hungarian.ts';
