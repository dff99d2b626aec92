/**
 * An analysis report through JSON. JSON has no NaN or Infinity, so writers put them as the strings "NaN",
 * "Infinity" and "-Infinity" (formatRunsJson does); reading an analysis back turns those strings into numbers
 * again, except in the fields that hold text (run ids, feature names, messages), where they stay strings.
 */

/** Properties of an AnalysisReport whose values (or array elements) are text. */
const TEXT_FIELDS = new Set([
  'format',
  'key',
  'id',
  'group',
  'feature',
  'features',
  'label',
  'message',
  'kind',
  'reason',
  'excludedReason',
  'skipped',
  'note',
  'shape',
  'init',
  'accuracyColumn',
  'error',
  'role',
  'criterion',
  'mode',
  'states',
]);

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** Restores non-finite numbers in a parsed analysis (in place where possible; returns the value). */
export function reviveNonFinite(value: unknown, field = ''): unknown {
  if (typeof value === 'string')
    return !TEXT_FIELDS.has(field) && Object.hasOwn(NON_FINITE, value) ? NON_FINITE[value] : value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = reviveNonFinite(value[i], field);
    return value;
  }
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = reviveNonFinite(o[k], k);
  }
  return value;
}

/** JSON text of any value with non-finite numbers as strings (the convention above). */
export function stringifyNonFinite(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), indent);
}
