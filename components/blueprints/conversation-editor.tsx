"use client";
// The editor of a conversation field: who the simulated user is (persona), what the
// assistant is told (system prompt), how many turns, and the model playing both sides.
// Problems show beside the input they concern, like every other field's.
import { useId } from "react";
import { Input, Label } from "@/components/ui/field";
import { MAX_CONVERSATION_TURNS, type ConversationField } from "@/lib/blueprints/schema";
import type { BlueprintIssue } from "@/lib/blueprints/validate";
import { ModelSettings, type EditorProps } from "./field-editors";
import { IssueList, issueProps } from "./issue-list";
import { TemplateEditor } from "./template-editor";

const at = (issues: BlueprintIssue[], path: string) => issues.filter((i) => i.path === path);

/** A number input's text as a whole number; an empty box is 0, which validation reports (JSON has no NaN). */
const whole = (text: string) => Math.trunc(Number(text) || 0);

export function ConversationEditor({ field, update, issues, variables }: EditorProps<ConversationField>) {
  const id = useId();
  const turnIssues = at(issues, "turns");
  const fixed = field.turns.min === field.turns.max;
  return (
    <div className="space-y-4">
      <TemplateEditor
        label="Simulated user (persona)"
        rows={5}
        value={field.persona}
        onChange={(persona) => update({ persona })}
        variables={variables}
        issues={at(issues, "persona")}
        placeholder="You are {{ name }}, {{ age }}, writing to support because {{ goal }}. Write only your next message."
      />
      <TemplateEditor
        label="Assistant system prompt"
        rows={3}
        value={field.system}
        onChange={(system) => update({ system })}
        variables={variables}
        issues={at(issues, "system")}
        placeholder="You are a patient customer-support agent."
      />
      <fieldset>
        <legend className="mb-1 text-xs font-medium text-stone-600">Turns (one user message and one reply each)</legend>
        <div className="flex flex-wrap items-end gap-3">
          {(["min", "max"] as const).map((end) => (
            <div key={end} className="w-28">
              <Label htmlFor={`${id}-${end}`}>{end === "min" ? "Fewest turns" : "Most turns"}</Label>
              <Input
                id={`${id}-${end}`}
                type="number"
                min={1}
                max={MAX_CONVERSATION_TURNS}
                {...issueProps(turnIssues, `${id}-turns-issues`)}
                value={field.turns[end]}
                onChange={(e) => update({ turns: { ...field.turns, [end]: whole(e.target.value) } })}
              />
            </div>
          ))}
          <p className="pb-2 text-xs text-stone-500">
            {fixed ? "Every record has the same number of turns." : "Each record draws its number of turns from its seed."} Each turn is two model calls that resend the conversation so far.
          </p>
        </div>
        <IssueList issues={turnIssues} id={`${id}-turns-issues`} />
      </fieldset>
      <ModelSettings model={field.model} params={field.params} issues={issues} update={update} />
    </div>
  );
}
