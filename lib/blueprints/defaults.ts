// Fresh fields for the editor's "add field" menu and for starters.
import { FIELD_NAME_PATTERN, type Blueprint, type Field, type FieldKind } from "./schema";
import { defaultEvolMutations } from "@/lib/recipes/evol-lineage";

/**
 * A random UUID. crypto.randomUUID only exists in secure contexts (https or localhost),
 * so plain-http deployments fall back to getRandomValues, which is always available.
 */
export function newId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === "function") return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const DEFAULT_MODEL = "gpt-4o-mini";

/**
 * A new field of `kind`. Samplers come with placeholder options that validate so the
 * preview works right away; seed, LLM and expression fields start empty on purpose,
 * so validation points at what the user still has to fill in.
 */
export function newField<K extends FieldKind>(kind: K, name: string): Extract<Field, { kind: K }> {
  const base = { id: newId(), name };
  let field: Field;
  switch (kind) {
    case "category":
      field = {
        ...base,
        kind: "category",
        options: [
          { value: "first option", weight: 1 },
          { value: "second option", weight: 1 },
        ],
      };
      break;
    case "subset":
      field = { ...base, kind: "subset", options: ["first option", "second option", "third option"], k: 2 };
      break;
    case "number":
      field = { ...base, kind: "number", min: 1, max: 10, integer: true };
      break;
    case "seed":
      field = { ...base, kind: "seed", seedTableId: "", column: "", order: "random" };
      break;
    case "llm":
      field = {
        ...base,
        kind: "llm",
        system: "",
        prompt: "",
        model: DEFAULT_MODEL,
        params: { temperature: 1 },
        output: { type: "text" },
        fewShot: { examples: [], k: 0, mode: "turns" },
      };
      break;
    case "expression":
      field = { ...base, kind: "expression", template: "" };
      break;
    case "validator":
      // Pointed at nothing yet: validation asks for the field to check.
      field = { ...base, kind: "validator", mode: "flag", check: { type: "length", field: "", unit: "words", min: null, max: null } };
      break;
    case "judge":
      // Reads nothing yet (validation asks which fields), with one 1-5 criterion to edit.
      field = {
        ...base,
        kind: "judge",
        over: [],
        criteria: [{ name: "quality", description: "", levels: [1, 2, 3, 4, 5].map((value) => ({ value, description: "" })) }],
        model: DEFAULT_MODEL,
        // Scores should not change when the same record is judged twice.
        params: { temperature: 0 },
      };
      break;
    case "conversation":
      // Empty persona on purpose: validation asks who the simulated user is.
      field = { ...base, kind: "conversation", system: "", persona: "", turns: { min: 2, max: 4 }, model: DEFAULT_MODEL, params: { temperature: 1 } };
      break;
    case "evolve":
      // Reads nothing yet: validation asks which field holds the instructions.
      field = { ...base, kind: "evolve", source: "", generations: 4, mutations: defaultEvolMutations(), model: DEFAULT_MODEL, params: { temperature: 1 } };
      break;
    case "grammar":
      // A small grammar that validates, showing the syntax (weights, alternatives, quoting).
      field = { ...base, kind: "grammar", grammar: 'sentence -> greeting ", " name + "!"\ngreeting -> "hi" [3] | "hello"\nname -> "Ada" | "Grace"' };
      break;
    case "transform":
      // No source yet: validation asks which earlier text field to read.
      field = { ...base, kind: "transform", source: "", operation: "synonyms", amount: 0.2 };
      break;
    case "mask":
      field = { ...base, kind: "mask", source: "", mode: "entities", entityTypes: ["PERSON_NAME", "EMAIL", "PHONE", "ADDRESS", "CARD_NUMBER", "DATE"], patterns: [], rate: 0.15 };
      break;
    case "pool":
      // No table yet: validation asks for one; the mix is Self-Instruct's 6 seed + 2 generated.
      field = { ...base, kind: "pool", seedTableId: "", human: 6, generated: 2, targetSize: 200, perRound: 20 };
      break;
    default:
      throw new Error(`Unknown field kind: ${String(kind)}`);
  }
  return field as Extract<Field, { kind: K }>;
}

/** `base` if no field uses it yet, else `base_2`, `base_3`, ...; for naming added fields. */
export function uniqueFieldName(blueprint: Blueprint, base: string): string {
  const taken = new Set(blueprint.fields.map((f) => f.name));
  const stem = FIELD_NAME_PATTERN.test(base) ? base : "field";
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) if (!taken.has(`${stem}_${n}`)) return `${stem}_${n}`;
}
