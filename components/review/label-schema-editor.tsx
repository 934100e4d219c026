"use client";
// Edits Dataset.labelSchema: a list of labels, each with a kind, options and a key.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorText, Input } from "@/components/ui/field";
import { unwrap } from "@/lib/errors/client";
import { saveLabelSchemaAction } from "@/lib/review/actions";
import { LABEL_KINDS, LabelSchema, type LabelKind } from "@/lib/review/labels";
import { Dialog } from "./dialog";

type Draft = { name: string; kind: LabelKind; options: string; key: string };
const KIND_TEXT: Record<LabelKind, string> = { single: "Single choice", multi: "Multi choice", rating: "Rating 1-5", note: "Free-text note" };

export function LabelSchemaEditor({ datasetId, schema, onSaved, onClose }: { datasetId: string; schema: LabelSchema; onSaved: (s: LabelSchema) => void; onClose: () => void }) {
  const [rows, setRows] = useState<Draft[]>(
    schema.labels.map((l) => ({ name: l.name, kind: l.kind, options: (l.options ?? []).join(", "), key: l.key ?? "" })),
  );
  const [problem, setProblem] = useState<string | null>(null);
  const toSchema = (): LabelSchema => ({
    labels: rows.map((r) => ({
      name: r.name.trim(),
      kind: r.kind,
      ...(r.kind === "single" || r.kind === "multi" ? { options: r.options.split(",").map((o) => o.trim()).filter(Boolean) } : {}),
      ...(r.key.trim() ? { key: r.key.trim().toLowerCase() } : {}),
    })),
  });
  const save = useMutation({
    mutationFn: (s: LabelSchema) => unwrap(saveLabelSchemaAction({ datasetId, schema: s })),
    onSuccess: onSaved,
  });
  const set = (i: number, patch: Partial<Draft>) => setRows((rs) => rs.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  return (
    <Dialog title="Labels for this dataset" onClose={onClose} wide>
      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          const parsed = LabelSchema.safeParse(toSchema());
          if (!parsed.success) return setProblem(parsed.error.issues[0].message);
          setProblem(null);
          save.mutate(parsed.data);
        }}
      >
        <p className="text-sm text-stone-600">Reviewers set labels with the keyboard: a label&apos;s key makes the digit keys set it; digits pick options in order.</p>
        {rows.length === 0 && <p className="text-sm text-stone-500">No labels yet.</p>}
        {rows.map((r, i) => (
          <div key={i} className="flex flex-wrap items-center gap-2" data-testid="label-row">
            <Input aria-label="Label name" placeholder="name, e.g. quality" className="w-40" value={r.name} onChange={(e) => set(i, { name: e.target.value })} />
            <select aria-label="Label kind" className="h-9 rounded-md border border-stone-300 px-2 text-sm" value={r.kind} onChange={(e) => set(i, { kind: e.target.value as LabelKind })}>
              {LABEL_KINDS.map((k) => <option key={k} value={k}>{KIND_TEXT[k]}</option>)}
            </select>
            {(r.kind === "single" || r.kind === "multi") && (
              <Input aria-label="Options" placeholder="options, comma-separated" className="min-w-48 flex-1" value={r.options} onChange={(e) => set(i, { options: e.target.value })} />
            )}
            <Input aria-label="Key" placeholder="key" maxLength={1} className="w-14" value={r.key} onChange={(e) => set(i, { key: e.target.value })} />
            <Button size="sm" variant="ghost" aria-label={`Remove label ${r.name}`} onClick={() => setRows((rs) => rs.filter((_, k) => k !== i))}>Remove</Button>
          </div>
        ))}
        <Button size="sm" onClick={() => setRows((rs) => [...rs, { name: "", kind: "single", options: "", key: "" }])}>+ Label</Button>
        <ErrorText>{problem ?? save.error?.message}</ErrorText>
        <div className="flex justify-end gap-2 border-t border-stone-200 pt-3">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={save.isPending}>{save.isPending ? "Saving…" : "Save labels"}</Button>
        </div>
      </form>
    </Dialog>
  );
}
