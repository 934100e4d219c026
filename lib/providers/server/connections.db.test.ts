import { randomBytes } from "node:crypto";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { startFakeLlm } from "@/fake-llm/server";
import { createDataset, saveDraft } from "@/lib/datasets/server/datasets";
import { createProject } from "@/lib/projects/server/projects";
import { launchRun } from "@/lib/runs/server/runs";
import { testDb, uniqueName } from "@/lib/testing/db";
import { ConnectionInput, UpdateConnectionInput } from "@/lib/providers/presets";
import {
  createClient,
  createConnection,
  deleteConnection,
  getConnection,
  listConnections,
  unreadableKeys,
  listPrices,
  resetPrice,
  resolveConnection,
  setPrice,
  testConnection,
  updateConnection,
} from "./connections";

// A throwaway key, so the test never reads or creates the real <data dir>/secret.key.
vi.stubEnv("DATAWRIGHT_SECRET_KEY", randomBytes(32).toString("base64"));

const db = testDb();
let llm: Awaited<ReturnType<typeof startFakeLlm>>;
let locked: Awaited<ReturnType<typeof startFakeLlm>>;
beforeAll(async () => {
  llm = await startFakeLlm();
  locked = await startFakeLlm({ apiKeys: ["right-key-0123456789"] });
});
afterAll(async () => {
  await Promise.all([llm?.close(), locked?.close()]);
  await db.$disconnect();
});

const SECRET = "sk-test-" + randomBytes(12).toString("hex"); // 32 characters, ends in 4 hex digits

const input = (over: Partial<Record<string, unknown>> = {}) =>
  ConnectionInput.parse({ name: uniqueName("Conn"), preset: "custom", baseUrl: llm.url, defaultModel: "gpt-4o-mini", maxConcurrency: 4, ...over });

async function closedPortUrl() {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return `http://127.0.0.1:${port}/v1`;
}

