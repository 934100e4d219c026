// The blueprint: an ordered list of fields that together describe one record.
// This is the single source of truth for its shape; the editor, the services and the
// (future) run worker all parse with these schemas. Kept free of I/O so it can be
// imported from the browser, the server and workers alike.
import { z } from "zod";

/** A field name must be usable as a Liquid variable: `{{ topic }}`. */
export const FIELD_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const WeightedOption = z.object({
  value: z.string(),
  weight: z.number(),
});
export type WeightedOption = z.infer<typeof WeightedOption>;

const fieldBase = {
  /** Stable id used for React keys and for pointing errors at a field; not shown. */
  id: z.string().min(1),
  /** Variable name used in templates. Validation (not parsing) reports bad names. */
  name: z.string(),
  description: z.string().optional(),
};

/** Weighted category; optionally the options depend on an earlier field's value. */
export const CategoryField = z.object({
  ...fieldBase,
  kind: z.literal("category"),
  options: z.array(WeightedOption),
  /** Name of an earlier field whose value selects `conditionalOptions[value]`. */
  dependsOn: z.string().optional(),
  /** Per parent value; a parent value missing here falls back to `options`. */
  conditionalOptions: z.record(z.string(), z.array(WeightedOption)).optional(),
});

/** k distinct options out of n, in random order. Value is a string[]. */
export const SubsetField = z.object({
  ...fieldBase,
  kind: z.literal("subset"),
  options: z.array(z.string()),
  k: z.number().int(),
});

/** Uniform number in [min, max]; integers include both ends. */
export const NumberField = z.object({
  ...fieldBase,
  kind: z.literal("number"),
  min: z.number(),
  max: z.number(),
  integer: z.boolean(),
  /** Decimal places kept for floats. */
  decimals: z.number().int().min(0).max(10).optional(),
});

/**
 * One column of an uploaded seed table. All seed fields of a record that point at the
 * same table read the same row, so `question` and `answer` columns stay paired.
 */
export const SeedField = z.object({
  ...fieldBase,
  kind: z.literal("seed"),
  seedTableId: z.string(),
  column: z.string(),
  /** random: a row drawn per record; sequential: record i reads row i mod n. */
  order: z.enum(["random", "sequential"]).default("random"),
});

export const FewShotExample = z.object({
  input: z.string(),
  output: z.string(),
});
export type FewShotExample = z.infer<typeof FewShotExample>;

export const FewShot = z.object({
  examples: z.array(FewShotExample),
  /** Examples drawn per record (without repeats); 0 disables few-shot. */
  k: z.number().int().min(0),
  /** turns: user/assistant chat turns before the prompt; inline: `{{ examples }}` in the template. */
  mode: z.enum(["turns", "inline"]),
});
export type FewShot = z.infer<typeof FewShot>;

export const ModelParams = z.object({
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  max_tokens: z.number().int().positive().optional(),
  seed: z.number().int().optional(),
});
export type ModelParams = z.infer<typeof ModelParams>;

export const OutputSpec = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }),
  /** `schema` is the user's JSON Schema as typed, validated separately so typos show in place. */
  z.object({ type: z.literal("json"), schema: z.string() }),
]);
export type OutputSpec = z.infer<typeof OutputSpec>;

export const LlmField = z.object({
  ...fieldBase,
  kind: z.literal("llm"),
  system: z.string(),
  prompt: z.string(),
  model: z.string(),
  params: ModelParams,
  output: OutputSpec,
  fewShot: FewShot,
});

/** A Liquid template rendered with earlier fields; no model call. */
export const ExpressionField = z.object({
  ...fieldBase,
  kind: z.literal("expression"),
  template: z.string(),
});

/** What a validator checks (lib/quality/validators/): one of six checks on earlier fields. */
export const ValidatorCheck = z.discriminatedUnion("type", [
  /** Bounds on a field's length; either end may be open. */
  z.object({
    type: z.literal("length"),
    field: z.string(),
    unit: z.enum(["chars", "words", "tokens"]),
    min: z.number().int().min(0).nullable(),
    max: z.number().int().min(0).nullable(),
  }),
  /** RE2 syntax (linear time): found anywhere in the text unless anchored. */
  z.object({ type: z.literal("regex"), field: z.string(), pattern: z.string(), caseInsensitive: z.boolean(), mustMatch: z.boolean() }),
  /** A JSON-output LLM field matched its schema (checked, and re-asked, at generation). */
  z.object({ type: z.literal("json_schema"), field: z.string() }),
  /** The text uses the sampled values of these fields (with simple English inflection). */
  z.object({ type: z.literal("mentions"), field: z.string(), sources: z.array(z.string()) }),
  /** ISO 639-3 code among lib/quality/validators/language.ts LANGUAGES. */
  z.object({ type: z.literal("language"), field: z.string(), language: z.string() }),
  /** A Liquid condition over the record, as inside {% if %}; the message (may use {{ }}) says why it failed. */
  z.object({ type: z.literal("expression"), condition: z.string(), message: z.string() }),
  /**
   * Self-Instruct's novelty filter: the text fails when its ROUGE-L F1 with any instruction of
   * the pool (`pool`: a pool field's name) is above 0.7. It also names the text that joins the
   * pool when kept. Decided by the run that grows the pool (lib/runs/server/pool-executor.ts).
   */
  z.object({ type: z.literal("similar_to_pool"), field: z.string(), pool: z.string() }),
]);
export type ValidatorCheck = z.infer<typeof ValidatorCheck>;
export type ValidatorCheckType = ValidatorCheck["type"];

