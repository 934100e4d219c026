import { describe, expect, test } from "vitest";
import { createEncoder } from "./encoders";
import { chatMessages, planExport, renderLine } from "./formats";
import { batchFor, RECORDS, type FixtureRecord } from "./fixtures.test-helpers";
import { ExportRequest, type ExportRequestInput } from "./schemas";

function lines(input: ExportRequestInput): unknown[] {
  const req = ExportRequest.parse(input);
  const plan = planExport(req);
  const batch = batchFor(plan);
  return Array.from({ length: batch.rows }, (_, r) => JSON.parse(renderLine(plan.template, batch, r)));
}

const field = (name: string) => ({ kind: "field" as const, name });

describe("row shape per format", () => {
  test("JSONL keeps the chosen fields in order, with their JSON types; a missing field is null", () => {
    const [a, b] = lines({ format: "jsonl", fields: ["question", "n", "tags", "meta", "answer"] }) as Record<string, unknown>[];
    expect(Object.keys(a)).toEqual(["question", "n", "tags", "meta", "answer"]);
    expect(a).toEqual({ question: "What is 2 + 2?", n: 3, tags: ["math", "easy"], meta: { ok: true }, answer: 'It is "4".\nSimple.' });
    expect(b).toEqual({ question: "Café, 東京 or 🦜?", n: null, tags: null, meta: null, answer: "" });
  });

  test("JSONL with a label column and provenance", () => {
    const [a, b] = lines({ format: "jsonl", fields: ["question"], mapping: { label: { kind: "label", name: "quality" } }, provenance: true }) as Record<string, unknown>[];
    expect(a).toEqual({
      question: "What is 2 + 2?",
      label: "good",
      _record_id: RECORDS[0].id,
      _source: "generated",
      _run_id: RECORDS[0].runId,
      _blueprint_version: 2,
      _models: { answer: "gpt-4o-mini" },
      _sampled: { n: 3 },
    });
    expect(b).toMatchObject({ label: null, _source: "imported", _run_id: null, _blueprint_version: null, _models: null, _sampled: null });
  });

  test("OpenAI chat: system (fixed text), user, assistant; contents are strings", () => {
    const [a, b] = lines({
      format: "openai",
      mapping: { system: { kind: "text", text: "You are terse." }, user: field("question"), assistant: field("n") },
    }) as { messages: { role: string; content: string }[] }[];
    expect(a).toEqual({
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "What is 2 + 2?" },
        { role: "assistant", content: "3" },
      ],
    });
    expect(b.messages[2]).toEqual({ role: "assistant", content: "" });
  });

  test("Alpaca: instruction, input (empty when unmapped), output", () => {
    const [a] = lines({ format: "alpaca", mapping: { instruction: field("question"), output: field("answer") } });
    expect(a).toEqual({ instruction: "What is 2 + 2?", input: "", output: 'It is "4".\nSimple.' });
    const [withInput] = lines({ format: "alpaca", mapping: { instruction: field("question"), input: field("tags"), output: field("answer") } });
    expect(withInput).toMatchObject({ input: '["math","easy"]' });
  });

  test("ShareGPT: conversations with from human / gpt, provenance beside them", () => {
    const [a] = lines({ format: "sharegpt", mapping: { user: field("question"), assistant: field("answer") }, provenance: true }) as Record<string, unknown>[];
    expect(a.conversations).toEqual([
      { from: "human", value: "What is 2 + 2?" },
      { from: "gpt", value: 'It is "4".\nSimple.' },
    ]);
    expect(a._record_id).toBe(RECORDS[0].id);
  });

  test("a review label can be the assistant's answer (classification data)", () => {
    const [a] = lines({ format: "openai", mapping: { user: field("question"), assistant: { kind: "label", name: "quality" } } }) as { messages: { content: string }[] }[];
    expect(a.messages[1].content).toBe("good");
  });

  test("requests are checked: required roles, no provenance in OpenAI's format, at least one column", () => {
    expect(ExportRequest.safeParse({ format: "openai", mapping: { user: field("q") } }).error?.issues[0].message).toMatch(/assistant/);
    expect(ExportRequest.safeParse({ format: "openai", mapping: { user: field("q"), assistant: field("a") }, provenance: true }).success).toBe(false);
    expect(ExportRequest.safeParse({ format: "csv", fields: [] }).error?.issues[0].message).toMatch(/at least one field/);
    expect(ExportRequest.safeParse({ format: "csv", fields: ["a"], split: { train: 80, validation: 10, test: 5, seed: 1 } }).error?.issues[0].message).toMatch(/add up to 100/);
    expect(ExportRequest.parse({ format: "csv", fields: ["a"] }).filter).toEqual({ reviewState: ["accepted"] });
  });

  test("a column name used twice gets a suffix", () => {
    const plan = planExport(ExportRequest.parse({ format: "csv", fields: ["label"], mapping: { label: { kind: "label", name: "quality" } } }));
    expect(plan.columns.map((c) => c.name)).toEqual(["label", "label_2"]);
  });

  test("CSV: header, then text values; non-strings as JSON text; missing as empty", () => {
    const plan = planExport(ExportRequest.parse({ format: "csv", fields: ["question", "n", "tags", "answer"] }));
    const enc = createEncoder(plan);
    const text = [...enc.push(batchFor(plan)), ...enc.finish()].map((b) => new TextDecoder().decode(b)).join("");
    expect(text).toBe('question,n,tags,answer\r\nWhat is 2 + 2?,3,"[""math"",""easy""]","It is ""4"".\nSimple."\r\n"Café, 東京 or 🦜?",,,\r\n');
  });
});

