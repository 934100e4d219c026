// How far a download has got (see ../route.ts); 404 until the export has started.
import { NextResponse, type NextRequest } from "next/server";
import { getProgress } from "@/lib/export/server/progress";

export async function GET(req: NextRequest) {
  const id = req.nextUrl.searchParams.get("id") ?? "";
  const p = getProgress(id);
  if (!p) return NextResponse.json({ ok: false, error: { code: "not_found", message: "No export with this id is running." } }, { status: 404, headers: { "Cache-Control": "no-store" } });
  return NextResponse.json({ ok: true, data: p }, { headers: { "Cache-Control": "no-store" } });
}
