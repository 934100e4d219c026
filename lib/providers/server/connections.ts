import "server-only";
// Provider connections: CRUD for the settings page, `resolveConnection` + `createClient`
// for the run executor, and `testConnection` for the "Test connection" button.
//
// The API key is write-only from the UI's point of view: it is encrypted before it is
// stored (see secrets.ts, bound to the connection id), and everything returned to the
// UI is a ConnectionSummary, which has `hasKey` and `apiKeyLast4` and nothing more.
// Only resolveConnection decrypts, and its result must never leave the server.
import { randomUUID } from "node:crypto";
import OpenAI, { APIError } from "openai";
import type { Db } from "@/lib/db/server/prisma";
import { DomainError, invalid, notFound } from "@/lib/errors/domain-error";
import type { Prisma, RunStatus } from "@/lib/generated/prisma/client";
import { explainFailure, modelMissing, plural, type TestResult } from "@/lib/providers/diagnose";
import { keyLast4, presetById, type ConnectionInput, type TestConnectionInput, type UpdateConnectionInput } from "@/lib/providers/presets";
import { fastFetch } from "./fast-fetch";
import { LOCAL_OWNER, type Actor } from "@/lib/audit/events";
import { audit } from "@/lib/audit/server/audit";
import { inTransaction } from "@/lib/db/server/transaction";
import { SecretDecryptError, decryptSecret, encryptSecret, secretKeySource } from "./secrets";

export type { TestResult } from "@/lib/providers/diagnose";
// The price table lives in prices.ts; re-exported so callers have one provider module.
export { listPrices, priceOf, resetPrice, setPrice, type PriceRow } from "./prices";

/** What the UI may see of a connection. Never the key, never its ciphertext. */
export type ConnectionSummary = {
  id: string;
  name: string;
  preset: string;
  baseUrl: string;
  defaultModel: string;
  maxConcurrency: number;
  hasKey: boolean;
  apiKeyLast4: string | null;
  /** The stored key cannot be opened with the current secret key (lost or replaced key file). */
  keyUnreadable: boolean;
  /** Queued, running or paused runs using it: deleting the connection stops them. */
  activeRuns: number;
  createdAt: Date;
  updatedAt: Date;
};

/** Everything needed to call the provider. Server-only: holds the decrypted key. */
export type ResolvedConnection = {
  id: string;
  name: string;
  baseUrl: string;
  apiKey: string | null;
  defaultModel: string;
  maxConcurrency: number;
  /** End of the provider's latest 429 window, recorded by whichever process received it. */
  rateLimitedUntil: Date | null;
};

// `apiKeyEncrypted` is selected only as a boolean test, never returned.
const summarySelect = {
  id: true,
  name: true,
  preset: true,
  baseUrl: true,
  defaultModel: true,
  maxConcurrency: true,
  apiKeyLast4: true,
  apiKeyEncrypted: true,
  createdAt: true,
  updatedAt: true,
  _count: { select: { runs: { where: { status: { in: ["queued", "running", "paused"] as RunStatus[] } } } } },
} satisfies Prisma.ProviderConnectionSelect;

type SummaryRow = { apiKeyEncrypted: string | null; _count: { runs: number } } & Omit<ConnectionSummary, "hasKey" | "keyUnreadable" | "activeRuns">;

function toSummary(row: SummaryRow): ConnectionSummary {
  const { apiKeyEncrypted, _count, ...rest } = row;
  return { ...rest, hasKey: apiKeyEncrypted !== null, keyUnreadable: !keyReadable(row.id, apiKeyEncrypted), activeRuns: _count.runs };
}

const keyContext = (id: string) => `provider-connection:${id}`;

function sealKey(id: string, apiKey: string | undefined): { apiKeyEncrypted: string | null; apiKeyLast4: string | null } {
  if (!apiKey) return { apiKeyEncrypted: null, apiKeyLast4: null };
  return { apiKeyEncrypted: encryptSecret(apiKey, keyContext(id)), apiKeyLast4: keyLast4(apiKey) };
}

