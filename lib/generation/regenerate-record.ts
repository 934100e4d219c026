// Regenerates one LLM field of an existing record, and the later fields that read it
// (lib/blueprints/dependents.ts), keeping every other value. Pure like generateRecord: the
// model call is injected. A dependent is re-run only when a value it reads came out
// different, so an identical answer costs nothing more downstream and changes nothing.
import { judgeMessages } from "@/lib/blueprints/judge";
import { buildMessages } from "@/lib/blueprints/messages";
import { renderTemplate } from "@/lib/blueprints/render";
import { fieldInputs } from "@/lib/blueprints/dependents";
import { computeRuleField } from "@/lib/blueprints/rule-fields";
import { isRuleField, isSampler, type Blueprint, type FieldValue } from "@/lib/blueprints/schema";
import { canonicalJson } from "@/lib/json/canonical";
import { callField, converse, evolve, ModelCallError, RecordInterrupted, type GeneratedRecord, type LlmFieldProvenance, type ModelCall } from "./generate-record";

/** Status, error, spend and `llm` as for a generated record; `values` holds only the fields re-run. */
export type RegeneratedRecord = Omit<GeneratedRecord, "recordIndex" | "sampled"> & {
  /** Position in the regeneration (its draw and cache key with the run's seed). */
  position: number;
  /** Of the fields re-run (all in `values`, identical ones included), those whose value differs from before. */
  changed: string[];
};

export type RegenerateOptions = { seed: number; position: number; call: ModelCall; maxReasks?: number };

export async function regenerateRecord(
  blueprint: Blueprint,
  field: string,
  current: Readonly<Record<string, unknown>>,
  opts: RegenerateOptions,
): Promise<RegeneratedRecord> {
  const scope: Record<string, unknown> = { ...current };
  const rec: RegeneratedRecord = { position: opts.position, status: "succeeded", values: {}, changed: [], llm: {}, error: null, tokensIn: 0, tokensOut: 0, costUsd: 0, latencyMs: 0, attempts: 0 };
  const changed = new Set<string>();
  const start = blueprint.fields.findIndex((f) => f.name === field);
  // The call's record identity: the run's seed and this position, so a resumed run is
  // answered from the cache and another regeneration of the same record is asked afresh.
  const gen = { seed: opts.seed, recordIndex: opts.position, call: opts.call, maxReasks: opts.maxReasks, seedRows: {} };
  for (const f of blueprint.fields.slice(start)) {
    // A pool field's examples were drawn from the pool as it stood in the record's round: kept, like samples.
    if (isSampler(f) || f.kind === "validator" || f.kind === "pool") continue;
    if (f.name !== field && !fieldInputs(f).some((n) => changed.has(n))) continue;
    let p: LlmFieldProvenance | undefined;
    try {
      let value: FieldValue;
      if (f.kind === "expression") value = renderTemplate(f.template, scope);
      // Same seed and position as the run, so an unchanged source gives the same value.
      else if (isRuleField(f)) value = computeRuleField(f, scope, { seed: opts.seed, recordIndex: opts.position });
      else if (f.kind === "conversation" || f.kind === "evolve") {
        // A conversation (or an evolution) reading a regenerated field is had again, all its turns.
        p = { model: f.model, params: f.params, messages: [], tokensIn: 0, tokensOut: 0, costUsd: 0, latencyMs: 0, attempts: 0, reasks: 0, cached: false };
        rec.llm[f.name] = p;
        value = f.kind === "evolve" ? await evolve(f, scope, p, gen) : await converse(f, scope, p, gen);
        addUp(rec, p);
      } else {
        const messages = f.kind === "judge" ? judgeMessages(f, scope) : buildMessages(f, scope, { seed: opts.seed, recordIndex: opts.position }).messages;
        p = { model: f.model, params: f.params, messages, tokensIn: 0, tokensOut: 0, costUsd: 0, latencyMs: 0, attempts: 0, reasks: 0, cached: false };
        rec.llm[f.name] = p;
        value = await callField(f, messages, p, gen);
        addUp(rec, p);
      }
      scope[f.name] = value;
      rec.values[f.name] = value;
      if (canonicalJson(value) !== canonicalJson(current[f.name] ?? null)) changed.add(f.name);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (p) {
        p.error = message;
        addUp(rec, p);
      }
      if ((e instanceof ModelCallError && e.fatalForRun) || e instanceof RecordInterrupted) throw e;
      // Nothing of a failed regeneration is kept: the record keeps all its earlier values.
      return { ...rec, status: "failed", error: `${f.name}: ${message}`, values: {}, changed: [] };
    }
  }
  rec.changed = [...changed];
  return rec;
}

function addUp(rec: RegeneratedRecord, p: LlmFieldProvenance) {
  rec.tokensIn += p.tokensIn;
  rec.tokensOut += p.tokensOut;
  rec.costUsd += p.costUsd;
  rec.latencyMs += p.latencyMs;
  rec.attempts += p.attempts;
}
