"use client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { useDebounced } from "@/lib/hooks/use-debounced";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorText, Input, Label, describedBy, hintId, inputClass } from "@/components/ui/field";
import type { Blueprint } from "@/lib/blueprints/schema";
import { unwrap } from "@/lib/errors/client";
import { estimateRunAction, launchRunAction, listRunsAction } from "@/lib/runs/actions";
import { MAX_SEED, randomRunSeed } from "@/lib/runs/schemas";
import { canTargetGood, defaultAttemptCap, DEFAULT_ATTEMPTS_PER_GOOD, defaultThresholds, judgesOf } from "@/lib/runs/target";
import { STATUS_TONE, num, usd } from "./format";
import { TargetThresholds } from "./target-thresholds";

/** `batch`: the connection's preset has a Batch API (lib/providers/presets.ts), so batch mode is offered. */
type Conn = { id: string; name: string; defaultModel: string; maxConcurrency: number; batch?: boolean };


export function RunsPanel({ datasetId, blueprint, initialSeed, errorCount, connections }: { datasetId: string; blueprint: Blueprint; initialSeed: number; errorCount: number; connections: Conn[] }) {
  const router = useRouter();
  const qc = useQueryClient();
  const id = useId();
  const [records, setRecords] = useState(100);
  // "N attempts" or "N good records" (lib/runs/target.ts); in the second, `records` sent is the attempt cap.
  const [mode, setMode] = useState<"attempts" | "good">("attempts");
  const [goodWanted, setGoodWanted] = useState(100);
  const [capText, setCapText] = useState("");
  const [thresholds, setThresholds] = useState(() => defaultThresholds(blueprint));
  const targetPossible = canTargetGood(blueprint);
  const good = mode === "good" && targetPossible;
  const cap = /^\d+$/.test(capText.trim()) && Number(capText) > 0 ? Number(capText) : capText.trim() === "" ? defaultAttemptCap(goodWanted) : null;
  const attempts = good ? (cap ?? defaultAttemptCap(goodWanted)) : records;
  const [connectionId, setConnectionId] = useState(connections[0]?.id ?? "");
  const [concurrency, setConcurrency] = useState(Math.min(16, connections[0]?.maxConcurrency ?? 16));
  const [budget, setBudget] = useState("");
  const [useCache, setUseCache] = useState(true);
  const [batchWanted, setBatchWanted] = useState(false);
  // Batch mode: fixed-size runs on a connection with a Batch API (an "N good" run decides as answers land).
  const batchPossible = !good && connections.find((c) => c.id === connectionId)?.batch === true;
  const batch = batchWanted && batchPossible;
  // Every launch draws new records: a fresh seed, shown under the advanced options, where a
  // previous run's seed can be reused to reproduce that run exactly.
  const [seedText, setSeedText] = useState(String(initialSeed));
  const [reuseRunId, setReuseRunId] = useState("");
  const seed = /^\d+$/.test(seedText.trim()) && Number(seedText) <= MAX_SEED ? Number(seedText) : null;
  const debouncedRecords = useDebounced(attempts, 300);
  const debouncedSeed = useDebounced(seed, 300);

  const estimate = useQuery({
    queryKey: ["estimate", datasetId, debouncedRecords, debouncedSeed, batch],
    // The figure keeps the record count it was computed for: while the next one loads, the
    // previous figure stays on screen (keepPreviousData) and must not take the new count.
    queryFn: async () => ({ ...(await unwrap(estimateRunAction({ datasetId, blueprint, records: debouncedRecords, seed: debouncedSeed ?? 0, batch }))), records: debouncedRecords }),
    enabled: debouncedRecords >= 1 && errorCount === 0 && debouncedSeed !== null,
    placeholderData: keepPreviousData,
  });
  const runs = useQuery({
    queryKey: ["runs", datasetId],
    queryFn: () => unwrap(listRunsAction({ datasetId })),
    // Runs change behind the page's back (workers); always show the current list.
    staleTime: 0,
    refetchOnMount: "always",
    refetchInterval: (q) => (q.state.data?.some((r) => r.status === "queued" || r.status === "running") ? 1000 : false),
  });
  const launch = useMutation({
    mutationFn: () =>
      unwrap(
        launchRunAction({
          datasetId,
          connectionId,
          records: attempts,
          seed: seed ?? undefined,
          settings: { concurrency, useCache, budgetUsd: budget.trim() ? Number(budget) : null, target: good ? { good: goodWanted, thresholds } : null, batch },
        }),
      ),
    onSuccess: ({ id }) => {
      // The next launch draws new records again.
      setSeedText(String(randomRunSeed()));
      setReuseRunId("");
      void qc.invalidateQueries({ queryKey: ["runs", datasetId] });
      router.push(`/runs/${id}`);
    },
  });

  const noLlm = !blueprint.fields.some((f) => f.kind === "llm" || f.kind === "judge" || f.kind === "conversation");
  return (
    <div className="grid gap-6 lg:grid-cols-[24rem_minmax(0,1fr)]">
      <section aria-label="Launch a run" className="h-fit rounded-lg border border-stone-200 bg-white p-4">
        <h2 className="mb-3 font-semibold">Generate a batch</h2>
        {errorCount > 0 && (
          <p role="alert" className="mb-3 rounded bg-red-50 p-2 text-sm text-red-800">
            The blueprint has {errorCount} error{errorCount > 1 ? "s" : ""}. <Link className="underline" href={`/datasets/${datasetId}`}>Fix them in Design</Link> before launching.
          </p>
        )}
        {connections.length === 0 && (
          <p className="mb-3 rounded bg-amber-50 p-2 text-sm text-amber-900">
            No provider connection yet. <Link className="underline" href="/settings/providers">Add one</Link> (or start the fake server with <code>npm run fake-llm</code>).
          </p>
        )}
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            launch.mutate();
          }}
        >
          <fieldset>
            <legend className="mb-1 text-xs font-medium text-stone-600">Records</legend>
            <div className="flex gap-4 text-sm">
              <label className="flex items-center gap-1.5">
                <input type="radio" name={`${id}-mode`} checked={!good} onChange={() => setMode("attempts")} /> N attempts
              </label>
              <label className="flex items-center gap-1.5">
                <input type="radio" name={`${id}-mode`} checked={good} disabled={!targetPossible} aria-describedby={targetPossible ? undefined : `${id}-good-hint`} onChange={() => setMode("good")} /> N good records
              </label>
            </div>
            {!targetPossible && (
              <p id={`${id}-good-hint`} className="mt-1 text-xs text-stone-500">
                Add a judge or a &quot;reject&quot; validator in Design to ask for good records: without one every finished record is good.
              </p>
            )}
          </fieldset>
          {good ? (
            <div className="space-y-3 rounded-md border border-emerald-200 bg-emerald-50/40 p-3">
              <div>
                <Label htmlFor={`${id}-good`}>Good records wanted</Label>
                <Input id={`${id}-good`} type="number" min={1} value={goodWanted} onChange={(e) => setGoodWanted(Math.max(1, Math.trunc(Number(e.target.value)) || 1))} />
              </div>
              <TargetThresholds judges={judgesOf(blueprint)} value={thresholds} onChange={setThresholds} />
              <div>
                <Label htmlFor={`${id}-cap`} hint={`default ${DEFAULT_ATTEMPTS_PER_GOOD}× the good records`}>Attempt cap</Label>
                <Input
                  id={`${id}-cap`}
                  inputMode="numeric"
                  placeholder={num(defaultAttemptCap(goodWanted))}
                  value={capText}
                  aria-invalid={cap === null || cap < goodWanted}
                  aria-describedby={describedBy(hintId(`${id}-cap`), (cap === null || cap < goodWanted) && `${id}-cap-error`)}
                  onChange={(e) => setCapText(e.target.value)}
                />
                {(cap === null || cap < goodWanted) && <ErrorText id={`${id}-cap-error`}>The attempt cap is a whole number, at least the good records wanted.</ErrorText>}
              </div>
              <p className="text-xs text-stone-600">
                Good: succeeded, no &quot;reject&quot; validator failed, and every judge score at its threshold. The run stops when it has them, at the attempt cap, at the budget cap, or when none of its first 200 attempts is good.
              </p>
            </div>
          ) : (
            <div>
              <Label htmlFor={`${id}-records`}>Records to generate</Label>
              <Input id={`${id}-records`} type="number" min={1} value={records} onChange={(e) => setRecords(Math.max(1, Math.trunc(Number(e.target.value)) || 1))} />
            </div>
          )}
          <div>
            <Label htmlFor={`${id}-connection`}>Connection</Label>
            <select id={`${id}-connection`} className={inputClass} value={connectionId} onChange={(e) => setConnectionId(e.target.value)}>
              {connections.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </select>
          </div>
          {batchPossible && (
            <div>
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={batchWanted} aria-describedby={`${id}-batch-hint`} onChange={(e) => setBatchWanted(e.target.checked)} /> Batch (cheaper, slower)
              </label>
              <p id={`${id}-batch-hint`} className="mt-1 text-xs text-stone-500">
                Sends the requests through the provider&apos;s Batch API at half price; answers arrive within 24 hours, and records land as each batch finishes.
              </p>
            </div>
          )}
          <div className="grid grid-cols-2 gap-3">
            <div>
              <Label htmlFor={`${id}-concurrency`} hint="records at once">Concurrency</Label>
              <Input id={`${id}-concurrency`} aria-describedby={hintId(`${id}-concurrency`)} type="number" min={1} max={1024} value={concurrency} onChange={(e) => setConcurrency(Math.min(1024, Math.max(1, Math.trunc(Number(e.target.value)) || 1)))} />
            </div>
            <div>
              <Label htmlFor={`${id}-budget`} hint="USD, optional">Budget cap</Label>
              <Input id={`${id}-budget`} aria-describedby={hintId(`${id}-budget`)} type="number" min={0} step="0.01" placeholder="no cap" value={budget} onChange={(e) => setBudget(e.target.value)} />
            </div>
          </div>
          <details className="rounded-md border border-stone-200 px-3 py-2 text-sm">
            <summary className="cursor-pointer font-medium text-stone-700">Advanced options</summary>
            <div className="mt-3 space-y-3">
              <div>
                <label htmlFor={`${id}-seed`} className="mb-1 block text-xs font-medium text-stone-600">
                  Seed
                </label>
                <div className="flex gap-2">
                  <Input
                    id={`${id}-seed`}
                    inputMode="numeric"
                    value={seedText}
                    aria-invalid={seed === null}
                    aria-describedby={`${id}-seed-hint${seed === null ? ` ${id}-seed-error` : ""}`}
                    onChange={(e) => {
                      setSeedText(e.target.value);
                      setReuseRunId("");
                    }}
                  />
                  <Button
                    type="button"
                    onClick={() => {
                      setSeedText(String(randomRunSeed()));
                      setReuseRunId("");
                    }}
                  >
                    New seed
                  </Button>
                </div>
                <p id={`${id}-seed-hint`} className="mt-1 text-xs text-stone-500">
                  A new random seed for every launch, so each run draws new records. The same seed and blueprint draw the same records.
                </p>
                {seed === null && <ErrorText id={`${id}-seed-error`}>The seed is a whole number from 0 to {MAX_SEED}.</ErrorText>}
              </div>
              {runs.data && runs.data.length > 0 && (
                <div>
                  <label htmlFor={`${id}-reuse`} className="mb-1 block text-xs font-medium text-stone-600">
                    Reuse the seed of run
                  </label>
                  <select
                    id={`${id}-reuse`}
                    className={inputClass}
                    value={reuseRunId}
                    onChange={(e) => {
                      const run = runs.data.find((r) => r.id === e.target.value);
                      setReuseRunId(e.target.value);
                      setSeedText(String(run ? run.seed : randomRunSeed()));
                    }}
                  >
                    <option value="">None: draw new records</option>
                    {runs.data.map((r) => (
                      <option key={r.id} value={r.id}>
                        {new Date(r.createdAt).toLocaleString()} · {num(r.requested)} records · seed {r.seed}
                      </option>
                    ))}
                  </select>
                </div>
              )}
              <label className="flex items-center gap-2">
                <input type="checkbox" checked={useCache} onChange={(e) => setUseCache(e.target.checked)} /> Reuse answers already paid for when a record is generated again (cache)
              </label>
            </div>
          </details>

          <div className="rounded-md bg-stone-50 p-3 text-sm" data-testid="estimate" aria-live="polite">
            {noLlm ? (
              <p>No LLM fields: this run makes no model calls and costs nothing.</p>
            ) : estimate.error ? (
              <p className="text-red-700">{estimate.error.message}</p>
            ) : estimate.data && good ? (
              <TargetEstimate costUsd={estimate.data.expected?.costUsd ?? estimate.data.costUsd} worst={!estimate.data.expected} attempts={estimate.data.records} wanted={goodWanted} targetYield={estimate.data.targetYield} />
            ) : estimate.data ? (
              <>
                {estimate.data.expected ? (
                  <>
                    <p className="font-medium">
                      Expected ≈ {usd(estimate.data.expected.costUsd)} for {num(estimate.data.records)} records{estimate.data.batch && " at batch prices (half)"}
                    </p>
                    <p className="text-stone-600">
                      {num(estimate.data.expected.tokensIn)} prompt + {num(estimate.data.expected.tokensOut)} answer tokens, from the answer lengths seen:{" "}
                      {estimate.data.expected.basis.map((b) => `${b.field} ${num(b.meanTokensOut)} tokens on average over ${num(b.answers)} answer${b.answers === 1 ? "" : "s"} (${b.from.join(" and ")})`).join("; ")}
                    </p>
                    <p className="mt-1 text-stone-600">
                      At most {usd(estimate.data.costUsd)} if every answer uses max_tokens ({num(estimate.data.tokensOut)} answer tokens)
                    </p>
                  </>
                ) : (
                  <>
                    <p className="font-medium">
                      {estimate.data.exact ? "At most " : "At most ≈ "}
                      {usd(estimate.data.costUsd)} for {num(estimate.data.records)} records{estimate.data.batch && " at batch prices (half)"}
                    </p>
                    <p className="text-stone-600">
                      {num(estimate.data.tokensIn)} prompt + {num(estimate.data.tokensOut)} answer tokens. Generate live samples in Design for the expected cost.
                    </p>
                  </>
                )}
                {!estimate.data.exactInputTokens && <p className="text-stone-600">Token counts are estimated: not an OpenAI tokenizer model.</p>}
                {estimate.data.unknownModels.length > 0 && (
                  <p className="text-amber-800">No price for {estimate.data.unknownModels.join(", ")}: counted as free. <Link className="underline" href="/settings/providers">Set prices</Link></p>
                )}
                <p className="mt-1 text-xs text-stone-500">{estimate.data.assumption}</p>
              </>
            ) : (
              <p className="text-stone-500">Estimating…</p>
            )}
          </div>
          <Button type="submit" variant="primary" className="w-full" disabled={launch.isPending || errorCount > 0 || !connectionId || seed === null || (good && (cap === null || cap < goodWanted))}>
            {launch.isPending ? "Launching…" : good ? `Launch ${num(goodWanted)} good records` : `Launch ${num(records)} records`}
          </Button>
          <ErrorText>{launch.error?.message}</ErrorText>
        </form>
      </section>

      <section aria-label="Runs">
        <h2 className="mb-3 font-semibold">Runs</h2>
        {runs.error && <p role="alert" className="text-sm text-red-700">{runs.error.message}</p>}
        {runs.isPending && <p className="text-sm text-stone-500">Loading runs…</p>}
        {runs.data?.length === 0 && <EmptyState title="No runs yet">Launch a batch: it runs in the background, survives restarts, and can be paused or cancelled.</EmptyState>}
        {runs.data && runs.data.length > 0 && (
          <ul className="divide-y divide-stone-200 overflow-hidden rounded-lg border border-stone-200 bg-white">
            {runs.data.map((r) => {
              const done = r.succeeded + r.failed;
              return (
                <li key={r.id} data-testid="run-row">
                  <Link href={`/runs/${r.id}`} className="block px-4 py-3 hover:bg-stone-50">
                    <div className="flex items-center gap-3 text-sm">
                      <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_TONE[r.status]}`}>{r.status}</span>
                      {r.target ? (
                        <span className="font-medium">
                          {num(r.target.good)} / {num(r.target.of)} good records <span className="font-normal text-stone-500">({num(done)} attempts)</span>
                        </span>
                      ) : (
                        <span className="font-medium">{num(done)} / {num(r.requested)} records</span>
                      )}
                      {r.failed > 0 && <span className="text-red-700">{num(r.failed)} failed</span>}
                      <span className="text-stone-500">v{r.version} · {r.connectionName} · seed {r.seed} · {usd(r.costUsd)}</span>
                      <span className="ml-auto text-xs text-stone-500">{new Date(r.createdAt).toLocaleString()}</span>
                    </div>
                    <div className="mt-2 h-1.5 overflow-hidden rounded bg-stone-100">
                      <div className="h-full bg-indigo-500" style={{ width: `${r.target ? (r.target.good / r.target.of) * 100 : (done / r.requested) * 100}%` }} />
                    </div>
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}

/**
 * The cost of "N good records" before launch: per attempt from the estimate; the total only
 * with a yield to go on (the dataset's latest target run), else the cap's worst case.
 */
function TargetEstimate({ costUsd, worst, attempts, wanted, targetYield }: { costUsd: number; worst: boolean; attempts: number; wanted: number; targetYield: { yield: number; attempts: number; runCreatedAt: string } | null }) {
  const perAttempt = attempts > 0 ? costUsd / attempts : 0;
  const bound = worst ? "at most" : "≈";
  return (
    <>
      {targetYield && targetYield.yield > 0 ? (
        <p className="font-medium">
          Expected ≈ {usd((perAttempt * wanted) / targetYield.yield)} for {num(wanted)} good records (≈ {num(Math.ceil(wanted / targetYield.yield))} attempts)
        </p>
      ) : (
        <p className="font-medium">The cost of {num(wanted)} good records cannot be known before a run: it depends on the yield.</p>
      )}
      <p className="text-stone-600">
        {bound} {usd(perAttempt)} per attempt; {bound} {usd(costUsd)} if the run uses its whole cap of {num(attempts)} attempts.
      </p>
      {targetYield && (
        <p className="mt-1 text-xs text-stone-500">
          Yield {(targetYield.yield * 100).toFixed(1)}% ({num(targetYield.attempts)} attempts) in this dataset&apos;s target run of {new Date(targetYield.runCreatedAt).toLocaleString()}; other thresholds give another yield.
        </p>
      )}
    </>
  );
}
