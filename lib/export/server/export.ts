import { LOCAL_OWNER, type Actor } from "@/lib/audit/events";
import { audit } from "@/lib/audit/server/audit";
import "server-only";
// Export service: a request in, a streamed file out. The route handler returns `body` as
// the response; nothing holds more than one batch of rows (or one Parquet row group).
//
// Single file: one COPY over the filter. Zip (splits and/or the dataset card): one COPY
// per split file, each asking PostgreSQL for that split's rows only (the split key is
// computed in SQL), then README.md, all inside one snapshot (session.ts).
import zlib from "node:zlib";
import type { Db } from "@/lib/db/server/prisma";
import { DomainError, invalid, notFound } from "@/lib/errors/domain-error";
import { readLabelSchema, type LabelSchema } from "@/lib/review/labels";
import { describeFilter, renderDatasetCard, type CardData } from "../card";
import type { CellBatch } from "@/lib/db/copy/cells";
import { createEncoder, type Encoder, type ParquetOptions, type RowFilter } from "../encoders";
import { chatMessages, downloadFileName, FORMAT_INFO, fileBase, planExport, type ExportPlan } from "../formats";
import { checkChatExample } from "../openai";
import type { ExportProgress } from "../progress";
import type { ExportRequest, SplitName } from "../schemas";
import type { RawPool } from "@/lib/db/copy/server/raw-pg";
import { cardFacts } from "./card-data";
import { ExportSession, exportCancelled } from "./session";
import { planSplits, type SplitFile } from "./splits";
import { cellSql, filterText, flagsSql, promptJoinSql, promptPresentSql, VALUES_ONCE } from "./sql";
import { ZipStream } from "./zip";

/** `total`: the records the filter matched, when the export counted them (split exports only). */
export type ExportDownload = { fileName: string; contentType: string; total: number | null; body: ReadableStream<Uint8Array> };

/**
 * An export as an HTTP download (the Export page's GET and the API's POST): the file streams
 * as it is written, named for the browser (an ASCII fallback and the UTF-8 name), with the
 * record count in X-Export-Total when it is known before the first byte.
 */
