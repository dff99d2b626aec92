export * from './runBundle.ts';
export { BundleError } from './bundleError.ts';
export { parseRunsCsv, formatRunsCsv } from './csvBundle.ts';
export { parseRunsJson, formatRunsJson } from './jsonBundle.ts';
export { readBundleText } from './readBundle.ts';
