// Validators as records land: a run against the fake OpenAI-compatible server with a
// "reject" and a "flag" validator, the results stored per record, rejected records
// counted apart, filterable, and left out of exports unless asked for.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startFakeLlm } from "@/fake-llm/server";
import type { Blueprint } from "@/lib/blueprints/schema";
import { createDataset, saveDraft } from "@/lib/datasets/server/datasets";
import { ExportRequest, type ExportRequestInput } from "@/lib/export/schemas";
import { startExport } from "@/lib/export/server/export";
import { createRawPool } from "@/lib/db/copy/server/raw-pg";
import { Prisma } from "@/lib/generated/prisma/client";
import { createProject } from "@/lib/projects/server/projects";
import { ConnectionInput } from "@/lib/providers/presets";
import { createConnection } from "@/lib/providers/server/connections";
import type { RecordFilter } from "@/lib/records/filter";
import { recordFilterSql } from "@/lib/records/server/filter-sql";
import type { RecordChecks } from "@/lib/quality/validators/evaluate";
import { datasetHealth } from "@/lib/quality/health/server/health";
import { recordPage, reviewSetup } from "@/lib/review/server/records";
import { testDb, uniqueName } from "@/lib/testing/db";
import { executeRun } from "./executor";
import { runProgress } from "./progress";
import { launchRun } from "./runs";

const db = testDb();
const pool = createRawPool(process.env.DATABASE_URL!, 2);
let fake: Awaited<ReturnType<typeof startFakeLlm>>;
let projectId: string;

beforeAll(async () => {
  fake = await startFakeLlm({ apiKeys: ["sk-test-right"] });
  fake.configure({ latencyMs: 0 });
  projectId = (await createProject(db, { name: uniqueName("Validators") })).id;
});
afterAll(async () => {
  await fake.close();
  await pool.end();
  await db.$disconnect();
});

const blueprint: Blueprint = {
  fields: [
    { id: "a", kind: "category", name: "topic", options: ["space", "sea", "forest", "city"].map((value) => ({ value, weight: 1 })) },
    { id: "b", kind: "number", name: "n", min: 1, max: 100, integer: true },
    {
      id: "c",
      kind: "llm",
      name: "story",
      system: "",
      prompt: "Write about {{ topic }}.",
      model: "gpt-4o-mini",
      params: { max_tokens: 60 },
      output: { type: "text" },
      fewShot: { examples: [], k: 0, mode: "turns" },
    },
    // Outcomes fixed by the sampled values, so the test knows which record fails which.
    { id: "v1", kind: "validator", name: "not_space", mode: "reject", check: { type: "expression", condition: 'topic != "space"', message: "about {{ topic }}" } },
    { id: "v2", kind: "validator", name: "big_n", mode: "flag", check: { type: "expression", condition: "n > 50", message: "n is {{ n }}" } },
    { id: "v3", kind: "validator", name: "has_text", mode: "reject", check: { type: "length", field: "story", unit: "chars", min: 1, max: null } },
  ],
};

async function runWithValidators(records: number) {
  const dataset = await createDataset(db, { projectId, name: uniqueName("ds") });
  await saveDraft(db, dataset.id, blueprint, 0);
  const conn = await createConnection(
    db,
    ConnectionInput.parse({ name: uniqueName("fake"), preset: "custom", baseUrl: fake.url, apiKey: "sk-test-right", defaultModel: "gpt-4o-mini", maxConcurrency: 64 }),
  );
  const run = await launchRun(db, { datasetId: dataset.id, connectionId: conn.id, records, settings: { concurrency: 8 } }, async () => {});
  await executeRun(db, run.id);
  return { datasetId: dataset.id, runId: run.id };
}

async function count(datasetId: string, filter: RecordFilter): Promise<number> {
  const [{ n }] = await db.$queryRaw<{ n: bigint }[]>(Prisma.sql`select count(*) as n from "Record" r where ${recordFilterSql(datasetId, filter)}`);
  return Number(n);
}

