import "server-only";
// Contamination check: the user uploads a reference set (an eval benchmark, CSV or JSONL,
// through the seed-table parser) and every record whose chosen fields share a 13-word run
// with any of its cells is flagged (ContaminationMatch, replaced by each check). The
// reference set is held in memory as numbers (lib/quality/contamination.ts), hence the limit.
import type { Db } from "@/lib/db/server/prisma";
import { DomainError, invalid, notFound } from "@/lib/errors/domain-error";
import type { RawPool } from "@/lib/db/copy/server/raw-pg";
import { parseSeedTable, SeedTableParseError, type SeedTableFormat } from "@/lib/tabular/parse";
import { ContaminationIndex } from "../contamination";
import { readRecordTexts } from "./dedupe";

/** Largest reference set accepted: 50 MB of text is about 8 million 13-grams, ~400 MB of index. */
export const MAX_REFERENCE_BYTES = 50 * 1024 * 1024;

export type ContaminationResult = { referenceRows: number; ngrams: number; records: number; flagged: number };

export async function checkContamination(
  db: Db,
  pool: RawPool,
  input: { datasetId: string; fields: string[]; format: SeedTableFormat; body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>; maxBytes?: number },
): Promise<ContaminationResult> {
  const ds = await db.dataset.findUnique({ where: { id: input.datasetId }, select: { id: true } });
  if (!ds) throw notFound("The dataset");
  if (input.fields.length === 0) throw invalid("Pick at least one field to check.");
  const maxBytes = input.maxBytes ?? MAX_REFERENCE_BYTES;
  const index = new ContaminationIndex();
  let referenceRows = 0;
  try {
    for await (const batch of parseSeedTable(input.body, { format: input.format, maxBytes })) {
      for (const row of batch.rows) {
        referenceRows++;
        for (const cell of Object.values(row)) index.add(cell);
      }
    }
  } catch (e) {
    if (e instanceof SeedTableParseError) {
      if (e.code === "too_large") {
        throw new DomainError("too_large", `The reference set is larger than ${Math.round(maxBytes / 1024 / 1024)} MB: check against a smaller file (for example the benchmark's test split alone).`);
      }
      throw invalid(`The reference set could not be read: ${e.message}`);
    }
    throw e;
  }
  if (index.size === 0) throw invalid("The reference set has no text of 13 words or more, so nothing could match it.");

  const flagged: { id: string; overlap: number }[] = [];
  let records = 0;
  await readRecordTexts(pool, input.datasetId, input.fields, (id, parts) => {
    records++;
    const overlap = index.overlap(parts.filter((p) => p !== null).join("\n"));
    if (overlap > 0) flagged.push({ id, overlap });
  });
  if (records === 0) throw invalid("This dataset has no records to check yet: generate or import some first.");
  await db.$transaction([
    db.contaminationMatch.deleteMany({ where: { datasetId: input.datasetId } }),
    db.$executeRaw`insert into "ContaminationMatch" ("recordId", "datasetId", overlap)
      select unnest(${flagged.map((f) => f.id)}::uuid[]), ${input.datasetId}::uuid, unnest(${flagged.map((f) => f.overlap)}::int[])`,
  ]);
  return { referenceRows, ngrams: index.size, records, flagged: flagged.length };
}
