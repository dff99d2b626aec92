export * from './runBundle.ts';
export { BundleError } from './bundleError.ts';
export { parseRunsCsv, formatRunsCsv } from './csvBundle.ts';
export { parseRunsJson, formatRunsJson } from './jsonBundle.ts';
export { readBundle, readBundleText } from './readBundle.ts';
export { importBytes, type ByteFile } from './importBytes.ts';
export { decodeBundleBytes, gunzipBundle, MAX_TEXT_BYTES } from './decodeText.ts';
export { MAX_JSON_DEPTH } from './jsonPrescan.ts';
export { safeText, safeMessage, quoted, quotedList, hasUnsafeText, MESSAGE_MAX_BYTES } from './safeText.ts';
export { importFiles, detectFormat, type ImportResult, type ImportFormat, type TextFile } from './importFiles.ts';
export {
  parseAuthorsRunCsv,
  parseAuthorsRunFiles,
  isAuthorsHeader,
  seedFromName,
  AUTHORS_COLUMNS,
} from './authorsCsv.ts';
export { parseTensorboardFiles, isTensorboardHeader, runAndTag, columnForTag } from './tensorboardCsv.ts';
export { naturalCompare } from './csvRecords.ts';
