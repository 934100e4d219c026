// Export download. A route handler so the file streams from PostgreSQL to the browser
// (server actions buffer their result); a GET so the browser's own download manager
// saves it to disk as it arrives, however large. The page polls ./progress for rows.
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { db } from "@/lib/db/server/prisma";
import { toActionError } from "@/lib/errors/action";
import { DomainError } from "@/lib/errors/domain-error";
import { decodeRequestParam, ExportRequest } from "@/lib/export/schemas";
import { startExport } from "@/lib/export/server/export";
import { setProgress } from "@/lib/export/server/progress";
import { rawPool } from "@/lib/export/server/raw-pg";

const Params = z.object({ datasetId: z.uuid() });
const ProgressId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

export async function GET(req: NextRequest, ctx: { params: Promise<{ datasetId: string }> }) {
  const progressId = ProgressId.safeParse(req.nextUrl.searchParams.get("progress")).data ?? null;
  try {
    const { datasetId } = Params.parse(await ctx.params);
    let raw: unknown;
    try {
      raw = decodeRequestParam(req.nextUrl.searchParams.get("request") ?? "");
    } catch {
      throw new DomainError("invalid_input", "The export settings in the address are not readable. Start the export again from the Export page.");
    }
    const parsed = ExportRequest.safeParse(raw);
    if (!parsed.success) throw new DomainError("invalid_input", parsed.error.issues[0]?.message ?? "The export settings are not valid.");
    const download = await startExport(db(), rawPool(), datasetId, parsed.data, {
      onProgress: progressId ? (p) => setProgress(progressId, p) : undefined,
      signal: req.signal,
    });
    const ascii = download.fileName.replace(/[^\x20-\x7e]|"/g, "_");
    return new Response(download.body, {
      headers: {
        "Content-Type": download.contentType,
        "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(download.fileName)}`,
        "Cache-Control": "no-store",
        ...(download.total === null ? {} : { "X-Export-Total": String(download.total) }),
      },
    });
  } catch (e) {
    const error = e instanceof z.ZodError ? { code: "invalid_input" as const, message: "The dataset id in the address is not valid." } : toActionError(e);
    if (progressId) setProgress(progressId, { state: "failed", rows: 0, total: 0, file: null, skipped: 0, error: error.message });
    const status = error.code === "not_found" ? 404 : error.code === "unavailable" ? 503 : error.code === "internal" ? 500 : 400;
    return NextResponse.json({ ok: false, error }, { status });
  }
}
