// Generates one record: samplers, then every expression and LLM field in blueprint order
// (which validation guarantees is dependency order), each LLM output placed in the scope
// before the next field renders. The model call is injected, so this module stays pure
// and the same code serves batch runs, live samples and tests.
import { judgeMessages, judgeSchemaText, readJudgeAnswer } from "@/lib/blueprints/judge";
import { buildMessages, type ChatMessage } from "@/lib/blueprints/messages";
import { renderTemplate } from "@/lib/blueprints/render";
import { sampleRecord, type SeedRowsForRecord } from "@/lib/blueprints/samplers";
import { computeRuleField } from "@/lib/blueprints/rule-fields";
import { isRuleField, isSampler, type Blueprint, type ConversationField, type EvolveField, type FieldValue, type JudgeField, type LlmField, type ModelParams } from "@/lib/blueprints/schema";
import { assistantMessages, drawTurnCount, renderConversationPrompts, simulatorMessages, type ConversationMessage } from "@/lib/blueprints/conversation";
import { reaskMessages, responseFormatFor, validateJsonOutput } from "./json-output";
import { withScoreProbabilities, type TokenLogprob } from "./judge-certainty";
import { rngFor } from "@/lib/blueprints/rng";
import { drawMutation, eliminationRule, equalityPrompt, evolvePrompt, finalInstruction, readEquality, type EvolStep } from "@/lib/recipes/evol-instruct";
import { enabledMutations, type EvolValue } from "@/lib/recipes/evol-lineage";
import { pickPoolExamples, type PoolItem } from "@/lib/recipes/self-instruct";
import type { CheckResult } from "@/lib/quality/validators/evaluate";

export type ModelRequest = {
  field: LlmField | JudgeField | ConversationField | EvolveField;
  model: string;
  messages: ChatMessage[];
  params: ModelParams;
  responseFormat?: ReturnType<typeof responseFormatFor>;
  /** The record asking: the response cache answers only the same record again. */
  record: { seed: number; position: number; step?: string };
  /** Streaming callers get the answer as it arrives (live samples). */
  onDelta?: (text: string) => void;
  /** Ask for token logprobs (judges: how sure the score is); a provider that refuses them is asked without. */
  logprobs?: boolean;
};

export type ModelAnswer = {
  content: string;
  tokensIn: number;
  tokensOut: number;
  latencyMs: number;
  /** Transport attempts (retries of 429/5xx/timeouts) for this call. */
  attempts: number;
  cached: boolean;
  costUsd: number;
  /** The answer's tokens and their logprobs, when asked for and returned. */
  logprobs?: TokenLogprob[];
};

export type ModelCall = (req: ModelRequest) => Promise<ModelAnswer>;

/** What a record keeps about each LLM or judge field: enough to reproduce and audit it. */
export type LlmFieldProvenance = {
  model: string;
  params: ModelParams;
  messages: ChatMessage[];
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  latencyMs: number;
  attempts: number;
  /** JSON answers that failed the schema and were asked again. */
  reasks: number;
  cached: boolean;
  error?: string;
  /**
   * Conversation fields: each of the 2N calls in order, with its own usage. A call's
   * request is rebuilt exactly from `context` (how many messages of the conversation it
   * was sent) and the rendered `system` / `persona` below (lib/blueprints/conversation.ts),
   * so the record does not store the conversation once per turn. `messages` above holds
   * the last assistant request in full (its system prompt is what exports read).
   */
  conversation?: {
    system: string;
    persona: string;
    turns: number;
    calls: { side: "user" | "assistant"; context: number; tokensIn: number; tokensOut: number; costUsd: number; latencyMs: number; attempts: number; cached: boolean }[];
  };
  /** Evolve fields: each call in order (generation, which of the three asks), with its own usage; the lineage is the value. */
  evolve?: { calls: { generation: number; ask: EvolAsk; tokensIn: number; tokensOut: number; costUsd: number; latencyMs: number; attempts: number; cached: boolean }[] };
};

export type GeneratedRecord = {
  recordIndex: number;
  status: "succeeded" | "failed";
  values: Record<string, FieldValue>;
  sampled: Record<string, FieldValue>;
  llm: Record<string, LlmFieldProvenance>;
  error: string | null;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  latencyMs: number;
  attempts: number;
  /**
   * Validator results decided outside the record (a pool run's "similar to the pool" check
   * needs the whole pool); the writer stores them as they are instead of re-checking.
   */
  decided?: Record<string, CheckResult>;
};

