"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorText, Input, Label, describedBy, hintId, inputClass } from "@/components/ui/field";
import { ActionFailed, unwrap } from "@/lib/errors/client";
import { createConnectionAction, testConnectionAction, updateConnectionAction } from "@/lib/providers/actions";
import { PRESETS, applyPreset, presetById } from "@/lib/providers/presets";
import { TestResultView } from "./test-result";
import type { ConnectionView } from "./types";

/**
 * Create or edit a connection. The API key is write-only: the form never receives the
 * stored key, only whether there is one; on edit, an empty key field keeps it.
 */
export function ConnectionForm({ initial, onDone }: { initial?: ConnectionView; onDone: () => void }) {
  const router = useRouter();
  const uid = useId();
  const ids = (f: string) => `${uid}-${f}`;
  const editing = !!initial;
  const [preset, setPreset] = useState(initial?.preset ?? "openai");
  const first = presetById(preset);
  const [name, setName] = useState(initial?.name ?? first.label);
  const [baseUrl, setBaseUrl] = useState(initial?.baseUrl ?? first.baseUrl);
  const [defaultModel, setDefaultModel] = useState(initial?.defaultModel ?? first.defaultModel);
  const [maxConcurrency, setMaxConcurrency] = useState(String(initial?.maxConcurrency ?? first.maxConcurrency));
  const [apiKey, setApiKey] = useState("");
  const [removeKey, setRemoveKey] = useState(false);
  const p = presetById(preset);

  function pickPreset(id: string) {
    const next = applyPreset({ name, baseUrl, defaultModel, maxConcurrency }, preset, id);
    setName(next.name);
    setBaseUrl(next.baseUrl);
    setDefaultModel(next.defaultModel);
    setMaxConcurrency(next.maxConcurrency);
    setPreset(presetById(id).id);
  }

  // On edit: undefined keeps the stored key, "" removes it.
  const keyForRequest = (): string | undefined => (removeKey ? "" : apiKey.trim() ? apiKey : editing ? undefined : "");

  const save = useMutation({
    mutationFn: () => {
      const fields = { name, preset, baseUrl, defaultModel, maxConcurrency, apiKey: keyForRequest() };
      return unwrap(initial ? updateConnectionAction({ id: initial.id, ...fields }) : createConnectionAction(fields));
    },
    onSuccess: () => {
      setApiKey("");
      router.refresh();
      onDone();
    },
  });
  const test = useMutation({
    mutationFn: () => {
      const key = keyForRequest();
      return unwrap(testConnectionAction({ ...(initial ? { id: initial.id } : {}), baseUrl, defaultModel, ...(key === undefined ? {} : { apiKey: key }) }));
    },
  });

  const saveErrors = save.error instanceof ActionFailed ? (save.error.error.fieldErrors ?? {}) : {};
  const testErrors = test.error instanceof ActionFailed ? (test.error.error.fieldErrors ?? {}) : {};
  const fieldError = (f: string) => saveErrors[f] ?? testErrors[f];
  const fieldNames = ["name", "preset", "baseUrl", "apiKey", "defaultModel", "maxConcurrency"];
  const generalSaveError = save.error && !fieldNames.some((f) => saveErrors[f]) ? save.error.message : null;
  // The error (when there is one) and the hint under the label describe the input.
  const invalid = (f: string, hint?: boolean) => ({
    "aria-invalid": !!fieldError(f),
    "aria-describedby": describedBy(fieldError(f) && ids(`${f}-error`), hint && hintId(ids(f))),
  });

  const keyHint = editing
    ? initial?.hasKey
      ? removeKey
        ? "the key will be removed"
        : "leave empty to keep the current key"
      : "none saved"
    : p.keyRequired
      ? "required"
      : "optional";

  return (
    <form
      aria-label={editing ? `Edit ${initial?.name}` : "New connection"}
      noValidate
      className="space-y-4 rounded-lg border border-indigo-200 bg-white p-4 shadow-sm"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") onDone();
      }}
    >
      <div className="flex items-baseline justify-between gap-4">
        <h3 className="font-medium text-stone-900">{editing ? `Edit “${initial?.name}”` : "New connection"}</h3>
        <span className="text-xs text-stone-500">Any OpenAI-compatible server: a cloud API or a local one.</span>
      </div>

      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <Label htmlFor={ids("preset")}>Preset</Label>
          <select id={ids("preset")} className={inputClass} value={preset} onChange={(e) => pickPreset(e.target.value)} {...invalid("preset")}>
            {PRESETS.map((x) => (
              <option key={x.id} value={x.id}>
                {x.label}
              </option>
            ))}
          </select>
          <p className="mt-1 text-xs text-stone-500">{p.hint}</p>
          <ErrorText id={ids("preset-error")}>{fieldError("preset")}</ErrorText>
        </div>
        <div>
          <Label htmlFor={ids("name")}>Name</Label>
          <Input id={ids("name")} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. OpenAI (work)" {...invalid("name")} />
          <ErrorText id={ids("name-error")}>{fieldError("name")}</ErrorText>
        </div>
        <div className="sm:col-span-2">
          <Label htmlFor={ids("baseUrl")} hint="ends in /v1 on most servers">Base URL</Label>
          <Input
            id={ids("baseUrl")}
            value={baseUrl}
            onChange={(e) => setBaseUrl(e.target.value)}
            placeholder="http://127.0.0.1:8000/v1"
            inputMode="url"
            spellCheck={false}
            className="font-mono"
            {...invalid("baseUrl", true)}
          />
          <ErrorText id={ids("baseUrl-error")}>{fieldError("baseUrl")}</ErrorText>
        </div>
        <div>
          <Label htmlFor={ids("apiKey")} hint={keyHint}>API key</Label>
          <Input
            id={ids("apiKey")}
            type="password"
            value={apiKey}
            disabled={removeKey}
            onChange={(e) => setApiKey(e.target.value)}
            placeholder={editing && initial?.hasKey ? `current key ••••${initial.apiKeyLast4 ?? ""}` : p.keyRequired ? "sk-…" : "not needed by most local servers"}
            autoComplete="new-password"
            spellCheck={false}
            className="font-mono"
            {...invalid("apiKey", true)}
          />
          {editing && initial?.hasKey && (
            <label className="mt-1.5 flex items-center gap-1.5 text-xs text-stone-600">
              <input
                type="checkbox"
                className="size-3.5 accent-red-600"
                checked={removeKey}
                onChange={(e) => {
                  setRemoveKey(e.target.checked);
                  if (e.target.checked) setApiKey("");
                }}
              />
              Remove the saved key
            </label>
          )}
          <ErrorText id={ids("apiKey-error")}>{fieldError("apiKey")}</ErrorText>
          <p className="mt-1 text-xs text-stone-500">Stored encrypted; never shown again after saving.</p>
        </div>
        <div className="grid grid-cols-[1fr_7rem] gap-3">
          <div>
            <Label htmlFor={ids("defaultModel")}>Default model</Label>
            <Input
              id={ids("defaultModel")}
              value={defaultModel}
              onChange={(e) => setDefaultModel(e.target.value)}
              placeholder="gpt-4o-mini"
              spellCheck={false}
              className="font-mono"
              {...invalid("defaultModel")}
            />
            <ErrorText id={ids("defaultModel-error")}>{fieldError("defaultModel")}</ErrorText>
          </div>
          <div>
            <Label htmlFor={ids("maxConcurrency")}>Max concurrency</Label>
            <Input
              id={ids("maxConcurrency")}
              type="number"
              min={1}
              max={1024}
              step={1}
              value={maxConcurrency}
              onChange={(e) => setMaxConcurrency(e.target.value)}
              {...invalid("maxConcurrency")}
            />
            <ErrorText id={ids("maxConcurrency-error")}>{fieldError("maxConcurrency")}</ErrorText>
          </div>
          <p className="col-span-2 -mt-1 text-xs text-stone-500">Requests in flight at once; local servers want few.</p>
        </div>
      </div>

      <TestResultView result={test.data} pending={test.isPending} error={test.error && !Object.keys(testErrors).length ? test.error.message : null} />
      <ErrorText>{generalSaveError}</ErrorText>

      <div className="flex flex-wrap items-center gap-2 border-t border-stone-100 pt-3">
        <Button type="submit" variant="primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : editing ? "Save changes" : "Save connection"}
        </Button>
        <Button onClick={() => test.mutate()} disabled={test.isPending}>
          {test.isPending ? "Testing…" : "Test connection"}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
