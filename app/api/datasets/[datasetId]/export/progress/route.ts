// How far a download has got (see ../route.ts). The page starts polling as it clicks the
// download link, so its first polls usually arrive before the download request has reached
// the server (or its first rows have): an id not known yet is "not started", data null,
// not a 404 (which browsers log as a console error on every poll).
import { z } from "zod";
import { getProgress } from "@/lib/export/server/progress";
import { DatasetParams, ok, route } from "@/lib/http/route";

export const GET = route({ access: { role: "editor", project: ({ params }) => ({ datasetId: params.datasetId }) }, params: DatasetParams, query: z.object({ id: z.string().default("") }) }, async ({ query }) =>
  ok(getProgress(query.id), { headers: { "Cache-Control": "no-store" } }),
);
