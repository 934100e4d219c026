import "server-only";
// Imports a CSV or JSONL file as records of a dataset (source "imported", no run), so real
// data can be reviewed and exported beside generated data.
//
// The upload streams through the table parser (lib/tabular: line-numbered errors, strict UTF-8,
// size limit) into one COPY ... FROM STDIN inside one transaction: a file that turns out
// malformed on line 900,000 leaves nothing behind. COPY because it is the fastest way
// into PostgreSQL (INSERT ... SELECT FROM jsonb_to_recordset was slower), in its binary
// format (../copy-rows.ts: alternating imports of 200,000 rows of ~1 KB, 33-40k rows/s
// as text, 41-44k binary). Bound by PostgreSQL, not Node: parsing and formatting alone
// run at ~220k rows/s.
import { once } from "node:events";
import { abortCopyIn, startCopyIn } from "@/lib/db/copy/server/copy-in";
import { connectRaw, type RawPool } from "@/lib/db/copy/server/raw-pg";
import type { Db } from "@/lib/db/server/prisma";
import { createUuidV7 } from "@/lib/db/uuid-v7";
import { DomainError, notFound } from "@/lib/errors/domain-error";
import { TALLY_INSERTED, tallyUpsert } from "@/lib/quality/health/server/tally-sql";
import { checkLandedRecords } from "@/lib/quality/server/dedupe";
import { releaseRecordNumbers, reserveRecordNumbers } from "@/lib/records/server/numbers";
import { indexDatasetFields } from "@/lib/records/server/value-indexes";
import { parseSeedTable, SeedTableParseError, type SeedTableFormat } from "@/lib/tabular/parse";
import { IMPORT_COPY_COLUMNS, ImportRowWriter, type ImportRow } from "../copy-rows";
import { missingColumns, type ImportMapping } from "../mapping";
import type { ImportResult, ImportSummary } from "../schemas";

export const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;
export const MAX_IMPORT_COLUMNS = 500;
// Rows go to PostgreSQL in small batches, and the parser only waits for the connection
// once more than AHEAD_BYTES are queued: it reads the next rows while PostgreSQL inserts
// the last. Waiting for every 5,000-row batch to drain left PostgreSQL idle while the next
// one was parsed (alternating imports of 200,000 rows: 36-39k -> 41-46k rows/s).
const BATCH_ROWS = 500;
const AHEAD_BYTES = 4 * 1024 * 1024;
// Record numbers are taken from the dataset in blocks (one short UPDATE each, on another
// connection than the COPY); the unused tail of the last block is given back at the end.
const NUMBER_BLOCK = 10_000;

