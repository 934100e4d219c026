// Rule-based fields (grammar, transform, mask) in runs against the fake OpenAI-compatible
// server: computed from each record's seed without a request, equal to the preview of the
// same record, and counted as no tokens by the estimate.
import { afterAll, describe, expect, test } from "vitest";
import { previewRecords } from "@/lib/blueprints/preview";
import type { Blueprint } from "@/lib/blueprints/schema";
import { testDb } from "@/lib/testing/db";
import { datasetOnFakeLlm, fakeLlmProject } from "@/lib/testing/runs";
import { estimateRun } from "./estimate";
import { executeRun } from "./executor";
import { launchRun } from "./runs";
import { createRawPool } from "@/lib/db/copy/server/raw-pg";
import { startExport } from "@/lib/export/server/export";
import { ExportRequest } from "@/lib/export/schemas";

const db = testDb();
const pool = createRawPool(process.env.DATABASE_URL!, 2);
const ctx = fakeLlmProject(db, "Rule fields");
afterAll(() => pool.end());

const rules: Blueprint = {
  fields: [
    { id: "g", kind: "grammar", name: "note", grammar: 'note -> name "paid" amount "on 2024-03-05, mail" name + "@example.com"\nname -> "Ada" | "Grace" | "Alan"\namount -> "19.99" | "250"' },
    { id: "t", kind: "transform", name: "shifted", source: "note", operation: "perturb_dates", amount: 20 },
    { id: "m", kind: "mask", name: "masked", source: "shifted", mode: "entities", entityTypes: ["EMAIL"], patterns: [{ name: "AMOUNT", pattern: "[0-9]+\\.[0-9]{2}" }], rate: 0 },
    { id: "k", kind: "mask", name: "infill", source: "note", mode: "tokens", entityTypes: [], patterns: [], rate: 0.3 },
  ],
};

describe("rule-based fields in runs", () => {
  test("a run computes them without calling the model, as the preview showed, and the estimate counts no tokens", async () => {
    const s = await datasetOnFakeLlm(db, ctx.projectId, ctx.fake.url, rules);
    ctx.fake.reset();
    const r = await launchRun(db, { datasetId: s.datasetId, connectionId: s.connectionId, records: 6, seed: 11, settings: { concurrency: 2 } }, async () => {});
    await executeRun(db, r.id);
    expect(ctx.fake.stats().chatCompletions).toBe(0);
    const records = await db.record.findMany({ where: { runId: r.id }, orderBy: { index: "asc" } });
    expect(records).toHaveLength(6);
    const preview = previewRecords(rules, { seed: 11, count: 6 });
    for (const rec of records) {
      expect(rec.status).toBe("succeeded");
      const v = rec.values as Record<string, unknown>;
      expect(v).toEqual(preview[rec.index].values);
      expect(v.masked).toMatch(/\[EMAIL\]/);
      expect(v.masked).not.toMatch(/@/);
      expect((v.infill as { targets: unknown[] }).targets.length).toBeGreaterThan(0);
    }
    expect(new Set(records.map((x) => (x.values as { note: string }).note)).size).toBeGreaterThan(1);
    const est = await estimateRun(db, s.datasetId, rules, 100, 11);
    expect(est.tokensIn).toBe(0);
    expect(est.tokensOut).toBe(0);
    expect(est.costUsd).toBe(0);

    // Exports carry them like any field: the original beside its masked copy, the infilling pair as JSON.
    const d = await startExport(db, pool, s.datasetId, ExportRequest.parse({ format: "jsonl", filter: {}, fields: ["note", "masked", "infill"] }));
    const chunks: Uint8Array[] = [];
    for await (const c of d.body as unknown as AsyncIterable<Uint8Array>) chunks.push(c);
    const lines = Buffer.concat(chunks).toString("utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(6);
    const byNote = new Map(records.map((x) => [(x.values as { note: string }).note + JSON.stringify((x.values as { infill: unknown }).infill), x.values]));
    for (const l of lines) expect(byNote.get((l.note as string) + JSON.stringify(l.infill))).toMatchObject({ masked: l.masked });
  });
});
