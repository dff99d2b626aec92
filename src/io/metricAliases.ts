/**
 * Other tools' names for our columns. Every alias was read off the code that writes the name, never off prose:
 *
 * - the paper authors' pipeline: AUTHORS_COLUMNS in authorsCsv.ts (michahu/modeling-training, src/utils.py and
 *   src/metrics.py; the reasons are there);
 * - the PolyPythias training-map scripts: EleutherAI/pythia, polypythias/training-maps/extract_metrics.py at commit
 *   6fc22995fe4d1c9f17a6961fd31951c4c7efe3ca. `get_matrix_metrics(X)` returns, per weight matrix, "L1" (vector_norm
 *   ord=1 of the flattened matrix), "L2" (vector_norm ord=2), "trace", "lambda_max" (matrix_norm ord=2, the spectral
 *   norm), "L1/L2" (l1 / l2), "trace/lambda" (trace / spectral), "mu_lambda" (torch.mean of the singular values,
 *   those under 1e-5 set to 0) and "sigma_lambda" (torch.var of them: a variance, whatever the name says);
 *   `compute_metrics` averages each over the weight matrices (np.mean) and adds "mu_w", "sigma_w" (torch.var),
 *   "median_w" over all weights flattened together, and "mu_b", "sigma_b", "median_b" over all biases;
 *   `get_metrics` writes `seed`, `step` and those 14 columns with `df.to_csv(..., sep="\t", index=False)`. Their
 *   parameter set differs from ours (they skip embeddings and norm layers, and view each weight as
 *   [shape[0], -1]), so the numbers are theirs; the definitions are the ones of docs/method.md §3.
 *
 * A table applies to a header that holds at least one name only that tool writes (`distinctive`); then all of its
 * names are renamed, and the renaming is reported. Names that only one tool could mean are renamed always (`ALWAYS`),
 * except in our own long CSV.
 */
import { AUTHORS_COLUMNS, AUTHORS_ONLY } from './authorsCsv.ts';

export interface AliasTable {
  /** Who writes these names, for the messages. */
  tool: string;
  /** Names only this tool writes: one of them in a header means the table applies. */
  distinctive: readonly string[];
  aliases: Readonly<Record<string, string>>;
}

export const POLYPYTHIAS_COLUMNS: Readonly<Record<string, string>> = {
  L1: 'l1',
  L2: 'l2',
  trace: 'trace',
  lambda_max: 'spectral',
  'L1/L2': 'l1_over_l2',
  'trace/lambda': 'trace_over_spectral',
  mu_lambda: 'sv_mean',
  sigma_lambda: 'sv_var',
  mu_w: 'weight_mean',
  median_w: 'weight_median',
  sigma_w: 'weight_var',
  mu_b: 'bias_mean',
  median_b: 'bias_median',
  sigma_b: 'bias_var',
};

export const ALIAS_TABLES: readonly AliasTable[] = [
  {
    tool: "the authors' pipeline (michahu/modeling-training)",
    distinctive: AUTHORS_ONLY,
    aliases: AUTHORS_COLUMNS,
  },
  {
    tool: 'PolyPythias extract_metrics.py (EleutherAI/pythia)',
    distinctive: [
      'lambda_max',
      'L1/L2',
      'trace/lambda',
      'mu_lambda',
      'sigma_lambda',
      'mu_w',
      'sigma_w',
      'mu_b',
      'sigma_b',
    ],
    aliases: POLYPYTHIAS_COLUMNS,
  },
];

/** The authors' accuracy names: no other tool means anything else by them. */
const ALWAYS: Readonly<Record<string, string>> = { train_accuracy: 'train_acc', eval_accuracy: 'eval_acc' };

export interface Rename {
  from: string;
  to: string;
  tool: string;
}

/**
 * The renames that apply to a set of column names (only names that change; in the order given). `always` false leaves
 * out the renames made without a tool's table (our own CSV keeps the names its writer chose).
 */
export function aliasesFor(names: readonly string[], always = true): Rename[] {
  const present = new Set(names);
  const tables = ALIAS_TABLES.filter((t) => t.distinctive.some((d) => present.has(d)));
  const out: Rename[] = [];
  for (const name of names) {
    const table = tables.find((t) => Object.hasOwn(t.aliases, name));
    const to = table ? table.aliases[name] : always && Object.hasOwn(ALWAYS, name) ? ALWAYS[name] : name;
    if (to !== name) out.push({ from: name, to, tool: table?.tool ?? ALIAS_TABLES[0].tool });
  }
  return out;
}

/** One sentence per tool for the renames applied: "columns renamed from <tool>'s names: a → b, …". */
export function describeRenames(renames: readonly Rename[]): string[] {
  const byTool = new Map<string, Rename[]>();
  for (const r of renames) byTool.set(r.tool, [...(byTool.get(r.tool) ?? []), r]);
  return [...byTool].map(
    ([tool, rs]) => `columns renamed from the names of ${tool}: ${rs.map((r) => `${r.from} → ${r.to}`).join(', ')}`,
  );
}
