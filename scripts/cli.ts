// The command line over the HTTP API (lib/api/README.md): `./studio cli <command>`.
// Everything it does goes through /api/v1 with DATAWRIGHT_TOKEN, so a script on another
// machine does exactly what this one does. Pure parts (arguments, progress, exit codes)
// are in lib/api/cli.ts.
import { createReadStream, createWriteStream, openSync, readSync, closeSync, statSync } from "node:fs";
import { rename } from "node:fs/promises";
import { basename } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Blueprint } from "../lib/blueprints/schema";
import { defaultThresholds } from "../lib/runs/target";
import { columnsOf, EXIT, exitForRun, filterOf, formatOf, isActive, mappingOf, parseArgs, progressLine, UsageError, USAGE, type RunStatusView } from "../lib/api/cli";

const base = (process.env.DATAWRIGHT_URL ?? "http://127.0.0.1:3000").replace(/\/+$/, "") + "/api/v1";
const token = process.env.DATAWRIGHT_TOKEN ?? "";

class Refused extends Error {}
class Unreachable extends Error {}

async function request(method: string, path: string, init: { json?: unknown; body?: BodyInit; headers?: Record<string, string>; duplex?: "half" } = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(init.json !== undefined ? { "content-type": "application/json" } : {}), ...init.headers },
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
      ...(init.duplex ? { duplex: init.duplex } : {}),
    } as RequestInit);
  } catch (e) {
    throw new Unreachable(`Could not reach the studio at ${base} (${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}). Is it running? Set DATAWRIGHT_URL if it is elsewhere.`);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Refused(`${res.status}: ${body?.error?.message ?? res.statusText}`);
  }
  return res;
}

async function data<T>(method: string, path: string, json?: unknown): Promise<T> {
  return ((await (await request(method, path, { json })).json()) as { data: T }).data;
}

const print = (x: unknown) => console.log(typeof x === "string" ? x : JSON.stringify(x, null, 2));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function needArg(args: string[], i: number, what: string): string {
  const a = args[i];
  if (!a) throw new UsageError(`Give the ${what}.`);
  return a;
}

function positiveInt(text: string | true | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text === true || !Number.isInteger(n) || n < 0) throw new UsageError(`--${name} is a whole number.`);
  return n;
}

async function connectionId(wanted: string | true | undefined): Promise<string> {
  const list = await data<{ id: string; name: string }[]>("GET", "/connections");
  if (wanted === undefined) {
    if (list.length === 1) return list[0].id;
    throw new UsageError(list.length ? `Choose a connection with --connection: ${list.map((c) => `"${c.name}"`).join(", ")}.` : "The studio has no provider connection: add one under Settings → Providers.");
  }
  const c = list.find((x) => x.id === wanted || x.name === wanted);
  if (!c) throw new UsageError(`No connection named "${String(wanted)}"; there are: ${list.map((x) => `"${x.name}"`).join(", ") || "none"}.`);
  return c.id;
}

async function waitFor(runId: string): Promise<number> {
  const tty = process.stderr.isTTY;
  let last = "";
  for (;;) {
    const run = await data<RunStatusView>("GET", `/runs/${runId}`);
    const line = progressLine(run);
    if (line !== last) {
      // A terminal gets one line redrawn in place; a log gets a line per change.
      process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
      last = line;
    }
    if (!isActive(run.status)) {
      if (tty) process.stderr.write("\n");
      if (run.stopReason) process.stderr.write(`${run.stopReason}\n`);
      return exitForRun(run.status);
    }
    await sleep(1000);
  }
}