/** A failure the transport gave up on; `fatalForRun` stops the whole run (bad key, unknown model). */
export class ModelCallError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    readonly fatalForRun = false,
  ) {
    super(message);
    this.name = "ModelCallError";
  }
}

/** The run stopped while this record was in flight: it is not stored and will be redone. */
export class RecordInterrupted extends Error {
  constructor(reason?: unknown) {
    super(reason instanceof Error ? reason.message : "interrupted");
    this.name = "RecordInterrupted";
  }
}

/**
 * Where a record's templates render. Runs render here, in their own thread; live samples
 * pass a renderer that sends each step to a worker (lib/blueprints/server/preview-pool.ts)
 * so a runaway template in an editor holds up nothing else.
 */
export type Renderer = {
  expression: (template: string, scope: Record<string, unknown>) => FieldValue | Promise<FieldValue>;
  messages: (field: LlmField, scope: Record<string, unknown>, ctx: { seed: number; recordIndex: number }) => ChatMessage[] | Promise<ChatMessage[]>;
};

const renderHere: Renderer = {
  expression: renderTemplate,
  messages: (field, scope, ctx) => buildMessages(field, scope, ctx).messages,
};

export type GenerateOptions = {
  seed: number;
  recordIndex: number;
  seedRows: SeedRowsForRecord;
  call: ModelCall;
  /** Schema re-asks per JSON field before the record fails. */
  maxReasks?: number;
  onField?: (name: string, value: FieldValue) => void;
  onDelta?: (field: string, text: string) => void;
  /** Default: render in this thread. */
  render?: Renderer;
  /** Per pool field name: the pool its examples are drawn from (a pool run's pool at the round's start). */
  pools?: Record<string, readonly PoolItem[]>;
  /**
   * Generate only the fields before index `until` (a pool run's candidate: up to its
   * "similar to the pool" validator), or, with `from`, continue `from`'s record with the
   * rest (the response of a kept candidate), so a rejected candidate costs no later call.
   */
  until?: number;
  from?: GeneratedRecord;
};

export async function generateRecord(blueprint: Blueprint, opts: GenerateOptions): Promise<GeneratedRecord> {
  const { seed, recordIndex } = opts;
  const render = opts.render ?? renderHere;
  const sampled = opts.from?.sampled ?? sampleRecord(blueprint, { seed, recordIndex, seedRows: opts.seedRows });
  const values: Record<string, FieldValue> = { ...opts.from?.values };
  const scope: Record<string, unknown> = { ...values };
  const llm: Record<string, LlmFieldProvenance> = { ...opts.from?.llm };
  const rec: GeneratedRecord = {
    recordIndex,
    status: "succeeded",
    values,
    sampled,
    llm,
    error: null,
    tokensIn: opts.from?.tokensIn ?? 0,
    tokensOut: opts.from?.tokensOut ?? 0,
    costUsd: opts.from?.costUsd ?? 0,
    latencyMs: opts.from?.latencyMs ?? 0,
    attempts: opts.from?.attempts ?? 0,
    ...(opts.from?.decided && { decided: opts.from.decided }),
  };
  const set = (name: string, v: FieldValue) => {
    // Own data properties only: templates render with ownPropertyOnly.
    scope[name] = v;
    values[name] = v;
    opts.onField?.(name, v);
  };
  const addUp = (p: LlmFieldProvenance) => {
    rec.tokensIn += p.tokensIn;
    rec.tokensOut += p.tokensOut;
    rec.costUsd += p.costUsd;
    rec.latencyMs += p.latencyMs;
    rec.attempts += p.attempts;
  };

  const start = opts.from ? (opts.until ?? 0) : 0;
  const end = opts.from ? blueprint.fields.length : (opts.until ?? blueprint.fields.length);
  for (const field of blueprint.fields.slice(start, end)) {
    if (isSampler(field)) {
      set(field.name, Object.hasOwn(sampled, field.name) ? sampled[field.name] : null);
      continue;
    }
    // Validators have no value: they run on the finished record (lib/quality/validators).
    if (field.kind === "validator") continue;
    let p: LlmFieldProvenance | undefined;
    try {
      if (field.kind === "expression") {
        set(field.name, await render.expression(field.template, scope));
        continue;
      }
      // Rule-based fields: computed here from the record's seed, never sent to a model.
      if (isRuleField(field)) {
        set(field.name, computeRuleField(field, scope, { seed, recordIndex }));
        continue;
      }
      if (field.kind === "pool") {
        const pool = opts.pools?.[field.name];
        if (!pool) throw new Error("its examples are drawn from the pool while a run grows it; the pool was not loaded here.");
        const picked = pickPoolExamples(pool, { human: field.human, generated: field.generated }, rngFor(seed, recordIndex, `pool:${field.name}`));
        set(field.name, picked.map((p) => ({ id: p.id, instruction: p.instruction, origin: p.origin })));
        continue;
      }
      if (field.kind === "conversation" || field.kind === "evolve") {
        p = { model: field.model, params: field.params, messages: [], tokensIn: 0, tokensOut: 0, costUsd: 0, latencyMs: 0, attempts: 0, reasks: 0, cached: false };
        llm[field.name] = p;
        const value = field.kind === "evolve" ? await evolve(field, scope, p, opts) : await converse(field, scope, p, opts);
        addUp(p);
        set(field.name, value);
        continue;
      }
      // A judge's prompt is plain text built from its rubric (no template to render).
      const messages = field.kind === "judge" ? judgeMessages(field, scope) : await render.messages(field, scope, { seed, recordIndex });
      p = { model: field.model, params: field.params, messages, tokensIn: 0, tokensOut: 0, costUsd: 0, latencyMs: 0, attempts: 0, reasks: 0, cached: false };
      llm[field.name] = p;
      const value = await callField(field, messages, p, opts);
      addUp(p);
      set(field.name, value);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      rec.status = "failed";
      rec.error = `${field.name}: ${message}`;
      if (p) {
        p.error = message;
        addUp(p);
      }
      if ((e instanceof ModelCallError && e.fatalForRun) || e instanceof RecordInterrupted) throw e;
      return rec;
    }
  }
  return rec;
}

