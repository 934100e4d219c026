// How far a download has got (see ../route.ts). The page starts polling as it clicks the
// download link, so its first polls usually arrive before the download request has reached
// the server (or its first rows have): an id not known yet is "not started", data null,
// not a 404 (which browsers log as a console error on every poll).
import { NextResponse, type NextRequest } from "next/server";
import { getProgress } from "@/lib/export/server/progress";

export async function GET(req: NextRequest) {
  const id = req.nextUrl.searchParams.get("id") ?? "";
  return NextResponse.json({ ok: true, data: getProgress(id) }, { headers: { "Cache-Control": "no-store" } });
}