export async function listConnections(db: Db): Promise<ConnectionSummary[]> {
  const rows = await db.providerConnection.findMany({ select: summarySelect, orderBy: [{ name: "asc" }, { createdAt: "asc" }] });
  return rows.map(toSummary);
}

/**
 * Connections whose stored key the current secret key cannot open: the secret key file was
 * lost or replaced (a new one is generated silently), or DATAWRIGHT_SECRET_KEY changed.
 */
export async function unreadableKeys(db: Db): Promise<{ connections: { id: string; name: string }[]; message: string }> {
  const rows = await db.providerConnection.findMany({ where: { apiKeyEncrypted: { not: null } }, select: { id: true, name: true, apiKeyEncrypted: true }, orderBy: { name: "asc" } });
  const connections = rows.filter((r) => !keyReadable(r.id, r.apiKeyEncrypted)).map(({ id, name }) => ({ id, name }));
  const names = connections.map((c) => `"${c.name}"`).join(", ");
  const message = connections.length
    ? `${plural(connections.length, "provider connection")} (${names}) ha${connections.length === 1 ? "s a key" : "ve keys"} that the current secret key (${secretKeySource()}) cannot open. ` +
      `Was that file lost or replaced? Put the old one back, or enter those keys again in Settings → Providers.`
    : "";
  return { connections, message };
}

function keyReadable(id: string, encrypted: string | null): boolean {
  if (!encrypted) return true;
  try {
    decryptSecret(encrypted, keyContext(id));
    return true;
  } catch (e) {
    if (e instanceof SecretDecryptError) return false;
    throw e;
  }
}

export async function getConnection(db: Db, id: string): Promise<ConnectionSummary> {
  const row = await db.providerConnection.findUnique({ where: { id }, select: summarySelect });
  if (!row) throw notFound("The connection");
  return toSummary(row);
}

export async function createConnection(db: Db, input: ConnectionInput, actor: Actor = LOCAL_OWNER): Promise<ConnectionSummary> {
  const id = randomUUID();
  return inTransaction(db, async (tx) => {
    const row = await tx.providerConnection.create({
      data: {
        id,
        name: input.name,
        preset: input.preset,
        baseUrl: input.baseUrl,
        defaultModel: input.defaultModel,
        maxConcurrency: input.maxConcurrency,
        ...sealKey(id, input.apiKey),
      },
      select: summarySelect,
    });
    // Whether a key was given, never the key (nor its last characters).
    await audit(tx, actor, { action: "provider.create", target: `“${input.name}”`, detail: { connectionId: id, preset: input.preset, baseUrl: input.baseUrl, key: input.apiKey ? "set" : "none" } });
    return toSummary(row);
  });
}

const AUDITED_FIELDS = { name: "name", preset: "provider", baseUrl: "address", defaultModel: "default model", maxConcurrency: "concurrency" } as const;

/** apiKey: undefined keeps the stored key, "" removes it, anything else replaces it. */
export async function updateConnection(db: Db, input: UpdateConnectionInput, actor: Actor = LOCAL_OWNER): Promise<ConnectionSummary> {
  const { id, apiKey, ...fields } = input;
  const current = await db.providerConnection.findUnique({
    where: { id },
    select: { apiKeyEncrypted: true, name: true, preset: true, baseUrl: true, defaultModel: true, maxConcurrency: true },
  });
  if (!current) throw notFound("The connection");
  if (apiKey === undefined && current.apiKeyEncrypted !== null && !sameDestination(current.baseUrl, fields.baseUrl)) throw keyAgain(current.baseUrl);
  const preset = presetById(fields.preset);
  const willHaveKey = apiKey === undefined ? current.apiKeyEncrypted !== null : apiKey !== "";
  if (preset.keyRequired && !willHaveKey) {
    throw invalid(`${preset.label} needs an API key.`, { apiKey: `${preset.label} needs an API key.` });
  }
  // What changed, by name; the key only as "replaced" or "removed".
  const changed: string[] = (Object.keys(AUDITED_FIELDS) as (keyof typeof AUDITED_FIELDS)[])
    .filter((k) => fields[k] !== undefined && fields[k] !== current[k])
    .map((k) => AUDITED_FIELDS[k]);
  const key = apiKey === undefined ? null : apiKey === "" ? (current.apiKeyEncrypted !== null ? "removed" : null) : "replaced";
  if (key) changed.push(key === "removed" ? "API key (removed)" : "API key");
  await inTransaction(db, async (tx) => {
    const { count } = await tx.providerConnection.updateMany({
      where: { id },
      data: { ...fields, ...(apiKey === undefined ? {} : sealKey(id, apiKey)) },
    });
    if (count === 0) throw notFound("The connection");
    if (changed.length > 0) await audit(tx, actor, { action: "provider.update", target: `“${fields.name}”`, detail: { connectionId: id, changed, ...(key ? { key } : {}) } });
  });
  return getConnection(db, id);
}

