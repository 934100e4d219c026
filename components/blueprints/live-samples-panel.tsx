"use client";
// Generates 1-10 records of the unsaved blueprint for real and shows them as they stream
// in: sampled values at once, each LLM answer token by token, then tokens, latency, cost.
import Link from "next/link";
import { useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label, inputClass } from "@/components/ui/field";
import { verdictText } from "@/lib/blueprints/judge";
import type { Blueprint } from "@/lib/blueprints/schema";
import { readJson } from "@/lib/errors/client";
import type { SampleEvent } from "@/lib/runs/server/live-samples";

export type ConnectionOption = { id: string; name: string; defaultModel: string };

type SampleState = {
  recordIndex: number;
  values: Record<string, unknown>;
  streaming: Record<string, string>;
  done?: Extract<SampleEvent, { type: "done" }>;
};

function show(v: unknown) {
  if (v === null || v === undefined) return "—";
  if (Array.isArray(v)) return v.join(", ");
  if (typeof v === "object") return JSON.stringify(v, null, 2);
  return String(v);
}

export function LiveSamplesPanel({ datasetId, blueprint, connections }: { datasetId: string; blueprint: Blueprint; connections: ConnectionOption[] }) {
  const [connectionId, setConnectionId] = useState(connections[0]?.id ?? "");
  const [count, setCount] = useState(3);
  const id = useId();
  const [samples, setSamples] = useState<SampleState[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const abort = useRef<AbortController | null>(null);

  async function generate() {
    abort.current?.abort();
    const ctrl = new AbortController();
    abort.current = ctrl;
    setError(null);
    setSamples([]);
    setRunning(true);
    try {
      const res = await fetch(`/api/datasets/${datasetId}/samples`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ blueprint, connectionId, count, seed: Math.floor(Math.random() * 1_000_000) }),
        signal: ctrl.signal,
      });
      if (!res.ok || !res.body) {
        // A refused request answers JSON (lib/http/route.ts): readJson throws its error.
        await readJson<never>(res, (status) => `The server answered ${status}.`);
        return;
      }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        const lines = buf.split("\n");
        buf = lines.pop() ?? "";
        for (const line of lines) if (line.trim()) apply(JSON.parse(line) as SampleEvent);
      }
    } catch (e) {
      if (!ctrl.signal.aborted) setError((e as Error).message);
    } finally {
      setRunning(false);
    }
  }

  function apply(e: SampleEvent) {
    if (e.type === "error") return setError(e.message);
    if (e.type === "end") return;
    setSamples((prev) => {
      const next = [...prev];
      const cur = next[e.record] ?? { recordIndex: 0, values: {}, streaming: {} };
      if (e.type === "start") next[e.record] = { ...cur, recordIndex: e.recordIndex };
      else if (e.type === "field") next[e.record] = { ...cur, values: { ...cur.values, [e.name]: e.value } };
      else if (e.type === "delta") next[e.record] = { ...cur, streaming: { ...cur.streaming, [e.field]: (cur.streaming[e.field] ?? "") + e.text } };
      else if (e.type === "done") next[e.record] = { ...cur, done: e };
      return next;
    });
  }

  if (connections.length === 0) {
    return (
      <p className="mt-4 text-sm text-stone-600">
        Live samples call a model. <Link className="text-indigo-700 underline" href="/settings/providers">Add a provider connection</Link> first
        (OpenAI, a local Ollama or vLLM, or the bundled fake server: <code className="font-mono">npm run fake-llm</code>).
      </p>
    );
  }
  const totals = samples.reduce((a, s) => ({ t: a.t + (s.done ? s.done.tokensIn + s.done.tokensOut : 0), c: a.c + (s.done?.costUsd ?? 0) }), { t: 0, c: 0 });
  return (
    <div className="flex h-full flex-col">
      <div className="flex items-end gap-2 border-b border-stone-200 pb-3">
        <div className="flex-1">
          <Label htmlFor={`${id}-connection`}>Connection</Label>
          <select id={`${id}-connection`} className={inputClass} value={connectionId} onChange={(e) => setConnectionId(e.target.value)}>
            {connections.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </div>
        <div className="w-20">
          <Label htmlFor={`${id}-count`}>Samples</Label>
          <Input id={`${id}-count`} type="number" min={1} max={10} value={count} onChange={(e) => setCount(Math.min(10, Math.max(1, Math.trunc(Number(e.target.value)) || 1)))} />
        </div>
        {running ? (
          <Button onClick={() => abort.current?.abort()}>Stop</Button>
        ) : (
          <Button variant="primary" onClick={generate}>Generate samples</Button>
        )}
      </div>
      {error && <p role="alert" className="mt-3 text-sm text-red-700">{error}</p>}
      {samples.length > 0 && (
        <p className="mt-2 text-xs text-stone-500" aria-live="polite">
          {samples.filter((s) => s.done).length}/{samples.length} done · {totals.t.toLocaleString()} tokens · ${totals.c.toFixed(4)}
        </p>
      )}
      <ol className="mt-2 space-y-3 overflow-y-auto" aria-label="Live samples" tabIndex={0}>
        {samples.map((s, i) => (
          <li key={i} data-testid="live-sample" className="rounded-lg border border-stone-200 bg-white p-3 text-sm">
            <div className="mb-1 flex justify-between text-xs text-stone-500">
              <span>Sample {i + 1}</span>
              {s.done ? (
                <span data-testid="sample-stats" className={s.done.status === "failed" ? "text-red-700" : ""}>
                  {s.done.status === "failed" ? "failed · " : ""}
                  {s.done.tokensIn + s.done.tokensOut} tokens · {s.done.latencyMs} ms · ${s.done.costUsd.toFixed(5)}
                </span>
              ) : (
                <span>generating…</span>
              )}
            </div>
            {s.done?.error && <p className="mb-1 text-xs text-red-700">{s.done.error}</p>}
            <dl className="space-y-1">
              {blueprint.fields.map((f) => {
                const has = Object.hasOwn(s.values, f.name);
                // A judge's scores read as lines; while it streams (or if it failed) its raw JSON shows.
                const verdict = has && f.kind === "judge" ? verdictText(s.values[f.name], f.criteria) : null;
                const text = verdict ?? (has ? show(s.values[f.name]) : s.streaming[f.name]);
                if (text === undefined) return null;
                return (
                  <div key={f.id} data-field={f.name}>
                    <dt className="inline font-mono text-xs text-stone-500">{f.name}: </dt>
                    <dd className={`whitespace-pre-wrap break-words ${f.kind === "llm" || f.kind === "judge" ? "mt-0.5 block rounded bg-stone-50 px-2 py-1 text-[13px]" : "inline"}`}>{text}</dd>
                  </div>
                );
              })}
            </dl>
          </li>
        ))}
      </ol>
    </div>
  );
}
