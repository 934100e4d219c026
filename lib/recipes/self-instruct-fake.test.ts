// The fake server answers a Self-Instruct prompt ("... Task 9:") the way a real model
// does for the filters' purposes: most candidates are kept, and each filter rejects some.
import { afterAll, beforeAll, expect, it } from "vitest";
import OpenAI from "openai";
import { startFakeLlm, type FakeLlm } from "@/fake-llm/server";
import { RougeLPool } from "./rouge-filter";
import { SELF_INSTRUCT_SEEDS } from "./self-instruct-seeds";
import { filterRound } from "./self-instruct";

let fake: FakeLlm;
beforeAll(async () => {
  fake = await startFakeLlm();
  fake.configure({ latencyMs: 0 });
});
afterAll(() => fake.close());

it("gives varied enough instructions that the filters keep most but not all", async () => {
  const client = new OpenAI({ baseURL: fake.url, apiKey: "test", maxRetries: 0 });
  const prompt = (k: number) => `Come up with a series of tasks:\n${SELF_INSTRUCT_SEEDS.slice(k % 17, (k % 17) + 8).map((t, i) => `Task ${i + 1}: ${t}`).join("\n")}\nTask 9:`;
  // In record order, as the executor filters them.
  const candidates = await Promise.all(
    Array.from({ length: 200 }, async (_, k) => {
      const r = await client.chat.completions.create({ model: "gpt-4o-mini", seed: k, messages: [{ role: "user", content: prompt(k) }] });
      return r.choices[0].message.content ?? "";
    }),
  );
  const pool = new RougeLPool();
  for (const s of SELF_INSTRUCT_SEEDS) pool.add(s);
  const { stats } = filterRound(pool, candidates);
  expect(stats.kept / stats.candidates).toBeGreaterThan(0.6);
  expect(stats.kept).toBeLessThan(stats.candidates);
  expect(stats.rejected["word-count"]).toBeGreaterThan(0);
  expect(stats.rejected.blocklist).toBeGreaterThan(0);
  expect(stats.rejected["similar-to-pool"]).toBeGreaterThan(0);
}, 60_000);
