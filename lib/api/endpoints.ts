// The HTTP API, version 1 (lib/api/README.md): every endpoint once, with the zod schemas
// its route parses, so the OpenAPI document (openapi.ts) and the routes cannot drift. The
// bodies are the server actions' own input schemas, minus what the address carries.
import { z } from "zod";
import type { AccessRule } from "@/lib/auth/access";
import type { Role } from "@/lib/auth/roles";
import { Blueprint } from "@/lib/blueprints/schema";
import { CreateDatasetInput } from "@/lib/datasets/schemas";
import { ExportRequestShape } from "@/lib/export/schemas";
import { encodedParam } from "@/lib/http/route";
import { ImportMapping } from "@/lib/import/mapping";
import { CreateProjectInput } from "@/lib/projects/schemas";
import { RecordFilter } from "@/lib/records/filter";
import { BulkDecideInput, BulkLabelInput, RecordSort } from "@/lib/review/schemas";
import { LaunchRunInput } from "@/lib/runs/schemas";

export const API_VERSION = "v1";

const uuid = (what: string) => z.uuid({ error: `The ${what} id in the address is not valid.` });
export const ProjectParams = z.object({ projectId: uuid("project") });
export const DatasetParams = z.object({ datasetId: uuid("dataset") });
export const RunParams = z.object({ runId: uuid("run") });

/** An optional JSON-encoded query parameter (a filter, a sort). */
const jsonParam = <S extends z.ZodType>(schema: S, what: string) => encodedParam(schema, `The ${what} parameter is not JSON.`).optional();