const normalUrl = (u: string) => u.trim().replace(/\/+$/, "").toLowerCase();
const sameDestination = (a: string, b: string) => normalUrl(a) === normalUrl(b);

function keyAgain(savedFor: string) {
  const message = `The address changed from ${savedFor}: enter the API key again. The saved key is only ever sent to the address it was saved for.`;
  return invalid(message, { apiKey: message });
}

/**
 * Deletes the connection and its key. Runs still using it are stopped first, with the
 * reason, rather than left to fail on their next request (the confirmation says so).
 */
export async function deleteConnection(db: Db, id: string, actor: Actor = LOCAL_OWNER): Promise<{ stoppedRuns: number }> {
  return inTransaction(db, async (tx) => {
    const name = (await tx.providerConnection.findUnique({ where: { id }, select: { name: true } }))?.name;
    const stopped = await tx.run.updateMany({
      where: { connectionId: id, status: { in: ["queued", "running", "paused"] } },
      data: { status: "cancelled", stopReason: "Stopped: its provider connection was deleted.", finishedAt: new Date() },
    });
    const { count } = await tx.providerConnection.deleteMany({ where: { id } });
    if (count === 0) throw notFound("The connection");
    await audit(tx, actor, { action: "provider.delete", target: `“${name}”`, detail: { connectionId: id, stoppedRuns: stopped.count } });
    return { stoppedRuns: stopped.count };
  });
}

/**
 * For the run executor: the connection with its decrypted key. Server-only; never send
 * the result (or anything derived from the key) to the browser or into logs.
 */
export async function resolveConnection(db: Db, id: string): Promise<ResolvedConnection> {
  const row = await db.providerConnection.findUnique({ where: { id } });
  if (!row) throw notFound("The connection");
  let apiKey: string | null = null;
  if (row.apiKeyEncrypted) {
    try {
      apiKey = decryptSecret(row.apiKeyEncrypted, keyContext(row.id));
    } catch (e) {
      if (!(e instanceof SecretDecryptError)) throw e;
      throw new DomainError(
        "unavailable",
        `The API key of "${row.name}" cannot be decrypted: the secret key (${secretKeySource()}) changed since it was saved. Enter the API key again in Settings → Providers.`,
      );
    }
  }
  return {
    id: row.id,
    name: row.name,
    baseUrl: row.baseUrl,
    apiKey,
    defaultModel: row.defaultModel,
    maxConcurrency: row.maxConcurrency,
    rateLimitedUntil: row.rateLimitedUntil,
  };
}

/**
 * An OpenAI SDK client for a resolved connection. The SDK's own retries are off: the
 * generation layer retries with its own policy. `timeoutMs` defaults to the SDK's.
 */
export function createClient(resolved: Pick<ResolvedConnection, "baseUrl" | "apiKey">, options: { timeoutMs?: number } = {}): OpenAI {
  return new OpenAI({
    baseURL: resolved.baseUrl,
    apiKey: resolved.apiKey ?? "not-needed",
    maxRetries: 0,
    fetch: fastFetch,
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
  });
}

export const TEST_TIMEOUT_MS = 10_000;

/**
 * Checks a saved connection (by id) or unsaved form values: GET /models, then a 1-token
 * chat completion with the default model. Never throws for provider problems: the answer
 * is a TestResult whose message says what works or exactly what is wrong.
 */