async function main(argv: string[]): Promise<number> {
  const { command, args, options } = parseArgs(argv);
  if (command === "help" || options.help) {
    print(USAGE);
    return EXIT.ok;
  }
  if (!token) throw new UsageError("Set DATAWRIGHT_TOKEN to an API token (create one under Settings → API tokens).");
  switch (command) {
    case "projects":
      print(await data("GET", "/projects"));
      return EXIT.ok;
    case "datasets":
      print(await data("GET", `/projects/${needArg(args, 0, "project id")}/datasets`));
      return EXIT.ok;
    case "run": {
      const datasetId = needArg(args, 0, "dataset id");
      const records = positiveInt(options.records, "records");
      if (!records) throw new UsageError("Say how many records: --records N.");
      const good = positiveInt(options.good, "good");
      // As on the Generate tab: a target of good records is reached online, call by call.
      if (good && options.batch) throw new UsageError("--good runs online only: leave out --batch, or ask for --records N in batch mode.");
      // A good record meets the judges' thresholds the Generate tab starts from.
      const thresholds = good ? defaultThresholds((await data<{ blueprint: Blueprint }>("GET", `/datasets/${datasetId}/blueprint`)).blueprint) : {};
      const run = await data<{ id: string; seed: number; estimatedCostUsd: number | null }>("POST", `/datasets/${datasetId}/runs`, {
        connectionId: await connectionId(options.connection),
        records,
        seed: positiveInt(options.seed, "seed"),
        settings: { ...(good ? { target: { good, thresholds } } : {}), ...(options.batch ? { batch: true } : {}) },
      });
      process.stderr.write(`Run ${run.id} launched (seed ${run.seed}${run.estimatedCostUsd !== null ? `, estimated $${run.estimatedCostUsd.toFixed(4)}` : ""}).\n`);
      print(run.id);
      return options.wait ? waitFor(run.id) : EXIT.ok;
    }
    case "status":
      print(await data("GET", `/runs/${needArg(args, 0, "run id")}`));
      return EXIT.ok;
    case "cancel":
      await data("POST", `/runs/${needArg(args, 0, "run id")}/cancel`);
      return EXIT.ok;
    case "export": {
      const datasetId = needArg(args, 0, "dataset id");
      const out = options.output;
      if (typeof out !== "string") throw new UsageError("Say where to write the file: -o FILE.");
      const fields = typeof options.fields === "string" ? options.fields.split(",").map((f) => f.trim()) : [];
      const res = await request("POST", `/datasets/${datasetId}/export`, { json: { format: formatOf(options.format), filter: filterOf(options.filter), fields } });
      // Written beside the target and renamed at the end: an interrupted export leaves no half file under the name.
      const partial = `${out}.partial`;
      await pipeline(Readable.fromWeb(res.body as import("node:stream/web").ReadableStream), createWriteStream(partial));
      await rename(partial, out);
      const total = res.headers.get("x-export-total");
      process.stderr.write(`Wrote ${out}${total ? ` (${total} records)` : ""}.\n`);
      return total === "0" ? EXIT.runNotCompleted : EXIT.ok;
    }
    case "import": {
      const datasetId = needArg(args, 0, "dataset id");
      const file = needArg(args, 1, "file to import");
      const size = statSync(file).size;
      const head = Buffer.alloc(Math.min(size, 64 * 1024));
      const fd = openSync(file, "r");
      try {
        readSync(fd, head, 0, head.length, 0);
      } finally {
        closeSync(fd);
      }
      const mapping = mappingOf(options.map, options.map === undefined ? columnsOf(file, head.toString("utf8")) : []);
      const query = `?name=${encodeURIComponent(basename(file))}&mapping=${encodeURIComponent(JSON.stringify(mapping))}`;
      const res = await request("POST", `/datasets/${datasetId}/import${query}`, {
        body: Readable.toWeb(createReadStream(file)) as unknown as BodyInit,
        headers: { "content-length": String(size), "content-type": "application/octet-stream" },
        duplex: "half",
      });
      print(((await res.json()) as { data: unknown }).data);
      return EXIT.ok;
    }
    default:
      throw new UsageError(`There is no command "${command}".`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n\n${USAGE}\n`);
      process.exit(EXIT.usage);
    }
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(e instanceof Unreachable ? EXIT.unreachable : e instanceof Refused ? EXIT.refused : 1);
  },
);
