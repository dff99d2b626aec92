/** One table of every training and analysis setting: the CLI parser and help, the lab's controls and its URL state read it. */
export {
  checkSetting,
  formatSettingsHelp,
  parseSetting,
  settingByName,
  SettingError,
  type SettingSpec,
  type SettingValue,
} from './spec.ts';
export {
  configValues,
  describePresets,
  presetValues,
  RUN_CLI_SETTINGS,
  TRAINING_SETTINGS,
  trainingRequest,
  type SettingValues,
  type TrainingRequest,
} from './training.ts';
export { ANALYSIS_SETTINGS, ANALYZE_CLI_SETTINGS, analyzeOptions } from './analysis.ts';