/** Thrown when a judge's answers never fit its rubric: the record fails, its verdict is not guessed. */
export const JUDGE_FAILED = "judge failed";

export async function callField(field: LlmField | JudgeField, messages: ChatMessage[], p: LlmFieldProvenance, opts: GenerateOptions): Promise<FieldValue> {
  const judge = field.kind === "judge" ? field : null;
  const json = judge ? judgeSchemaText(judge) : field.kind === "llm" && field.output.type === "json" ? field.output.schema : null;
  // A judge's schema is built to meet strict structured output, so providers that enforce
  // it can only answer with a listed level; users' own schemas usually do not.
  const responseFormat = json ? responseFormatFor(json, field.name, judge !== null) : undefined;
  const maxReasks = opts.maxReasks ?? 2;
  let convo = messages;
  for (let ask = 0; ; ask++) {
    let answer: ModelAnswer;
    try {
      answer = await opts.call({
        field,
        model: field.model,
        messages: convo,
        params: field.params,
        responseFormat,
        ...(judge && { logprobs: true }),
        record: { seed: opts.seed, position: opts.recordIndex },
        onDelta: opts.onDelta ? (t) => opts.onDelta!(field.name, t) : undefined,
      });
    } catch (e) {
      if (e instanceof ModelCallError) p.attempts += e.attempts;
      throw e;
    }
    account(p, answer);
    if (!json) return answer.content;
    const checked = validateJsonOutput(answer.content, json);
    const read = checked.ok && judge ? readJudgeAnswer(checked.value, judge.criteria) : null;
    if (read?.ok) return withScoreProbabilities(read.verdict, answer.content, answer.logprobs);
    if (checked.ok && !read) return checked.value as FieldValue;
    const error = checked.ok ? (read as { error: string }).error : checked.error;
    if (ask >= maxReasks) {
      throw new Error(
        judge
          ? `${JUDGE_FAILED}: the answer did not fit the rubric after ${ask + 1} tries: ${error}`
          : `the answer did not match the JSON schema after ${ask + 1} tries: ${error}`,
      );
    }
    p.reasks++;
    convo = reaskMessages(messages, answer.content, error);
  }
}

function account(p: LlmFieldProvenance, answer: ModelAnswer) {
  p.tokensIn += answer.tokensIn;
  p.tokensOut += answer.tokensOut;
  p.costUsd += answer.costUsd;
  p.latencyMs += answer.latencyMs;
  p.attempts += answer.attempts;
  p.cached ||= answer.cached;
}

/**
 * A conversation field: N turns of (simulated user, assistant), each call a request
 * through the same transport as any field (retries, cache, usage), its answer appended
 * before the next call. A call that fails fails the record like any field; the calls made
 * so far stay in the provenance with their cost.
 */