describe("connections", () => {
  test("the key is stored encrypted and never returned by list or get", async () => {
    const c = await createConnection(db, input({ apiKey: SECRET }));
    expect(c).toMatchObject({ hasKey: true, apiKeyLast4: SECRET.slice(-4), preset: "custom", maxConcurrency: 4 });

    const row = await db.providerConnection.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.apiKeyEncrypted).toMatch(/^v1:/);
    expect(row.apiKeyEncrypted).not.toContain(SECRET);
    expect(row.apiKeyEncrypted).not.toContain(SECRET.slice(8));

    const listed = await listConnections(db);
    const got = await getConnection(db, c.id);
    for (const json of [JSON.stringify(listed), JSON.stringify(got), JSON.stringify(c)]) {
      expect(json).not.toContain(SECRET);
      expect(json).not.toContain(row.apiKeyEncrypted!);
      expect(json).not.toContain("apiKeyEncrypted");
    }
    expect(listed.find((x) => x.id === c.id)).toMatchObject({ hasKey: true, apiKeyLast4: SECRET.slice(-4) });

    const resolved = await resolveConnection(db, c.id);
    expect(resolved).toMatchObject({ id: c.id, baseUrl: llm.url, apiKey: SECRET, defaultModel: "gpt-4o-mini", maxConcurrency: 4 });
    const client = createClient(resolved);
    expect(client.maxRetries).toBe(0);
    const reply = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
    expect(reply.choices[0].message.content).toBeTruthy();
  });

  test("short keys keep no last four; no key means hasKey false", async () => {
    const short = await createConnection(db, input({ apiKey: "abc12345" }));
    expect(short).toMatchObject({ hasKey: true, apiKeyLast4: null });
    const none = await createConnection(db, input({ apiKey: "" }));
    expect(none).toMatchObject({ hasKey: false, apiKeyLast4: null });
    expect((await resolveConnection(db, none.id)).apiKey).toBeNull();
    expect(createClient({ baseUrl: llm.url, apiKey: null }).apiKey).toBe("not-needed");
  });

  test("update keeps the key when absent, replaces it, and removes it on empty string", async () => {
    const c = await createConnection(db, input({ apiKey: SECRET }));
    const base = { id: c.id, name: "Renamed", preset: "custom", baseUrl: llm.url + "/", defaultModel: "gpt-4o", maxConcurrency: 8 };

    const kept = await updateConnection(db, UpdateConnectionInput.parse(base));
    expect(kept).toMatchObject({ name: "Renamed", baseUrl: llm.url, defaultModel: "gpt-4o", maxConcurrency: 8, hasKey: true });
    expect((await resolveConnection(db, c.id)).apiKey).toBe(SECRET);

    const next = "sk-next-" + randomBytes(12).toString("hex");
    const replaced = await updateConnection(db, UpdateConnectionInput.parse({ ...base, apiKey: next }));
    expect(replaced.apiKeyLast4).toBe(next.slice(-4));
    expect((await resolveConnection(db, c.id)).apiKey).toBe(next);

    const removed = await updateConnection(db, UpdateConnectionInput.parse({ ...base, apiKey: "" }));
    expect(removed).toMatchObject({ hasKey: false, apiKeyLast4: null });
    const row = await db.providerConnection.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.apiKeyEncrypted).toBeNull();
    expect(row.apiKeyLast4).toBeNull();
  });

  test("a preset that needs a key cannot lose it; validation names the field", async () => {
    expect(ConnectionInput.safeParse({ name: "x", preset: "openai", baseUrl: "https://api.openai.com/v1", defaultModel: "gpt-4o-mini", maxConcurrency: 16 }).error?.issues[0].path).toEqual(["apiKey"]);
    expect(ConnectionInput.safeParse({ name: "x", preset: "custom", baseUrl: "ftp://host/v1", defaultModel: "m", maxConcurrency: 1 }).error?.issues[0].path).toEqual(["baseUrl"]);
    expect(ConnectionInput.safeParse({ name: "x", preset: "custom", baseUrl: "http://h/v1", defaultModel: "m", maxConcurrency: 2000 }).error?.issues[0].path).toEqual(["maxConcurrency"]);

    const c = await createConnection(db, input({ preset: "openai", apiKey: SECRET }));
    const base = { id: c.id, name: "OpenAI", preset: "openai", baseUrl: llm.url, defaultModel: "gpt-4o-mini", maxConcurrency: 16 };
    expect(UpdateConnectionInput.safeParse({ ...base, apiKey: "" }).success).toBe(false);
    const noKey = await createConnection(db, input({ preset: "ollama" }));
    await expect(updateConnection(db, UpdateConnectionInput.parse({ ...base, id: noKey.id }))).rejects.toThrow(/OpenAI needs an API key/);
  });

  test("delete; then get, update, resolve and delete say not found", async () => {
    const c = await createConnection(db, input());
    await deleteConnection(db, c.id);
    await expect(getConnection(db, c.id)).rejects.toThrow(/not found/);
    await expect(resolveConnection(db, c.id)).rejects.toThrow(/not found/);
    await expect(deleteConnection(db, c.id)).rejects.toThrow(/not found/);
    await expect(
      updateConnection(db, UpdateConnectionInput.parse({ id: c.id, name: "x", preset: "custom", baseUrl: llm.url, defaultModel: "m", maxConcurrency: 1 })),
    ).rejects.toThrow(/not found/);
  });

  test("deleting a connection stops the runs still using it, and says how many", async () => {
    const c = await createConnection(db, input());
    const project = await createProject(db, { name: uniqueName("Delete conn") });
    const dataset = await createDataset(db, { projectId: project.id, name: uniqueName("ds") });
    await saveDraft(db, dataset.id, { fields: [{ id: "a", kind: "category", name: "topic", options: [{ value: "sea", weight: 1 }] }] }, 0);
    const queued = await launchRun(db, { datasetId: dataset.id, connectionId: c.id, records: 5, settings: {} }, async () => {});
    expect((await listConnections(db)).find((x) => x.id === c.id)?.activeRuns).toBe(1);
    expect(await deleteConnection(db, c.id)).toEqual({ stoppedRuns: 1 });
    const run = await db.run.findUniqueOrThrow({ where: { id: queued.id } });
    expect(run).toMatchObject({ status: "cancelled", stopReason: "Stopped: its provider connection was deleted.", connectionId: null });
  });

  test("a ciphertext that no longer decrypts is explained, not crashed on", async () => {
    const a = await createConnection(db, input({ apiKey: SECRET }));
    const b = await createConnection(db, input({ apiKey: "sk-other-" + randomBytes(12).toString("hex") }));
    // A ciphertext copied from another row is bound to that row's id and does not decrypt here.
    const fromA = await db.providerConnection.findUniqueOrThrow({ where: { id: a.id } });
    await db.providerConnection.update({ where: { id: b.id }, data: { apiKeyEncrypted: fromA.apiKeyEncrypted } });
    await expect(resolveConnection(db, b.id)).rejects.toThrow(/cannot be decrypted.*Enter the API key again/);
    const r = await testConnection(db, b.id);
    expect(r).toMatchObject({ ok: false, problem: "stored_key" });
    // The list flags it, and the start-up check names it.
    const listed = await listConnections(db);
    expect(listed.find((x) => x.id === b.id)?.keyUnreadable).toBe(true);
    expect(listed.find((x) => x.id === a.id)?.keyUnreadable).toBe(false);
    const lost = await unreadableKeys(db);
    expect(lost.connections.map((x) => x.id)).toContain(b.id);
    expect(lost.connections.map((x) => x.id)).not.toContain(a.id);
    expect(lost.message).toMatch(/cannot open\. Was that file lost or replaced\? Put the old one back, or enter those keys again/);
  });
});

