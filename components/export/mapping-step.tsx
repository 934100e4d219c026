"use client";
// Which field becomes which part of an example. Table formats choose columns; chat and
// instruction formats map roles to fields, review labels, the prompts an LLM field sent
// (as each record's provenance holds them) or (system only) fixed text.
import { Label, Textarea, describedBy, hintId, inputClass } from "@/components/ui/field";
import { sourceFromKey, sourceKey } from "@/lib/export/defaults";
import { FORMAT_INFO, PROVENANCE_COLUMNS, ROLE_LABELS } from "@/lib/export/formats";
import type { ExportFormat, Mapping, Role } from "@/lib/export/schemas";

const HINT: Partial<Record<Role, string>> = {
  system: "optional",
  input: "optional",
  label: "optional: adds a “label” column",
};

export function MappingStep(p: {
  format: ExportFormat;
  fields: string[];
  labels: string[];
  llmFields: { name: string }[];
  /** Conversation fields: their turns can be the messages of each example (chat formats). */
  conversationFields: string[];
  chosen: string[];
  mapping: Mapping;
  provenance: boolean;
  errors: Record<string, string>;
  onFields: (f: string[]) => void;
  onMapping: (m: Mapping) => void;
  onProvenance: (v: boolean) => void;
}) {
  const info = FORMAT_INFO[p.format];
  const chatFormat = p.format === "openai" || p.format === "sharegpt";
  const conversation = chatFormat ? (p.mapping.conversation ?? null) : null;
  // With a conversation the turns are the user and assistant messages: only the system role is left to map.
  const roles = conversation ? info.roles.filter((r) => r === "system") : info.roles;
  const promptSources = [...p.llmFields.map((f) => ({ name: f.name, user: true })), ...p.conversationFields.map((name) => ({ name, user: false }))];
  const setRole = (role: Role, key: string, text?: string) => {
    const prev = p.mapping[role];
    const s = sourceFromKey(key, text ?? (prev?.kind === "text" ? prev.text : ""));
    // Turns belong to the prompt they were sent with: they go when the user message stops being one.
    const fewShot = role === "user" && s?.kind !== "prompt" ? false : p.mapping.fewShot;
    p.onMapping({ ...p.mapping, [role]: s, fewShot });
  };
  return (
    <div className="space-y-4">
      {info.table && (
        <fieldset>
          <legend className="mb-1.5 text-xs font-medium text-stone-600">Columns</legend>
          {p.fields.length === 0 ? (
            <p className="text-sm text-stone-500">This dataset has no fields yet.</p>
          ) : (
            <div className="flex flex-wrap gap-x-4 gap-y-1.5">
              {p.fields.map((f) => (
                <label key={f} className="flex items-center gap-1.5 text-sm">
                  <input
                    type="checkbox"
                    aria-label={`Export field ${f}`}
                    checked={p.chosen.includes(f)}
                    onChange={(e) => p.onFields(e.target.checked ? p.fields.filter((x) => x === f || p.chosen.includes(x)) : p.chosen.filter((x) => x !== f))}
                  />
                  <code className="text-[13px]">{f}</code>
                </label>
              ))}
            </div>
          )}
          {p.errors.fields && <p role="alert" className="mt-1 text-xs text-red-700">{p.errors.fields}</p>}
        </fieldset>
      )}
      {chatFormat && (p.conversationFields.length > 0 || conversation) && (
        <div>
          <Label htmlFor="map-conversation" hint="a conversation field gives multi-turn examples">Messages from</Label>
          <select
            id="map-conversation"
            aria-describedby={hintId("map-conversation")}
            className={inputClass}
            value={conversation ?? ""}
            onChange={(e) => p.onMapping({ ...p.mapping, conversation: e.target.value || null, fewShot: e.target.value ? false : p.mapping.fewShot })}
          >
            <option value="">the user and assistant roles below</option>
            {[...new Set([...p.conversationFields, ...(conversation ? [conversation] : [])])].map((f) => (
              <option key={f} value={f}>conversation {f}: every turn</option>
            ))}
          </select>
        </div>
      )}
      <div className="grid gap-3 sm:grid-cols-2">
        {roles.map((role) => {
          const s = p.mapping[role];
          const error = Object.entries(p.errors).find(([k]) => k === `mapping.${role}` || k.startsWith(`mapping.${role}.`))?.[1];
          return (
            <div key={role} className={s?.kind === "text" ? "sm:col-span-2" : ""}>
              <Label htmlFor={`map-${role}`} hint={HINT[role]}>{ROLE_LABELS[role]} from</Label>
              <select
                id={`map-${role}`}
                aria-invalid={Boolean(error)}
                aria-describedby={describedBy(error && `map-${role}-error`, HINT[role] && hintId(`map-${role}`))}
                className={inputClass} value={sourceKey(s)} onChange={(e) => setRole(role, e.target.value)}>
                <option value="">— none —</option>
                {p.fields.length > 0 && (
                  <optgroup label="Fields">
                    {p.fields.map((f) => (
                      <option key={f} value={`field:${f}`}>{f}</option>
                    ))}
                  </optgroup>
                )}
                {role !== "label" && promptSources.length > 0 && (
                  <optgroup label="Prompts sent">
                    {promptSources.flatMap((f) => [
                      ...(f.user ? [<option key={`u:${f.name}`} value={`prompt:user:${f.name}`}>{f.name}: user prompt</option>] : []),
                      <option key={`s:${f.name}`} value={`prompt:system:${f.name}`}>{f.name}: system prompt</option>,
                    ])}
                  </optgroup>
                )}
                {p.labels.length > 0 && (
                  <optgroup label="Review labels">
                    {p.labels.map((l) => (
                      <option key={l} value={`label:${l}`}>{l}</option>
                    ))}
                  </optgroup>
                )}
                {role === "system" && <option value="text">Fixed text…</option>}
              </select>
              {s?.kind === "text" && (
                <Textarea aria-label="System prompt text" rows={3} className="mt-1.5" placeholder="You are a helpful assistant." value={s.text} onChange={(e) => setRole(role, "text", e.target.value)} />
              )}
              {error && <p role="alert" id={`map-${role}-error`} className="mt-1 text-xs text-red-700">{error}</p>}
            </div>
          );
        })}
      </div>
      {chatFormat && !conversation && p.llmFields.length > 0 && (
        <div className={`text-sm ${p.mapping.user?.kind === "prompt" ? "" : "text-stone-500"}`}>
          {/* The hint sits outside the label: the checkbox is named by its label alone. */}
          <label className="flex items-start gap-2">
            <input
              type="checkbox"
              className="mt-0.5"
              aria-describedby="few-shot-hint"
              disabled={p.mapping.user?.kind !== "prompt"}
              checked={Boolean(p.mapping.fewShot) && p.mapping.user?.kind === "prompt"}
              onChange={(e) => p.onMapping({ ...p.mapping, fewShot: e.target.checked })}
            />
            Include the few-shot turns that were sent
          </label>
          <p id="few-shot-hint" className="ml-5 text-xs text-stone-500">
            As earlier user and assistant messages, before the prompt. Needs the user message from a prompt.
          </p>
        </div>
      )}
      <label className={`flex items-start gap-2 text-sm ${p.format === "openai" ? "text-stone-500" : ""}`}>
        <input type="checkbox" aria-label="Include provenance columns" className="mt-0.5" disabled={p.format === "openai"} checked={p.provenance && p.format !== "openai"} onChange={(e) => p.onProvenance(e.target.checked)} />
        <span>
          Include provenance: {PROVENANCE_COLUMNS.map((c) => c.name).join(", ")}
          {p.format === "openai" && <span className="block text-xs">OpenAI&apos;s chat format has no place for extra keys.</span>}
        </span>
      </label>
    </div>
  );
}
