// Turns an LLM field plus a record's values into the chat messages sent to the model.
import type { FewShotExample, LlmField } from "./schema";
import { drawExamples, examplesAsText, examplesAsTurns } from "./few-shot";
import { renderTemplate, TemplateError } from "./render";
import type { ChatMessage } from "./chat-message";

export type { ChatMessage };

/** Reserved variable holding the inline few-shot block. */
export const EXAMPLES_VARIABLE = "examples";

/** A render failure tied to the part of the field it came from. */
export class FieldTemplateError extends TemplateError {
  readonly path: "system" | "prompt" | "template";
  constructor(path: "system" | "prompt" | "template", cause: TemplateError) {
    super(cause.message, cause.phase, cause.line, cause.column);
    this.name = "FieldTemplateError";
    this.path = path;
  }
}

export interface BuiltMessages {
  messages: ChatMessage[];
  /** The few-shot examples drawn for this record (also embedded in `messages`). */
  examples: FewShotExample[];
}

/**
 * Order: system (omitted when it renders blank), then few-shot turns (mode "turns"),
 * then the rendered prompt. In mode "inline" the examples are only available to the
 * templates as `{{ examples }}`. Throws FieldTemplateError naming system or prompt.
 */
export function buildMessages(
  field: LlmField,
  scope: Record<string, unknown>,
  ctx: { seed: number; recordIndex: number },
): BuiltMessages {
  const examples = drawExamples(field.fewShot, { ...ctx, fieldName: field.name });
  const inline = field.fewShot.mode === "inline";
  // Set in both modes so a field named `examples` (invalid anyway) can't leak in.
  const fullScope = { ...scope, [EXAMPLES_VARIABLE]: inline ? examplesAsText(examples) : "" };

  const messages: ChatMessage[] = [];
  const system = renderPart(field.system, fullScope, "system");
  if (system.trim() !== "") messages.push({ role: "system", content: system });
  if (!inline) messages.push(...examplesAsTurns(examples));
  messages.push({ role: "user", content: renderPart(field.prompt, fullScope, "prompt") });
  return { messages, examples };
}

/** Renders one template of a field; a failure names the part (system or prompt). */
export function renderPart(source: string, scope: Record<string, unknown>, path: "system" | "prompt"): string {
  try {
    return renderTemplate(source, scope);
  } catch (err) {
    if (err instanceof TemplateError) throw new FieldTemplateError(path, err);
    throw err;
  }
}
