/** Trainmap's analysis library: pure TypeScript, no DOM, no tfjs; runs in Node, workers and the page. */
export type { HMMParams, FitWarning, ObservationSet, FlatParams } from './hmm/types.ts';
export { fitGaussianHMM, fitObservations, type FitOptions, type FitResult } from './hmm/fit.ts';
export { ANALYSIS_DEFAULTS } from './defaults.ts';
export { type InitMethod } from './hmm/init.ts';
export {
  logLikelihood,
  scorePerSequence,
  viterbi,
  posteriors,
  decodeObservations,
  scoreObservations,
} from './hmm/inference.ts';
export { aic, bic, nFreeParameters } from './hmm/criteria.ts';
export { packSequences, subsetObservations } from './hmm/observations.ts';
export { toFlat, fromFlat, validateParams } from './hmm/params.ts';
export {
  assignStates,
  matchStates,
  matchStatesByOverlap,
  matchStatesByPaths,
  meansCost,
  permuteParams,
  permutePath,
} from './hmm/matching.ts';
export {
  findDegenerateStates,
  renumberFindings,
  describeFinding,
  formatProbability,
  type DegenerateFinding,
} from './hmm/degeneracy.ts';
export { sampleGaussianHMM } from './hmm/sample.ts';
export {
  splitRuns,
  planSelection,
  runFitJob,
  assembleSelection,
  selectModel,
  selectModelWith,
  stabilityJobs,
  pickRestart,
  restartSeed,
  runJobsHere,
  unsupportedReason,
  type RestartGuard,
  type SelectionOptions,
  type SelectionPlan,
  type SelectionRow,
  type ModelSelection,
  type FitJob,
  type FitJobResult,
  type FitRunner,
  type SelectionProgress,
} from './selection.ts';
export { zScoreRun, NORMALIZATION_WINDOW } from './normalize.ts';
export { convergenceTimes, type Convergence } from './convergence.ts';
export { olsImplicitIntercept, type OlsResult } from './regression.ts';
export { bagOfStatesRegression, type BagOfStatesRegression } from './bagOfStates.ts';
export { detourStates } from './detours.ts';
export {
  occupancy,
  wassersteinOnIndices,
  trajectoryDissimilarity,
  labelFreeDissimilarity,
  estimateLabelFreeDissimilarity,
  dissimilarities,
  EXACT_PAIR_LIMIT,
  SAMPLED_PAIRS,
  type Dissimilarities,
  type DissimilarityEstimate,
  type DissimilarityMethod,
} from './dissimilarity.ts';
export {
  buildTrainingMap,
  rankFeatures,
  linearOrder,
  pathEdges,
  collapse,
  formatChange,
  type TrainingMap,
  type MapNode,
  type MapEdge,
} from './map.ts';
export {
  assessStability,
  pairedZ,
  spread,
  type StabilityReport,
  type StabilityFit,
  type StabilityInput,
  type StabilityMatching,
  type Spread,
} from './stability.ts';
export { assessKChoice, type KChoice, type KWins } from './kChoice.ts';
export { analyzeRuns, analyzeRunsWith, analyzePrepared } from './pipeline.ts';
export { finishAnalysis, type FittedAnalysis } from './finishAnalysis.ts';
export { firstVisitOrder, numberStates, type PreviousFit, type StateNumbering } from './stateNumbering.ts';
export {
  plausibleKs,
  chanceOfEachK,
  assessSupportAcrossK,
  describeSupport,
  describeVerdict,
  formatKs,
  type PlausibleK,
  type KSupport,
  type SupportAcrossK,
} from './supportAcrossK.ts';
export { AnalysisInputError, analysisInputProblem, type AnalysisInputProblem } from './analysisInputError.ts';
export {
  ANALYSIS_FORMAT,
  CAVEAT_KINDS,
  caveatsOf,
  resolveSettings,
  type CaveatKind,
  type AnalyzeOptions,
  type AnalysisReport,
  type AnalysisProgress,
  type AnalysisStep,
  type AnalysisSettings,
  type AnalysisWarning,
  type RunSummary,
} from './analysisReport.ts';
export { featureColumns, prepareRuns, type PreparedRuns } from './prepareRuns.ts';
export { warmRefit, warmRefitObstacle } from './warmRefit.ts';
export { exportedAnalysisOf, previousFitOf, previousOfReport, PreviousFitError } from './previousFit.ts';
