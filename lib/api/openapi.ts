// The API's OpenAPI 3.1 document, built from ENDPOINTS (the schemas the routes parse),
// served at /api/v1/openapi.json.
import { z } from "zod";
import { API_VERSION, ENDPOINTS, type Endpoint } from "./endpoints";

const ERROR = {
  type: "object",
  properties: { ok: { const: false }, error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" } }, required: ["code", "message"] } },
  required: ["ok", "error"],
};

// "input": the shape a client sends (defaults optional), not what the server holds after parsing.
const schemaOf = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" });

function parameters(e: Endpoint) {
  const out: object[] = [];
  for (const [where, schema] of [["path", e.params], ["query", e.query]] as const) {
    if (!schema) continue;
    for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const json = schemaOf(field) as { description?: string };
      out.push({ name, in: where, required: where === "path" || !field.safeParse(undefined).success, description: json.description, schema: json });
    }
  }
  return out;
}

export function openApiDocument(origin: string) {
  const paths: Record<string, Record<string, object>> = {};
  for (const [operationId, e] of Object.entries(ENDPOINTS) as [string, Endpoint][]) {
    const download = e.returns.startsWith("The file");
    paths[e.path] ??= {};
    paths[e.path][e.method.toLowerCase()] = {
      operationId,
      summary: e.summary,
      parameters: parameters(e),
      ...(e.upload && { requestBody: { required: true, content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } } }),
      ...(e.body && { requestBody: { required: true, content: { "application/json": { schema: schemaOf(e.body) } } } }),
      responses: {
        "200": download
          ? { description: e.returns, content: { "application/octet-stream": {} } }
          : { description: e.returns, content: { "application/json": { schema: { type: "object", properties: { ok: { const: true }, data: {} }, required: ["ok", "data"] } } } },
        default: { description: "An error: 400 bad input, 401 no or bad token, 404 not found, 409 conflict, 413 too large.", content: { "application/json": { schema: ERROR } } },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Datawright API", version: API_VERSION, description: "Create tokens under Settings → API tokens; send them as `Authorization: Bearer dw_…`." },
    servers: [{ url: `${origin}/api/${API_VERSION}` }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths,
  };
}
