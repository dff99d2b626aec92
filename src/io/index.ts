export * from './runBundle.ts';
export { BundleError } from './bundleError.ts';
export { parseRunsCsv, formatRunsCsv } from './csvBundle.ts';
export { parseRunsJson, formatRunsJson } from './jsonBundle.ts';
export { readBundle, readBundleText } from './readBundle.ts';
export { decodeBundleBytes, gunzipBundle, MAX_TEXT_BYTES } from './decodeText.ts';
export { MAX_JSON_DEPTH } from './jsonPrescan.ts';
export { safeText, safeMessage, quoted, quotedList, hasUnsafeText, MESSAGE_MAX_BYTES } from './safeText.ts';
