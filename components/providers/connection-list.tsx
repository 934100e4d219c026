"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorText } from "@/components/ui/field";
import { unwrap } from "@/lib/errors/client";
import { deleteConnectionAction, testConnectionAction } from "@/lib/providers/actions";
import { presetById } from "@/lib/providers/presets";
import { ConnectionForm } from "./connection-form";
import { TestResultView } from "./test-result";
import type { ConnectionView } from "./types";
import { DeleteButton } from "@/components/ui/delete-button";

export function ConnectionList({ connections }: { connections: ConnectionView[] }) {
  // Which form is open: "new", a connection id, or none. One at a time.
  const [open, setOpen] = useState<string | null>(null);

  return (
    <div className="space-y-3">
      <div className="flex items-center justify-between gap-4">
        <h2 className="text-sm font-semibold uppercase tracking-wide text-stone-500">Connections</h2>
        {open !== "new" && (
          <Button variant="primary" onClick={() => setOpen("new")}>
            Add connection
          </Button>
        )}
      </div>

      {open === "new" && <ConnectionForm onDone={() => setOpen(null)} />}

      {connections.length === 0 ? (
        open !== "new" && (
          <EmptyState title="No connections yet">
            Add one to generate datasets: OpenAI or OpenRouter with an API key, or a local server such as Ollama, vLLM,
            llama.cpp or LM Studio.
          </EmptyState>
        )
      ) : (
        <ul className="divide-y divide-stone-200 overflow-hidden rounded-lg border border-stone-200 bg-white" aria-label="Connections">
          {connections.map((c) =>
            open === c.id ? (
              <li key={c.id} className="p-3">
                <ConnectionForm initial={c} onDone={() => setOpen(null)} />
              </li>
            ) : (
              <ConnectionRow key={c.id} connection={c} onEdit={() => setOpen(c.id)} />
            ),
          )}
        </ul>
      )}
    </div>
  );
}

function ConnectionRow({ connection: c, onEdit }: { connection: ConnectionView; onEdit: () => void }) {
  const router = useRouter();
  const test = useMutation({ mutationFn: () => unwrap(testConnectionAction({ id: c.id })) });
  const remove = useMutation({
    mutationFn: () => unwrap(deleteConnectionAction({ id: c.id })),
    onSuccess: () => router.refresh(),
  });

  return (
    <li className="space-y-2 px-4 py-3" data-testid="connection" aria-label={c.name}>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium text-stone-900">{c.name}</span>
            <span className="rounded bg-stone-100 px-1.5 py-0.5 text-xs text-stone-600">{presetById(c.preset).label}</span>
          </div>
          <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm text-stone-500">
            <div className="flex gap-1">
              <dt className="sr-only">Base URL</dt>
              <dd className="font-mono text-[13px] text-stone-700">{c.baseUrl}</dd>
            </div>
            <div className="flex gap-1">
              <dt>Model</dt>
              <dd className="font-mono text-[13px] text-stone-700">{c.defaultModel}</dd>
            </div>
            <div className="flex gap-1">
              <dt>Concurrency</dt>
              <dd className="text-stone-700">{c.maxConcurrency}</dd>
            </div>
            <div className="flex gap-1">
              <dt className="sr-only">API key</dt>
              <dd data-testid="key-status" className={c.keyUnreadable ? "font-medium text-red-700" : c.hasKey ? "text-stone-700" : "text-stone-500"}>
                {c.keyUnreadable
                  ? `key ••••${c.apiKeyLast4 ?? ""} cannot be read with the current secret key: edit the connection and enter it again`
                  : c.hasKey
                    ? `key ••••${c.apiKeyLast4 ?? ""}`
                    : "no key"}
              </dd>
            </div>
          </dl>
        </div>
        <div className="flex items-center gap-1">
          <Button size="sm" onClick={() => test.mutate()} disabled={test.isPending} aria-label={`Test ${c.name}`}>
            {test.isPending ? "Testing…" : "Test"}
          </Button>
          <Button size="sm" variant="ghost" onClick={onEdit} aria-label={`Edit ${c.name}`}>
            Edit
          </Button>
          <DeleteButton
            name={c.name}
            question={
              c.activeRuns > 0
                ? `Delete the connection "${c.name}" and its saved key? ${c.activeRuns} run${c.activeRuns === 1 ? " is" : "s are"} using it and will be stopped; what they made is kept.`
                : `Delete the connection "${c.name}" and its saved key? Runs that used it keep their records.`
            }
            pending={remove.isPending}
            onDelete={() => remove.mutate()}
          />
        </div>
      </div>
      <TestResultView result={test.data} pending={test.isPending} error={test.error?.message} />
      <ErrorText>{remove.error?.message}</ErrorText>
    </li>
  );
}