describe("testConnection", () => {
  test("success: model count and latency", async () => {
    const c = await createConnection(db, input({ apiKey: SECRET }));
    const r = await testConnection(db, c.id);
    expect(r).toMatchObject({ ok: true, tone: "success", modelCount: 4 });
    expect(r.message).toMatch(/^Connected: 4 models, gpt-4o-mini answered in \d+ ms\.$/);
  });

  test("bad key: 401 from the server, said plainly, key not echoed", async () => {
    const wrong = "sk-wrong-" + randomBytes(12).toString("hex");
    const c = await createConnection(db, input({ baseUrl: locked.url, apiKey: wrong }));
    const r = await testConnection(db, c.id);
    expect(r).toMatchObject({ ok: false, tone: "error", problem: "bad_key" });
    expect(r.message).toMatch(/API key was rejected \(401\)/);
    expect(r.message).not.toContain(wrong);

    const none = await createConnection(db, input({ baseUrl: locked.url }));
    expect((await testConnection(db, none.id)).problem).toBe("bad_key");
  });

  test("unsaved values: with the stored key (id, no apiKey), a new key, or no key", async () => {
    const c = await createConnection(db, input({ baseUrl: locked.url, apiKey: "right-key-0123456789" }));
    const draft = { baseUrl: locked.url, defaultModel: "gpt-4o" };
    expect(await testConnection(db, { id: c.id, ...draft })).toMatchObject({ ok: true });
    expect(await testConnection(db, { id: c.id, ...draft, apiKey: "nope-nope-nope" })).toMatchObject({ ok: false, problem: "bad_key" });
    expect(await testConnection(db, { id: c.id, ...draft, apiKey: "" })).toMatchObject({ ok: false, problem: "bad_key" });
    expect(await testConnection(db, { ...draft, apiKey: "right-key-0123456789" })).toMatchObject({ ok: true });
  });

  test("the saved key never goes to a new address: test and edit ask for it again", async () => {
    const c = await createConnection(db, input({ baseUrl: locked.url, apiKey: "right-key-0123456789" }));
    const before = llm.stats().totalRequests;
    await expect(testConnection(db, { id: c.id, baseUrl: llm.url, defaultModel: "gpt-4o" })).rejects.toThrow(
      `The address changed from ${locked.url}: enter the API key again. The saved key is only ever sent to the address it was saved for.`,
    );
    expect(llm.stats().totalRequests).toBe(before);
    const moved = { id: c.id, name: "Moved", preset: "custom", baseUrl: llm.url, defaultModel: "gpt-4o", maxConcurrency: 4 };
    await expect(updateConnection(db, UpdateConnectionInput.parse(moved))).rejects.toMatchObject({ fieldErrors: { apiKey: expect.stringMatching(/enter the API key again/) } });
    expect((await resolveConnection(db, c.id)).baseUrl).toBe(locked.url);
    // With the key typed again, both go ahead; the same address with a trailing slash is no move.
    expect(await testConnection(db, { id: c.id, baseUrl: llm.url, defaultModel: "gpt-4o", apiKey: "typed-again-0123" })).toMatchObject({ ok: true });
    expect(await updateConnection(db, UpdateConnectionInput.parse({ ...moved, apiKey: "typed-again-0123" }))).toMatchObject({ baseUrl: llm.url, hasKey: true });
    expect(await testConnection(db, { id: c.id, baseUrl: llm.url + "/", defaultModel: "gpt-4o" })).toMatchObject({ ok: true });
  });

  test("unreachable: a closed port, naming the URL", async () => {
    const url = await closedPortUrl();
    const r = await testConnection(db, { baseUrl: url, defaultModel: "gpt-4o-mini" });
    expect(r).toMatchObject({ ok: false, tone: "error", problem: "unreachable" });
    expect(r.message).toContain(`Cannot reach ${url}`);
    expect(r.message).toMatch(/refused/);

    const dns = await testConnection(db, { baseUrl: "http://no-such-host.invalid/v1", defaultModel: "m" });
    expect(dns).toMatchObject({ ok: false, problem: "unreachable" });
    expect(dns.message).toContain("http://no-such-host.invalid/v1");
  });

  test("unknown model: close names suggested", async () => {
    const r = await testConnection(db, { baseUrl: llm.url, defaultModel: "gpt-4o-mnii", apiKey: "k" });
    expect(r).toMatchObject({ ok: false, tone: "error", problem: "model_missing" });
    expect(r.suggestions).toContain("gpt-4o-mini");
    expect(r.message).toMatch(/does not have the model "gpt-4o-mnii"\. Did you mean "gpt-4o-mini"/);
  });

  test("a base URL that is not an OpenAI API, and a server that hangs", async () => {
    const r = await testConnection(db, { baseUrl: llm.url.replace(/\/v1$/, "/nothing"), defaultModel: "gpt-4o-mini" });
    expect(r).toMatchObject({ ok: false, problem: "not_openai" });
    expect(r.message).toMatch(/Check the base URL/);

    const slow = await startFakeLlm({ faultSequence: ["hang"] });
    try {
      const t = await testConnection(db, { baseUrl: slow.url, defaultModel: "gpt-4o-mini" }, { timeoutMs: 400 });
      expect(t).toMatchObject({ ok: false, problem: "timeout" });
      expect(t.message).toMatch(/did not answer the test completion within 0\.4 s/);
    } finally {
      await slow.close();
    }
  });

  test("server errors carry the server's message", async () => {
    const failing = await startFakeLlm({ faultSequence: ["500"] });
    try {
      const r = await testConnection(db, { baseUrl: failing.url, defaultModel: "gpt-4o-mini" });
      expect(r).toMatchObject({ ok: false, problem: "http_error" });
      expect(r.message).toMatch(/HTTP 500: .+/);
    } finally {
      await failing.close();
    }
  });
});

