// HTTP API v1 (lib/api/README.md): projects.
import { ENDPOINTS } from "@/lib/api/endpoints";
import { apiRoute } from "@/lib/api/server/route";
import { db } from "@/lib/db/server/prisma";
import { ok } from "@/lib/http/route";
import { createProject, listProjects } from "@/lib/projects/server/projects";

export const GET = apiRoute(ENDPOINTS.listProjects, async () => ok(await listProjects(db())));
export const POST = apiRoute(ENDPOINTS.createProject, async ({ body }) => ok({ id: (await createProject(db(), body)).id }, { status: 201 }));
