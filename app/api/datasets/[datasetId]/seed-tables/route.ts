// Seed-table upload. A route handler rather than a server action because the file is
// streamed from the request body into the parser: server actions buffer their input.
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { db } from "@/lib/db/server/prisma";
import { toActionError } from "@/lib/errors/action";
import { DomainError } from "@/lib/errors/domain-error";
import { detectFormat } from "@/lib/seed-tables/parse";
import { MAX_UPLOAD_BYTES, assertUploadName, importSeedTable } from "@/lib/seed-tables/server/seed-tables";

const Params = z.object({ datasetId: z.uuid() });

export async function POST(req: NextRequest, ctx: { params: Promise<{ datasetId: string }> }) {
  try {
    const { datasetId } = Params.parse(await ctx.params);
    const name = assertUploadName(req.nextUrl.searchParams.get("name") ?? "");
    const length = Number(req.headers.get("content-length") ?? "0");
    if (length > MAX_UPLOAD_BYTES) {
      throw new DomainError("too_large", `The file is ${(length / 1e6).toFixed(0)} MB; seed tables can be at most 100 MB. Split it or keep the columns you need.`);
    }
    const format = detectFormat(name);
    if (!format) throw new DomainError("invalid_input", `"${name}" is not a CSV or JSONL file. Use .csv, .tsv, .jsonl or .ndjson.`);
    if (!req.body) throw new DomainError("invalid_input", "The file is empty.");
    const table = await importSeedTable(db(), { datasetId, name, format, body: req.body });
    return NextResponse.json({ ok: true, data: { id: table.id, name: table.name, columns: table.columns, rowCount: table.rowCount } });
  } catch (e) {
    const error = e instanceof z.ZodError ? { code: "invalid_input" as const, message: "The dataset id in the address is not valid." } : toActionError(e);
    const status = error.code === "not_found" ? 404 : error.code === "too_large" ? 413 : error.code === "internal" ? 500 : 400;
    return NextResponse.json({ ok: false, error }, { status });
  }
}
