"use client";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorText, Input } from "@/components/ui/field";
import { createDatasetAction, deleteDatasetAction } from "@/lib/datasets/actions";
import { unwrap } from "@/lib/errors/client";
import { DeleteButton } from "@/components/ui/delete-button";

type DatasetSummary = { id: string; name: string; description: string; fieldCount: number; recordCount: number; activeRuns: number; updatedAt: string };
type StarterInfo = { id: string; title: string; description: string; method: { how: string; source: string } };

export function DatasetList({ projectId, datasets, starters }: { projectId: string; datasets: DatasetSummary[]; starters: StarterInfo[] }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const create = useMutation({
    mutationFn: (input: { name: string; starter?: string }) => unwrap(createDatasetAction({ projectId, ...input })),
    onSuccess: ({ id }) => router.push(`/datasets/${id}`),
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(deleteDatasetAction({ id })),
    onSuccess: () => router.refresh(),
  });

  return (
    <div className="space-y-8">
      <section>
        <h2 className="mb-2 text-sm font-semibold uppercase tracking-wide text-stone-500">Start from a recipe</h2>
        <div className="grid gap-3 sm:grid-cols-3">
          {starters.map((s) => (
            <div key={s.id} className="flex flex-col rounded-lg border border-stone-200 bg-white shadow-xs transition hover:border-indigo-400 hover:shadow-sm">
              <button
                type="button"
                disabled={create.isPending}
                onClick={() => create.mutate({ name: s.title, starter: s.id })}
                className="flex-1 rounded-t-lg p-4 text-left disabled:opacity-60"
              >
                <span className="block font-medium text-stone-900">{s.title}</span>
                <span className="mt-1 block text-sm text-stone-500">{s.description}</span>
              </button>
              <details className="border-t border-stone-100 px-4 py-2 text-sm">
                <summary className="cursor-pointer text-indigo-700">How this method works</summary>
                <p className="mt-1 text-stone-600">{s.method.how}</p>
                <p className="mt-1 text-xs text-stone-500">Source: {s.method.source}</p>
              </details>
            </div>
          ))}
        </div>
        <form
          className="mt-4 flex max-w-xl items-start gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ name });
          }}
        >
          <div className="flex-1">
            <Input aria-label="New dataset name" aria-invalid={!!create.error} aria-describedby={create.error ? "new-dataset-error" : undefined} placeholder="Or an empty dataset: name it" value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <Button type="submit" variant="primary" disabled={create.isPending}>Create empty dataset</Button>
        </form>
        <ErrorText id="new-dataset-error">{create.error?.message}</ErrorText>
      </section>

      <section>
        <h2 className="mb-2 text-sm font-semibold uppercase tracking-wide text-stone-500">Datasets</h2>
        {datasets.length === 0 ? (
          <EmptyState title="No datasets in this project">Pick a recipe above to get a working blueprint in one click.</EmptyState>
        ) : (
          <ul className="divide-y divide-stone-200 overflow-hidden rounded-lg border border-stone-200 bg-white">
            {datasets.map((d) => (
              <li key={d.id} className="flex items-center gap-4 px-4 py-3">
                <Link href={`/datasets/${d.id}`} className="min-w-0 flex-1 hover:underline">
                  <span className="font-medium">{d.name}</span>
                  <span className="ml-3 text-sm text-stone-500">
                    {d.fieldCount} field{d.fieldCount === 1 ? "" : "s"} · {d.recordCount} record{d.recordCount === 1 ? "" : "s"}
                  </span>
                </Link>
                <DeleteButton
                  name={d.name}
                  question={`Delete the dataset "${d.name}" with its runs and records?${d.activeRuns > 0 ? ` ${d.activeRuns} of its runs ${d.activeRuns === 1 ? "is" : "are"} still active and will be stopped.` : ""}`}
                  onDelete={() => remove.mutate(d.id)}
                />
              </li>
            ))}
          </ul>
        )}
        <ErrorText>{remove.error?.message}</ErrorText>
      </section>
    </div>
  );
}
