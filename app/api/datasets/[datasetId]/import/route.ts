// Record import. A route handler rather than a server action because the file is
// streamed from the request body into the parser and COPY: server actions buffer input.
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { db } from "@/lib/db/server/prisma";
import { toActionError } from "@/lib/errors/action";
import { DomainError } from "@/lib/errors/domain-error";
import { rawPool } from "@/lib/export/server/raw-pg";
import { ImportMapping } from "@/lib/import/mapping";
import { ImportParams } from "@/lib/import/schemas";
import { importRecords, MAX_IMPORT_BYTES } from "@/lib/import/server/import";
import { detectFormat } from "@/lib/seed-tables/parse";

export async function POST(req: NextRequest, ctx: { params: Promise<{ datasetId: string }> }) {
  try {
    const { datasetId } = ImportParams.parse(await ctx.params);
    const fileName = (req.nextUrl.searchParams.get("name") ?? "").trim().slice(0, 200);
    if (!fileName) throw new DomainError("invalid_input", "The file has no name.");
    const lengthHeader = req.headers.get("content-length");
    const length = Number(lengthHeader ?? "0");
    if (length > MAX_IMPORT_BYTES) {
      throw new DomainError("too_large", `The file is ${(length / 1e6).toFixed(0)} MB; an import can be at most 1 GB. Split it into smaller files and import each one.`);
    }
    const format = detectFormat(fileName);
    if (!format) throw new DomainError("invalid_input", `"${fileName}" is not a CSV or JSONL file. Use .csv, .tsv, .jsonl or .ndjson.`);
    let mappingRaw: unknown;
    try {
      mappingRaw = JSON.parse(req.nextUrl.searchParams.get("mapping") ?? "");
    } catch {
      throw new DomainError("invalid_input", "The column mapping is missing or not readable.");
    }
    const mapping = ImportMapping.safeParse(mappingRaw);
    if (!mapping.success) throw new DomainError("invalid_input", mapping.error.issues[0]?.message ?? "The column mapping is not valid.");
    if (!req.body) throw new DomainError("invalid_input", "Nothing was imported: the file is empty (0 bytes).");
    const expectedBytes = lengthHeader !== null && Number.isSafeInteger(length) ? length : undefined;
    const result = await importRecords(db(), rawPool(), { datasetId, fileName, format, mapping: mapping.data, body: req.body, expectedBytes });
    return NextResponse.json({ ok: true, data: result });
  } catch (e) {
    const error = e instanceof z.ZodError ? { code: "invalid_input" as const, message: "The dataset id in the address is not valid." } : toActionError(e);
    const status = error.code === "not_found" ? 404 : error.code === "too_large" ? 413 : error.code === "internal" ? 500 : 400;
    return NextResponse.json({ ok: false, error }, { status });
  }
}