/** The lines of an export of `records`, checked to be the same through the encoder as through renderLine. */
function encodedLines(input: ExportRequestInput, records: FixtureRecord[], node: boolean): string[] {
  const plan = planExport(ExportRequest.parse(input));
  const b = batchFor(plan, records);
  // A Node Buffer takes the encoder's latin1 path (as COPY chunks do); a plain Uint8Array the byte path.
  const batch = node ? { ...b, buf: Buffer.from(b.buf) } : b;
  const text = new TextDecoder().decode(Buffer.concat(createEncoder(plan).push(batch)));
  const viaRender = Array.from({ length: b.rows }, (_, r) => renderLine(plan.template, b, r));
  expect(text.split("\n").filter(Boolean)).toEqual(viaRender);
  return viaRender;
}

describe("chat from the prompts that were sent", () => {
  const sys = { role: "system", content: "Tell «stories» about cats." };
  const turns = [
    { role: "user", content: "Write about a dog." },
    { role: "assistant", content: 'Café 東京 🦜: "woof".\n\tThe end \\ fin.\u0001' },
  ];
  const user = { role: "user", content: 'Write about a "cat" in 東京.' };
  const records: FixtureRecord[] = [
    { id: "r1", values: { story: "A cat story." }, provenance: { llm: { story: { model: "m", messages: [sys, ...turns, user] } } } },
    { id: "r2", values: { story: "No system." }, provenance: { llm: { story: { model: "m", messages: [user] } } } },
  ];
  const mapping = { system: { kind: "prompt" as const, field: "story", part: "system" as const }, user: { kind: "prompt" as const, field: "story", part: "user" as const }, assistant: field("story") };

  const encoded = (input: ExportRequestInput, node: boolean) => encodedLines(input, records, node);

  test("system, user prompt, answer; no system message where none was sent; both encoder paths agree", () => {
    for (const node of [false, true]) {
      const [a, b] = encoded({ format: "openai", mapping }, node);
      expect(JSON.parse(a).messages).toEqual([sys, user, { role: "assistant", content: "A cat story." }]);
      expect(JSON.parse(b).messages).toEqual([user, { role: "assistant", content: "No system." }]);
      expect(a).toBe(JSON.stringify(JSON.parse(a)));
    }
  });

  test("few-shot turns go between the system prompt and the user prompt, in OpenAI and ShareGPT shapes", () => {
    for (const node of [false, true]) {
      const [a, b] = encoded({ format: "openai", mapping: { ...mapping, fewShot: true } }, node);
      expect(JSON.parse(a).messages).toEqual([sys, ...turns, user, { role: "assistant", content: "A cat story." }]);
      expect(a).toBe(JSON.stringify(JSON.parse(a)));
      expect(JSON.parse(b).messages).toEqual([user, { role: "assistant", content: "No system." }]);
      const [s] = encoded({ format: "sharegpt", mapping: { ...mapping, fewShot: true }, provenance: true }, node);
      const from: Record<string, string> = { system: "system", user: "human", assistant: "gpt" };
      expect(JSON.parse(s).conversations).toEqual([sys, ...turns, user, { role: "assistant", content: "A cat story." }].map((m) => ({ from: from[m.role], value: m.content })));
      expect(JSON.parse(s)._record_id).toBe("r1");
    }
  });

  test("few-shot turns need the user message from a prompt; a label column is never a prompt", () => {
    expect(ExportRequest.safeParse({ format: "openai", mapping: { user: field("story"), assistant: field("story"), fewShot: true } }).success).toBe(false);
    expect(ExportRequest.safeParse({ format: "jsonl", fields: ["story"], mapping: { label: mapping.user } }).success).toBe(false);
    expect(planExport(ExportRequest.parse({ format: "openai", mapping })).requiredPrompts).toEqual([{ field: "story", part: "user" }]);
  });
});

