"use client";
// The dataset's review guidelines beside the grid and the record (issue 17 item 6): every
// reviewer reads them; editors write them here. The HTML comes from the server's
// renderGuidelines (lib/guidelines/render.ts), which escapes raw HTML and drops script
// addresses, so it is the only markup inserted as HTML on this page.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { inputClass, Label } from "@/components/ui/field";
import { guidelinesAction, saveGuidelinesAction } from "@/lib/datasets/actions";
import { unwrap } from "@/lib/errors/client";

const key = (datasetId: string) => ["review", datasetId, "guidelines"] as const;

export function GuidelinesPanel(p: { datasetId: string; canEdit: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const guidelines = useQuery({ queryKey: key(p.datasetId), queryFn: () => unwrap(guidelinesAction({ id: p.datasetId })) });
  const [draft, setDraft] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const textId = useId();
  const save = useMutation({
    mutationFn: (text: string) => unwrap(saveGuidelinesAction({ id: p.datasetId, guidelines: text })),
    onSuccess: (saved) => {
      queryClient.setQueryData(key(p.datasetId), saved);
      setDraft(null);
      setStatus("Guidelines saved.");
    },
    onError: (e) => setStatus(`Could not save the guidelines: ${e.message}`),
  });
  const data = guidelines.data;

  return (
    <aside aria-labelledby={`${textId}-title`} data-testid="guidelines-panel" className="flex h-[calc(100vh-300px)] min-h-[360px] w-80 shrink-0 flex-col overflow-hidden rounded-lg border border-stone-200 bg-white">
      <div className="flex items-center gap-2 border-b border-stone-100 px-3 py-2">
        {/* mr-auto: the buttons sit at the right edge whether or not Edit is shown. */}
        <h2 id={`${textId}-title`} className="mr-auto text-sm font-semibold text-stone-800">Guidelines</h2>
        {p.canEdit && draft === null && data && (
          <Button size="sm" variant="ghost" onClick={() => { setStatus(""); setDraft(data.markdown); }}>Edit</Button>
        )}
        <button type="button" aria-label="Close the guidelines" className="text-stone-600" onClick={p.onClose}>✕</button>
      </div>
      <p role="status" className="px-3 text-xs text-stone-600 empty:hidden">{status}</p>
      {guidelines.isError && <p role="alert" className="px-3 py-2 text-sm text-red-700">Could not load the guidelines: {guidelines.error.message}</p>}
      {draft !== null ? (
        <form
          className="flex flex-1 flex-col gap-2 p-3"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(draft);
          }}
        >
          <Label htmlFor={textId}>Guidelines (Markdown)</Label>
          <textarea id={textId} value={draft} onChange={(e) => setDraft(e.target.value)} className={`${inputClass} flex-1 font-mono text-xs`} />
          <div className="flex gap-2">
            <Button type="submit" size="sm" disabled={save.isPending}>{save.isPending ? "Saving…" : "Save guidelines"}</Button>
            <Button type="button" size="sm" variant="ghost" onClick={() => setDraft(null)}>Cancel</Button>
          </div>
        </form>
      ) : (
        // A scrolling region that keyboard users can reach and screen readers can name.
        <div tabIndex={0} role="region" aria-label="Guidelines text" className="flex-1 overflow-auto px-3 py-2 text-sm outline-none focus-visible:ring-2 focus-visible:ring-indigo-300">
          {data && data.markdown.trim() === "" && (
            <p className="text-stone-600">{p.canEdit ? "No guidelines yet. Write what reviewers should accept, reject and label, with examples." : "This dataset has no guidelines yet."}</p>
          )}
          {data && data.markdown.trim() !== "" && <div data-testid="guidelines-html" className="guidelines space-y-2 [&_a]:text-indigo-700 [&_a]:underline [&_h1]:font-semibold [&_h2]:font-semibold [&_h3]:font-semibold [&_li]:ml-4 [&_ol]:list-decimal [&_ul]:list-disc" dangerouslySetInnerHTML={{ __html: data.html }} />}
        </div>
      )}
    </aside>
  );
}
