// Walks every exported server action (lib/*/actions.ts) and every route handler
// (app/**/route.ts) as each person: signed out, a member of no project, annotator, editor
// and owner of the project. A caller below the declared role must be refused before
// anything else happens; one at or above it must not be. An action or route missing from
// EXPECTED fails the test: a new one must say who may call it here too.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/api/server/tokens";
import { teamStudio, type Person } from "@/lib/testing/accounts";

// /api/v1 routes (but the OpenAPI document) are walked with each person's API token instead
// of their session: a token acts as its maker, with the same rules as the UI
// (lib/api/endpoints.ts), and no token at all is a 401.
type Expected = "public" | "member" | "annotator" | "editor" | "owner" | "studio-owner";

const EXPECTED: Record<string, Expected> = {
  "auth.signInAction": "public",
  "auth.createOwnerAction": "public",
  "auth.acceptInvitationAction": "public",
  "auth.signOutAction": "member",
  "auth.changePasswordAction": "member",
  "auth.inviteAction": "owner",
  "auth.createAccountAction": "owner",
  "auth.setRoleAction": "owner",
  "auth.revokeInvitationAction": "owner",
  "api.createApiTokenAction": "member",
  "api.revokeApiTokenAction": "member",
  "audit.listAuditAction": "studio-owner",
  "datasets.createDatasetAction": "editor",
  "datasets.renameDatasetAction": "editor",
  "datasets.saveGuidelinesAction": "editor",
  "datasets.guidelinesAction": "annotator",
  "datasets.deleteDatasetAction": "editor",
  "datasets.saveDraftAction": "editor",
  "datasets.previewAction": "editor",
  "datasets.seedTableRowsAction": "editor",
  "datasets.seedTableValueAction": "editor",
  "datasets.deleteSeedTableAction": "editor",
  "export.previewExportAction": "editor",
  "export.checkOpenAiAction": "editor",
  "export.previewCardAction": "editor",
  "import.listImportsAction": "editor",
  "import.deleteImportAction": "editor",
  "projects.createProjectAction": "member",
  "projects.renameProjectAction": "owner",
  "projects.deleteProjectAction": "owner",
  "providers.createConnectionAction": "studio-owner",
  "providers.updateConnectionAction": "studio-owner",
  "providers.deleteConnectionAction": "studio-owner",
  "providers.testConnectionAction": "studio-owner",
  "providers.setPriceAction": "studio-owner",
  "providers.resetPriceAction": "studio-owner",
  "quality.startDedupeAction": "editor",
  "quality.duplicatesOverviewAction": "annotator",
  "quality.dedupeStatusAction": "annotator",
  "quality.keepOneAction": "editor",
  "quality.judgeTrustAction": "annotator",
  "review.decideAction": "annotator",
  "review.setLabelsAction": "annotator",
  "review.editFieldAction": "annotator",
  "review.commentAction": "annotator",
  "review.bulkDecideAction": "editor",
  "review.bulkLabelAction": "editor",
  "review.undoAction": "annotator",
  "review.saveLabelSchemaAction": "editor",
  "review.restoreVersionAction": "editor",
  "review.recordVersionsAction": "annotator",
  "review.assignAction": "editor",
  "review.clearAssignmentsAction": "editor",
  "review.teamProgressAction": "editor",
  "review.myQueueAction": "annotator",
  "review.decideAsAssigneeAction": "annotator",
  "review.teamAgreementAction": "editor",
  "review.adjudicateAction": "editor",
  "runs.launchRunAction": "editor",
  "runs.cancelRunAction": "editor",
  "runs.pauseRunAction": "editor",
  "runs.resumeRunAction": "editor",
  "runs.retryFailedAction": "editor",
  "runs.runProgressAction": "editor",
  "runs.listRunsAction": "editor",
  "runs.estimateRunAction": "editor",
  "runs.regenerateOptionsAction": "editor",
  "runs.planRegenerateAction": "editor",
  "runs.launchRegenerateAction": "editor",
  "GET app/api/datasets/[datasetId]/export/route.ts": "editor",
  "GET app/api/datasets/[datasetId]/export/progress/route.ts": "editor",
  "POST app/api/datasets/[datasetId]/contamination/route.ts": "editor",
  "POST app/api/datasets/[datasetId]/import/route.ts": "editor",
  "POST app/api/datasets/[datasetId]/samples/route.ts": "editor",
  "POST app/api/datasets/[datasetId]/seed-tables/route.ts": "editor",
  "GET app/datasets/[datasetId]/records/data/route.ts": "annotator",
  "GET app/api/v1/openapi.json/route.ts": "public",
  "GET app/api/v1/connections/route.ts": "member",
  "GET app/api/v1/projects/route.ts": "member",
  "POST app/api/v1/projects/route.ts": "member",
  "GET app/api/v1/projects/[projectId]/datasets/route.ts": "annotator",
  "POST app/api/v1/projects/[projectId]/datasets/route.ts": "editor",
  "GET app/api/v1/datasets/[datasetId]/blueprint/route.ts": "editor",
  "PUT app/api/v1/datasets/[datasetId]/blueprint/route.ts": "editor",
  "POST app/api/v1/datasets/[datasetId]/export/route.ts": "editor",
  "POST app/api/v1/datasets/[datasetId]/import/route.ts": "editor",
  "GET app/api/v1/datasets/[datasetId]/records/route.ts": "annotator",
  "POST app/api/v1/datasets/[datasetId]/records/decide/route.ts": "editor",
  "POST app/api/v1/datasets/[datasetId]/records/label/route.ts": "editor",
  "POST app/api/v1/datasets/[datasetId]/runs/route.ts": "editor",
  "GET app/api/v1/runs/[runId]/route.ts": "editor",
  "POST app/api/v1/runs/[runId]/cancel/route.ts": "editor",
};

