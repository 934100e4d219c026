"use client";
// Edits Dataset.labelSchema: a list of labels, each with a kind, options and a key, and
// optionally a judge criterion whose score the grid suggests as the label's default
// (lib/review/suggestions.ts): levels named like an option map to it by themselves; the
// rest get a small mapping here.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorText, Input } from "@/components/ui/field";
import { unwrap } from "@/lib/errors/client";
import { saveLabelSchemaAction } from "@/lib/review/actions";
import { LABEL_KINDS, LabelSchema, type LabelDef, type LabelKind } from "@/lib/review/labels";
import { suggestionFor } from "@/lib/review/suggestions";
import type { JudgeColumn } from "@/lib/review/types";
import { Dialog } from "./dialog";

/** `judge` is "field.criterion" ("" for none); `map` holds only the levels mapped by hand. */
type Draft = { name: string; kind: LabelKind; options: string; key: string; judge: string; map: Record<string, string> };
const judgeId = (j: Pick<JudgeColumn, "field" | "criterion">) => `${j.field}.${j.criterion}`;
const KIND_TEXT: Record<LabelKind, string> = { single: "Single choice", multi: "Multi choice", rating: "Rating 1-5", note: "Free-text note" };

export function LabelSchemaEditor({ datasetId, schema, judges = [], onSaved, onClose }: { datasetId: string; schema: LabelSchema; judges?: JudgeColumn[]; onSaved: (s: LabelSchema) => void; onClose: () => void }) {
  const [rows, setRows] = useState<Draft[]>(
    schema.labels.map((l) => ({
      name: l.name,
      kind: l.kind,
      options: (l.options ?? []).join(", "),
      key: l.key ?? "",
      judge: l.suggest ? judgeId({ field: l.suggest.judge, criterion: l.suggest.criterion }) : "",
      map: Object.fromEntries(Object.entries(l.suggest?.map ?? {}).map(([k, v]) => [k, String(v)])),
    })),
  );
  const [problem, setProblem] = useState<string | null>(null);
  const toSchema = (): LabelSchema => ({ labels: rows.map(toDef) });
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
            {judges.length > 0 && r.kind !== "note" && <JudgeSuggest draft={r} judges={judges} onChange={(patch) => set(i, patch)} />}
          </div>
        ))}
        <Button size="sm" onClick={() => setRows((rs) => [...rs, { name: "", kind: "single", options: "", key: "", judge: "", map: {} }])}>+ Label</Button>
        <ErrorText>{problem ?? save.error?.message}</ErrorText>
        <div className="flex justify-end gap-2 border-t border-stone-200 pt-3">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={save.isPending}>{save.isPending ? "Saving…" : "Save labels"}</Button>
        </div>
      </form>
    </Dialog>
  );
}

function toDef(r: Draft): LabelDef {
  const [field, ...rest] = r.judge.split(".");
  const map = Object.fromEntries(Object.entries(r.map).filter(([, v]) => v !== "").map(([k, v]) => [k, r.kind === "rating" ? Number(v) : v]));
  return {
    name: r.name.trim(),
    kind: r.kind,
    ...(r.kind === "single" || r.kind === "multi" ? { options: r.options.split(",").map((o) => o.trim()).filter(Boolean) } : {}),
    ...(r.key.trim() ? { key: r.key.trim().toLowerCase() } : {}),
    ...(r.judge && r.kind !== "note" ? { suggest: { judge: field, criterion: rest.join("."), ...(Object.keys(map).length ? { map } : {}) } } : {}),
  };
}

/**
 * "Suggest from judge": which criterion, and what each of its levels suggests. A level
 * named like an option (or a 1-5 score, for a rating) needs nothing; the select shows what
 * it maps to and lets the person change it.
 */
function JudgeSuggest({ draft, judges, onChange }: { draft: Draft; judges: JudgeColumn[]; onChange: (patch: Partial<Draft>) => void }) {
  const judge = judges.find((j) => judgeId(j) === draft.judge);
  const def = toDef(draft);
  const targets = draft.kind === "rating" ? ["1", "2", "3", "4", "5"] : (def.options ?? []);
  const auto = (level: string | number) => suggestionFor({ ...def, suggest: def.suggest && { ...def.suggest, map: undefined } }, level);
  const label = draft.name.trim() || "this label";
  return (
    <div className="basis-full space-y-1 pl-2 text-xs text-stone-600">
      <label className="flex items-center gap-1.5">
        Suggest from judge
        <select className="h-8 rounded-md border border-stone-300 px-2 text-sm" value={draft.judge} onChange={(e) => onChange({ judge: e.target.value, map: {} })}>
          <option value="">No suggestion</option>
          {judges.map((j) => <option key={judgeId(j)} value={judgeId(j)}>{judgeId(j)}</option>)}
        </select>
      </label>
      {judge && (
        <div className="flex flex-wrap gap-x-3 gap-y-1" data-testid="suggest-mapping">
          {judge.levels.map((level) => {
            const a = auto(level);
            return (
              <label key={String(level)} className="flex items-center gap-1">
                {String(level)} →
                <select
                  aria-label={`Judge score ${String(level)} suggests for ${label}`}
                  className="h-7 rounded border border-stone-300 px-1"
                  value={draft.map[String(level)] ?? ""}
                  onChange={(e) => onChange({ map: { ...draft.map, [String(level)]: e.target.value } })}
                >
                  <option value="">{a === undefined ? "nothing" : `${String(a)} (same name)`}</option>
                  {targets.map((t) => <option key={t} value={t}>{t}</option>)}
                </select>
              </label>
            );
          })}
        </div>
      )}
    </div>
  );
}
