// Judge fields: the rubric turned into what a model is sent (prompt and JSON schema) and
// the answer read back. No Liquid: the prompt is built from the rubric and the judged
// values as plain text, so nothing a record contains can act as a template, and the
// user has no template to get wrong. See lib/generation/README.md for how a judge runs.
import type { ChatMessage } from "./chat-message";
import { formatValue } from "./render";
import type { JudgeCriterion, JudgeField, JudgeLevel } from "./schema";

/**
 * A judge's value: one score per criterion, each one of the criterion's level values, and
 * where the provider returned logprobs, `p`, the probability of that score
 * (lib/generation/judge-certainty.ts).
 */
export type JudgeVerdict = Record<string, { score: JudgeLevel["value"]; reason: string; p?: number }>;

export type JudgeReading = { ok: true; verdict: JudgeVerdict } | { ok: false; error: string };

/** The JSON type all of a criterion's level values share, so strict providers get a typed enum. */
function scoreType(levels: readonly JudgeLevel[]): "integer" | "number" | "string" | undefined {
  if (levels.length > 0 && levels.every((l) => typeof l.value === "number")) {
    return levels.every((l) => Number.isInteger(l.value)) ? "integer" : "number";
  }
  if (levels.length > 0 && levels.every((l) => typeof l.value === "string")) return "string";
  return undefined;
}

/**
 * The answer's JSON Schema: every criterion required, each `{ score, reason }` with the
 * score one of its levels, nothing else allowed. It meets OpenAI's strict structured
 * output rules, so a provider that enforces them can only answer with a listed level.
 */
export function judgeSchema(criteria: readonly JudgeCriterion[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const c of criteria) {
    const type = scoreType(c.levels);
    properties[c.name] = {
      type: "object",
      ...(c.description ? { description: c.description } : {}),
      properties: {
        score: { ...(type ? { type } : {}), enum: c.levels.map((l) => l.value) },
        reason: { type: "string", description: "One or two sentences on why, pointing at the text." },
      },
      required: ["score", "reason"],
      additionalProperties: false,
    };
  }
  return { type: "object", properties, required: criteria.map((c) => c.name), additionalProperties: false };
}

/** The schema as text: what the JSON-output checks and the response cache key take. */
export function judgeSchemaText(field: Pick<JudgeField, "criteria">): string {
  return JSON.stringify(judgeSchema(field.criteria));
}

function rubricText(criteria: readonly JudgeCriterion[]): string {
  return criteria
    .map((c, i) => {
      const levels = c.levels.map((l) => `   - ${JSON.stringify(l.value)}: ${l.description.trim() || "(no description)"}`).join("\n");
      return `${i + 1}. ${c.name}: ${c.description.trim() || "(no description)"}\n   Scores:\n${levels}`;
    })
    .join("\n");
}

/**
 * System: the task, the rubric with every level's meaning, and the answer's shape. User:
 * the judged fields, each under its name, in the order the judge lists them. A field
 * missing from the scope (it failed or was removed) shows as empty rather than vanishing,
 * so the judge sees what it was asked to read.
 */
export function judgeMessages(field: Pick<JudgeField, "over" | "criteria">, scope: Readonly<Record<string, unknown>>): ChatMessage[] {
  const system = [
    "You are a careful, strict judge of generated data. Read the record the user sends and score it on each criterion of this rubric.",
    "For each criterion choose the score whose description fits best, and give a short reason (one or two sentences) that points at the text.",
    "",
    "Rubric:",
    rubricText(field.criteria),
    "",
    `Answer with JSON only: an object with exactly the keys ${field.criteria.map((c) => JSON.stringify(c.name)).join(", ")}, each {"score": one of that criterion's scores, "reason": "..."}.`,
  ].join("\n");
  const user = field.over.map((name) => `## ${name}\n${formatValue(Object.hasOwn(scope, name) ? scope[name] : null)}`).join("\n\n");
  return [
    { role: "system", content: system },
    { role: "user", content: `Judge this record.\n\n${user}` },
  ];
}

/**
 * The verdict inside an answer already parsed from JSON: every criterion present with
 * a listed score (a number level also accepts the same number written as a string, the
 * one slip lenient providers make) and a string reason. Keys in rubric order; anything
 * else the model added is dropped. An error names the criterion, for the re-ask.
 */
export function readJudgeAnswer(value: unknown, criteria: readonly JudgeCriterion[]): JudgeReading {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, error: "the answer must be a JSON object with one key per criterion" };
  const answer = value as Record<string, unknown>;
  const verdict: JudgeVerdict = {};
  for (const c of criteria) {
    const entry = Object.hasOwn(answer, c.name) ? answer[c.name] : undefined;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return { ok: false, error: `missing criterion '${c.name}'` };
    const { score, reason } = entry as Record<string, unknown>;
    const level = c.levels.find((l) => l.value === score || (typeof l.value === "number" && typeof score === "string" && score.trim() !== "" && Number(score) === l.value));
    if (!level) {
      return { ok: false, error: `'${c.name}.score' must be one of ${c.levels.map((l) => JSON.stringify(l.value)).join(", ")}, not ${JSON.stringify(score) ?? "missing"}` };
    }
    if (typeof reason !== "string") return { ok: false, error: `'${c.name}.reason' must be a string` };
    verdict[c.name] = { score: level.value, reason };
  }
  return { ok: true, verdict };
}

/** A verdict as lines a person reads ("coherent: 4 (events follow)"); other values: null. */
export function verdictText(value: unknown, criteria: readonly JudgeCriterion[]): string | null {
  const read = readJudgeAnswer(value, criteria);
  if (!read.ok) return null;
  return Object.entries(read.verdict)
    .map(([name, v]) => `${name}: ${String(v.score)}${v.reason.trim() ? ` (${v.reason.trim()})` : ""}`)
    .join("\n");
}
