// How far a download has got (see ../route.ts); 404 until the export has started.
import { z } from "zod";
import { DomainError } from "@/lib/errors/domain-error";
import { getProgress } from "@/lib/export/server/progress";
import { ok, route } from "@/lib/http/route";

export const GET = route({ query: z.object({ id: z.string().default("") }) }, async ({ query }) => {
  const p = getProgress(query.id);
  if (!p) throw new DomainError("not_found", "No export with this id is running.");
  return ok(p, { headers: { "Cache-Control": "no-store" } });
});