export async function testConnection(
  db: Db,
  target: string | TestConnectionInput,
  options: { timeoutMs?: number } = {},
): Promise<TestResult> {
  const timeoutMs = options.timeoutMs ?? TEST_TIMEOUT_MS;
  let resolved: Pick<ResolvedConnection, "baseUrl" | "apiKey" | "defaultModel">;
  try {
    if (typeof target === "string") resolved = await resolveConnection(db, target);
    else if ("baseUrl" in target) {
      let stored: string | null = null;
      if (target.id && target.apiKey === undefined) {
        const saved = await resolveConnection(db, target.id);
        // The saved key goes only where it was saved for: a page that could change the
        // address would otherwise have the studio send the key to a server of its choosing.
        if (saved.apiKey && !sameDestination(saved.baseUrl, target.baseUrl)) throw keyAgain(saved.baseUrl);
        stored = saved.apiKey;
      }
      resolved = { baseUrl: target.baseUrl, defaultModel: target.defaultModel, apiKey: target.apiKey || stored || null };
    } else resolved = await resolveConnection(db, target.id);
  } catch (e) {
    if (e instanceof DomainError && e.code === "unavailable") return { ok: false, tone: "error", problem: "stored_key", message: e.message };
    throw e;
  }

  const { baseUrl: url, apiKey, defaultModel: model } = resolved;
  const client = createClient(resolved, { timeoutMs });
  const ctx = { url, model, apiKey, timeoutMs };

  // 1. The model list: proves the server is there and the key works.
  let models: string[] | null = null;
  try {
    const page = await client.models.list();
    models = page.data.map((m) => m.id).filter((id): id is string => typeof id === "string");
  } catch (e) {
    const failure = explainFailure(e, { ...ctx, models: null, what: "GET /models" });
    // Some servers have no /models (or break it); the completion below still tells.
    const fatal = failure.problem === "bad_key" || failure.problem === "unreachable" || failure.problem === "timeout";
    if (fatal || !(e instanceof APIError)) return failure;
  }

  // 2. A 1-token completion: proves the model exists and answers.
  const started = performance.now();
  try {
    await completeOneToken(client, model);
  } catch (e) {
    const failure = explainFailure(e, { ...ctx, models, what: "the test completion" });
    // A 404 naming no model, from a server whose list lacks the model, is a missing model too.
    if (failure.problem === "not_openai" && models && models.length > 0 && !models.includes(model)) return modelMissing(model, models);
    return failure;
  }
  const latencyMs = Math.round(performance.now() - started);

  const answered = `${model} answered in ${latencyMs} ms`;
  if (models === null) {
    return { ok: true, tone: "success", latencyMs, message: `Connected: ${answered} (the server did not list its models).` };
  }
  const listed = `${plural(models.length, "model")}`;
  if (models.length > 0 && !models.includes(model)) {
    const { suggestions } = modelMissing(model, models);
    return {
      ok: true,
      tone: "warning",
      latencyMs,
      modelCount: models.length,
      suggestions,
      message: `Connected: ${listed}, ${answered}, but "${model}" is not in the server's model list, so the server may be answering with another model.${suggestions?.length ? ` Listed names close to it: ${suggestions.map((s) => `"${s}"`).join(", ")}.` : ""}`,
    };
  }
  return { ok: true, tone: "success", latencyMs, modelCount: models.length, message: `Connected: ${listed}, ${answered}.` };
}

async function completeOneToken(client: OpenAI, model: string) {
  const messages = [{ role: "user" as const, content: "Reply with OK." }];
  try {
    await client.chat.completions.create({ model, messages, max_tokens: 1 });
  } catch (e) {
    // OpenAI's reasoning models refuse max_tokens and want max_completion_tokens.
    if (e instanceof APIError && e.status === 400 && /max_completion_tokens/.test(String((e.error as { message?: unknown })?.message ?? e.message))) {
      await client.chat.completions.create({ model, messages, max_completion_tokens: 16 });
      return;
    }
    throw e;
  }
}
