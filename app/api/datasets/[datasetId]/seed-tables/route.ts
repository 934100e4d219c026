// Seed-table upload. A route handler rather than a server action because the file is
// streamed from the request body into the parser: server actions buffer their input.
import { z } from "zod";
import { db } from "@/lib/db/server/prisma";
import { DomainError } from "@/lib/errors/domain-error";
import { DatasetParams, ok, route } from "@/lib/http/route";
import { detectFormat } from "@/lib/tabular/parse";
import { MAX_UPLOAD_BYTES, assertUploadName, importSeedTable } from "@/lib/seed-tables/server/seed-tables";

export const POST = route(
  {
    access: { role: "editor", project: ({ params }) => ({ datasetId: params.datasetId }) },
    params: DatasetParams,
    query: z.object({ name: z.string().default("") }),
    maxBytes: {
      bytes: MAX_UPLOAD_BYTES,
      message: (length) => `The file is ${(length / 1e6).toFixed(0)} MB; seed tables can be at most 100 MB. Split it or keep the columns you need.`,
    },
  },
  async ({ req, params: { datasetId }, query }) => {
    const name = assertUploadName(query.name);
    const format = detectFormat(name);
    if (!format) throw new DomainError("invalid_input", `"${name}" is not a CSV or JSONL file. Use .csv, .tsv, .jsonl or .ndjson.`);
    if (!req.body) throw new DomainError("invalid_input", "The file is empty.");
    const table = await importSeedTable(db(), { datasetId, name, format, body: req.body });
    return ok({ id: table.id, name: table.name, columns: table.columns, rowCount: table.rowCount });
  },
);
