// The review grid's reads, as GET so pages load in parallel while writes (server actions,
// which Next runs one at a time) are in flight. `?q=` is JSON validated by ReviewRead.
import type { NextRequest } from "next/server";
import { db } from "@/lib/db/server/prisma";
import { toActionError } from "@/lib/errors/action";
import { ReviewRead } from "@/lib/review/schemas";
import { listActions } from "@/lib/review/server/decisions";
import { countRecords, recordDetail, recordPage, recordRow, reviewStats } from "@/lib/review/server/records";

export async function GET(req: NextRequest, ctx: { params: Promise<{ datasetId: string }> }) {
  const { datasetId } = await ctx.params;
  let raw: unknown = null;
  try {
    raw = JSON.parse(req.nextUrl.searchParams.get("q") ?? "null");
  } catch {
    /* reported below */
  }
  const parsed = ReviewRead.safeParse(raw);
  if (!parsed.success || !/^[0-9a-f-]{36}$/i.test(datasetId)) {
    const message = parsed.error?.issues[0]?.message ?? "The dataset id is not valid.";
    return Response.json({ ok: false, error: { code: "invalid_input", message } }, { status: 400 });
  }
  const q = parsed.data;
  try {
    const data =
      q.kind === "page"
        ? await recordPage(db(), datasetId, q)
        : q.kind === "count"
          ? await countRecords(db(), datasetId, q.filter)
          : q.kind === "stats"
            ? await reviewStats(db(), datasetId)
            : q.kind === "row"
              ? await recordRow(db(), q.recordId)
              : q.kind === "record"
                ? await recordDetail(db(), q.recordId)
                : await listActions(db(), datasetId);
    return Response.json({ ok: true, data }, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    const error = toActionError(e);
    return Response.json({ ok: false, error }, { status: error.code === "not_found" ? 404 : error.code === "internal" ? 500 : 400 });
  }
}