describe("a conversation field as the messages", () => {
  const chat = [
    { role: "user", content: 'My "router" in 東京 keeps dropping 🦜.' },
    { role: "assistant", content: "Let us restart it.\n\tFirst, unplug it." },
    { role: "user", content: "Done \\ now what?" },
    { role: "assistant", content: "Plug it back in." },
  ];
  const system = { role: "system", content: "You are a support agent for routers." };
  const records: FixtureRecord[] = [
    { id: "r1", values: { chat }, provenance: { llm: { chat: { model: "m", messages: [system, ...chat.slice(0, 3)] } } } },
    { id: "r2", values: { chat: chat.slice(0, 2) }, provenance: { llm: { chat: { model: "m", messages: chat.slice(0, 1) } } } },
  ];
  const mapping = { system: { kind: "prompt" as const, field: "chat", part: "system" as const }, conversation: "chat" };

  function encoded(input: ExportRequestInput, node: boolean): unknown[] {
    const lines = encodedLines(input, records, node);
    for (const line of lines) expect(line).toBe(JSON.stringify(JSON.parse(line)));
    return lines.map((l) => JSON.parse(l));
  }

  test("OpenAI chat: the system prompt sent, then every turn; no system message where none was sent", () => {
    for (const node of [false, true]) {
      const [a, b] = encoded({ format: "openai", mapping }, node) as { messages: unknown[] }[];
      expect(a.messages).toEqual([system, ...chat]);
      expect(b.messages).toEqual(chat.slice(0, 2));
    }
  });

  test("ShareGPT: human and gpt turns after the system message, with provenance after them", () => {
    for (const node of [false, true]) {
      const [a] = encoded({ format: "sharegpt", mapping, provenance: true }, node) as { conversations: unknown[]; _record_id: string }[];
      const from: Record<string, string> = { system: "system", user: "human", assistant: "gpt" };
      expect(a.conversations).toEqual([system, ...chat].map((m) => ({ from: from[m.role], value: m.content })));
      expect(a._record_id).toBe("r1");
      const [bare] = encoded({ format: "sharegpt", mapping: { conversation: "chat" } }, node) as { conversations: { from: string }[] }[];
      expect(bare.conversations.map((m) => m.from)).toEqual(["human", "gpt", "human", "gpt"]);
    }
  });

  test("needs no user or assistant role, only goes to chat formats, and leaves out records without a conversation", () => {
    expect(ExportRequest.safeParse({ format: "openai", mapping: { conversation: "chat" } }).success).toBe(true);
    expect(ExportRequest.safeParse({ format: "alpaca", mapping: { conversation: "chat", instruction: field("q"), output: field("a") } }).success).toBe(false);
    expect(planExport(ExportRequest.parse({ format: "sharegpt", mapping })).requiredConversations).toEqual(["chat"]);
    expect(planExport(ExportRequest.parse({ format: "sharegpt", mapping: { user: field("q"), assistant: field("a") } })).requiredConversations).toEqual([]);
  });

  test("the OpenAI check reads the same messages as the file", () => {
    const plan = planExport(ExportRequest.parse({ format: "openai", mapping }));
    expect(chatMessages(plan, batchFor(plan, records), 0)).toEqual([system, ...chat]);
  });
});
