// The API's OpenAPI document, from the same zod schemas the routes parse. No token needed:
// it describes the API, it holds no data.
import { openApiDocument } from "@/lib/api/openapi";
import { route } from "@/lib/http/route";

export const GET = route({ access: { public: "describes the API, holds no data" } }, async ({ req }) => Response.json(openApiDocument(new URL(req.url).origin)));
