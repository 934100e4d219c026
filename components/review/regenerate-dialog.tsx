"use client";
// "Regenerate field…": re-run one LLM field (after its prompt or model changed) and the
// fields that read it, over the selected records or everything the grid's filter matches.
// The dialog names the field, its dependents, the records and the cost before launching;
// the regeneration is a run, so its page shows the progress, pause and cancel.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorText, inputClass, Label } from "@/components/ui/field";
import { usd } from "@/components/runs/format";
import { unwrap } from "@/lib/errors/client";
import type { RecordFilter } from "@/lib/records/filter";
import { launchRegenerateAction, planRegenerateAction, regenerateOptionsAction } from "@/lib/runs/actions";
import { Dialog } from "./dialog";

type Target = { ids: string[] } | { filter: RecordFilter };
const plural = (n: number, one: string) => `${n.toLocaleString("en-US")} ${one}${n === 1 ? "" : "s"}`;

/** The toolbar button and its dialog; `target` is what a bulk action would touch now. */
export function RegenerateField(p: { datasetId: string; target: Target; describe: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="sm" onClick={() => setOpen(true)}>Regenerate field…</Button>
      {open && <RegenerateDialog {...p} onClose={() => setOpen(false)} />}
    </>
  );
}

function RegenerateDialog(p: { datasetId: string; target: Target; describe: string; onClose: () => void }) {
  const id = useId();
  const router = useRouter();
  const options = useQuery({ queryKey: ["regenerate-options", p.datasetId], queryFn: () => unwrap(regenerateOptionsAction({ datasetId: p.datasetId })) });
  const [field, setField] = useState("");
  const [connectionId, setConnectionId] = useState("");
  const chosenField = field || options.data?.fields[0] || "";
  const chosenConnection = connectionId || options.data?.connections[0]?.id || "";
  const plan = useQuery({
    queryKey: ["regenerate-plan", p.datasetId, chosenField, p.target],
    queryFn: () => unwrap(planRegenerateAction({ datasetId: p.datasetId, field: chosenField, target: p.target })),
    enabled: chosenField !== "",
    retry: false,
  });
  const launch = useMutation({
    mutationFn: () => unwrap(launchRegenerateAction({ datasetId: p.datasetId, field: chosenField, target: p.target, connectionId: chosenConnection })),
    onSuccess: ({ id: runId }) => router.push(`/runs/${runId}`),
  });
  const d = plan.data;
  return (
    <Dialog title="Regenerate a field" onClose={p.onClose}>
      <form
        className="space-y-3 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          if (d && chosenConnection) launch.mutate();
        }}
      >
        {options.error && <ErrorText>{options.error.message}</ErrorText>}
        {options.data && options.data.fields.length === 0 && <p role="alert" className="text-red-700">This blueprint has no LLM field to regenerate.</p>}
        {options.data && options.data.fields.length > 0 && (
          <>
            <div>
              <Label htmlFor={`${id}-field`}>Field</Label>
              <select id={`${id}-field`} data-autofocus className={inputClass} value={chosenField} onChange={(e) => setField(e.target.value)}>
                {options.data.fields.map((f) => <option key={f}>{f}</option>)}
              </select>
            </div>
            <div>
              <Label htmlFor={`${id}-connection`}>Connection</Label>
              <select id={`${id}-connection`} className={inputClass} value={chosenConnection} onChange={(e) => setConnectionId(e.target.value)}>
                {options.data.connections.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
              </select>
              {options.data.connections.length === 0 && <ErrorText>No provider connection yet: add one under Settings → Providers.</ErrorText>}
            </div>
          </>
        )}
        <div aria-live="polite" data-testid="regenerate-summary" className="space-y-1 text-stone-700">
          {plan.isLoading && <p>Counting the records…</p>}
          {plan.error && <p role="alert" className="text-red-700">{plan.error.message}</p>}
          {d && (
            <>
              <p>
                Regenerates <b>{d.field}</b> in {plural(d.records, "record")} ({p.describe}); every other value is kept, and the
                values it replaces stay in each record&apos;s history.
                {d.skippedFailed > 0 && ` ${plural(d.skippedFailed, "failed record")} left out: use "Retry failed" on their run.`}
              </p>
              <p>
                {d.dependents.length
                  ? <>Re-run too, where a value they read changes: {d.dependents.map((f, i) => <span key={f.name}>{i ? ", " : ""}<b>{f.name}</b> ({f.kind})</span>)}.</>
                  : "No other field reads it."}
              </p>
              <p>Review resets only on records whose LLM or expression values change.</p>
              <p data-testid="regenerate-cost">
                {d.estimate
                  ? `Estimated cost: ${d.estimate.expectedUsd !== null ? `${usd(d.estimate.expectedUsd)} expected, ` : ""}${usd(d.estimate.worstUsd)} at most.`
                  : "No cost estimate (the prompts could not be rendered for one)."}
              </p>
            </>
          )}
        </div>
        {launch.error && <ErrorText>{launch.error.message}</ErrorText>}
        <div className="flex gap-2">
          <Button type="submit" variant="primary" disabled={!d || !chosenConnection || launch.isPending}>{launch.isPending ? "Launching…" : `Regenerate ${d ? plural(d.records, "record") : ""}`}</Button>
          <Button type="button" onClick={p.onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