export async function converse(field: ConversationField, scope: Record<string, unknown>, p: LlmFieldProvenance, opts: GenerateOptions): Promise<FieldValue> {
  const { system, persona } = renderConversationPrompts(field, scope);
  const turns = drawTurnCount(field, { seed: opts.seed, recordIndex: opts.recordIndex });
  const calls: NonNullable<LlmFieldProvenance["conversation"]>["calls"] = [];
  p.conversation = { system, persona, turns, calls };
  const conversation: ConversationMessage[] = [];
  for (let turn = 0; turn < turns; turn++) {
    for (const side of ["user", "assistant"] as const) {
      const messages = side === "user" ? simulatorMessages(persona, conversation) : assistantMessages(system, conversation);
      if (side === "assistant") p.messages = messages;
      let answer: ModelAnswer;
      try {
        answer = await opts.call({ field, model: field.model, messages, params: field.params, record: { seed: opts.seed, position: opts.recordIndex } });
      } catch (e) {
        if (e instanceof ModelCallError) p.attempts += e.attempts;
        // A stopped run or a fatal failure must reach the run as what it is.
        if ((e instanceof ModelCallError && e.fatalForRun) || e instanceof RecordInterrupted) throw e;
        throw new Error(`turn ${turn + 1} (${side === "user" ? "simulated user" : "assistant"}): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      account(p, answer);
      calls.push({ side, context: conversation.length, tokensIn: answer.tokensIn, tokensOut: answer.tokensOut, costUsd: answer.costUsd, latencyMs: answer.latencyMs, attempts: answer.attempts, cached: answer.cached });
      conversation.push({ role: side, content: answer.content });
    }
  }
  return conversation;
}

export type EvolAsk = "rewrite" | "response" | "equality";

/**
 * An evolve field (Evol-Instruct): from the instruction in `field.source`, up to
 * `generations` steps, each a mutation drawn from the record's own stream, then the
 * evolved instruction's response, then the equality check against its parent, asking only
 * while the free rules have not dropped it (lib/recipes/evol-instruct.ts eliminationRule).
 * A dropped step ends the lineage and its parent stands. Every call goes through the
 * run's transport, and its cache identity names the generation and the ask, so two
 * generations (which can send the same text when a drop repeats a draw) never share an answer.
 */
export async function evolve(field: EvolveField, scope: Record<string, unknown>, p: LlmFieldProvenance, opts: GenerateOptions): Promise<FieldValue> {
  const source = scope[field.source];
  if (typeof source !== "string" || !source.trim()) throw new Error(`"${field.source}" has no instruction to evolve (it is empty or not text).`);
  const seed = source.trim();
  const mutations = enabledMutations(field);
  const rng = rngFor(opts.seed, opts.recordIndex, `evolve:${field.name}`);
  const calls: NonNullable<LlmFieldProvenance["evolve"]>["calls"] = [];
  p.evolve = { calls };
  const lineage: EvolStep[] = [];
  const ask = async (generation: number, what: EvolAsk, content: string): Promise<string> => {
    const messages: ChatMessage[] = [{ role: "user", content }];
    p.messages = messages;
    let answer: ModelAnswer;
    try {
      answer = await opts.call({ field, model: field.model, messages, params: field.params, record: { seed: opts.seed, position: opts.recordIndex, step: `g${generation}:${what}` } });
    } catch (e) {
      if (e instanceof ModelCallError) p.attempts += e.attempts;
      if ((e instanceof ModelCallError && e.fatalForRun) || e instanceof RecordInterrupted) throw e;
      throw new Error(`generation ${generation} (${what}): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    account(p, answer);
    calls.push({ generation, ask: what, tokensIn: answer.tokensIn, tokensOut: answer.tokensOut, costUsd: answer.costUsd, latencyMs: answer.latencyMs, attempts: answer.attempts, cached: answer.cached });
    return answer.content.trim();
  };
  let parent = seed;
  for (let generation = 1; generation <= field.generations; generation++) {
    const mutation = drawMutation(rng, mutations);
    const evolved = await ask(generation, "rewrite", evolvePrompt(mutation, parent));
    const step: EvolStep = { generation, mutation: mutation.id, instruction: evolved };
    let rule = eliminationRule({ evolved });
    if (!rule) {
      step.response = await ask(generation, "response", evolved);
      rule = eliminationRule({ evolved, response: step.response });
    }
    if (!rule) rule = eliminationRule({ evolved, response: step.response, equal: readEquality(await ask(generation, "equality", equalityPrompt(parent, evolved))) });
    if (rule) step.eliminated = rule;
    lineage.push(step);
    if (rule) break;
    parent = evolved;
  }
  const value: EvolValue = { instruction: finalInstruction(seed, lineage), seed, lineage };
  return value;
}
