// HTTP API v1: provider connections, to pick one for a run. Keys never leave the server.
import { ENDPOINTS } from "@/lib/api/endpoints";
import { apiRoute } from "@/lib/api/server/route";
import { db } from "@/lib/db/server/prisma";
import { ok } from "@/lib/http/route";
import { listConnections } from "@/lib/providers/server/connections";

export const GET = apiRoute(ENDPOINTS.listConnections, async () =>
  ok((await listConnections(db())).map((c) => ({ id: c.id, name: c.name, preset: c.preset, defaultModel: c.defaultModel, maxConcurrency: c.maxConcurrency }))),
);
