// The fake Batch API through the real openai SDK: upload, create, the status steps,
// output and error files, expiry, partial failure and malformed input.
import { afterAll, describe, expect, it } from "vitest";
import OpenAI, { toFile } from "openai";
import { type FakeLlm, type FakeLlmOptions, startFakeLlm } from "./server";
import { until } from "@/lib/testing/until";

const servers: FakeLlm[] = [];
async function start(options?: FakeLlmOptions) {
  const s = await startFakeLlm(options);
  servers.push(s);
  return { llm: s, client: new OpenAI({ baseURL: s.url, apiKey: "test", maxRetries: 0 }) };
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const line = (id: string, content = "Describe a penguin.", extra: Record<string, unknown> = {}) =>
  JSON.stringify({ custom_id: id, method: "POST", url: "/v1/chat/completions", body: { model: "gpt-4o-mini", messages: [{ role: "user", content }], ...extra } });

async function submit(client: OpenAI, lines: string[], metadata?: Record<string, string>) {
  const file = await client.files.create({ file: await toFile(Buffer.from(lines.join("\n") + "\n"), "input.jsonl"), purpose: "batch" });
  return client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h", metadata });
}

const parse = (text: string) =>
  text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { custom_id: string; response: { status_code: number; body: { choices?: { message: { content: string } }[]; usage?: { prompt_tokens: number } } } | null; error: { code: string } | null });

describe("fake Batch API", () => {
  it("walks validating → in_progress → finalizing → completed and serves the output file", async () => {
    const { client, llm } = await start({ batchStepMs: 400 });
    const lines = Array.from({ length: 5 }, (_, i) => line(`r${i}`, `Describe penguin number ${i}.`));
    const created = await submit(client, lines, { run: "abc" });
    expect(created.status).toBe("validating");
    expect(created.metadata).toEqual({ run: "abc" });
    const seen = new Set<string>([created.status]);
    let done = created;
    await until(
      async () => {
        done = await client.batches.retrieve(created.id);
        seen.add(done.status);
        return done.status === "completed";
      },
      { timeoutMs: 5_000, intervalMs: 5 },
    );
    // Polled every few ms with 400 ms steps: the steps are observed in order (a poll slowed
    // by a loaded machine may miss one, never reorder them).
    const order = ["validating", "in_progress", "finalizing", "completed"];
    expect([...seen]).toEqual(order.filter((st) => seen.has(st)));
    expect(seen.has("in_progress")).toBe(true);
    expect(done.request_counts).toEqual({ total: 5, completed: 5, failed: 0 });
    expect(done.error_file_id).toBeNull();
    const out = parse(await (await client.files.content(done.output_file_id!)).text());
    expect(out.map((o) => o.custom_id).sort()).toEqual(["r0", "r1", "r2", "r3", "r4"]);
    for (const o of out) {
      expect(o.response!.status_code).toBe(200);
      expect(o.response!.body.choices![0]!.message.content.length).toBeGreaterThan(0);
      expect(o.response!.body.usage!.prompt_tokens).toBeGreaterThan(0);
    }
    expect(llm.stats().batches).toEqual({ created: 1, requests: 5, expired: 0 });
    expect(llm.stats().chatCompletions).toBe(0);
  });

  it("expires some requests: the batch ends expired, they are in the error file as batch_expired, the rest answered", async () => {
    const { client } = await start({ batchStepMs: 0, batchExpireRate: 0.3 });
    const lines = Array.from({ length: 200 }, (_, i) => line(`r${i}`));
    const b = await submit(client, lines);
    expect(b.status).toBe("expired");
    const out = parse(await (await client.files.content(b.output_file_id!)).text());
    const errors = parse(await (await client.files.content(b.error_file_id!)).text());
    expect(out.length + errors.length).toBe(200);
    expect(errors.length).toBeGreaterThan(30);
    expect(errors.length).toBeLessThan(90);
    expect(errors.every((e) => e.error?.code === "batch_expired" && e.response === null)).toBe(true);
    expect(b.request_counts).toEqual({ total: 200, completed: out.length, failed: errors.length });
    expect(new Set([...out, ...errors].map((o) => o.custom_id)).size).toBe(200);
  });

  it("partial failure: refused and failed requests land in the error file with their status; the batch completes", async () => {
    const { client } = await start({ batchStepMs: 0, batchFailRate: 0.2 });
    const lines = Array.from({ length: 100 }, (_, i) => line(`r${i}`));
    lines.push(line("bad-model", "hi", { model: "no-such-model" }), line("bad-param", "hi", { temperature: 9 }));
    const b = await submit(client, lines);
    expect(b.status).toBe("completed");
    const errors = parse(await (await client.files.content(b.error_file_id!)).text());
    const byId = new Map(errors.map((e) => [e.custom_id, e]));
    expect(byId.get("bad-model")!.response!.status_code).toBe(404);
    expect(byId.get("bad-param")!.response!.status_code).toBe(400);
    const failed500 = errors.filter((e) => e.response?.status_code === 500).length;
    expect(failed500).toBeGreaterThan(5);
    expect(b.request_counts!.failed).toBe(errors.length);
    expect(b.request_counts!.completed).toBe(102 - errors.length);
  });

  it("fails a batch with a malformed line at validation, naming the line, and answers none of it", async () => {
    const { client, llm } = await start({ batchStepMs: 0 });
    const b = await submit(client, [line("a"), "{not json", line("a"), JSON.stringify({ custom_id: "x", method: "GET", url: "/v1/chat/completions", body: {} })]);
    expect(b.status).toBe("failed");
    expect(b.errors!.data!.map((e) => [e.code, e.line])).toEqual([
      ["invalid_json_line", 2],
      ["duplicate_custom_id", 3],
      ["invalid_method", 4],
    ]);
    expect(b.output_file_id).toBeNull();
    expect(b.request_counts).toEqual({ total: 0, completed: 0, failed: 0 });
    expect(llm.stats().batches.requests).toBe(0);
  });

  it("lists batches newest first with their metadata (how a restarted client finds its own), pages with after", async () => {
    const { client } = await start({ batchStepMs: 1000 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await submit(client, [line("a")], { owner: `k${i}` })).id);
    const first = await client.batches.list({ limit: 2 });
    expect(first.data.map((b) => b.id)).toEqual([ids[2], ids[1]]);
    expect(first.data[0]!.metadata).toEqual({ owner: "k2" });
    const all: string[] = [];
    for await (const b of client.batches.list({ limit: 2 })) all.push(b.id);
    expect(all).toEqual([...ids].reverse());
  });

  it("refuses a bad create with OpenAI's errors, and cancels a batch in progress", async () => {
    const { client } = await start({ batchStepMs: 1000 });
    await expect(client.batches.create({ input_file_id: "file-nope", endpoint: "/v1/chat/completions", completion_window: "24h" })).rejects.toMatchObject({ status: 404 });
    const file = await client.files.create({ file: await toFile(Buffer.from(line("a")), "x.jsonl"), purpose: "batch" });
    await expect(client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "1h" as "24h" })).rejects.toMatchObject({ status: 400 });
    const b = await client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    expect((await client.batches.cancel(b.id)).status).toBe("cancelled");
    await expect(client.files.content("file-nope")).rejects.toMatchObject({ status: 404 });
  });
});
