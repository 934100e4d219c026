// A custom check written as a Liquid condition over the record (`story.size > 200 and
// mood != "sad"`), run through the studio's locked-down Liquid engine (no file access,
// own properties only, time and memory caps: lib/blueprints/render.ts). The condition is
// what a user would write inside {% if %}, so it is placed there; its message may use
// {{ }} to say what was found.
import { Tokenizer, TokenKind } from "liquidjs";
import { renderTemplate, templateSyntaxError, templateVariables, type TemplateError, type TemplateVariable } from "@/lib/blueprints/render";

const PREFIX = "{% if ";

function conditionTemplate(condition: string): string {
  return `${PREFIX}${condition} %}true{% else %}false{% endif %}`;
}

export type ExpressionProblem = { message: string; line?: number; column?: number };

/** Why a condition cannot be used (with its position in the condition's own text), or null. */
export function expressionError(condition: string): ExpressionProblem | null {
  if (!condition.trim()) return { message: 'Write a condition, e.g. story.size > 200 and story contains "moral".' };
  // Tags inside would end the {% if %} early and run as template text.
  if (/\{%|%\}|\{\{|\}\}/.test(condition)) {
    return { message: "Write the condition alone, as inside {% if %}: without {% %} or {{ }}." };
  }
  const err = templateSyntaxError(conditionTemplate(condition));
  if (err) return fromTemplateError(err);
  return shapeError(condition);
}

/**
 * LiquidJS accepts almost anything inside {% if %}: "a ==" is true, "a b" is a, and the
 * rest of "a | nofilter" is ignored. A check that always passes is worse than an error,
 * so the condition must read value (operator value)*, with "not" allowed before a value.
 */
function shapeError(condition: string): ExpressionProblem | null {
  const t = new Tokenizer(condition);
  let tokens;
  try {
    tokens = [...t.readExpressionTokens()];
  } catch (e) {
    return { message: (e as Error).message.replace(/, line:\d+, col:\d+/, "") };
  }
  t.skipBlank();
  const at = (offset: number) => position(condition, offset);
  if (t.p < condition.length) return { message: `Can't understand "${condition.slice(t.p)}" here (filters are not allowed in a condition).`, ...at(t.p) };
  let wantValue = true;
  for (const tok of tokens) {
    const isOp = tok.kind === TokenKind.Operator;
    const text = tok.getText();
    if (wantValue) {
      if (isOp && text === "not") continue;
      if (isOp) return { message: `A value is missing before "${text}".`, ...at(tok.begin) };
      wantValue = false;
    } else {
      if (!isOp || text === "not") return { message: `An operator (==, !=, <, >, contains, and, or) is missing before "${text}".`, ...at(tok.begin) };
      wantValue = true;
    }
  }
  if (wantValue) return { message: tokens.length ? "A value is missing at the end of the condition." : "Write a condition.", ...at(condition.trimEnd().length) };
  return null;
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** The record's fields a valid condition reads, with positions in the condition's own text. */
export function expressionVariables(condition: string): TemplateVariable[] {
  return templateVariables(conditionTemplate(condition)).map((v) => (v.line === 1 ? { ...v, column: v.column - PREFIX.length } : v));
}

function fromTemplateError(err: TemplateError): ExpressionProblem {
  // Positions on the first line are shifted by the "{% if " placed before the condition.
  const column = err.line === 1 && err.column !== undefined ? Math.max(1, err.column - PREFIX.length) : err.column;
  return { message: err.message, line: err.line, column };
}

/**
 * Evaluates the condition over the record's values. A condition that fails to render
 * (time limit, memory limit) fails the check with the reason: the record is not
 * silently passed.
 */
export function checkExpression(condition: string, message: string, scope: Record<string, unknown>): { pass: boolean; message: string } {
  let out: string;
  try {
    out = renderTemplate(conditionTemplate(condition), scope);
  } catch (e) {
    return { pass: false, message: `the condition could not be evaluated: ${(e as Error).message}` };
  }
  if (out === "true") return { pass: true, message: "true" };
  let text = message;
  try {
    if (message.includes("{")) text = renderTemplate(message, scope);
  } catch (e) {
    text = `${message} (the message could not be rendered: ${(e as Error).message})`;
  }
  return { pass: false, message: text.trim() || "the condition is false" };
}