/**
 * A check on each record as it lands; no value of its own. "flag" marks the record,
 * "reject" also keeps it out of exports by default and counts it apart in the run.
 */
export const ValidatorField = z.object({
  ...fieldBase,
  kind: z.literal("validator"),
  mode: z.enum(["flag", "reject"]),
  check: ValidatorCheck,
});

/** One score a criterion can take: a number (1..5) or a word (pass/fail), with what it means. */
export const JudgeLevel = z.object({
  value: z.union([z.number(), z.string()]),
  description: z.string(),
});
export type JudgeLevel = z.infer<typeof JudgeLevel>;

export const JudgeCriterion = z.object({
  /** Also the key of its score in the judge's value: `{{ quality.coherent.score }}`. */
  name: z.string(),
  description: z.string(),
  levels: z.array(JudgeLevel),
});
export type JudgeCriterion = z.infer<typeof JudgeCriterion>;

/**
 * A model that scores earlier fields against a rubric (lib/blueprints/judge.ts). Its value
 * is `{ criterion: { score, reason } }`; the prompt is built from the rubric, not written
 * by the user, so the answer is always asked for as strict JSON schema output.
 */
export const JudgeField = z.object({
  ...fieldBase,
  kind: z.literal("judge"),
  /** Names of the earlier fields the judge reads, in the order it is shown them. */
  over: z.array(z.string()),
  criteria: z.array(JudgeCriterion),
  model: z.string(),
  params: ModelParams,
});

/** Turns a conversation may have; more would make a prompt longer than most contexts reward. */
export const MAX_CONVERSATION_TURNS = 20;

/**
 * A multi-turn chat between a simulated user and an assistant, both played by the model
 * (lib/blueprints/conversation.ts). Its value is the message list
 * `[{ role: "user" | "assistant", content }]`, one user message and one reply per turn.
 */
export const ConversationField = z.object({
  ...fieldBase,
  kind: z.literal("conversation"),
  /** The assistant's system prompt (Liquid); also the exported example's system message. */
  system: z.string(),
  /** Who the simulated user is and what they want (Liquid): the user simulator's system prompt. */
  persona: z.string(),
  /** Turns per record: fixed when min = max, else drawn per record from the record's seed. */
  turns: z.object({ min: z.number().int(), max: z.number().int() }),
  model: z.string(),
  params: ModelParams,
});

/** Generations an evolve field may run; each costs up to three calls per record (lib/recipes/evol-instruct.ts). */
export const MAX_EVOL_GENERATIONS = 10;

/** One Evol-Instruct mutation as a blueprint keeps it: the paper's method text, editable, and whether draws may pick it. */
export const EvolMutationSetting = z.object({ id: z.string(), enabled: z.boolean(), method: z.string() });
export type EvolMutationSetting = z.infer<typeof EvolMutationSetting>;

/**
 * Evol-Instruct (Xu et al., WizardLM, 2023): the instruction in an earlier field is
 * rewritten over `generations` steps, each one mutation drawn from the record's seeded
 * stream among those enabled; each evolved instruction gets a response and passes the
 * elimination rules or is dropped, ending its lineage. Its value is
 * `{ instruction, seed, lineage }` (lib/recipes/evol-lineage.ts).
 */
export const EvolveField = z.object({
  ...fieldBase,
  kind: z.literal("evolve"),
  /** The earlier field holding the seed instruction (a seed-table column or a generated field). */
  source: z.string(),
  /** Validation (not parsing) reports values outside 1..MAX_EVOL_GENERATIONS, beside the input. */
  generations: z.number(),
  mutations: z.array(EvolMutationSetting),
  model: z.string(),
  params: ModelParams,
});

/**
 * Rule-based fields (lib/blueprints/rule-fields.ts): computed per record from the record's
 * seeded RNG and earlier fields, with no model call, so they cost no tokens.
 */