export async function importRecords(
  db: Db,
  pool: RawPool,
  input: {
    datasetId: string;
    fileName: string;
    format: SeedTableFormat;
    mapping: ImportMapping;
    body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;
    maxBytes?: number;
    /** The upload's Content-Length: a body that ends short of it was cut off, not finished. */
    expectedBytes?: number;
  },
): Promise<ImportResult> {
  const dataset = await db.dataset.findUnique({ where: { id: input.datasetId }, select: { id: true } });
  if (!dataset) throw notFound("The dataset");

  const importId = crypto.randomUUID();
  const uuid = createUuidV7();
  const nowDate = new Date();
  const now = nowDate.toISOString();
  const writer = new ImportRowWriter(input.datasetId, nowDate);
  const columns = Object.keys(input.mapping);
  const keys = columns.map((c) => JSON.stringify(input.mapping[c]));
  const fileJson = JSON.stringify(input.fileName);
  // The next record number to use, and the end of the block reserved so far.
  const numbers = { first: -1, next: 0, end: 0 };
  let committed = false;
  const client = await connectRaw(pool);
  let clean = false;
  try {
    await client.query("begin");
    const copyIn = startCopyIn(client, `copy "Record" (${IMPORT_COPY_COLUMNS}) from stdin (format binary)`);
    const copy = copyIn.stream;
    copy.write(writer.header());
    const delimiter = /\.(tsv|tab)$/i.test(input.fileName) ? "\t" : "auto";
    const rows = parseSeedTable(input.body, {
      format: input.format,
      maxBytes: input.maxBytes ?? MAX_IMPORT_BYTES,
      maxColumns: MAX_IMPORT_COLUMNS,
      batchSize: BATCH_ROWS,
      delimiter,
    });
    let n = 0;
    let checked = false;
    let summaryColumns: string[] = [];
    let received = 0;
    try {
      for (;;) {
        const step = await rows.next();
        if (step.done) {
          summaryColumns = step.value.columns;
          received = step.value.byteCount;
          break;
        }
        const batch = step.value;
        if (!checked && input.format === "csv") {
          // A CSV header is complete with the first batch: fail before importing anything.
          checked = true;
          const missing = missingColumns(input.mapping, batch.columns);
          if (missing.length) throw missingError(missing, input.mapping, batch.columns, "csv");
        }
        const out: ImportRow[] = [];
        if (numbers.end - numbers.next < batch.rows.length) {
          await releaseRecordNumbers(db, input.datasetId, numbers.next, numbers.end);
          const size = Math.max(NUMBER_BLOCK, batch.rows.length);
          numbers.next = await reserveRecordNumbers(db, input.datasetId, size);
          numbers.end = numbers.next + size;
          if (numbers.first < 0) numbers.first = numbers.next;
        }
        for (const row of batch.rows) {
          n++;
          let values = "{"; // every value is text (SeedRow): the writer's nonTextFields is {}
          for (let k = 0; k < columns.length; k++) values += (k ? "," : "") + keys[k] + ":" + JSON.stringify(row[columns[k]] ?? "");
          values += "}";
          const provenance = `{"import":{"id":"${importId}","file":${fileJson},"row":${n},"importedAt":"${now}"}}`;
          out.push({ id: uuid(), index: numbers.next++, values, provenance });
        }
        if (!copy.write(writer.rows(out)) && copy.writableLength > AHEAD_BYTES) await once(copy, "drain");
      }
      // A cancelled or broken upload can look like a file that ends early; its last line
      // would parse as a (cut) row. Only a body as long as announced is a whole file.
      if (input.expectedBytes !== undefined && received !== input.expectedBytes) {
        throw new DomainError("invalid_input", `Nothing was imported: the upload stopped after ${received.toLocaleString("en-US")} of ${input.expectedBytes.toLocaleString("en-US")} bytes.`);
      }
      // JSONL keys can appear on any line: only now is the set of columns known.
      if (input.format === "jsonl") {
        const missing = missingColumns(input.mapping, summaryColumns);
        if (missing.length) throw missingError(missing, input.mapping, summaryColumns, "jsonl");
      }
    } catch (e) {
      await abortCopyIn(copyIn, e);
      throw e;
    }
    copy.end(writer.trailer());
    await copyIn.done;
    // The health tallies of the rows just copied (a COPY has no RETURNING): they are this
    // transaction's, found by the dataset's (datasetId, createdAt) index, createdAt being
    // the transaction's now(). HealthField cannot change meanwhile: the COPY's lock on
    // "Record" makes syncHealthFields wait for the commit.
    await client.query(
      `with ins as (
         select ${TALLY_INSERTED} from "Record"
         where "datasetId" = $1::uuid and "createdAt" = now()::timestamptz(3) and source = 'imported' and provenance->'import'->>'id' = $2
       ) ${tallyUpsert("ins", true)}`,
      [input.datasetId, importId],
    );
    await client.query("commit");
    clean = true;
    committed = true;
    // The rows have landed: indexes for sorting and filtering by field, in the background.
    indexDatasetFields(db, input.datasetId);
    // Duplicate detection, when the dataset has it on, checks the imported records in the
    // background; the import is done whatever it finds (or if it fails).
    void checkLandedRecords(pool, input.datasetId, { importId }).catch((e) => console.error("[datawright] duplicate check of imported records failed:", e));
    return { importId, rows: n, fields: columns.map((c) => input.mapping[c]), fileName: input.fileName };
  } catch (e) {
    await client.query("rollback").then(
      () => (clean = true),
      () => {},
    );
    if (e instanceof SeedTableParseError) throw new DomainError(e.code === "too_large" ? "too_large" : "invalid_input", `Nothing was imported: ${importMessage(e)}`);
    if (e instanceof DomainError) throw e;
    throw e;
  } finally {
    client.release(!clean);
    // Numbers not used (all of them when nothing was imported) go back if still at the top.
    const unusedFrom = committed || numbers.first < 0 ? numbers.next : numbers.first;
    await releaseRecordNumbers(db, input.datasetId, unusedFrom, numbers.end).catch(() => {});
  }
}

function missingError(missing: string[], mapping: ImportMapping, columns: string[], format: SeedTableFormat) {
  const list = missing.map((c) => `"${c}" (for the field "${mapping[c]}")`).join(", ");
  const where = format === "csv" ? "The header row (line 1)" : "No line of the file";
  const has = format === "csv" ? "has no column" : "has the key";
  return new DomainError(
    "invalid_input",
    `Nothing was imported: ${where} ${has}${missing.length > 1 ? "s" : ""} ${list}. The file's columns are: ${columns.map((c) => `"${c}"`).join(", ") || "none"}. Fix the mapping or the file.`,
  );
}

/** The parser speaks of seed tables; an import is not one. */
function importMessage(e: SeedTableParseError): string {
  if (e.code === "too_many_columns") return `${e.line ? `Line ${e.line}: ` : ""}the file has more than ${MAX_IMPORT_COLUMNS} columns, the most an import can have. Remove the columns you don't need.`;
  if (e.code === "too_many_rows") return `${e.line ? `Line ${e.line}: ` : ""}the file has too many rows. Split it into smaller files.`;
  return e.message;
}

export async function listImports(db: Db, datasetId: string): Promise<ImportSummary[]> {
  const rows = await db.$queryRaw<{ id: string | null; file: string | null; n: number; at: Date }[]>`
    select provenance->'import'->>'id' as id, min(provenance->'import'->>'file') as file, count(*)::int as n, min("createdAt") as at
    from "Record" where "datasetId" = ${datasetId}::uuid and source = 'imported'
    group by 1 order by 4 desc limit 100`;
  return rows.filter((r) => r.id).map((r) => ({ id: r.id!, fileName: r.file ?? "", rows: r.n, importedAt: r.at.toISOString() }));
}

/** Deletes every record of one import (review decisions on them go too). */
export async function deleteImport(db: Db, datasetId: string, importId: string): Promise<number> {
  const n = await db.$executeRaw`delete from "Record" where "datasetId" = ${datasetId}::uuid and source = 'imported' and provenance->'import'->>'id' = ${importId}`;
  if (n === 0) throw notFound("The import");
  return n;
}
