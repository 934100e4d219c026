// Values of the rule-based fields (grammar, transform, mask): computed from the record's
// seeded RNG and earlier values, with no model call. Shared by runs (generate-record.ts)
// and previews (preview.ts), so a preview shows exactly what a run will store.
// The engines are lib/recipes/; each field draws from its own stream (the field's name),
// like samplers, so adding a field does not change the values of the others.
import { compileGrammar, expandGrammar, type CompiledGrammar } from "@/lib/recipes/grammar";
import { maskEntities, maskTokens, ENTITY_TYPES, type EntityType } from "@/lib/recipes/mask";
import { deleteWords, insertWords, perturbDates, perturbNumbers, replaceSynonyms, shuffleSentences, swapWords } from "@/lib/recipes/transforms";
import { compileRegex } from "@/lib/quality/validators/regex";
import { rngFor, type Rng } from "./rng";
import type { FieldValue, GrammarField, MaskField, TransformField, TransformOperation } from "./schema";

type RuleField = GrammarField | TransformField | MaskField;

const OPERATIONS: Record<TransformOperation, (text: string, amount: number, rng: Rng) => string> = {
  synonyms: replaceSynonyms,
  insert: insertWords,
  delete: deleteWords,
  swap: swapWords,
  shuffle_sentences: shuffleSentences,
  perturb_numbers: perturbNumbers,
  perturb_dates: perturbDates,
};

/** Compiled grammars by text: a run expands the same grammar for every record. */
const grammars = new Map<string, CompiledGrammar>();
const GRAMMAR_CACHE_MAX = 50;

function compiled(text: string): CompiledGrammar {
  const hit = grammars.get(text);
  if (hit) return hit;
  const { grammar, issues } = compileGrammar(text);
  if (!grammar) {
    const first = issues.find((i) => i.severity === "error");
    throw new Error(`the grammar has an error${first ? ` at line ${first.line}, column ${first.column}: ${first.message}` : ""}`);
  }
  if (grammars.size >= GRAMMAR_CACHE_MAX) grammars.delete(grammars.keys().next().value!);
  grammars.set(text, grammar);
  return grammar;
}

/** The text a transform or mask reads: strings as they are, other values as JSON; null stays null. */
function sourceText(scope: Record<string, unknown>, name: string): string | null {
  const v = Object.hasOwn(scope, name) ? scope[name] : null;
  if (v === null || v === undefined) return null;
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** Entity masking: the user's patterns first (they are more specific), then the chosen entity types. */
export function maskWithPatterns(text: string, field: Pick<MaskField, "entityTypes" | "patterns">): string {
  let out = text;
  for (const p of field.patterns) {
    // A function replacement: the placeholder is literal text, never `$1` group syntax.
    const placeholder = `[${p.name}]`;
    out = compileRegex(p.pattern, { caseInsensitive: false }).matcher(out).replaceAll(() => placeholder);
  }
  const types = new Set(field.entityTypes.filter((t): t is EntityType => (ENTITY_TYPES as readonly string[]).includes(t)));
  return types.size > 0 ? maskEntities(out, types) : out;
}

/**
 * One rule field's value for a record. Throws on a field validation would reject (a
 * broken grammar or pattern), which fails the record with the reason like any field.
 */
export function computeRuleField(field: RuleField, scope: Record<string, unknown>, ctx: { seed: number; recordIndex: number }): FieldValue {
  const rng = rngFor(ctx.seed, ctx.recordIndex, field.name);
  if (field.kind === "grammar") return expandGrammar(compiled(field.grammar), rng);
  const text = sourceText(scope, field.source);
  if (text === null) return null;
  if (field.kind === "transform") return OPERATIONS[field.operation](text, field.amount, rng);
  if (field.mode === "tokens") {
    const { masked, targets } = maskTokens(text, field.rate, rng);
    return { masked, targets };
  }
  return maskWithPatterns(text, field);
}
