"use client";
// One record in full (Enter): values with their edit history, labels, the rendered messages
// and numbers of every LLM field, and comments. Edits and comments are written from here.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorText, inputClass, Textarea } from "@/components/ui/field";
import { unwrap } from "@/lib/errors/client";
import { commentAction, editFieldAction } from "@/lib/review/actions";
import { formatLabel, type LabelDef, type LabelSchema } from "@/lib/review/labels";
import { suggestionFor } from "@/lib/review/suggestions";
import { ConfirmSuggestions, SUGGESTED_CLASS } from "./suggested-labels";
import type { Decision } from "@/lib/review/schemas";
import type { RecordDetail, RecordRow } from "@/lib/review/types";
import { ClusterSection } from "./cluster-section";
import { RecordVersions } from "./record-versions";
import { keys, readReview } from "./api";
import { recordLabel } from "@/lib/records/number";
import { PREVIEW_CHARS } from "@/lib/records/long-values";
import { readConversation } from "@/lib/blueprints/conversation";
import { ConversationView } from "./conversation-view";
import { LineageView } from "./lineage-view";
import { readEvolValue } from "@/lib/recipes/evol-lineage";

const show = (v: unknown) => (v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v, null, 2));

export function DetailPanel(p: {
  datasetId: string;
  row: RecordRow;
  /** Column order: the blueprint's fields first. */
  fields: string[];
  schema: LabelSchema;
  reviewer: string;
  /** Editor or owner: may restore an earlier version (annotators do not see the button). */
  canEdit?: boolean;
  /** Set by `e` (edit the text) or a note's key, for one record; `n` tells presses apart. */
  editRequest: { recordId: string; n: number; note: boolean } | null;
  onClose: () => void;
  onDecide: (d: Decision) => void;
  onLabels: (labels: Record<string, unknown>) => void;
  onRowChanged: (row: RecordRow) => void;
  onError: (e: unknown) => void;
  askName: () => void;
}) {
  const { datasetId: ds, row } = p;
  const qc = useQueryClient();
  const detail = useQuery({
    queryKey: [...keys.record(ds, row.id), row.revision],
    queryFn: ({ signal }) => readReview<RecordDetail>(ds, { kind: "record", recordId: row.id }, signal),
  });
  const d = detail.data;
  const ordered = d ? [...p.fields.filter((f) => f in d.values), ...Object.keys(d.values).filter((f) => !p.fields.includes(f))] : [];
  const [editing, setEditing] = useState<string | null>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  // Each `e` (or note key) is handled once, as soon as the record is loaded.
  const handled = useRef(0);
  const req = p.editRequest;
  useEffect(() => {
    if (!req || req.recordId !== row.id || req.n === handled.current || !d) return;
    handled.current = req.n;
    if (req.note) noteRef.current?.focus();
    // `e` edits the last text field: in a blueprint, usually the model's answer.
    else setEditing(ordered.filter((k) => typeof d.values[k] === "string").at(-1) ?? null);
  }, [req, row.id, d, ordered]);

  const panelRef = useRef<HTMLElement>(null);
  const backToGrid = () => (document.querySelector('[data-testid="records-grid"]') as HTMLElement | null)?.focus();

  return (
    <aside ref={panelRef} aria-label="Record details" data-testid="record-detail" className="h-[calc(100vh-300px)] min-h-[360px] w-[min(42rem,45vw)] shrink-0 overflow-auto rounded-lg border border-stone-200 bg-white p-4 text-sm">
      <div className="mb-3 flex items-start gap-2">
        <div>
          <h2 className="text-base font-semibold">Record {recordLabel(row.index)}</h2>
          <p className="text-xs text-stone-500">
            {row.status}
            {d?.blueprintVersion ? ` · blueprint v${d.blueprintVersion}` : ""} · {row.reviewState}
            {row.reviewedBy ? ` by ${row.reviewedBy}${row.reviewedAt ? `, ${new Date(row.reviewedAt).toLocaleString()}` : ""}` : ""}
          </p>
        </div>
        <div className="ml-auto flex gap-1">
          <Button size="sm" variant="primary" onClick={() => p.onDecide("accept")}>Accept</Button>
          <Button size="sm" variant="danger" onClick={() => p.onDecide("reject")}>Reject</Button>
          <Button size="sm" onClick={() => p.onDecide("reset")}>Reset</Button>
          <Button size="sm" variant="ghost" aria-label="Close details" onClick={p.onClose}>✕</Button>
        </div>
      </div>
      {row.error && <p className="mb-3 rounded bg-red-50 p-2 text-red-800">{row.error}</p>}
      {row.failing.length > 0 && (
        <section className="mb-4" data-testid="failed-checks">
          <h3 className="text-xs font-semibold tracking-wide text-stone-500 uppercase">Validators failed</h3>
          <ul className="mt-1 space-y-0.5">
            {row.failing.map((c) => (
              <li key={c.name}>
                <b className={c.mode === "reject" ? "text-red-800" : "text-amber-900"}>{c.name}</b> ({c.mode === "reject" ? "rejects" : "flags"}): {c.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      {row.contamination !== null && (
        <p className="mb-3 rounded bg-orange-50 p-2 text-orange-900">Shares {row.contamination} 13-word run{row.contamination === 1 ? "" : "s"} with the reference set.</p>
      )}
      {row.cluster && <ClusterSection datasetId={ds} recordId={row.id} cluster={row.cluster} />}

      {p.schema.labels.length > 0 && (
        <section className="mb-4 space-y-2">
          <h3 className="text-xs font-semibold tracking-wide text-stone-500 uppercase">Labels</h3>
          <ConfirmSuggestions schema={p.schema} row={row} onLabels={p.onLabels} />
          {p.schema.labels.map((l) => (
            <LabelControl key={l.name} def={l} labels={row.labels} suggested={suggestionFor(l, row.scores[l.suggest?.judge ?? ""]?.[l.suggest?.criterion ?? ""])} onChange={p.onLabels} noteRef={l.kind === "note" ? noteRef : undefined} onDone={backToGrid} />
          ))}
        </section>
      )}

      {detail.isLoading && <p className="text-stone-500">Loading the record…</p>}
      {detail.error && <ErrorText>{detail.error.message}</ErrorText>}
      {d && (
        <>
          <section className="mb-4 space-y-3">
            <h3 className="text-xs font-semibold tracking-wide text-stone-500 uppercase">Values</h3>
            {ordered.map((field) => [field, d.values[field]] as const).map(([field, v]) => (
              <FieldValue
                key={field}
                ds={ds}
                field={field}
                value={v}
                record={d}
                editing={editing === field}
                onEdit={() => (p.reviewer ? setEditing(field) : p.askName())}
                onDone={(saved) => {
                  setEditing(null);
                  if (saved) {
                    p.onRowChanged(saved);
                    qc.invalidateQueries({ queryKey: keys.record(ds, row.id) });
                  }
                  backToGrid();
                }}
                reviewer={p.reviewer}
                onError={p.onError}
              />
            ))}
          </section>

          {d.provenance.llm && Object.keys(d.provenance.llm).length > 0 && (
            <section className="mb-4 space-y-3">
              <h3 className="text-xs font-semibold tracking-wide text-stone-500 uppercase">How it was generated</h3>
              {d.provenance.sampled && (
                <p className="text-xs text-stone-600">
                  Sampled: {Object.entries(d.provenance.sampled).map(([k, v]) => `${k} = ${show(v)}`).join(" · ")}
                </p>
              )}
              {Object.entries(d.provenance.llm).map(([field, l]) => (
                <div key={field} className="rounded border border-stone-200 p-2" data-testid="llm-provenance">
                  <p className="font-medium">{field}</p>
                  <p className="text-xs text-stone-600">
                    {l.model} · {Object.entries(l.params ?? {}).map(([k, v]) => `${k} ${show(v)}`).join(", ") || "default params"} · {l.tokensIn} in / {l.tokensOut} out · $
                    {l.costUsd.toFixed(6)} · {l.latencyMs} ms · {l.attempts} attempt{l.attempts === 1 ? "" : "s"}
                    {l.reasks ? ` · ${l.reasks} re-ask${l.reasks === 1 ? "" : "s"}` : ""}
                    {l.cached ? " · from cache" : ""}
                  </p>
                  {l.error && <p className="mt-1 text-xs text-red-700">Error: {l.error}</p>}
                  <ol className="mt-2 space-y-1">
                    {l.messages.map((m, i) => (
                      <li key={i} className="rounded bg-stone-50 p-2">
                        <span className="text-xs font-semibold text-stone-500 uppercase">{m.role}</span>
                        <pre className="mt-0.5 whitespace-pre-wrap font-sans text-xs text-stone-800">{m.content}</pre>
                        {m.length !== undefined && (
                          <p className="mt-1 text-xs text-stone-600">Showing the first {PREVIEW_CHARS.toLocaleString()} of {m.length.toLocaleString()} characters of this message.</p>
                        )}
                      </li>
                    ))}
                  </ol>
                </div>
              ))}
            </section>
          )}
          <p className="mb-4 text-xs text-stone-500">
            Whole record: {d.tokensIn} tokens in, {d.tokensOut} out · ${d.costUsd.toFixed(6)} · {d.latencyMs} ms · {d.attempts} attempt{d.attempts === 1 ? "" : "s"} · created {new Date(d.createdAt).toLocaleString()}
          </p>
          <Comments ds={ds} record={d} reviewer={p.reviewer} askName={p.askName} />
        </>
      )}
      <RecordVersions ds={ds} recordId={row.id} revision={row.revision} reviewer={p.reviewer} canRestore={p.canEdit ?? false} askName={p.askName} onRestored={p.onRowChanged} />
    </aside>
  );
}

export function LabelControl({ def, labels, suggested, onChange, noteRef, onDone }: { def: LabelDef; labels: Record<string, unknown>; suggested?: unknown; onChange: (l: Record<string, unknown>) => void; noteRef?: React.RefObject<HTMLTextAreaElement | null>; onDone: () => void }) {
  const v = labels[def.name];
  // The judge's suggestion, only while a person has not set the label.
  const hint = v === undefined ? suggested : undefined;
  const hinted = (o: string | number) => hint !== undefined && (Array.isArray(hint) ? hint.includes(o) : hint === o);
  const set = (next: unknown) => {
    const l = { ...labels };
    if (next === undefined || (Array.isArray(next) && next.length === 0) || next === "") delete l[def.name];
    else l[def.name] = next;
    onChange(l);
  };
  const [note, setNote] = useState(typeof v === "string" ? v : "");
  const chip = (active: boolean, suggestedHere = false) =>
    `rounded border px-2 py-0.5 text-xs ${active ? "border-indigo-600 bg-indigo-600 text-white" : suggestedHere ? `${SUGGESTED_CLASS} bg-white` : "border-stone-300 bg-white hover:bg-stone-100"}`;
  const tag = (o: string | number) => (hinted(o) ? <span className="ml-1 text-[10px]">suggested</span> : null);
  return (
    <div className="flex flex-wrap items-center gap-1.5">
      <span className="w-24 shrink-0 text-xs text-stone-600">
        {def.name}
        {def.key && <kbd className="ml-1 rounded border border-stone-300 px-1 font-mono text-[10px]">{def.key}</kbd>}
      </span>
      {def.kind === "single" && def.options?.map((o, i) => (
        <button key={o} type="button" aria-pressed={v === o} className={chip(v === o, hinted(o))} onClick={() => set(v === o ? undefined : o)}>{i + 1} {o}{tag(o)}</button>
      ))}
      {def.kind === "multi" && def.options?.map((o, i) => {
        const on = Array.isArray(v) && v.includes(o);
        const cur = Array.isArray(v) ? (v as string[]) : [];
        return (
          <button key={o} type="button" aria-pressed={on} className={chip(on, hinted(o))} onClick={() => set(def.options!.filter((x) => (x === o ? !on : cur.includes(x))))}>{i + 1} {o}{tag(o)}</button>
        );
      })}
      {def.kind === "rating" && [1, 2, 3, 4, 5].map((n) => (
        <button key={n} type="button" aria-pressed={v === n} aria-label={`${def.name} ${n}${hinted(n) ? " suggested" : ""}`} className={chip(typeof v === "number" && n <= v, hinted(n))} onClick={() => set(v === n ? undefined : n)}>{n}★</button>
      ))}
      {def.kind === "note" && (
        <form
          className="flex flex-1 items-start gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            set(note.trim());
            onDone();
          }}
        >
          <textarea ref={noteRef} aria-label={`${def.name} note`} rows={2} className={`${inputClass} flex-1`} value={note} onChange={(e) => setNote(e.target.value)} onKeyDown={(e) => {
            if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) e.currentTarget.form?.requestSubmit();
            if (e.key === "Escape") onDone();
          }} />
          <Button size="sm" type="submit">Save note</Button>
        </form>
      )}
      {def.kind !== "note" && v !== undefined && <span className="text-xs text-stone-500">{formatLabel(v)}</span>}
    </div>
  );
}

function FieldValue(p: {
  ds: string;
  field: string;
  value: unknown;
  record: RecordDetail;
  editing: boolean;
  reviewer: string;
  onEdit: () => void;
  onDone: (saved?: RecordRow) => void;
  onError: (e: unknown) => void;
}) {
  // A long value arrives cut (lib/records/long-values.ts): the whole of it is fetched to
  // be shown when asked, and always before an edit, so an edit never saves the cut start.
  const long = p.record.long[p.field];
  const [showAll, setShowAll] = useState(false);
  const whole = useQuery({
    queryKey: [...keys.record(p.ds, p.record.id), "value", p.field],
    queryFn: ({ signal }) => readReview<{ value: unknown }>(p.ds, { kind: "value", recordId: p.record.id, field: p.field }, signal),
    enabled: long !== undefined && (showAll || p.editing),
  });
  const cut = long !== undefined && !whole.data;
  const value = whole.data ? whole.data.value : p.value;
  const isText = typeof value === "string";
  // A message list (a conversation field) reads as a chat; edits still go through its JSON.
  const read = readConversation(value);
  const conversation = read && read.length > 0 ? read : null;
  // An Evol-Instruct value reads as its lineage, likewise edited as JSON.
  const lineage = conversation ? null : readEvolValue(value);
  const [draft, setDraft] = useState(show(value));
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (p.editing && !cut) {
      setDraft(show(value));
      setError(null);
      ref.current?.focus();
    }
  }, [p.editing, value, cut]);
  const save = useMutation({
    mutationFn: () => {
      let value: unknown = draft;
      if (!isText) {
        try {
          value = JSON.parse(draft);
        } catch {
          throw new Error("This field holds JSON; the text is not valid JSON.");
        }
      }
      return unwrap(editFieldAction({ recordId: p.record.id, revision: p.record.revision, reviewer: p.reviewer, field: p.field, value }));
    },
    onSuccess: (row) => p.onDone(row),
    onError: (e) => setError(e.message),
  });
  const history = p.record.edits[p.field] ?? [];
  return (
    <div data-testid="field-value" data-field={p.field}>
      <div className="flex items-center gap-2">
        <span className="text-xs font-medium text-stone-600">{p.field}</span>
        {history.length > 0 && <span className="rounded bg-amber-100 px-1 text-[10px] text-amber-800">edited</span>}
        {!p.editing && <Button size="sm" variant="ghost" className="ml-auto" aria-label={`Edit ${p.field}`} onClick={p.onEdit}>Edit</Button>}
      </div>
      {p.editing && cut ? (
        whole.error ? <ErrorText>{whole.error.message}</ErrorText> : <p className="mt-0.5 text-xs text-stone-600">Loading the whole value to edit it…</p>
      ) : p.editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <textarea
            ref={ref}
            aria-label={`New value of ${p.field}`}
            rows={Math.min(12, Math.max(3, draft.split("\n").length + 1))}
            className={`${inputClass} ${isText ? "" : "font-mono text-[13px]"}`}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) e.currentTarget.form?.requestSubmit();
              if (e.key === "Escape") p.onDone();
            }}
          />
          <ErrorText>{error}</ErrorText>
          <div className="mt-1 flex gap-1">
            <Button size="sm" variant="primary" type="submit" disabled={save.isPending}>{save.isPending ? "Saving…" : "Save edit"}</Button>
            <Button size="sm" onClick={() => p.onDone()}>Cancel</Button>
            <span className="self-center text-xs text-stone-500">Ctrl+Enter saves, Esc cancels</span>
          </div>
        </form>
      ) : (
        <>
          {conversation ? <ConversationView field={p.field} messages={conversation} /> : lineage ? <LineageView field={p.field} value={lineage} /> : <pre className="mt-0.5 whitespace-pre-wrap break-words font-sans text-stone-800">{show(value)}</pre>}
          {cut && (
            <div className="mt-1 flex flex-wrap items-center gap-2 text-xs text-stone-600">
              <span>Showing the first {PREVIEW_CHARS.toLocaleString()} of {long.toLocaleString()} characters.</span>
              <Button size="sm" onClick={() => setShowAll(true)} disabled={whole.isFetching}>
                {whole.isFetching ? "Loading…" : `Show all ${long.toLocaleString()} characters`}
              </Button>
              {whole.error && <ErrorText>{whole.error.message}</ErrorText>}
            </div>
          )}
        </>
      )}
      {history.length > 0 && (
        <details className="mt-1 text-xs text-stone-600" data-testid="edit-history">
          <summary className="cursor-pointer">Edit history ({history.length})</summary>
          <ol className="mt-1 space-y-1">
            {history.map((h, i) => (
              <li key={i} className="rounded bg-stone-50 p-1.5">
                <span className="font-medium">{h.by}</span>, {new Date(h.at).toLocaleString()}
                {i === 0 && <div className="mt-0.5 text-stone-500">Original: <span className="whitespace-pre-wrap">{show(h.from)}</span></div>}
                <div className="mt-0.5">Changed to: <span className="whitespace-pre-wrap">{show(h.to)}</span></div>
              </li>
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}

function Comments({ ds, record, reviewer, askName }: { ds: string; record: RecordDetail; reviewer: string; askName: () => void }) {
  const qc = useQueryClient();
  const [body, setBody] = useState("");
  const add = useMutation({
    mutationFn: () => unwrap(commentAction({ recordId: record.id, reviewer, body })),
    onSuccess: () => {
      setBody("");
      qc.invalidateQueries({ queryKey: keys.record(ds, record.id) });
    },
  });
  return (
    <section className="space-y-2">
      <h3 className="text-xs font-semibold tracking-wide text-stone-500 uppercase">Comments</h3>
      {record.comments.length === 0 && <p className="text-xs text-stone-500">No comments yet.</p>}
      <ul className="space-y-1">
        {record.comments.map((c) => (
          <li key={c.id} className="rounded bg-stone-50 p-2" data-testid="comment">
            <span className="text-xs font-medium">{c.author}</span> <span className="text-xs text-stone-500">{new Date(c.createdAt).toLocaleString()}</span>
            <p className="whitespace-pre-wrap">{c.body}</p>
          </li>
        ))}
      </ul>
      <form
        className="flex items-start gap-1"
        onSubmit={(e) => {
          e.preventDefault();
          if (!reviewer) return askName();
          add.mutate();
        }}
      >
        <Textarea aria-label="Comment" rows={2} className="flex-1 font-sans" value={body} onChange={(e) => setBody(e.target.value)} />
        <Button size="sm" type="submit" disabled={add.isPending}>Comment</Button>
      </form>
      <ErrorText>{add.error?.message}</ErrorText>
    </section>
  );
}
