// Runs a blueprint's validators on one finished record. Called by the run's writer for
// every record it persists (lib/runs/server/executor.ts), so it stays pure and cheap:
// patterns are compiled once per run, and a check that cannot run fails with the reason
// instead of throwing (one odd record never stops a run).
import { formatValue } from "@/lib/blueprints/render";
import type { Blueprint, ValidatorCheck, ValidatorField } from "@/lib/blueprints/schema";

export { describeCheck } from "./describe";
import { checkExpression } from "./expression";
import { checkLanguage, type LanguageCode } from "./language";
import { checkLength } from "./length";
import { checkMentions, valuesToMention } from "./mentions";
import { checkRegex, compileRegex } from "./regex";

/** What a record stores per validator (Record.checks, keyed by the validator's name). */
export type CheckResult = {
  pass: boolean;
  mode: "flag" | "reject";
  /** What was measured or why it failed, e.g. "212 words, more than 200". */
  message: string;
  /** "Similar to the pool": the closest pool instruction and its ROUGE-L F1, when one was above the threshold. */
  closest?: string;
  score?: number;
};
export type RecordChecks = Record<string, CheckResult>;

/** The parts of a generated record the checks read. */
export type CheckedRecord = {
  values: Record<string, unknown>;
  /** Per LLM field: re-asks after schema failures, and the error when it failed. */
  llm: Record<string, { reasks?: number; error?: string } | undefined>;
  /** Results decided by the run instead (a pool run's similarity check), by validator name. */
  decided?: Record<string, CheckResult>;
};

export function validatorsOf(blueprint: Blueprint): ValidatorField[] {
  return blueprint.fields.filter((f): f is ValidatorField => f.kind === "validator");
}

function textOf(value: unknown): string {
  return formatValue(value);
}

function runCheck(check: ValidatorCheck, rec: CheckedRecord): { pass: boolean; message: string } {
  switch (check.type) {
    case "length":
      return checkLength(textOf(rec.values[check.field]), check.unit, check.min, check.max);
    case "regex":
      return checkRegex(textOf(rec.values[check.field]), check.pattern, check);
    case "json_schema": {
      // Generation validated the answer against the schema and re-asked on failure; a
      // record that never matched failed then. What is left to show is how it got there.
      const p = rec.llm[check.field];
      if (!p) return { pass: false, message: "no JSON answer was recorded for this field" };
      if (p.error) return { pass: false, message: p.error };
      const reasks = p.reasks ?? 0;
      return { pass: true, message: reasks ? `matched after ${reasks} re-ask${reasks === 1 ? "" : "s"}` : "matched at the first answer" };
    }
    case "mentions":
      return checkMentions(
        textOf(rec.values[check.field]),
        check.sources.flatMap((s) => valuesToMention(rec.values[s])),
      );
    case "language":
      return checkLanguage(textOf(rec.values[check.field]), check.language as LanguageCode);
    case "expression":
      return checkExpression(check.condition, check.message, rec.values);
    case "similar_to_pool":
      // Needs the whole pool, so only a run that grows it decides (it passes `decided`).
      return { pass: true, message: "checked against the pool only by a run that grows it" };
  }
}

/**
 * The record's check results and whether a "reject" validator failed. Null checks when the
 * blueprint has no validators, so records of such runs store nothing extra.
 */
export function evaluateChecks(validators: readonly ValidatorField[], rec: CheckedRecord): { checks: RecordChecks | null; rejected: boolean } {
  if (validators.length === 0) return { checks: null, rejected: false };
  const checks: RecordChecks = {};
  let rejected = false;
  for (const v of validators) {
    const decided = rec.decided?.[v.name];
    if (decided) {
      checks[v.name] = { ...decided, mode: v.mode };
      if (!decided.pass && v.mode === "reject") rejected = true;
      continue;
    }
    let r: { pass: boolean; message: string };
    try {
      r = runCheck(v.check, rec);
    } catch (e) {
      r = { pass: false, message: `the check could not run: ${(e as Error).message}` };
    }
    checks[v.name] = { pass: r.pass, mode: v.mode, message: r.message };
    if (!r.pass && v.mode === "reject") rejected = true;
  }
  return { checks, rejected };
}

/** Compiles every regex of the run once up front (cached by pattern), so the first record pays nothing extra. */
export function prepareValidators(blueprint: Blueprint): ValidatorField[] {
  const validators = validatorsOf(blueprint);
  for (const v of validators) {
    if (v.check.type === "regex") {
      try {
        compileRegex(v.check.pattern, v.check);
      } catch {
        // Reported per record by evaluateChecks: the run still goes on.
      }
    }
  }
  return validators;
}
