// Exercises the fake LLM through the real openai SDK (no mocks).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { z } from "zod";
import { DEFAULT_MODELS, type FakeLlm, type FakeLlmOptions, startFakeLlm } from "./server";
import { generateFromSchema } from "./schema/generate";
import { stringForPattern } from "./schema/pattern";
import { validateAgainstSchema, violateSchema } from "./schema/validate";
import { formatDuration, parseDuration } from "./ratelimit";
import { mulberry32 } from "./random";
import { until } from "@/lib/testing/until";

const servers: FakeLlm[] = [];
async function start(options?: FakeLlmOptions): Promise<FakeLlm> {
  const s = await startFakeLlm(options);
  servers.push(s);
  return s;
}
function clientFor(s: FakeLlm, extra: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}): OpenAI {
  return new OpenAI({ baseURL: s.url, apiKey: "test", maxRetries: 0, ...extra });
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const USER = "Describe emperor penguins living in Antarctica during winter.";
const msgs = (content = USER): OpenAI.ChatCompletionMessageParam[] => [
  { role: "system", content: "You are concise." },
  { role: "user", content },
];

/** Captures the rejection of a promise (fails the test if it resolves). */
async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the request to fail");
}

const PERSON_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["name", "age", "species", "tags", "address", "active", "score", "nickname", "friends"],
  properties: {
    name: { type: "string" },
    age: { type: "integer", minimum: 18, maximum: 30 },
    species: { type: "string", enum: ["emperor", "king", "adelie"] },
    tags: { type: "array", items: { type: "string" }, minItems: 2, maxItems: 5 },
    address: {
      type: "object",
      additionalProperties: false,
      required: ["city", "zip"],
      properties: { city: { type: "string" }, zip: { type: "string", pattern: "^[0-9]{5}$" } },
    },
    active: { type: "boolean" },
    score: { type: "number", minimum: 0, maximum: 1 },
    nickname: { type: ["string", "null"] },
    friends: { type: "array", items: { $ref: "#/$defs/friend" } },
  },
  $defs: {
    friend: {
      type: "object",
      additionalProperties: false,
      required: ["name", "since"],
      properties: { name: { type: "string", minLength: 2 }, since: { type: "string", format: "date" } },
    },
  },
} as const;

const schemaFormat = (schema: object = PERSON_SCHEMA, strict = true) =>
  ({ type: "json_schema", json_schema: { name: "person", strict, schema: schema as Record<string, unknown> } }) as const;