async function exportLines(datasetId: string, input: Omit<ExportRequestInput, "format">) {
  const d = await startExport(db, pool, datasetId, ExportRequest.parse({ format: "jsonl", fields: ["topic", "n"], ...input }));
  const chunks: Uint8Array[] = [];
  for await (const c of d.body as unknown as AsyncIterable<Uint8Array>) chunks.push(c);
  return Buffer.concat(chunks).toString("utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { topic: string; n: number });
}

describe("validators during a run", () => {
  let s: { datasetId: string; runId: string };
  let records: { values: Record<string, unknown>; checks: RecordChecks; rejected: boolean; status: string }[];
  beforeAll(async () => {
    s = await runWithValidators(80);
    records = (await db.record.findMany({ where: { runId: s.runId }, select: { values: true, checks: true, rejected: true, status: true } })) as never;
  });

  test("every record stores each validator's result; reject-mode failures reject it, flag-mode ones do not", () => {
    expect(records).toHaveLength(80);
    const space = records.filter((r) => r.values.topic === "space");
    const small = records.filter((r) => (r.values.n as number) <= 50);
    // The sample must exercise both outcomes of both validators.
    expect(space.length).toBeGreaterThan(0);
    expect(space.length).toBeLessThan(80);
    expect(small.length).toBeGreaterThan(0);
    for (const r of records) {
      const isSpace = r.values.topic === "space";
      const isSmall = (r.values.n as number) <= 50;
      expect(r.status).toBe("succeeded");
      expect(r.checks.not_space).toEqual(isSpace ? { pass: false, mode: "reject", message: "about space" } : { pass: true, mode: "reject", message: "true" });
      expect(r.checks.big_n).toEqual(isSmall ? { pass: false, mode: "flag", message: `n is ${r.values.n}` } : { pass: true, mode: "flag", message: "true" });
      expect(r.checks.has_text.pass).toBe(true);
      expect(r.rejected).toBe(isSpace);
    }
  });

  test("the run counts rejected records apart, within the succeeded", async () => {
    const p = await runProgress(db, s.runId);
    const rejected = records.filter((r) => r.rejected).length;
    expect(p.status).toBe("completed");
    expect(p.succeeded).toBe(80);
    expect(p.rejected).toBe(rejected);
    expect(p.failed).toBe(0);
    expect(p.recent[0]).toHaveProperty("checks");
  });

  test("filters: fails validator X, fails any, rejected or not", async () => {
    const space = records.filter((r) => r.values.topic === "space").length;
    const small = records.filter((r) => (r.values.n as number) <= 50).length;
    const either = records.filter((r) => r.values.topic === "space" || (r.values.n as number) <= 50).length;
    expect(await count(s.datasetId, { checks: { failing: ["big_n"] } })).toBe(small);
    expect(await count(s.datasetId, { checks: { failing: ["big_n", "not_space"] } })).toBe(either);
    expect(await count(s.datasetId, { checks: { failing: ["no_such_validator"] } })).toBe(0);
    expect(await count(s.datasetId, { checks: { anyFailed: true } })).toBe(either);
    expect(await count(s.datasetId, { rejected: true })).toBe(space);
    expect(await count(s.datasetId, { rejected: false })).toBe(80 - space);
  });

  test("the health page's validator pass rates are the stored results, counted as the run wrote them", async () => {
    const names = [...new Set(records.flatMap((r) => Object.keys(r.checks ?? {})))].sort();
    const direct = names.map((name) => {
      const rs = records.filter((r) => r.checks?.[name]);
      return {
        name,
        pass: rs.filter((r) => r.checks[name].pass).length,
        flag: rs.filter((r) => !r.checks[name].pass && r.checks[name].mode === "flag").length,
        reject: rs.filter((r) => !r.checks[name].pass && r.checks[name].mode === "reject").length,
      };
    });
    const health = await datasetHealth(db, s.datasetId);
    expect([...health.checks].sort((a, b) => a.name.localeCompare(b.name))).toEqual(direct);
    expect(direct.some((c) => c.flag > 0) && direct.some((c) => c.reject > 0)).toBe(true);
  });

  test("grid rows name the validators each record failed; the setup offers them as a column and filter", async () => {
    const rows = await recordPage(db, s.datasetId, { filter: {}, sort: { by: "position", dir: "asc" }, offset: 0, limit: 100 });
    expect(rows).toHaveLength(80);
    for (const r of rows) {
      const expected = Object.entries(records.find((x) => JSON.stringify(x.values) === JSON.stringify(r.values))!.checks)
        .filter(([, c]) => !c.pass)
        .map(([name, c]) => ({ name, mode: c.mode, message: c.message }));
      expect(r.failing.sort((a, b) => a.name.localeCompare(b.name))).toEqual(expected.sort((a, b) => a.name.localeCompare(b.name)));
      expect(r.rejected).toBe(r.failing.some((c) => c.mode === "reject"));
    }
    const names = [...new Set(records.flatMap((r) => Object.keys(r.checks)))].sort();
    expect(names.length).toBeGreaterThan(1);
    expect((await reviewSetup(db, s.datasetId)).quality).toEqual({ validators: names, duplicates: false, contamination: false, judges: [] });
  });

  test("exports leave rejected records out by default, and include them when asked", async () => {
    const space = records.filter((r) => r.values.topic === "space").length;
    const byDefault = await exportLines(s.datasetId, { filter: {} });
    expect(byDefault).toHaveLength(80 - space);
    expect(byDefault.some((r) => r.topic === "space")).toBe(false);
    expect(await exportLines(s.datasetId, { filter: {}, includeRejected: true })).toHaveLength(80);
    const onlyRejected = await exportLines(s.datasetId, { filter: { rejected: true } });
    expect(onlyRejected).toHaveLength(space);
    expect(onlyRejected.every((r) => r.topic === "space")).toBe(true);
  });
});
