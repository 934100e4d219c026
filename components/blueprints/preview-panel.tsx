"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useDebounced } from "@/lib/hooks/use-debounced";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/field";
import type { PreviewField, PreviewRecord } from "@/lib/blueprints/preview";
import type { Blueprint } from "@/lib/blueprints/schema";
import { previewAction } from "@/lib/datasets/actions";
import { unwrap } from "@/lib/errors/client";


function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * Renders N records of the current (unsaved) blueprint on the server: sampled values and
 * the exact messages each LLM field would send. The same seed always gives the same draws.
 */
export function PreviewPanel({ datasetId, blueprint, initialSeed }: { datasetId: string; blueprint: Blueprint; initialSeed: number }) {
  const [seed, setSeed] = useState(initialSeed);
  const [count, setCount] = useState(5);
  const id = useId();
  const debounced = useDebounced(blueprint, 250);
  const q = useQuery({
    queryKey: ["preview", datasetId, seed, count, debounced],
    queryFn: () => unwrap(previewAction({ id: datasetId, blueprint: debounced, seed, count })),
    placeholderData: keepPreviousData,
  });

  return (
    <div className="flex h-full flex-col">
      <div className="flex items-end gap-2 border-b border-stone-200 pb-3">
        <div className="w-28">
          <Label htmlFor={`${id}-seed`}>Seed</Label>
          <Input id={`${id}-seed`} type="number" min={0} value={seed} onChange={(e) => setSeed(Math.max(0, Math.trunc(Number(e.target.value)) || 0))} />
        </div>
        <div className="w-20">
          <Label htmlFor={`${id}-count`}>Records</Label>
          <Input id={`${id}-count`} type="number" min={1} max={50} value={count} onChange={(e) => setCount(Math.min(50, Math.max(1, Math.trunc(Number(e.target.value)) || 1)))} />
        </div>
        <Button onClick={() => setSeed(Math.floor(Math.random() * 1_000_000))}>Re-roll</Button>
        <span className="ml-auto text-xs text-stone-500" aria-live="polite">{q.isFetching ? "Rendering…" : q.data ? `${q.data.length} records` : ""}</span>
      </div>
      {q.error && <p role="alert" className="mt-3 text-sm text-red-700">{q.error.message}</p>}
      {blueprint.fields.length === 0 && <p className="mt-6 text-sm text-stone-500">Add fields on the left; their rendered prompts appear here.</p>}
      <ol className="mt-3 space-y-3 overflow-y-auto" aria-label="Preview records" tabIndex={0}>
        {q.data?.map((r) => <RecordPreview key={r.recordIndex} record={r} />)}
      </ol>
    </div>
  );
}

function RecordPreview({ record }: { record: PreviewRecord }) {
  const sampled = record.fields.filter((f): f is Extract<PreviewField, { value: unknown }> => f.kind !== "llm" && f.kind !== "judge" && f.kind !== "conversation" && f.kind !== "evolve");
  const evolutions = record.fields.filter((f): f is Extract<PreviewField, { kind: "evolve" }> => f.kind === "evolve");
  const conversations = record.fields.filter((f): f is Extract<PreviewField, { kind: "conversation" }> => f.kind === "conversation");
  const llm = record.fields.filter((f): f is Extract<PreviewField, { kind: "llm" | "judge" }> => f.kind === "llm" || f.kind === "judge");
  return (
    <li data-testid="preview-record" className="rounded-lg border border-stone-200 bg-white p-3 text-sm">
      <div className="mb-2 text-xs font-medium text-stone-500">Record {record.recordIndex + 1}</div>
      {sampled.length > 0 && (
        <dl className="mb-2 flex flex-wrap gap-1.5">
          {sampled.map((f) => (
            <div key={f.fieldId} data-testid="preview-value" data-field={f.name} className="rounded bg-stone-100 px-1.5 py-0.5 text-xs">
              <dt className="inline font-mono text-stone-600">{f.name}: </dt>
              <dd className="inline text-stone-900">{"error" in f && f.error ? <span className="text-red-700">{typeof f.error === "string" ? f.error : f.error.message}</span> : show(f.value)}</dd>
            </div>
          ))}
        </dl>
      )}
      {llm.map((f) => (
        <div key={f.fieldId} data-testid={f.kind === "judge" ? "preview-judge" : "preview-llm"} data-field={f.name} className="mt-2">
          <div className="mb-1 text-xs text-stone-500">
            <span className="font-mono font-medium text-violet-700">{f.name}</span> · {f.model || "no model"} ·{" "}
            {f.kind === "judge" ? `judge of ${f.criteria.join(", ") || "no criteria"} (scores come from the model: try live samples)` : `${f.output} output`}
          </div>
          {f.kind === "llm" && f.error && <p className="text-xs text-red-700">{f.error.message}</p>}
          {f.messages?.map((m, i) => (
            <div key={i} className="mb-1 rounded border border-stone-100 bg-stone-50 px-2 py-1.5">
              <div className="text-[10px] font-semibold uppercase tracking-wide text-stone-500">{m.role}</div>
              <pre className="whitespace-pre-wrap break-words font-sans text-[13px] leading-5 text-stone-800">{m.content}</pre>
            </div>
          ))}
        </div>
      ))}
      {evolutions.map((f) => (
        <div key={f.fieldId} data-testid="preview-evolve" data-field={f.name} className="mt-2 text-xs text-stone-500">
          <span className="font-mono font-medium text-lime-800">{f.name}</span> · {f.model || "no model"} · evolves {f.source || "no field"} for {f.generations} generation{f.generations === 1 ? "" : "s"} (up to {3 * f.generations} model calls; the lineage comes from the model: try live samples)
        </div>
      ))}
      {conversations.map((f) => (
        <div key={f.fieldId} data-testid="preview-conversation" data-field={f.name} className="mt-2">
          <div className="mb-1 text-xs text-stone-500">
            <span className="font-mono font-medium text-indigo-700">{f.name}</span> · {f.model || "no model"} · {f.turns} turn{f.turns === 1 ? "" : "s"} ({2 * f.turns} model calls; the messages come from the model: try live samples)
          </div>
          {f.error && <p className="text-xs text-red-700">{f.error.message}</p>}
          {[
            ["simulated user", f.persona],
            ["assistant system", f.system],
          ].map(([who, text]) =>
            text ? (
              <div key={who} className="mb-1 rounded border border-stone-100 bg-stone-50 px-2 py-1.5">
                <div className="text-[10px] font-semibold uppercase tracking-wide text-stone-500">{who}</div>
                <pre className="whitespace-pre-wrap break-words font-sans text-[13px] leading-5 text-stone-800">{text}</pre>
              </div>
            ) : null,
          )}
        </div>
      ))}
    </li>
  );
}
