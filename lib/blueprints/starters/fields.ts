// Field builders the recipes share: most recipe steps are a plain text LLM field.
import { newField } from "../defaults";
import type { LlmField } from "../schema";

/** A text-output LLM field with no few-shot examples, on the default model. */
export function textLlm(f: { name: string; description: string; system: string; prompt: string; temperature: number }): LlmField {
  return { ...newField("llm", f.name), description: f.description, system: f.system, prompt: f.prompt, params: { temperature: f.temperature } };
}
