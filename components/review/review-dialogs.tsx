"use client";
// The records page's own dialogs: the key list and one value in full.
import { useEffect, useState } from "react";
import { ActionFailed } from "@/lib/errors/client";
import { recordLabel } from "@/lib/records/number";
import { KEY_HELP } from "@/lib/review/keys";
import { defaultDigitLabel, type LabelSchema } from "@/lib/review/labels";
import type { RecordRow } from "@/lib/review/types";
import { readReview } from "./api";
import { Dialog } from "./dialog";

export function HelpDialog({ schema, onClose }: { schema: LabelSchema; onClose: () => void }) {
  const digit = defaultDigitLabel(schema);
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose}>
      <table className="w-full text-sm">
        <thead>
          <tr className="border-b border-stone-200 text-left text-xs text-stone-500">
            <th scope="col" className="py-1 pr-3 font-medium">Keys</th>
            <th scope="col" className="py-1 font-medium">Action</th>
          </tr>
        </thead>
        <tbody>
          {KEY_HELP.map((k) => (
            <tr key={k.does} className="border-b border-stone-100">
              <td className="py-1 pr-3 whitespace-nowrap">{k.keys.map((x) => <kbd key={x} className="mr-1 rounded border border-stone-300 bg-stone-50 px-1.5 font-mono text-xs">{x}</kbd>)}</td>
              <td className="py-1 text-stone-700">{k.does}</td>
            </tr>
          ))}
          {schema.labels.filter((l) => l.key).map((l) => (
            <tr key={l.name} className="border-b border-stone-100">
              <td className="py-1 pr-3"><kbd className="rounded border border-stone-300 bg-stone-50 px-1.5 font-mono text-xs">{l.key}</kbd></td>
              <td className="py-1 text-stone-700">{l.kind === "note" ? `Write the "${l.name}" note` : `Digits set "${l.name}"${l.options ? `: ${l.options.map((o, i) => `${i + 1} ${o}`).join(", ")}` : " (1-5)"}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-3 text-xs text-stone-500">
        {digit ? `Until you press a label's key, digits set "${digit.name}".` : "Define labels (Labels…) to set them with digits."} Click a row to focus it; Ctrl/⌘-click or the box selects it; Shift-click selects a range.
      </p>
    </Dialog>
  );
}

export function ExpandDialog({ datasetId, row, field, onClose }: { datasetId: string; row: RecordRow; field: string; onClose: () => void }) {
  const [full, setFull] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!row.clipped.includes(field)) return;
    readReview<{ values: Record<string, unknown> }>(datasetId, { kind: "record", recordId: row.id })
      .then((d) => setFull(show(d.values[field])))
      .catch((e: ActionFailed) => setError(e.message));
  }, [datasetId, row, field]);
  const text = row.clipped.includes(field) ? full : show(row.values[field]);
  return (
    <Dialog title={`${field} · record ${recordLabel(row.index)}`} onClose={onClose} wide>
      {error ? <p role="alert" className="text-sm text-red-700">{error}</p> : text === null ? <p className="text-sm text-stone-500">Loading…</p> : <pre data-testid="expanded-text" className="whitespace-pre-wrap font-sans text-sm text-stone-800">{text}</pre>}
    </Dialog>
  );
}

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v, null, 2));