export const RecordsQuery = z.object({
  filter: jsonParam(RecordFilter, "filter").describe("A records filter as JSON, the grid's (e.g. {\"reviewState\":[\"accepted\"]})."),
  sort: jsonParam(RecordSort, "sort").describe("A sort as JSON (default: record number)."),
  offset: z.coerce.number().int().min(0).max(50_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .describe("The `next` of the previous page: the page after it, as fast at the end as at the start (`offset` is then ignored, and `total` not counted)."),
});

export const ImportQuery = z.object({
  name: z.string().min(1, "Name the file (?name=reviews.jsonl): its extension says its format.").describe("The file's name; .csv, .tsv, .jsonl or .json says the format."),
  mapping: jsonParam(ImportMapping, "mapping").describe("Column -> field name, as JSON (e.g. {\"text\":\"review\"})."),
});

export const PutBlueprintBody = z.object({ blueprint: Blueprint, revision: z.number().int().min(0) });
export const LaunchRunBody = LaunchRunInput.omit({ datasetId: true });
export const DecideBody = BulkDecideInput.omit({ datasetId: true });
export const LabelBody = BulkLabelInput.omit({ datasetId: true });
export const CreateDatasetBody = CreateDatasetInput.omit({ projectId: true });

// Who may call each endpoint: the rule of the server action (or page) that does the same in
// the UI, checked with the roles of the token's person (lib/api/server/route.ts).
type Address = { params: Record<string, unknown>; query: unknown };
const inProject = (role: Role): AccessRule<Address> => ({ role, project: ({ params }) => ({ projectId: params.projectId as string }) });
const inDataset = (role: Role): AccessRule<Address> => ({ role, project: ({ params }) => ({ datasetId: params.datasetId as string }) });
const ofRun = (role: Role): AccessRule<Address> => ({ role, project: ({ params }) => ({ runId: params.runId as string }) });
const anyMember: AccessRule<Address> = { role: "member" };

type Method = "GET" | "POST" | "PUT";
export type Endpoint = {
  method: Method;
  /** OpenAPI path, `{param}` style. */
  path: string;
  summary: string;
  access: AccessRule<Address>;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The body is a file, streamed (not JSON). */
  upload?: true;
  /** What a success returns (in `data`), in words; a download says so. */
  returns: string;
};

export const ENDPOINTS = {
  listProjects: { method: "GET", path: "/projects", summary: "List projects", access: anyMember, returns: "Projects with their dataset counts." },
  createProject: { method: "POST", path: "/projects", summary: "Create a project", access: anyMember, body: CreateProjectInput, returns: "The project's id." },
  listDatasets: { method: "GET", path: "/projects/{projectId}/datasets", summary: "List a project's datasets", access: inProject("annotator"), params: ProjectParams, returns: "Datasets with record and run counts." },
  createDataset: {
    method: "POST",
    path: "/projects/{projectId}/datasets",
    summary: "Create a dataset, empty or from a recipe",
    access: inProject("editor"),
    params: ProjectParams,
    body: CreateDatasetBody,
    returns: "The dataset's id.",
  },
  getBlueprint: { method: "GET", path: "/datasets/{datasetId}/blueprint", summary: "Read a dataset's blueprint (draft)", access: inDataset("editor"), params: DatasetParams, returns: "{ blueprint, revision }." },
  putBlueprint: {
    method: "PUT",
    path: "/datasets/{datasetId}/blueprint",
    summary: "Replace a dataset's blueprint; `revision` is the one read (409 if someone saved since)",
    access: inDataset("editor"),
    params: DatasetParams,
    body: PutBlueprintBody,
    returns: "{ revision }: the new revision.",
  },
  listConnections: { method: "GET", path: "/connections", summary: "List provider connections (never their keys)", access: anyMember, returns: "Connections: id, name, preset, default model." },
  launchRun: { method: "POST", path: "/datasets/{datasetId}/runs", summary: "Launch a run", access: inDataset("editor"), params: DatasetParams, body: LaunchRunBody, returns: "The run's id." },
  getRun: { method: "GET", path: "/runs/{runId}", summary: "A run's status and progress", access: ofRun("editor"), params: RunParams, returns: "Status, counts, cost, rate and remaining records; `evolution`: per Evol-Instruct field and generation, evolved, kept and dropped by rule; `pool`: a Self-Instruct run's pool size, target and per round candidates, kept, failed, rejected by validator and a rejected candidate's closest pool instruction." },
  cancelRun: { method: "POST", path: "/runs/{runId}/cancel", summary: "Cancel a run", access: ofRun("editor"), params: RunParams, returns: "Nothing." },
  listRecords: {
    method: "GET",
    path: "/datasets/{datasetId}/records",
    summary: "Page through records with the grid's filters",
    access: inDataset("annotator"),
    params: DatasetParams,
    query: RecordsQuery,
    returns: "{ total, records, next }: the page's rows (long values clipped as in the grid); `next` is the cursor of the page after it (null at the end); `total` is counted only for a request without a cursor.",
  },
  decideRecords: {
    method: "POST",
    path: "/datasets/{datasetId}/records/decide",
    summary: "Accept, reject or reset records (by ids or a filter): one undoable action",
    access: inDataset("editor"),
    params: DatasetParams,
    body: DecideBody,
    returns: "{ count, actionId }.",
  },
  labelRecords: {
    method: "POST",
    path: "/datasets/{datasetId}/records/label",
    summary: "Set a label on records (by ids or a filter): one undoable action",
    access: inDataset("editor"),
    params: DatasetParams,
    body: LabelBody,
    returns: "{ count, actionId }.",
  },
  importRecords: {
    method: "POST",
    path: "/datasets/{datasetId}/import",
    summary: "Import real records from a CSV, TSV, JSONL or JSON file sent as the body (up to 1 GB, streamed)",
    access: inDataset("editor"),
    params: DatasetParams,
    query: ImportQuery,
    upload: true,
    returns: "How many records were imported, skipped, and why.",
  },
  exportRecords: {
    method: "POST",
    path: "/datasets/{datasetId}/export",
    summary: "Export records: the file streams back as the answer (JSONL, CSV, Parquet, OpenAI chat, Alpaca, ShareGPT). Left out, `fields` are all fields and `mapping` is the Export page's first guess.",
    access: inDataset("editor"),
    params: DatasetParams,
    body: ExportRequestShape,
    returns: "The file (a download), not JSON.",
  },
} as const satisfies Record<string, Endpoint>;