export function downloadResponse(download: ExportDownload): Response {
  const ascii = download.fileName.replace(/[^\x20-\x7e]|"/g, "_");
  return new Response(download.body, {
    headers: {
      "Content-Type": download.contentType,
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(download.fileName)}`,
      "Cache-Control": "no-store",
      ...(download.total === null ? {} : { "X-Export-Total": String(download.total) }),
    },
  });
}

export type DatasetFacts = { id: string; name: string; description: string; project: string; labelSchema: LabelSchema };

export async function datasetFacts(db: Db, datasetId: string): Promise<DatasetFacts> {
  const d = await db.dataset.findUnique({
    where: { id: datasetId },
    select: { id: true, name: true, description: true, labelSchema: true, project: { select: { name: true } } },
  });
  if (!d) throw notFound("The dataset");
  return { id: d.id, name: d.name, description: d.description, project: d.project.name, labelSchema: readLabelSchema(d.labelSchema) };
}

export function selectSql(plan: ExportPlan, where: string, join = ""): string {
  const promptFields = [...new Set(plan.cells.flatMap((c) => (c.kind === "prompt" ? [c.field] : [])))];
  const columns = [...plan.cells.map((c, i) => cellSql(c, plan.kinds[i], promptFields)), ...flagsSql(plan.cells, plan.kinds)];
  const cells = columns.length ? columns.join(", ") : "null::text";
  return `select ${cells} from "Record" r ${join} ${VALUES_ONCE} ${promptJoinSql(promptFields)} where ${where}`;
}

/**
 * The records an export writes: the filter's, less those that lack a prompt a required
 * role is mapped to (see ExportPlan.requiredPrompts). `filter` is the filter alone, for
 * counting what was left out.
 */
export function exportWhere(datasetId: string, request: Pick<ExportRequest, "filter" | "includeRejected">, plan: ExportPlan): { where: string; filter: string; present: string | null } {
  const filter = filterText(datasetId, exportFilter(request));
  const present = promptPresentSql(plan.requiredPrompts, plan.requiredConversations);
  return { where: present ? `(${filter}) and (${present})` : filter, filter, present };
}

/**
 * The request's filter with the rules on rejected records (left out unless included or asked
 * for) and on records over an "N good records" run's target (left out unless the filter
 * names `target`: the run's N are what was asked for) applied.
 */
export function exportFilter(request: Pick<ExportRequest, "filter" | "includeRejected">): ExportRequest["filter"] {
  const f = request.filter.target === undefined ? { ...request.filter, target: "not-over" as const } : request.filter;
  if (request.includeRejected || f.rejected !== undefined) return f;
  return { ...f, rejected: false };
}

/** Records the filter matches that have no prompt for a required role (imported ones): left out, and said so. */
export async function countWithoutPrompt(session: ExportSession, w: ReturnType<typeof exportWhere>): Promise<number> {
  if (!w.present) return 0;
  const [{ n }] = await session.query<{ n: string }>(`select count(*) as n from "Record" r where (${w.filter}) and not coalesce(${w.present}, false)`);
  return Number(n);
}

/** Node 22.15+ compresses zstd natively: smaller and faster than snappy in JavaScript. */
export function parquetOptions(kv: Record<string, unknown>): ParquetOptions {
  const kvMetadata = [{ key: "datawright", value: JSON.stringify(kv) }];
  if (typeof zlib.zstdCompressSync !== "function") return { codec: "SNAPPY", kvMetadata };
  const params = { [zlib.constants.ZSTD_c_compressionLevel]: 1 };
  return {
    codec: "ZSTD",
    compressors: {
      ZSTD: (input: Uint8Array) => {
        const b = zlib.zstdCompressSync(input, { params });
        return new Uint8Array(b.buffer, b.byteOffset, b.length);
      },
    },
    kvMetadata,
  };
}

/** OpenAI chat export with "leave out invalid examples": the row filter that does it. */
export function chatRowFilter(plan: ExportPlan, request: ExportRequest): RowFilter | undefined {
  if (request.format !== "openai" || !request.openai.skipInvalid) return undefined;
  return (batch: CellBatch, row: number) =>
    checkChatExample({ messages: chatMessages(plan, batch, row) }, { maxTokens: request.openai.maxTokens }).issues
      .length === 0;
}

export async function startExport(
  db: Db,
  pool: RawPool,
  datasetId: string,
  request: ExportRequest,
  opts: { onProgress?: (p: ExportProgress) => void; signal?: AbortSignal; actor?: Actor } = {},
): Promise<ExportDownload> {
  const dataset = await datasetFacts(db, datasetId);
  const plan = planExport(request);
  const { where } = exportWhere(datasetId, request, plan);
  const info = FORMAT_INFO[request.format];
  const base = fileBase(dataset.name, request.format);
  const zipped = request.split !== null || request.card;
  const exportedAt = new Date().toISOString();

  // The request's signal ends the session (and its COPY) when the browser goes away, also
  // before the response is returned: a body nobody reads is never cancelled.
  const session = await ExportSession.open(pool, { signal: opts.signal });
  const nothing = () =>
    invalid(
      plan.requiredPrompts.length
        ? "No records match this filter with a recorded prompt, so there is nothing to export. Widen the filter, or map fields instead of prompts (imported records have no prompt)."
        : "No records match this filter, so there is nothing to export. Widen the filter (for example, include unreviewed records).",
    );
  let total: number | null = null;
  let files: (SplitFile & { name: string })[];
  // Without splits, nothing is counted: a count is one more scan of every matching record
  // (a million took ~1 s, a quarter of the JSONL export), and the page already showed the
  // count it previews. The one file's COPY starts here instead, and its first rows (or
  // their absence) arrive before the response is sent, so "nothing matches" is still an
  // error rather than an empty file.
  let started: { batches: AsyncGenerator<CellBatch>; first: CellBatch } | null = null;
  try {
    if (request.split) {
      const splits = await planSplits(session, where, request.split);
      total = splits.counts.train + splits.counts.validation + splits.counts.test;
      if (total === 0) throw nothing();
      files = splits.files.map((f) => ({ ...f, name: `${f.split}.${info.ext}` }));
    } else {
      files = [{ split: "train", join: "", where: "true", name: `${base}.${info.ext}` }];
      const batches = session.copy(selectSql(plan, where), plan.kinds);
      const first = await batches.next();
      if (first.done) throw nothing();
      started = { batches, first: first.value };
    }
    // An export changes nothing, so its event has no transaction to join: it is written
    // once the export is sure to start (rows exist), before the first byte is sent, and an
    // export whose event cannot be written does not start.
    await audit(db, opts.actor ?? LOCAL_OWNER, {
      action: "export.start",
      datasetId,
      target: `“${dataset.name}”`,
      detail: { format: request.format, filter: request.filter, includeRejected: request.includeRejected, split: !!request.split, card: request.card, ...(total !== null ? { records: total } : {}) },
    });
  } catch (e) {
    const cancelled = session.cancelled;
    await session.close(false);
    throw cancelled ? exportCancelled() : e;
  }

  const progress: ExportProgress = { state: "running", rows: 0, total, file: null, skipped: 0, error: null };
  const report = () => opts.onProgress?.({ ...progress });
  report();
  const newEncoder = (): Encoder =>
    createEncoder(plan, {
      keep: chatRowFilter(plan, request),
      bom: request.format === "csv" && request.excel,
      formulas: request.keepFormulas ? "keep" : "neutralise",
      parquet: parquetOptions({ dataset: dataset.name, exportedAt, format: request.format, filter: request.filter }),
    });

  async function* rowsOf(file: SplitFile, enc: Encoder): AsyncGenerator<Uint8Array> {
    const skippedBefore = progress.skipped;
    const take = (batch: CellBatch) => {
      const chunks = enc.push(batch);
      progress.rows += batch.rows;
      progress.skipped = skippedBefore + enc.skipped;
      report();
      return chunks;
    };
    if (started) {
      yield* take(started.first);
      for await (const batch of started.batches) yield* take(batch);
    } else {
      for await (const batch of session.copy(selectSql(plan, `${where} and ${file.where}`, file.join), plan.kinds)) yield* take(batch);
    }
    for (const chunk of enc.finish()) yield chunk;
  }

  async function* produce(): AsyncGenerator<Uint8Array> {
    let ok = false;
    try {
      if (!zipped) {
        const enc = newEncoder();
        progress.file = files[0].name;
        yield* rowsOf(files[0], enc);
      } else {
        const zip = new ZipStream();
        const written: { name: SplitName; file: string; rows: number }[] = [];
        for (const f of files) {
          progress.file = f.name;
          const entry = zip.entry(f.name, { deflate: request.format !== "parquet" });
          const enc = newEncoder();
          for await (const chunk of rowsOf(f, enc)) {
            await entry.write(chunk);
            yield* zip.take();
          }
          await entry.end();
          yield* zip.take();
          written.push({ name: f.split, file: f.name, rows: enc.rows });
        }
        if (request.card) {
          progress.file = "README.md";
          report();
          // Every file is written: the rows read are the records the filter matched.
          const card = await buildCard(session, dataset, request, progress.rows, exportedAt, request.split ? written : null, request.split ? null : files[0].name, progress.skipped);
          const entry = zip.entry("README.md", { deflate: true });
          await entry.write(new TextEncoder().encode(card));
          await entry.end();
        }
        zip.end();
        yield* zip.take();
      }
      ok = true;
      progress.state = "done";
      progress.file = null;
      report();
    } catch (e) {
      // The browser left: not a fault to log; the finally reports the cancellation, and the
      // body errors rather than end as if the file were whole.
      if (session.cancelled) throw exportCancelled();
      progress.state = "failed";
      progress.error = e instanceof DomainError ? e.message : "The export stopped on an error; the details are in the studio's log.";
      report();
      if (!(e instanceof DomainError)) console.error("[datawright] export failed", e);
      throw e;
    } finally {
      await session.close(ok);
      if (!ok && progress.state === "running") {
        progress.state = "failed";
        progress.error = "The download was cancelled.";
        report();
      }
    }
  }

  const gen = produce();
  // The stream pulls once as it is built, so produce() is running (and its finally will
  // close the session, with the COPY started above) before anyone can cancel the body.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await gen.next();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (e) {
        controller.error(e);
      }
    },
    async cancel() {
      // Ended first: a pull in progress may be waiting on the COPY, and return() waits for it.
      session.abort();
      await gen.return(undefined);
    },
  });
  return {
    fileName: downloadFileName(dataset.name, request),
    contentType: zipped ? "application/zip" : info.mime,
    total,
    body,
  };
}

export async function buildCard(
  session: ExportSession,
  dataset: DatasetFacts,
  request: ExportRequest,
  total: number,
  exportedAt: string,
  splits: CardData["splits"],
  file: string | null,
  skipped: number,
): Promise<string> {
  const w = exportWhere(dataset.id, request, planExport(request));
  const facts = await cardFacts(session, dataset.id, w.where, dataset.labelSchema);
  const withoutPrompt = await countWithoutPrompt(session, w);
  const runNumbers = Object.fromEntries(facts.runs.map((r) => [r.id, r.number]));
  return renderDatasetCard({
    dataset: { name: dataset.name, description: dataset.description, project: dataset.project },
    exportedAt,
    request,
    filterText: describeFilter(exportFilter(request), runNumbers),
    total,
    splits,
    file,
    skipped,
    withoutPrompt,
    ...facts,
  });
}