describe("fake LLM: basics", () => {
  let s: FakeLlm;
  let client: OpenAI;
  beforeAll(async () => {
    s = await start();
    client = clientFor(s);
  });

  it("listens on 127.0.0.1 with a /v1 base URL", () => {
    expect(s.url).toBe(`http://127.0.0.1:${s.port}/v1`);
    expect(s.port).toBeGreaterThan(0);
  });

  it("lists models", async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toEqual(DEFAULT_MODELS);
    for (const m of page.data) {
      expect(m).toMatchObject({ object: "model", owned_by: expect.any(String), created: expect.any(Number) });
    }
    expect((await client.models.retrieve("gpt-4o")).id).toBe("gpt-4o");
  });

  it("answers with the real chat.completion shape and usage", async () => {
    const { data: r, response } = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: msgs(), seed: 7 })
      .withResponse();
    expect(r.id).toMatch(/^chatcmpl-/);
    expect(r.object).toBe("chat.completion");
    expect(r.model).toBe("gpt-4o-mini");
    expect(r.created).toBeCloseTo(Date.now() / 1000, -2);
    expect(r.system_fingerprint).toMatch(/^fp_/);
    expect(r.choices).toHaveLength(1);
    const [c] = r.choices;
    expect(c).toMatchObject({ index: 0, logprobs: null, finish_reason: "stop" });
    expect(c!.message).toMatchObject({ role: "assistant", refusal: null });
    const content = c!.message.content!;
    expect(content.length).toBeGreaterThan(20);
    // Echoes words from the last user message.
    expect(content).toMatch(/emperor|penguins|Antarctica|winter|living|Describe/);
    // Documented estimate: 3 + per message (3 + ceil(chars/4)).
    const expectedPrompt = 3 + (3 + Math.ceil("You are concise.".length / 4)) + (3 + Math.ceil(USER.length / 4));
    expect(r.usage).toMatchObject({
      prompt_tokens: expectedPrompt,
      completion_tokens: Math.ceil(content.length / 4),
      total_tokens: expectedPrompt + Math.ceil(content.length / 4),
    });
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    // No limits configured: no rate-limit headers.
    expect(response.headers.get("x-ratelimit-limit-requests")).toBeNull();
  });

  it("returns token logprobs when asked, as the real API does, streamed or not", async () => {
    const body = { model: "gpt-4o-mini", messages: msgs(), seed: 3, logprobs: true, top_logprobs: 3 } as const;
    const r = await client.chat.completions.create(body);
    const c = r.choices[0]!;
    const tokens = c.logprobs!.content!;
    expect(c.logprobs!.refusal).toBeNull();
    // The tokens spell the answer, each with its bytes and its alternatives, itself first.
    expect(tokens.map((t) => t.token).join("")).toBe(c.message.content);
    for (const t of tokens) {
      expect(t.logprob).toBeLessThanOrEqual(0);
      expect(t.logprob).toBeGreaterThanOrEqual(Math.log(0.3));
      expect(t.bytes).toEqual(Array.from(Buffer.from(t.token, "utf8")));
      expect(t.top_logprobs).toHaveLength(3);
      expect(t.top_logprobs[0]).toMatchObject({ token: t.token, logprob: t.logprob });
      expect(t.top_logprobs.reduce((sum, a) => sum + Math.exp(a.logprob), 0)).toBeLessThanOrEqual(1 + 1e-9);
    }
    expect(new Set(tokens.map((t) => t.logprob.toFixed(3))).size).toBeGreaterThan(1);
    // Streamed: each chunk carries the logprobs of the tokens it holds; together the same.
    const streamed: OpenAI.ChatCompletionTokenLogprob[] = [];
    let text = "";
    for await (const chunk of await client.chat.completions.create({ ...body, stream: true })) {
      const ch = chunk.choices[0];
      if (ch?.delta?.content) {
        text += ch.delta.content;
        expect(ch.logprobs!.content!.map((t) => t.token).join("")).toBe(ch.delta.content);
      }
      streamed.push(...(ch?.logprobs?.content ?? []));
    }
    expect(text).toBe(c.message.content);
    expect(streamed).toEqual(tokens);
    // Not asked: none; top_logprobs without logprobs is refused.
    expect((await client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs(), seed: 3 })).choices[0]!.logprobs).toBeNull();
    await expect(client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs(), top_logprobs: 2 })).rejects.toThrow(/logprobs must be set to true/);
  });

  it("is deterministic for identical requests with the same seed, and varies otherwise", async () => {
    const ask = async (seed?: number, content = USER) =>
      (await client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs(content), seed })).choices[0]!.message
        .content;
    const a = await ask(42);
    expect(await ask(42)).toBe(a);
    expect(await ask(43)).not.toBe(a);
    expect(await ask(42, "Tell me about desert foxes hunting at night.")).not.toBe(a);
    expect(await ask()).not.toBe(await ask());
  });

  it("returns n choices", async () => {
    const r = await client.chat.completions.create({ model: "gpt-4o", messages: msgs(), n: 3, seed: 1 });
    expect(r.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(new Set(r.choices.map((c) => c.message.content)).size).toBe(3);
    const completion = r.choices.reduce((t, c) => t + Math.ceil(c.message.content!.length / 4), 0);
    expect(r.usage!.completion_tokens).toBe(completion);
  });

  it("truncates at max_tokens / max_completion_tokens with finish_reason length", async () => {
    for (const limit of [{ max_tokens: 5 }, { max_completion_tokens: 3 }]) {
      const r = await client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs(), ...limit });
      const n = limit.max_tokens ?? limit.max_completion_tokens!;
      expect(r.choices[0]!.finish_reason).toBe("length");
      expect(r.choices[0]!.message.content!.length).toBeLessThanOrEqual(n * 4);
      expect(r.usage!.completion_tokens).toBeLessThanOrEqual(n);
    }
    const full = await client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs(), max_tokens: 4000 });
    expect(full.choices[0]!.finish_reason).toBe("stop");
  });

  it("cuts at stop sequences", async () => {
    const r = await client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs(), stop: ["."], seed: 3 });
    expect(r.choices[0]!.message.content).not.toContain(".");
    expect(r.choices[0]!.finish_reason).toBe("stop");
  });

  it("streams SSE chunks like OpenAI, with include_usage", async () => {
    const body = { model: "gpt-4o-mini", messages: msgs(), seed: 11 } as const;
    const expected = (await client.chat.completions.create(body)).choices[0]!.message.content!;
    const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(4);
    const ids = new Set(chunks.map((c) => c.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^chatcmpl-/);
    for (const c of chunks) expect(c.object).toBe("chat.completion.chunk");
    expect(chunks[0]!.choices[0]!.delta).toMatchObject({ role: "assistant", content: "" });
    const contentChunks = chunks.filter((c) => c.choices[0]?.delta.content);
    expect(contentChunks.length).toBeGreaterThan(2);
    expect(contentChunks.map((c) => c.choices[0]!.delta.content).join("")).toBe(expected);
    const finish = chunks[chunks.length - 2]!;
    expect(finish.choices[0]).toMatchObject({ delta: {}, finish_reason: "stop" });
    const usage = chunks[chunks.length - 1]!;
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toMatchObject({ completion_tokens: Math.ceil(expected.length / 4) });
    expect(usage.usage!.total_tokens).toBe(usage.usage!.prompt_tokens + usage.usage!.completion_tokens);

    // Without include_usage there is no usage chunk.
    const plain: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of await client.chat.completions.create({ ...body, stream: true })) plain.push(chunk);
    expect(plain.every((c) => c.choices.length === 1 && c.usage === undefined)).toBe(true);
    expect(plain[plain.length - 1]!.choices[0]!.finish_reason).toBe("stop");
  });

  it("works with the SDK's stream helper and finalChatCompletion()", async () => {
    const runner = client.chat.completions.stream({
      model: "gpt-4o-mini",
      messages: msgs(),
      n: 2,
      seed: 5,
      stream_options: { include_usage: true },
    });
    let deltas = "";
    runner.on("content", (delta) => (deltas += delta));
    const final = await runner.finalChatCompletion();
    expect(final.choices).toHaveLength(2);
    expect(final.choices[0]!.message.content!.length).toBeGreaterThan(10);
    expect(final.choices.every((c) => c.finish_reason === "stop")).toBe(true);
    expect(final.usage!.total_tokens).toBeGreaterThan(0);
    expect(deltas.length).toBeGreaterThan(0);
  });

  it("writes raw SSE framing exactly (data: ...\\n\\n, ending with [DONE])", async () => {
    const res = await fetch(`${s.url}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer x", "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", messages: msgs(), stream: true, stream_options: { include_usage: true } }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const text = await res.text();
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
    const events = text.split("\n\n").filter(Boolean);
    for (const e of events) expect(e.startsWith("data: ")).toBe(true);
    const payloads = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)));
    expect(payloads.slice(0, -1).every((p) => p.usage === null)).toBe(true);
    expect(payloads[payloads.length - 1].choices).toEqual([]);
  });
});

describe("fake LLM: structured outputs", () => {
  let s: FakeLlm;
  let client: OpenAI;
  beforeAll(async () => {
    s = await start();
    client = clientFor(s);
  });

  it("answers json_schema requests with JSON that conforms and varies with the prompt", async () => {
    const zodSchema = z.fromJSONSchema(PERSON_SCHEMA as never);
    const contents = new Set<string>();
    for (const topic of ["a penguin from Ross Island", "a king penguin in Crozet", "an adelie penguin near Hope Bay"]) {
      const r = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: msgs(`Invent ${topic}.`),
        response_format: schemaFormat(),
        seed: 1,
      });
      const content = r.choices[0]!.message.content!;
      contents.add(content);
      const value = JSON.parse(content);
      expect(validateAgainstSchema(value, PERSON_SCHEMA)).toEqual([]);
      expect(zodSchema.safeParse(value).success).toBe(true);
      expect(value.age).toBeGreaterThanOrEqual(18);
      expect(value.age).toBeLessThanOrEqual(30);
      expect(value.tags.length).toBeGreaterThanOrEqual(2);
      expect(value.address.zip).toMatch(/^[0-9]{5}$/);
    }
    expect(contents.size).toBe(3);
  });

  it("uses prompt words in generated strings", async () => {
    const schema = {
      type: "object",
      additionalProperties: false,
      required: ["a", "b", "c", "d"],
      properties: { a: { type: "string" }, b: { type: "string" }, c: { type: "string" }, d: { type: "string" } },
    };
    const r = await client.chat.completions.create({
      model: "gpt-4o",
      messages: msgs("zanzibar zanzibar zanzibar quokka"),
      response_format: schemaFormat(schema),
      n: 4,
    });
    const all = r.choices.map((c) => c.message.content).join(" ");
    expect(all).toMatch(/zanzibar|quokka/);
  });

  it("is parsed by the SDK's parse() helper with zodResponseFormat", async () => {
    const Review = z.object({
      title: z.string(),
      stars: z.number().int().min(1).max(5),
      verdict: z.enum(["buy", "skip"]),
      pros: z.array(z.string()),
    });
    const r = await client.chat.completions.parse({
      model: "gpt-4o-mini",
      messages: msgs("Review a winter jacket."),
      response_format: zodResponseFormat(Review, "review"),
    });
    const parsed = r.choices[0]!.message.parsed!;
    expect(Review.parse(parsed)).toEqual(parsed);
    expect(parsed.stars).toBeGreaterThanOrEqual(1);
  });

  it("answers json_object requests with a JSON object, and requires the word json", async () => {
    const r = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: msgs("Reply in JSON about penguins."),
      response_format: { type: "json_object" },
    });
    const v = JSON.parse(r.choices[0]!.message.content!);
    expect(typeof v).toBe("object");
    expect(Array.isArray(v)).toBe(false);

    const e = await rejection(
      client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs(), response_format: { type: "json_object" } }),
    );
    expect(e).toBeInstanceOf(BadRequestError);
    expect(e.param).toBe("messages");
  });

  it("rejects strict schemas that OpenAI would reject", async () => {
    const e = await rejection(
      client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: msgs(),
        response_format: schemaFormat({ type: "object", properties: { a: { type: "string" } }, required: ["a"] }),
      }),
    );
    expect(e).toBeInstanceOf(BadRequestError);
    expect(e.param).toBe("response_format");
    expect(e.error.message).toBe(
      "Invalid schema for response_format 'person': In context=(), 'additionalProperties' is required to be supplied and to be false.",
    );
    const nested = await rejection(
      client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: msgs(),
        response_format: schemaFormat({
          type: "object",
          additionalProperties: false,
          required: ["o"],
          properties: { o: { type: "object", additionalProperties: false, required: [], properties: { x: { type: "string" } } } },
        }),
      }),
    );
    expect(nested.error.message).toContain("In context=('properties', 'o'), 'required' is required");
    expect(nested.error.message).toContain("Missing 'x'");
    // Non-strict schemas are accepted as is.
    const ok = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: msgs(),
      response_format: schemaFormat({ type: "object", properties: { a: { type: "string" } } }, false),
    });
    expect(typeof JSON.parse(ok.choices[0]!.message.content!).a).toBe("string");
  });

  it("generates conforming values for assorted schema features", () => {
    const schema = {
      type: "object",
      properties: {
        id: { type: "string", format: "uuid" },
        email: { type: "string", format: "email" },
        when: { type: "string", format: "date-time" },
        code: { type: "string", pattern: "^[A-Z]{3}-\\d{2,4}(x|y)?$" },
        short: { type: "string", minLength: 3, maxLength: 6 },
        ratio: { type: "number", multipleOf: 0.25, exclusiveMinimum: 0, maximum: 3 },
        uniq: { type: "array", items: { enum: ["a", "b", "c"] }, minItems: 3, uniqueItems: true },
        tuple: { type: "array", prefixItems: [{ type: "integer" }, { type: "boolean" }], items: false },
        choice: { anyOf: [{ type: "integer", minimum: 5, maximum: 6 }, { type: "string", enum: ["x"] }] },
        merged: { allOf: [{ type: "object", properties: { p: { type: "string" } }, required: ["p"] }, { properties: { q: { type: "integer" } }, required: ["q"] }] },
        tree: { $ref: "#/$defs/node" },
        fixed: { const: 42 },
      },
      required: ["id", "email", "when", "code", "short", "ratio", "uniq", "tuple", "choice", "merged", "tree", "fixed"],
      $defs: {
        node: {
          type: "object",
          properties: { label: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/node" } } },
          required: ["label", "children"],
        },
      },
    };
    for (let seed = 0; seed < 50; seed++) {
      const v = generateFromSchema(schema, mulberry32(seed), ["alpha", "beta"]);
      expect(validateAgainstSchema(v, schema)).toEqual([]);
      const wrong = violateSchema(v, schema, mulberry32(seed));
      expect(validateAgainstSchema(wrong, schema).length).toBeGreaterThan(0);
    }
    for (const pattern of ["^\\d{3}-[a-f]{2}$", "^(cat|dog)s?$", "^[^0-9]{4}\\.txt$", "^[A-Z][a-z]+(?: [A-Z][a-z]+)*$"]) {
      const str = stringForPattern(pattern, mulberry32(1))!;
      expect(str).toMatch(new RegExp(pattern));
    }
  });
});

describe("fake LLM: errors", () => {
  let s: FakeLlm;
  let client: OpenAI;
  beforeAll(async () => {
    s = await start({ apiKeys: ["sk-good-key-123456"] });
    client = new OpenAI({ baseURL: s.url, apiKey: "sk-good-key-123456", maxRetries: 0 });
  });

  it("rejects a wrong API key with 401 invalid_api_key", async () => {
    const bad = new OpenAI({ baseURL: s.url, apiKey: "sk-wrong-key-987654", maxRetries: 0 });
    const e = await rejection(bad.chat.completions.create({ model: "gpt-4o-mini", messages: msgs() }));
    expect(e).toBeInstanceOf(AuthenticationError);
    expect(e.error).toMatchObject({ type: "invalid_request_error", param: null, code: "invalid_api_key" });
    expect(e.error.message).toMatch(/^Incorrect API key provided: sk-\*+7654\./);
    expect(await rejection(bad.models.list())).toBeInstanceOf(AuthenticationError);

    s.configure({ echoKeyInErrors: true });
    const echoed = await rejection(bad.chat.completions.create({ model: "gpt-4o-mini", messages: msgs() }));
    expect(echoed.error.message).toMatch(/^Incorrect API key provided: sk-wrong-key-987654\./);
    s.configure({ echoKeyInErrors: false });

    const noKey = await fetch(`${s.url}/models`);
    expect(noKey.status).toBe(401);
    expect((await noKey.json()).error.message).toMatch(/^You didn't provide an API key/);
  });

  it("returns 404 model_not_found for unknown models", async () => {
    const e = await rejection(client.chat.completions.create({ model: "gpt-9", messages: msgs() }));
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e.error).toEqual({
      message: "The model `gpt-9` does not exist or you do not have access to it.",
      type: "invalid_request_error",
      param: null,
      code: "model_not_found",
    });
  });

  it("validates the body like OpenAI (400 naming the param)", async () => {
    const cases: [Record<string, unknown>, string | null, string | null][] = [
      [{ model: "gpt-4o-mini", messages: [] }, "messages", "empty_array"],
      [{ model: "gpt-4o-mini" }, "messages", "missing_required_parameter"],
      [{ model: "gpt-4o-mini", messages: "hi" }, "messages", "invalid_type"],
      [{ model: "gpt-4o-mini", messages: [{ role: "robot", content: "hi" }] }, "messages[0].role", "invalid_value"],
      [{ model: "gpt-4o-mini", messages: [{ role: "user", content: "a" }, { role: "user" }] }, "messages[1].content", "missing_required_parameter"],
      [{ model: "gpt-4o-mini", messages: msgs(), n: 0 }, "n", "integer_below_min_value"],
      [{ model: "gpt-4o-mini", messages: msgs(), temperature: 3 }, "temperature", "decimal_above_max_value"],
      [{ model: "gpt-4o-mini", messages: msgs(), stream_options: { include_usage: true } }, "stream_options", null],
      [{ model: "gpt-4o-mini", messages: msgs(), response_format: { type: "xml" } }, "response_format.type", "invalid_value"],
      [{ model: "gpt-4o-mini", messages: msgs(), response_format: { type: "json_schema", json_schema: { schema: {} } } }, "response_format.json_schema.name", "missing_required_parameter"],
      [{ model: "gpt-4o-mini", messages: msgs(), frobnicate: true }, null, null],
      [{ messages: msgs() }, null, null],
    ];
    for (const [body, param, code] of cases) {
      const e = await rejection(client.chat.completions.create(body as never));
      expect(e, JSON.stringify(body)).toBeInstanceOf(BadRequestError);
      expect(e.error).toMatchObject({ type: "invalid_request_error", param, code });
      expect(typeof e.error.message).toBe("string");
    }
    const e = await rejection(client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "robot", content: "x" }] } as never));
    expect(e.error.message).toBe(
      "Invalid value: 'robot'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.",
    );
  });

  it("rejects unparsable JSON and unknown routes", async () => {
    const headers = { authorization: "Bearer sk-good-key-123456", "content-type": "application/json" };
    const bad = await fetch(`${s.url}/chat/completions`, { method: "POST", headers, body: "{nope" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/^We could not parse the JSON body/);
    const missing = await fetch(`${s.url}/embeddings`, { method: "POST", headers, body: "{}" });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { message: "Invalid URL (POST /v1/embeddings)", type: "invalid_request_error", param: null, code: null },
    });
  });
});

describe("fake LLM: rate limits", () => {
  it("formats and parses OpenAI-style durations", () => {
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(119.2)).toBe("120ms");
    expect(formatDuration(1500)).toBe("1.5s");
    expect(formatDuration(360_000)).toBe("6m0s");
    expect(formatDuration(90_500)).toBe("1m30.5s");
    expect(formatDuration(3_723_000)).toBe("1h2m3s");
    for (const ms of [17, 999, 1000, 8640, 59_999, 60_000, 360_000, 3_723_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });

  it("sends x-ratelimit headers and a 429 with retry-after once over rpm", async () => {
    const s = await start({ rpm: 5, tpm: 100_000 });
    const client = clientFor(s);
    const remaining: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { response } = await client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs() }).withResponse();
      expect(response.headers.get("x-ratelimit-limit-requests")).toBe("5");
      expect(response.headers.get("x-ratelimit-limit-tokens")).toBe("100000");
      expect(Number(response.headers.get("x-ratelimit-remaining-tokens"))).toBeLessThan(100_000);
      expect(response.headers.get("x-ratelimit-reset-tokens")).toMatch(/^(\d+ms|[\d.]+s|\d+m[\d.]+s)$/);
      remaining.push(Number(response.headers.get("x-ratelimit-remaining-requests")));
      // 5 rpm refills one request per 12 s: reset-to-full is (used) x 12 s.
      const reset = parseDuration(response.headers.get("x-ratelimit-reset-requests")!);
      expect(reset).toBeGreaterThan((i + 1) * 12_000 - 2_000);
      expect(reset).toBeLessThanOrEqual((i + 1) * 12_000);
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);

    const e = await rejection(client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs() }));
    expect(e).toBeInstanceOf(RateLimitError);
    expect(e.error).toMatchObject({ type: "requests", param: null, code: "rate_limit_exceeded" });
    expect(e.error.message).toMatch(/^Rate limit reached for gpt-4o-mini .* on requests per min \(RPM\): Limit 5, Used 5, Requested 1\./);
    const retryMs = Number(e.headers.get("retry-after-ms"));
    expect(retryMs).toBeGreaterThan(8_000);
    expect(retryMs).toBeLessThanOrEqual(12_000);
    expect(Number(e.headers.get("retry-after"))).toBe(Math.ceil(retryMs / 1000));
    expect(e.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(s.stats().rateLimited).toBe(1);
    expect(s.stats().byStatus).toEqual({ 200: 5, 429: 1 });

    // reset() refills the buckets.
    s.reset();
    await client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs() });
  });

  it("admits again once retry-after has elapsed", async () => {
    const s = await start({ rpm: 120 }); // one request per 500 ms
    const client = clientFor(s);
    await Promise.all(Array.from({ length: 120 }, () => client.chat.completions.create({ model: "gpt-4o", messages: msgs() })));
    // Under load, sending the 120 can take longer than a refill (500 ms), which admits one
    // more: ask until the bucket is empty (a few requests at most), then read the wait.
    let e: unknown;
    for (let i = 0; i < 20 && e === undefined; i++) {
      await client.chat.completions.create({ model: "gpt-4o", messages: msgs() }).catch((err: unknown) => (e = err));
    }
    expect(e).toBeInstanceOf(RateLimitError);
    if (!(e instanceof RateLimitError)) return;
    const wait = Number(e.headers.get("retry-after-ms"));
    expect(wait).toBeLessThanOrEqual(500);
    await new Promise((r) => setTimeout(r, wait));
    await client.chat.completions.create({ model: "gpt-4o", messages: msgs() });
  });

  it("a closed window answers 429 with the time left as retry-after, then admits again", async () => {
    const s = await start();
    const client = clientFor(s);
    const slow = client.chat.completions.create({ model: "gpt-4o", messages: msgs() }, { headers: { "x-fake-latency-ms": "300" } });
    await until(async () => s.stats().chatCompletions === 1, { timeoutMs: 5000, intervalMs: 5 }); // admitted before the window closes
    s.closeWindow(400);
    const first = await rejection(client.chat.completions.create({ model: "gpt-4o", messages: msgs() }));
    expect(first).toBeInstanceOf(RateLimitError);
    expect(first.error).toMatchObject({ type: "requests", code: "rate_limit_exceeded" });
    const wait1 = Number(first.headers.get("retry-after-ms"));
    expect(wait1).toBeGreaterThan(0);
    expect(wait1).toBeLessThanOrEqual(400);
    expect(first.headers.get("retry-after")).toBe("1");
    // The window ends at one instant: a later 429 says less time is left.
    const second = await rejection(client.chat.completions.create({ model: "gpt-4o", messages: msgs() }));
    expect(Number(second.headers.get("retry-after-ms"))).toBeLessThanOrEqual(wait1);
    await slow; // admitted before the window closed
    await new Promise((r) => setTimeout(r, Number(second.headers.get("retry-after-ms"))));
    await client.chat.completions.create({ model: "gpt-4o", messages: msgs() });
    expect(s.stats().rateLimited).toBe(2);
  });

  it("closes the window out of band for a server in another process", async () => {
    const s = await start();
    const origin = new URL(s.url).origin;
    expect((await fetch(`${origin}/fake/close-window?ms=60000`, { method: "POST" })).status).toBe(204);
    const e = await rejection(clientFor(s).chat.completions.create({ model: "gpt-4o", messages: msgs() }));
    expect(Number(e.headers.get("retry-after"))).toBe(60);
    expect((await fetch(`${origin}/fake/close-window?ms=x`, { method: "POST" })).status).toBe(400);
    s.reset();
    await clientFor(s).chat.completions.create({ model: "gpt-4o", messages: msgs() });
  });

  it("limits tokens per minute with exact accounting", async () => {
    const s = await start({ tpm: 300 });
    const client = clientFor(s);
    const body = { model: "gpt-4o-mini", messages: msgs(), seed: 9 } as const;
    let used = 0;
    let served = 0;
    for (;;) {
      try {
        const { data, response } = await client.chat.completions.create(body).withResponse();
        used += data.usage!.total_tokens;
        served++;
        const remaining = Number(response.headers.get("x-ratelimit-remaining-tokens"));
        // The bucket refills 5 tokens/s; allow for a slow machine.
        expect(remaining).toBeGreaterThanOrEqual(300 - used);
        expect(remaining).toBeLessThanOrEqual(300 - used + 20);
      } catch (e) {
        expect(e).toBeInstanceOf(RateLimitError);
        expect((e as RateLimitError).type).toBe("tokens");
        break;
      }
      expect(served).toBeLessThan(50);
    }
    expect(served).toBeGreaterThan(0);
    expect(s.stats().totalTokens).toBe(used);

    const tooLarge = await rejection(client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs("x".repeat(2000)) }));
    expect(tooLarge).toBeInstanceOf(RateLimitError);
    expect(tooLarge.error.message).toMatch(/^Request too large for gpt-4o-mini/);
  });
});

describe("fake LLM: injected faults", () => {
  let s: FakeLlm;
  let client: OpenAI;
  beforeAll(async () => {
    s = await start();
    client = clientFor(s);
  });
  afterEach(() => {
    s.configure({ failRate: 0, faultSequence: [], faultSeed: undefined, latencyMs: 0, fault429RetryAfterMs: 1000 });
    s.reset();
  });
  const fault = (f: string) => ({ headers: { "x-fake-fault": f } });
  const jsonBody = { model: "gpt-4o-mini", messages: msgs(), response_format: schemaFormat() } as const;

  it("injects a 500 server_error via header", async () => {
    const e = await rejection(client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs() }, fault("500")));
    expect(e).toBeInstanceOf(InternalServerError);
    expect(e.status).toBe(500);
    expect(e.error).toMatchObject({ type: "server_error", param: null, code: null });
    const e503 = await rejection(client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs() }, fault("503")));
    expect(e503.status).toBe(503);
    expect(s.stats().faults).toMatchObject({ 500: 1, 503: 1 });
  });

  it("injects a 429 with retry-after via header", async () => {
    s.configure({ fault429RetryAfterMs: 250 });
    const e = await rejection(client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs() }, fault("429")));
    expect(e).toBeInstanceOf(RateLimitError);
    expect(e.error.code).toBe("rate_limit_exceeded");
    expect(e.headers.get("retry-after-ms")).toBe("250");
    expect(e.headers.get("retry-after")).toBe("1");
  });

  it("hangs until the client times out, without leaking the request", async () => {
    const impatient = clientFor(s, { timeout: 300 });
    const e = await rejection(impatient.chat.completions.create({ model: "gpt-4o-mini", messages: msgs() }, fault("hang")));
    expect(e).toBeInstanceOf(APIConnectionTimeoutError);
    await vi.waitFor(() => expect(s.stats().inFlight).toBe(0));
    expect(s.stats().faults.hang).toBe(1);
  });

  it("odd-bytes: a NUL and an unpaired surrogate inside the answer, text and JSON alike", async () => {
    const r = await client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs() }, fault("odd-bytes"));
    const text = r.choices[0]!.message.content!;
    expect(text).toContain("\u0000\ud800");
    const j = await client.chat.completions.create(jsonBody, fault("odd-bytes"));
    const value = JSON.parse(j.choices[0]!.message.content!);
    expect(JSON.stringify(value)).toContain("\\u0000\\ud800");
    expect(s.stats().faults["odd-bytes"]).toBe(2);
  });

  it("injects a 400 the provider refuses, via header", async () => {
    const e = await rejection(client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs() }, fault("400")));
    expect(e.status).toBe(400);
    expect(e.error).toMatchObject({ type: "invalid_request_error", code: "content_policy_violation" });
  });

  it("returns truncated JSON for broken-json", async () => {
    const r = await client.chat.completions.create(jsonBody, fault("broken-json"));
    const content = r.choices[0]!.message.content!;
    expect(content.startsWith("{")).toBe(true);
    expect(() => JSON.parse(content)).toThrow();
    expect(r.choices[0]!.finish_reason).toBe("stop");
  });

  it("returns valid JSON that violates the schema for wrong-schema", async () => {
    const r = await client.chat.completions.create(jsonBody, fault("wrong-schema"));
    const value = JSON.parse(r.choices[0]!.message.content!);
    expect(validateAgainstSchema(value, PERSON_SCHEMA).length).toBeGreaterThan(0);
    expect(z.fromJSONSchema(PERSON_SCHEMA as never).safeParse(value).success).toBe(false);
  });

  it("drops the connection mid-response for disconnect", async () => {
    const e = await rejection(client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs() }, fault("disconnect")));
    expect(e).toBeInstanceOf(Error);
    const streamErr = await rejection(
      (async () => {
        const stream = await client.chat.completions.create(
          { model: "gpt-4o-mini", messages: msgs(), stream: true },
          fault("disconnect"),
        );
        for await (const _ of stream);
      })(),
    );
    expect(streamErr).toBeInstanceOf(Error);
    await vi.waitFor(() => expect(s.stats().inFlight).toBe(0));
  });

  it("follows faultSequence exactly, and the SDK's retries recover from it", async () => {
    s.configure({ faultSequence: ["500", null, "503"] });
    const statuses: (number | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      try {
        await client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs() });
        statuses.push(200);
      } catch (e) {
        statuses.push((e as InternalServerError).status);
      }
    }
    expect(statuses).toEqual([500, 200, 503, 200]);

    // The SDK honours retry-after-ms, so two injected 429s cost ~20 ms of retries.
    s.reset();
    s.configure({ faultSequence: ["429", "429"], fault429RetryAfterMs: 10 });
    const retrying = clientFor(s, { maxRetries: 2 });
    const r = await retrying.chat.completions.create({ model: "gpt-4o-mini", messages: msgs() });
    expect(r.choices).toHaveLength(1);
    expect(s.stats().byStatus).toEqual({ 200: 1, 429: 2 });
  });

  it("draws rate-based faults deterministically with faultSeed", async () => {
    const pattern = async () => {
      const out: string[] = [];
      for (let i = 0; i < 30; i++) {
        try {
          const r = await client.chat.completions.create(jsonBody);
          try {
            const v = JSON.parse(r.choices[0]!.message.content!);
            out.push(validateAgainstSchema(v, PERSON_SCHEMA).length ? "wrong" : "ok");
          } catch {
            out.push("broken");
          }
        } catch (e) {
          out.push(String((e as InternalServerError).status));
        }
      }
      return out.join(",");
    };
    s.configure({ failRate: 0.2, rate429: 0.1, brokenJsonRate: 0.2, wrongSchemaRate: 0.2, faultSeed: 1234 });
    const first = await pattern();
    s.reset(); // restarts the seeded draws
    expect(await pattern()).toBe(first);
    for (const kind of ["ok", "500", "429", "broken", "wrong"]) expect(first.split(",")).toContain(kind);

    s.configure({ faultSeed: 99 });
    expect(await pattern()).not.toBe(first);
    s.configure({ brokenJsonRate: 0, wrongSchemaRate: 0, rate429: 0 });
  });

  it("can be reconfigured at runtime", async () => {
    s.configure({ failRate: 1 });
    expect(await rejection(client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs() }))).toBeInstanceOf(
      InternalServerError,
    );
    s.configure({ failRate: 0 });
    await client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs() });
    expect(() => s.configure({ failRate: 2 })).toThrow(/probability/);
  });
});

describe("fake LLM: latency, concurrency and shutdown", () => {
  it("applies latency and spreads it over stream chunks", async () => {
    const s = await start({ latencyMs: 300 });
    const client = clientFor(s);
    let t0 = performance.now();
    await client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs() });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);

    t0 = performance.now();
    const arrivals: number[] = [];
    for await (const _ of await client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs(), stream: true })) {
      arrivals.push(performance.now() - t0);
    }
    expect(arrivals[arrivals.length - 1]!).toBeGreaterThanOrEqual(290);
    expect(arrivals[0]!).toBeLessThan(arrivals[arrivals.length - 1]! - 100);
  });

  it("serves hundreds of concurrent slow requests in parallel", async () => {
    const s = await start({ latencyMs: 1000 });
    const n = 400;
    const t0 = performance.now();
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        fetch(`${s.url}/chat/completions`, {
          method: "POST",
          headers: { authorization: "Bearer k", "content-type": "application/json" },
          body: JSON.stringify({ model: "gpt-4o-mini", messages: msgs(`request ${i}`), stream: i % 2 === 0 }),
        }).then(async (r) => [r.status, (await r.text()).length] as const),
      ),
    );
    const elapsed = performance.now() - t0;
    expect(results.every(([status, len]) => status === 200 && len > 0)).toBe(true);
    // Serialized, this would take n seconds.
    expect(elapsed).toBeLessThan(8000);
    expect(s.stats().maxInFlight).toBeGreaterThan(n / 2);
    expect(s.stats().byStatus[200]).toBe(n);
    expect(s.stats().inFlight).toBe(0);
  });

  it("close() ends hanging and pending requests so the process can exit", async () => {
    const s = await startFakeLlm({ latencyMs: 60_000 });
    const client = clientFor(s);
    const hanging = rejection(client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs() }, { headers: { "x-fake-fault": "hang" } }));
    const slow = rejection(client.chat.completions.create({ model: "gpt-4o-mini", messages: msgs(), stream: true }));
    await vi.waitFor(() => expect(s.stats().inFlight).toBe(2));
    const t0 = performance.now();
    await s.close();
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(await hanging).toBeInstanceOf(APIConnectionError);
    expect(await slow).toBeInstanceOf(APIConnectionError);
    expect(s.stats().inFlight).toBe(0);
    await s.close(); // idempotent
  });
});

describe("fake LLM: hidden concurrency limit", () => {
  it("answers 429 without rate-limit headers beyond maxInFlightPerModel, per model", async () => {
    const s = await startFakeLlm({ maxInFlightPerModel: 2, latencyMs: 300 });
    try {
      const post = (model: string) =>
        fetch(`${s.url}/chat/completions`, { method: "POST", headers: { authorization: "Bearer sk-x", "content-type": "application/json" }, body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }) });
      const answers = await Promise.all([post("gpt-4o-mini"), post("gpt-4o-mini"), post("gpt-4o-mini"), post("gpt-4o")]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 429]);
      const refused = answers.find((r) => r.status === 429)!;
      expect(refused.headers.get("retry-after-ms")).toBe("100");
      expect(refused.headers.get("x-ratelimit-limit-requests")).toBeNull();
      // The slots free as answers go out.
      expect((await post("gpt-4o-mini")).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});
