// Conversation fields in runs against the fake OpenAI-compatible server: N turns are 2N
// requests through the run's transport, stored as a message list, with the record's cost
// the sum of its calls; a failure mid-conversation fails the record and "Retry failed"
// finishes it; the estimate counts every call with its growing context.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startFakeLlm } from "@/fake-llm/server";
import { assistantMessages, simulatorMessages, type ConversationMessage } from "@/lib/blueprints/conversation";
import type { Blueprint, ConversationField } from "@/lib/blueprints/schema";
import { createProject } from "@/lib/projects/server/projects";
import { testDb, uniqueName } from "@/lib/testing/db";
import { datasetOnFakeLlm } from "@/lib/testing/runs";
import type { LlmFieldProvenance } from "@/lib/generation/generate-record";
import { estimateRun } from "./estimate";
import { executeRun } from "./executor";
import { launchRun, retryFailed } from "./runs";
import { createRawPool } from "@/lib/db/copy/server/raw-pg";
import { startExport } from "@/lib/export/server/export";
import { previewExport } from "@/lib/export/server/preview";
import { ExportRequest, type ExportRequestInput } from "@/lib/export/schemas";

const db = testDb();
const pool = createRawPool(process.env.DATABASE_URL!, 2);
let fake: Awaited<ReturnType<typeof startFakeLlm>>;
let projectId: string;

beforeAll(async () => {
  fake = await startFakeLlm({ apiKeys: ["sk-test-right"] });
  projectId = (await createProject(db, { name: uniqueName("Conversations") })).id;
});
beforeEach(() => fake.configure({ latencyMs: 0, faultSequence: [] }));
afterAll(async () => {
  await fake.close();
  await pool.end();
  await db.$disconnect();
});

const chat = (turns: ConversationField["turns"]): ConversationField => ({
  id: "c",
  kind: "conversation",
  name: "chat",
  system: "You are a support agent for {{ product }}.",
  persona: "You are a customer of {{ product }} who wants a refund. Write only your next message.",
  turns,
  model: "gpt-4o-mini",
  params: { max_tokens: 60 },
});
const blueprint = (turns: ConversationField["turns"]): Blueprint => ({
  fields: [{ id: "p", kind: "category", name: "product", options: ["router", "kettle", "bike"].map((value) => ({ value, weight: 1 })) }, chat(turns)],
});

async function run(s: { datasetId: string; connectionId: string }, records: number, settings: object = {}) {
  const r = await launchRun(db, { datasetId: s.datasetId, connectionId: s.connectionId, records, seed: 3, settings: { concurrency: 4, ...settings } }, async () => {});
  await executeRun(db, r.id);
  return r.id;
}
const recordsOf = (runId: string) => db.record.findMany({ where: { runId }, orderBy: { index: "asc" } });
type Prov = { llm: Record<string, LlmFieldProvenance> };

