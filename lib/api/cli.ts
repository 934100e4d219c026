// The command line (scripts/cli.ts, `./studio cli …`), pure parts: arguments, the filter
// shorthand, the progress line, and the exit codes a script can rely on.
import type { RecordFilter } from "@/lib/records/filter";

/** What a script can rely on (the README lists them). */
export const EXIT = {
  ok: 0,
  /** The run ended without completing (failed, cancelled, partial), or nothing matched. */
  runNotCompleted: 1,
  /** Wrong arguments: nothing was sent. */
  usage: 2,
  /** The studio refused the request (bad token, bad input, not found, conflict). */
  refused: 3,
  /** The studio could not be reached. */
  unreachable: 4,
} as const;

export const USAGE = `Usage: ./studio cli <command> [options]   (or: npm run -s cli -- <command> …)

Commands:
  projects                                     list projects
  datasets <project-id>                        list a project's datasets
  run <dataset-id> --records N [--connection NAME|ID] [--seed S] [--good N] [--batch] [--wait]
                                               launch a run (--good N: N records passing the validators and the judges' default
                                               thresholds, --records is then the attempt cap; --batch: through the provider's
                                               Batch API at half price, within 24 hours, for connections that have one);
                                               --wait shows progress and exits 0 only when it completes
  status <run-id>                              a run's status and counts
  cancel <run-id>                              cancel a run
  export <dataset-id> --format F [--filter accepted|rejected|unreviewed|all|JSON] [--fields a,b] -o FILE
                                               F: jsonl, csv, parquet, openai-chat, alpaca, sharegpt (default filter: accepted)
  import <dataset-id> FILE [--map column=field,…]
                                               import real records (CSV, TSV, JSONL, JSON); default: each column to a field of its name

Environment: DATAWRIGHT_URL (default http://127.0.0.1:3000), DATAWRIGHT_TOKEN (Settings → API tokens).
Exit codes: 0 done, 1 the run did not complete, 2 wrong arguments, 3 refused by the studio, 4 studio not reachable.`;

export class UsageError extends Error {}

export type Parsed = { command: string; args: string[]; options: Record<string, string | true> };

/** `--name value`, `--name=value`, `-o value`, and flags (`--wait`). */
export function parseArgs(argv: readonly string[], flags: ReadonlySet<string> = new Set(["wait", "help", "batch"])): Parsed {
  const [command = "help", ...rest] = argv;
  const args: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const long = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    const short = /^-([a-z])$/.exec(a);
    if (long || short) {
      const name = long ? long[1] : short![1] === "o" ? "output" : short![1];
      if (long?.[2] !== undefined) options[name] = long[2];
      else if (flags.has(name)) options[name] = true;
      else {
        const value = rest[++i];
        if (value === undefined || value.startsWith("-")) throw new UsageError(`--${name} needs a value.`);
        options[name] = value;
      }
    } else args.push(a);
  }
  return { command, args, options };
}

/** --filter: a review state, "all", or a records filter as JSON. */
export function filterOf(text: string | true | undefined): RecordFilter {
  if (text === undefined) return { reviewState: ["accepted"] };
  if (text === true) throw new UsageError("--filter needs a value.");
  if (text === "all") return {};
  if (text === "accepted" || text === "rejected" || text === "unreviewed") return { reviewState: [text] };
  try {
    return JSON.parse(text) as RecordFilter;
  } catch {
    throw new UsageError(`--filter is accepted, rejected, unreviewed, all, or a filter as JSON; "${text}" is none of these.`);
  }
}

/** The CLI's format names (the export page's) to the API's. */
export function formatOf(text: string | true | undefined): string {
  const formats: Record<string, string> = { jsonl: "jsonl", csv: "csv", parquet: "parquet", "openai-chat": "openai", openai: "openai", alpaca: "alpaca", sharegpt: "sharegpt" };
  if (typeof text !== "string" || !formats[text]) throw new UsageError(`--format is one of jsonl, csv, parquet, openai-chat, alpaca, sharegpt.`);
  return formats[text];
}

/** --map a=b,c=d; without it, each column goes to a field of its own name. */
export function mappingOf(text: string | true | undefined, columns: readonly string[]): Record<string, string> {
  if (text === undefined) return Object.fromEntries(columns.map((c) => [c, c]));
  if (text === true) throw new UsageError("--map needs a value.");
  const out: Record<string, string> = {};
  for (const pair of text.split(",")) {
    const [col, field] = pair.split("=");
    if (!col || !field) throw new UsageError(`--map takes column=field pairs separated by commas; "${pair}" is not one.`);
    out[col.trim()] = field.trim();
  }
  return out;
}

/** The columns of a file's first record: a CSV/TSV header, or a JSONL/JSON object's keys. */
export function columnsOf(fileName: string, head: string): string[] {
  const firstLine = head.split(/\r?\n/, 1)[0] ?? "";
  if (/\.(csv|tsv|tab)$/i.test(fileName)) return firstLine.split(/\.(tsv|tab)$/i.test(fileName) ? "\t" : ",").map((c) => c.trim().replace(/^"|"$/g, ""));
  const text = /\.json$/i.test(fileName) ? head.replace(/^\s*\[/, "").split(/\}\s*,/, 1)[0] + "}" : firstLine;
  try {
    return Object.keys(JSON.parse(text) as object);
  } catch {
    throw new UsageError(`Could not read the columns of ${fileName} from its first record: pass --map column=field,….`);
  }
}

export type RunStatusView = { status: string; requested: number; succeeded: number; failed: number; rejected: number; costUsd: number; target: { good: number; of: number } | null; stopReason?: string | null };

const ACTIVE = new Set(["queued", "running", "paused"]);
export const isActive = (status: string) => ACTIVE.has(status);

/** One line of progress: a bar, counts and cost; `width` characters of bar. */
export function progressLine(run: RunStatusView, width = 30): string {
  const done = run.target ? run.target.good : run.succeeded + run.failed;
  const of = run.target ? run.target.of : run.requested;
  const share = of > 0 ? Math.min(1, done / of) : 0;
  const filled = Math.round(share * width);
  const bar = "█".repeat(filled) + "░".repeat(width - filled);
  const what = run.target ? `${done}/${of} good` : `${done}/${of}`;
  return `${bar} ${what} · ${run.failed} failed · $${run.costUsd.toFixed(4)} · ${run.status}`;
}

/** A finished run's exit code: only "completed" is success. */
export function exitForRun(status: string): number {
  return status === "completed" ? EXIT.ok : EXIT.runNotCompleted;
}