/** Text expanded from a context-free grammar (lib/recipes/grammar.ts for the text form). */
export const GrammarField = z.object({
  ...fieldBase,
  kind: z.literal("grammar"),
  grammar: z.string(),
});

export const TRANSFORM_OPERATIONS = ["synonyms", "insert", "delete", "swap", "shuffle_sentences", "perturb_numbers", "perturb_dates"] as const;
export type TransformOperation = (typeof TRANSFORM_OPERATIONS)[number];

/** An earlier text field, changed by one augmentation operation (lib/recipes/transforms.ts). */
export const TransformField = z.object({
  ...fieldBase,
  kind: z.literal("transform"),
  /** Name of the earlier field whose text is transformed. */
  source: z.string(),
  operation: z.enum(TRANSFORM_OPERATIONS),
  /** Word/sentence operations: rate 0-1; perturb_numbers: relative range (0.1 = ±10%); perturb_dates: max days. */
  amount: z.number(),
});

/** A user pattern for entity masking: matches become `[name]`. RE2 syntax (linear time). */
export const MaskPattern = z.object({ name: z.string(), pattern: z.string() });
export type MaskPattern = z.infer<typeof MaskPattern>;

/**
 * An earlier text field with personal details (entities) or a share of tokens masked
 * (lib/recipes/mask.ts). Entity masking's value is the masked text; token masking's is
 * `{ masked, targets }` so the masked tokens travel with it (an infilling pair).
 */
export const MaskField = z.object({
  ...fieldBase,
  kind: z.literal("mask"),
  source: z.string(),
  mode: z.enum(["entities", "tokens"]),
  /** Entity types masked (lib/recipes/mask.ts ENTITY_TYPES); validation reports unknown ones. */
  entityTypes: z.array(z.string()),
  patterns: z.array(MaskPattern),
  /** Token masking: share of tokens masked, 0-1. */
  rate: z.number(),
});

/**
 * Self-Instruct's "grow a pool" (Wang et al., 2023; lib/recipes/self-instruct.ts): the
 * examples of a prompt, drawn per record from a pool that is a seed table (column
 * `instruction`): `human` seed items and `generated` ones. Its value is the items shown,
 * `[{ id, instruction, origin }]`, whose ids are the record's lineage. A blueprint with a
 * pool field runs in rounds that grow the table until it holds `targetSize` instructions.
 */
export const PoolField = z.object({
  ...fieldBase,
  kind: z.literal("pool"),
  seedTableId: z.string(),
  /** Validation (not parsing) reports counts outside their bounds, beside the input. */
  human: z.number(),
  generated: z.number(),
  targetSize: z.number(),
  /** Candidates asked for per round (each one record). */
  perRound: z.number(),
});

export const Field = z.discriminatedUnion("kind", [
  CategoryField,
  SubsetField,
  NumberField,
  SeedField,
  LlmField,
  ExpressionField,
  ValidatorField,
  JudgeField,
  ConversationField,
  EvolveField,
  GrammarField,
  TransformField,
  MaskField,
  PoolField,
]);
export type Field = z.infer<typeof Field>;
export type FieldKind = Field["kind"];
export type CategoryField = z.infer<typeof CategoryField>;
export type SubsetField = z.infer<typeof SubsetField>;
export type NumberField = z.infer<typeof NumberField>;
export type SeedField = z.infer<typeof SeedField>;
export type LlmField = z.infer<typeof LlmField>;
export type ExpressionField = z.infer<typeof ExpressionField>;
export type ValidatorField = z.infer<typeof ValidatorField>;
export type JudgeField = z.infer<typeof JudgeField>;
export type ConversationField = z.infer<typeof ConversationField>;
export type EvolveField = z.infer<typeof EvolveField>;
export type GrammarField = z.infer<typeof GrammarField>;
export type TransformField = z.infer<typeof TransformField>;
export type MaskField = z.infer<typeof MaskField>;
export type PoolField = z.infer<typeof PoolField>;

export const RULE_KINDS = ["grammar", "transform", "mask"] as const;
export function isRuleField(field: Field): field is GrammarField | TransformField | MaskField {
  return (RULE_KINDS as readonly string[]).includes(field.kind);
}

export const SAMPLER_KINDS = ["category", "subset", "number", "seed"] as const;
export function isSampler(field: Field): field is CategoryField | SubsetField | NumberField | SeedField {
  return (SAMPLER_KINDS as readonly string[]).includes(field.kind);
}

export function isValidator(field: Field): field is ValidatorField {
  return field.kind === "validator";
}

export const Blueprint = z.object({
  fields: z.array(Field).max(200),
});
export type Blueprint = z.infer<typeof Blueprint>;

/** What a sampled/rendered value can be. Subsets are arrays; JSON outputs are objects. */
export type FieldValue = string | number | string[] | Record<string, unknown> | unknown[] | null;