describe("conversation fields in runs", () => {
  test("a 3-turn conversation is 6 messages from 6 requests, and the record costs the sum of its calls", async () => {
    const s = await datasetOnFakeLlm(db, projectId, fake.url, blueprint({ min: 3, max: 3 }));
    fake.reset();
    const runId = await run(s, 4);
    expect(fake.stats().chatCompletions).toBe(4 * 6);
    const records = await recordsOf(runId);
    expect(records).toHaveLength(4);
    for (const r of records) {
      expect(r.status).toBe("succeeded");
      const v = r.values as { product: string; chat: ConversationMessage[] };
      expect(v.chat.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant", "user", "assistant"]);
      expect(v.chat.every((m) => typeof m.content === "string" && m.content.trim() !== "")).toBe(true);
      expect(r.nonTextFields).toContain("chat");

      const p = (r.provenance as unknown as Prov).llm.chat;
      const calls = p.conversation!.calls;
      expect(calls.map((c) => c.side)).toEqual(["user", "assistant", "user", "assistant", "user", "assistant"]);
      expect(calls.map((c) => c.context)).toEqual([0, 1, 2, 3, 4, 5]);
      // Each call's input grows: it resends the conversation so far.
      for (let i = 2; i < calls.length; i++) expect(calls[i].tokensIn).toBeGreaterThan(calls[i - 2].tokensIn);
      const sum = (k: "costUsd" | "tokensIn" | "tokensOut") => calls.reduce((a, c) => a + c[k], 0);
      expect(sum("costUsd")).toBeGreaterThan(0);
      expect(r.costUsd).toBeCloseTo(sum("costUsd"), 12);
      expect(p.costUsd).toBeCloseTo(sum("costUsd"), 12);
      expect(r.tokensIn).toBe(sum("tokensIn"));
      expect(r.tokensOut).toBe(sum("tokensOut"));
      // The last request kept in full is the assistant's: its system prompt, then the conversation before its reply.
      expect(p.conversation!.system).toBe(`You are a support agent for ${v.product}.`);
      expect(p.messages).toEqual(assistantMessages(p.conversation!.system, v.chat.slice(0, 5)));
    }
    const run1 = await db.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run1.status).toBe("completed");
    expect(run1.costUsd).toBeCloseTo(records.reduce((a, r) => a + r.costUsd, 0), 10);
  });

  test("the simulated user is sent its persona and the conversation with the roles flipped, and the cache replays the same conversation", async () => {
    const s = await datasetOnFakeLlm(db, projectId, fake.url, blueprint({ min: 2, max: 2 }));
    const first = await recordsOf(await run(s, 2));
    // The fake's answers are drawn from a hash of the request: the same record asked the same way
    // (same persona, same flipped history) gets the same answer, so a cached re-run equals the first.
    fake.reset();
    const again = await recordsOf(await run(s, 2));
    expect(fake.stats().chatCompletions).toBe(0);
    expect(again.map((r) => r.values)).toEqual(first.map((r) => r.values));
    for (const r of again) expect((r.provenance as unknown as Prov).llm.chat.cached).toBe(true);
    const v = first[0].values as { chat: ConversationMessage[] };
    const persona = (first[0].provenance as unknown as Prov).llm.chat.conversation!.persona;
    expect(simulatorMessages(persona, v.chat.slice(0, 2)).slice(-2)).toEqual([
      { role: "assistant", content: v.chat[0].content },
      { role: "user", content: v.chat[1].content },
    ]);
  });

  test("a failure mid-conversation fails the record with the turn named, keeps the cost of the calls made, and Retry failed finishes it", async () => {
    const s = await datasetOnFakeLlm(db, projectId, fake.url, blueprint({ min: 3, max: 3 }));
    // Calls 1-3 answer, the 4th (turn 2, the assistant) is refused: a 400 is not retried.
    fake.configure({ faultSequence: [null, null, null, "400"] });
    const runId = await run(s, 1, { concurrency: 1 });
    const [failed] = await recordsOf(runId);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/^chat: turn 2 \(assistant\): /);
    expect((failed.values as Record<string, unknown>).chat).toBeUndefined();
    const p = (failed.provenance as unknown as Prov).llm.chat;
    expect(p.conversation!.calls).toHaveLength(3);
    expect(failed.costUsd).toBeCloseTo(p.conversation!.calls.reduce((a, c) => a + c.costUsd, 0), 12);
    expect(p.error).toMatch(/turn 2/);

    await retryFailed(db, runId, async () => {});
    await executeRun(db, runId);
    const [retried] = await recordsOf(runId);
    expect(retried.status).toBe("succeeded");
    expect((retried.values as { chat: ConversationMessage[] }).chat).toHaveLength(6);
  });

  test("the estimate counts 2N calls per record with the context growing each turn", async () => {
    const s = await datasetOnFakeLlm(db, projectId, fake.url, blueprint({ min: 1, max: 1 }));
    const one = await estimateRun(db, s.datasetId, blueprint({ min: 1, max: 1 }), 10, 3);
    const four = await estimateRun(db, s.datasetId, blueprint({ min: 4, max: 4 }), 10, 3);
    // Output: 8 answers instead of 2. Input: more than 4x, since each call resends what came before.
    expect(four.tokensOut).toBe(one.tokensOut * 4);
    expect(four.tokensIn).toBeGreaterThan(one.tokensIn * 4);
    expect(four.costUsd).toBeGreaterThan(one.costUsd * 4);
  });

  test("exported through the real COPY path: ShareGPT and OpenAI chat take every turn after the system prompt sent, and leave out a record without a conversation", async () => {
    const s = await datasetOnFakeLlm(db, projectId, fake.url, blueprint({ min: 2, max: 2 }));
    // Record 1's third call is refused (a 400 is not retried): it has no conversation.
    fake.configure({ faultSequence: [null, null, "400"] });
    const runId = await run(s, 3, { concurrency: 1 });
    const records = await recordsOf(runId);
    expect(records.map((r) => r.status).sort()).toEqual(["failed", "succeeded", "succeeded"]);
    const byChat = new Map(records.filter((r) => r.status === "succeeded").map((r) => [JSON.stringify((r.values as { chat: unknown }).chat), r]));

    const req = (format: "sharegpt" | "openai"): ExportRequestInput => ({
      format,
      filter: {},
      mapping: { system: { kind: "prompt", field: "chat", part: "system" }, conversation: "chat" },
    });
    const lines = async (input: ExportRequestInput) => {
      const d = await startExport(db, pool, s.datasetId, ExportRequest.parse(input));
      const chunks: Uint8Array[] = [];
      for await (const c of d.body as unknown as AsyncIterable<Uint8Array>) chunks.push(c);
      return Buffer.concat(chunks).toString("utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, { role?: string; from?: string; content?: string; value?: string }[]>);
    };
    const share = await lines(req("sharegpt"));
    expect(share).toHaveLength(2);
    for (const l of share) {
      const [system, ...turns] = l.conversations;
      expect(system.from).toBe("system");
      const r = byChat.get(JSON.stringify(turns.map((t) => ({ role: t.from === "human" ? "user" : "assistant", content: t.value }))));
      expect(r, "the turns are a record's conversation, in order").toBeDefined();
      expect(system.value).toBe(`You are a support agent for ${(r!.values as { product: string }).product}.`);
    }
    const chat = await lines(req("openai"));
    expect(chat.map((l) => l.messages.map((m) => m.role))).toEqual(Array(2).fill(["system", "user", "assistant", "user", "assistant"]));
    const preview = await previewExport(db, pool, s.datasetId, ExportRequest.parse(req("openai")));
    expect(preview.total).toBe(2);
    expect(preview.withoutPrompt).toBe(1);
  });
});