describe("prices", () => {
  test("defaults merged with user rows; set overrides, reset restores or removes", async () => {
    const before = await listPrices(db);
    const mini = before.find((p) => p.model === "gpt-4o-mini");
    expect(mini).toMatchObject({ inputPerMTok: 0.15, outputPerMTok: 0.6, custom: false });

    const custom = `my-model-${randomBytes(4).toString("hex")}`;
    await setPrice(db, custom, 1.5, 3);
    expect((await listPrices(db)).find((p) => p.model === custom)).toMatchObject({ inputPerMTok: 1.5, outputPerMTok: 3, custom: true, defaultPrice: null });
    await setPrice(db, custom, 2, 4);
    expect((await listPrices(db)).find((p) => p.model === custom)).toMatchObject({ inputPerMTok: 2, outputPerMTok: 4 });
    await resetPrice(db, custom);
    expect((await listPrices(db)).find((p) => p.model === custom)).toBeUndefined();
    await expect(resetPrice(db, custom)).rejects.toThrow(/not found/);

    // A default overridden, then reset (a model other tests do not price runs with).
    await setPrice(db, "gpt-4.1-nano", 9, 9);
    expect((await listPrices(db)).find((p) => p.model === "gpt-4.1-nano")).toMatchObject({ inputPerMTok: 9, custom: true, defaultPrice: { inputPerMTok: 0.1 } });
    await resetPrice(db, "gpt-4.1-nano");
    expect((await listPrices(db)).find((p) => p.model === "gpt-4.1-nano")).toMatchObject({ inputPerMTok: 0.1, custom: false });
  });
});
