export * from './runBundle.ts';
export { BundleError } from './bundleError.ts';
export { parseRunsCsv, formatRunsCsv } from './csvBundle.ts';
export { parseRunsJson, formatRunsJson } from './jsonBundle.ts';
export { readBundleText } from './readBundle.ts';
export { importFiles, detectFormat, type ImportResult, type ImportFormat, type TextFile } from './importFiles.ts';
export { parseAuthorsRunCsv, parseAuthorsRunFiles, isAuthorsHeader, seedFromName, AUTHORS_COLUMNS } from './authorsCsv.ts';
export { parseTensorboardFiles, isTensorboardHeader, runAndTag, columnForTag } from './tensorboardCsv.ts';
export { naturalCompare } from './csvRecords.ts';
