export * from './runBundle.ts';
export { BundleError } from './bundleError.ts';
export { parseRunsCsv, formatRunsCsv } from './csvBundle.ts';
export { parseRunsJson, formatRunsJson } from './jsonBundle.ts';
export { readBundle, readBundleText } from './readBundle.ts';
export { importBytes, type ByteFile } from './importBytes.ts';
export { decodeBundleBytes, gunzipBundle, MAX_TEXT_BYTES } from './decodeText.ts';
export { MAX_JSON_DEPTH } from './jsonPrescan.ts';
export { safeText, safeMessage, quoted, quotedList, hasUnsafeText, MESSAGE_MAX_BYTES } from './safeText.ts';
export {
  importFiles,
  detectFormat,
  ImportError,
  FORMAT_NAMES,
  type ImportResult,
  type ImportFormat,
  type ImportProblem,
  type ImportOptions,
  type InputFile,
  type TextFile,
} from './importFiles.ts';
export { readLongTable, RUN_COLUMNS, STEP_COLUMNS, type LongTable } from './longTable.ts';
export { readWandbExport, readWandbFiles, isWandbHeader } from './wandbCsv.ts';
export { readEventFiles, isEventFileName } from './tensorboardEvents.ts';
export { readEventFile } from './tfEvents.ts';
export { tfRecords, startsWithTfRecord } from './tfRecord.ts';
export { crc32c, maskedCrc32c } from './crc32c.ts';
export { aliasesFor, ALIAS_TABLES, POLYPYTHIAS_COLUMNS } from './metricAliases.ts';
export {
  parseAuthorsRunCsv,
  parseAuthorsRunFiles,
  isAuthorsHeader,
  seedFromName,
  AUTHORS_COLUMNS,
} from './authorsCsv.ts';
export {
  parseTensorboardFiles,
  readTensorboardFiles,
  isTensorboardHeader,
  runAndTag,
  columnForTag,
} from './tensorboardCsv.ts';
export { naturalCompare } from './csvRecords.ts';
