/**
 * Text for ECharts labels. A formatter *string* is a template to ECharts ({a}, {b}, {@dim} are replaced, and
 * {style|text} is rich-text markup), so names from a user's files would be rewritten; a formatter *function*
 * returns its text as is. `text` keeps the words for tests and accessible summaries.
 */
export interface ChartLabel {
  show: boolean;
  text: string;
  formatter: () => string;
}

export function chartLabel(text: string): Omit<ChartLabel, 'show'> & { show: true } {
  return { show: true, text, formatter: () => text };
}