const PEOPLE: (Person | null)[] = [null, "outsider", "annotator", "editor", "owner"];
const RANK: Record<Person, number> = { outsider: 0, annotator: 1, editor: 2, owner: 3 };

/** Whether `person` may call something declared `expected` (the owner here is also the studio's owner). */
function mayCall(person: Person | null, expected: Expected): boolean {
  if (expected === "public") return true;
  if (person === null) return false;
  if (expected === "member") return true;
  if (expected === "studio-owner") return person === "owner";
  return RANK[person] >= RANK[expected];
}

const ROOT = path.resolve(import.meta.dirname, "..");
const actionFiles = fs.readdirSync(path.join(ROOT, "lib")).filter((d) => fs.existsSync(path.join(ROOT, "lib", d, "actions.ts")));
const routeFiles = (fs.readdirSync(path.join(ROOT, "app"), { recursive: true }) as string[])
  .filter((f) => f.endsWith(`${path.sep}route.ts`) || f === "route.ts")
  .map((f) => `app/${f.split(path.sep).join("/")}`);

const REFUSED = ["unauthenticated", "forbidden"];
const studio = teamStudio();
const apiToken = {} as Record<Person, string>;
beforeAll(async () => {
  const s = studio();
  for (const person of ["owner", "editor", "annotator", "outsider"] as const) apiToken[person] = (await createApiToken(s.db, s.userId[person], `walk ${person}`)).token;
});
const isApi = (file: string) => file.startsWith("app/api/v1/") && !file.includes("openapi.json");

describe("every server action checks the caller's role", () => {
  it("finds the actions and routes to walk", () => {
    expect(actionFiles.length).toBeGreaterThanOrEqual(9);
    expect(routeFiles.length).toBeGreaterThanOrEqual(7);
  });

  it.each(actionFiles)("lib/%s/actions.ts: each action refuses exactly the people below its declared role", async (feature) => {
    const mod = (await import(`@/lib/${feature}/actions`)) as Record<string, unknown>;
    const s = studio();
    for (const [name, fn] of Object.entries(mod)) {
      if (typeof fn !== "function") continue;
      const key = `${feature}.${name}`;
      expect(EXPECTED, `${key} is not in EXPECTED: say who may call it`).toHaveProperty([key]);
      for (const person of PEOPLE) {
        // Input no action accepts: refused callers must hear so, allowed ones what is wrong
        // with the input; nothing runs, so the walk changes nothing. (The check against the
        // project an input names: lib/auth/server/accounts.db.test.ts.)
        const input = "not an input";
        const result = (await s.as(person, () => (fn as (i: unknown) => Promise<{ ok: boolean; error?: { code: string } }>)(input))) as {
          ok: boolean;
          error?: { code: string };
        };
        const refused = !result.ok && REFUSED.includes(result.error!.code);
        expect(refused, `${key} as ${person ?? "signed out"} (declared ${EXPECTED[key]}): ${JSON.stringify(result.error)}`).toBe(!mayCall(person, EXPECTED[key]!));
      }
    }
  });

  it.each(routeFiles)("%s: each handler refuses exactly the people below its declared role", async (file) => {
    const mod = (await import(`@/${file.replace(/\.ts$/, "")}`)) as Record<string, unknown>;
    const s = studio();
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
      const handler = mod[method] as undefined | ((req: Request, ctx: unknown) => Promise<Response>);
      if (!handler) continue;
      const key = `${method} ${file}`;
      expect(EXPECTED, `${key} is not in EXPECTED: say who may call it`).toHaveProperty([key]);
      for (const person of PEOPLE) {
        const headers: Record<string, string> = { host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" };
        if (person && isApi(file)) headers.authorization = `Bearer ${apiToken[person]}`;
        else if (person) headers.cookie = s.cookie[person];
        // A request the handler refuses on its input (no body, no query) when it is heard at all.
        const req = new Request(`http://127.0.0.1:3000/x?__incomplete=1`, { method, headers, body: method === "GET" ? undefined : "not json" });
        const res = await s.as(person, () => handler(req, { params: Promise.resolve({ datasetId: s.datasetId }) }));
        const refused = res.status === 401 || res.status === 403;
        expect(refused, `${key} as ${person ?? "signed out"} (declared ${EXPECTED[key]}): ${res.status}`).toBe(!mayCall(person, EXPECTED[key]!));
        await res.body?.cancel();
      }
    }
  });
});
