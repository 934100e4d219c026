// The answer to a valid chat request: content derived from the request (text, JSON
// from the schema, or a JSON object), cut by stop sequences and the token limit, with
// the token counts the usage reports. Faults that change the content are applied here.
import {
  type Rng,
  estimateTokens,
  extractKeywords,
  fnv1a,
  mixInt,
  mulberry32,
  paragraph,
  phrase,
  randInt,
  truncateToTokens,
} from "./random";
import type { FaultKind } from "./options";
import type { ParsedChat } from "./request";
import { generateFromSchema } from "./schema/generate";
import { asksForNextTask, nextTaskInstruction } from "./instruction";
import { evolAnswer } from "./evol";
import { violateSchema } from "./schema/validate";

export interface Choice {
  content: string;
  finishReason: "stop" | "length";
}

export interface Answer {
  choices: Choice[];
  promptTokens: number;
  completionTokens: number;
}

/** OpenAI-cookbook style estimate: 3 tokens per message, +1 per name, +3 priming, content at ~4 chars/token. */
function promptTokens(p: ParsedChat): number {
  let t = 3 + p.nameCount;
  for (const text of p.texts) t += 3 + estimateTokens(text);
  if (p.schemaText) t += estimateTokens(p.schemaText);
  return t;
}

function baseContent(p: ParsedChat, rng: Rng, keywords: string[]): string {
  if (p.format === "json_schema") return JSON.stringify(generateFromSchema(p.schema, rng, keywords));
  if (p.format === "json_object") {
    return JSON.stringify({
      answer: paragraph(rng, keywords),
      topic: phrase(rng, keywords, randInt(rng, 1, 3)),
      keywords: keywords.slice(0, randInt(rng, 0, Math.min(5, keywords.length))),
      score: randInt(rng, 1, 10),
    });
  }
  const last = p.texts[p.lastUser] ?? "";
  if (asksForNextTask(last)) return nextTaskInstruction(rng);
  return evolAnswer(last, rng) ?? paragraph(rng, keywords);
}

function breakJson(json: string): string {
  const cut = json.slice(0, Math.max(1, Math.floor(json.length * 0.6)));
  try {
    JSON.parse(cut);
  } catch {
    return cut;
  }
  return `{"truncated": ${cut}`;
}

function applyStopAndLimit(content: string, p: ParsedChat, perChoiceMax: number | undefined): Choice {
  for (const s of p.stop) {
    const at = content.indexOf(s);
    if (at >= 0) content = content.slice(0, at);
  }
  if (perChoiceMax !== undefined && estimateTokens(content) > perChoiceMax) {
    return { content: truncateToTokens(content, perChoiceMax), finishReason: "length" };
  }
  return { content, finishReason: "stop" };
}

/**
 * Hash of model + messages + format + seed; without a seed the server's count of
 * unseeded requests (`nextUnseeded`, called only then) is mixed in so answers vary.
 */
export function answerSeed(p: ParsedChat, nextUnseeded: () => number): number {
  let h = fnv1a(p.model);
  for (const t of p.texts) h = fnv1a(t, mixInt(h, t.length));
  h = fnv1a(p.format, h);
  if (p.seed === undefined) return mixInt(h, (nextUnseeded() * 0x9e3779b1) | 0);
  return mixInt(mixInt(h, p.seed), Math.floor(p.seed / 4294967296));
}

export function generateAnswer(p: ParsedChat, h: number, fault: FaultKind | null): Answer {
  const keywords = extractKeywords(p.texts[p.lastUser] ?? "");
  const choices: Choice[] = new Array(p.n);
  let completionTokens = 0;
  for (let i = 0; i < p.n; i++) {
    const rng = mulberry32(mixInt(h, i + 1));
    let content = baseContent(p, rng, keywords);
    if (fault === "broken-json" && p.format !== "text") content = breakJson(content);
    else if (fault === "wrong-schema" && p.format === "json_schema") {
      content = JSON.stringify(violateSchema(JSON.parse(content), p.schema, rng));
    } else if (fault === "wrong-schema" && p.format === "json_object") content = JSON.stringify(["not", "an", "object"]);
    else if (fault === "odd-bytes") content = oddBytes(content, p.format !== "text");
    const choice = applyStopAndLimit(content, p, p.maxTokens);
    completionTokens += estimateTokens(choice.content);
    choices[i] = choice;
  }
  return { choices, promptTokens: promptTokens(p), completionTokens };
}

/**
 * A NUL and an unpaired surrogate inside the answer: in text mid-sentence, in JSON inside
 * the first string value (the document stays valid JSON, as a provider would send it).
 */
function oddBytes(content: string, json: boolean): string {
  const odd = "\u0000\ud800";
  if (!json) {
    const at = Math.floor(content.length / 2);
    return content.slice(0, at) + odd + content.slice(at);
  }
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return content + odd;
  }
  // Splice the raw characters into the first string value; JSON.stringify writes them as escapes.
  return JSON.stringify(insertOdd(value, odd).value);
}

function insertOdd(v: unknown, odd: string): { value: unknown; done: boolean } {
  if (typeof v === "string") return { value: v + odd, done: true };
  if (Array.isArray(v)) {
    const out = v.slice();
    for (let i = 0; i < out.length; i++) {
      const r = insertOdd(out[i], odd);
      if (r.done) return { value: (out[i] = r.value, out), done: true };
    }
    return { value: out, done: false };
  }
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    for (const k of Object.keys(out)) {
      const r = insertOdd(out[k], odd);
      if (r.done) return { value: (out[k] = r.value, out), done: true };
    }
  }
  return { value: v, done: false };
}
