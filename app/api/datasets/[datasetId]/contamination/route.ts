// Contamination check against an uploaded reference set (an eval benchmark as CSV or
// JSONL). A route handler rather than a server action because the file is streamed into
// the parser: server actions buffer their input. Answers the check's counts.
import { z } from "zod";
import { rawPool } from "@/lib/db/copy/server/raw-pg";
import { db } from "@/lib/db/server/prisma";
import { DomainError } from "@/lib/errors/domain-error";
import { DatasetParams, encodedParam, ok, route } from "@/lib/http/route";
import { uploadedTable } from "@/lib/http/upload";
import { checkContamination, MAX_REFERENCE_BYTES } from "@/lib/quality/server/contamination";

// The file's size as a file manager shows it (decimal), the cap as the service words it.
const fileMb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;
const capMb = `${MAX_REFERENCE_BYTES / 1024 / 1024} MB`;

export const POST = route(
  {
    access: { role: "editor", project: ({ params }) => ({ datasetId: params.datasetId }) },
    params: DatasetParams,
    query: z.object({
      name: z.string().default(""),
      fields: encodedParam(z.array(z.string().min(1)).min(1, "Pick at least one field to check."), "Pick at least one field to check."),
    }),
    maxBytes: {
      bytes: MAX_REFERENCE_BYTES,
      message: (length) =>
        `The reference set is ${fileMb(length)}; a contamination check takes at most ${capMb}. Check against a smaller file (for example the benchmark's test split alone).`,
    },
  },
  async ({ req, params: { datasetId }, query }) => {
    const { format } = uploadedTable(query.name);
    if (!req.body) throw new DomainError("invalid_input", "The reference set is empty (0 bytes).");
    return ok(await checkContamination(db(), rawPool(), { datasetId, fields: query.fields, format, body: req.body }));
  },
);
