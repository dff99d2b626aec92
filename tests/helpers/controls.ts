/* eslint-disable no-control-regex -- matching control characters is the point */
/**
 * What must never reach a terminal, a message or the figure raw: C0, DEL, C1, line and paragraph separators,
 * bidirectional controls, the byte-order mark, and lone surrogates.
 */
export const RAW_CONTROL =
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
