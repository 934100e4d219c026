"use client";
// Live view of one run: polls progress through TanStack Query while it is active.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/field";
import { unwrap } from "@/lib/errors/client";
import { cancelRunAction, pauseRunAction, resumeRunAction, retryFailedAction, runProgressAction } from "@/lib/runs/actions";
import { progressAnnouncement } from "@/lib/runs/announce";
import type { RunProgress } from "@/lib/runs/server/progress";
import { EvolutionStats } from "./evolution-stats";
import { PoolRounds } from "./pool-rounds";
import { STATUS_TONE, duration, elapsedSeconds, num, usd } from "./format";
import { recordLabel } from "@/lib/records/number";
import { recordsHref } from "@/lib/records/filter";
import { BatchList } from "./batch-list";

const ACTIVE = new Set(["queued", "running"]);

// One term and its value of the stats' <dl>: a screen reader reads "Succeeded, 50" as a pair.
function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="rounded-lg border border-stone-200 bg-white px-3 py-2">
      <dt className="text-xs text-stone-500">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums" data-testid={testId}>{value}</dd>
    </div>
  );
}

/**
 * Elapsed time: live while the run is active, its total once finished. role="timer" is a
 * live region that is off by default, so screen readers read it when asked and are not
 * told every second.
 */
function ElapsedStat({ startedAt, finishedAt, serverNow, receivedAt, live }: { startedAt: string | null; finishedAt: string | null; serverNow: string; receivedAt: number; live: boolean }) {
  const labelId = useId();
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, [live]);
  // The server's clock, carried forward by the browser's: a browser clock that is off does not skew it.
  const now = Date.parse(serverNow) + (Date.now() - receivedAt);
  return (
    <div className="rounded-lg border border-stone-200 bg-white px-3 py-2">
      <dt className="text-xs text-stone-500" id={labelId}>Elapsed</dt>
      <dd className="text-lg font-semibold tabular-nums">
        <span role="timer" aria-labelledby={labelId} data-testid="run-elapsed">
          {duration(elapsedSeconds(startedAt, finishedAt, now))}
        </span>
      </dd>
    </div>
  );
}

/** "N good records" runs: good of N is the run's progress; attempts (below) are what it cost to get there. */
function TargetProgress({ t, runId, datasetId }: { t: NonNullable<RunProgress["target"]>; runId: string; datasetId: string }) {
  return (
    <section aria-label="Good records" className="rounded-lg border border-emerald-200 bg-emerald-50/50 p-3">
      <div className="mb-1 flex justify-between text-sm">
        <span className="font-medium" data-testid="run-good">
          {num(t.good)} of {num(t.of)} good records
        </span>
        <span className="text-stone-600">{((t.good / t.of) * 100).toFixed(1)}%</span>
      </div>
      <div
        className="h-2.5 overflow-hidden rounded bg-stone-100"
        role="progressbar"
        aria-label="Good records"
        aria-valuemin={0}
        aria-valuenow={t.good}
        aria-valuemax={t.of}
        aria-valuetext={`${num(t.good)} of ${num(t.of)} good records`}
      >
        <div className="h-full bg-emerald-600" style={{ width: `${(t.good / t.of) * 100}%` }} />
      </div>
      <dl className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Stat label="Yield (good ÷ finished attempts)" value={t.yield === null ? "—" : `${(t.yield * 100).toFixed(1)}%`} testId="run-yield" />
        <Stat label="Cost per good record" value={t.costPerGood === null ? "—" : usd(t.costPerGood)} testId="run-cost-per-good" />
        <Stat label="Attempts still needed (at this yield)" value={t.attemptsStillNeeded === null ? "unknown yet" : `≈ ${num(t.attemptsStillNeeded)}`} />
        <Stat label="Over the target (kept, not counted)" value={num(t.over)} testId="run-over" />
      </dl>
      <p className="mt-2 text-xs text-stone-600">
        Attempt cap: {num(t.attemptCap)}. Records that turn out good after the target is reached are kept (they were paid for) but marked over the target and left out of exports by default.{" "}
        <Link className="text-indigo-700 underline" href={recordsHref(datasetId, { runIds: [runId], target: "good" })}>Review the good records</Link>
        {t.over > 0 && (
          <>
            {" · "}
            <Link className="text-indigo-700 underline" href={recordsHref(datasetId, { runIds: [runId], target: "over" })}>the records over the target</Link>
          </>
        )}
      </p>
    </section>
  );
}

export function RunMonitor({ initial }: { initial: RunProgress }) {
  const qc = useQueryClient();
  const key = ["run", initial.id];
  const q = useQuery({
    queryKey: key,
    queryFn: () => unwrap(runProgressAction({ runId: initial.id })),
    initialData: initial,
    refetchInterval: (query) => (ACTIVE.has(query.state.data?.status ?? "") || query.state.data?.status === "paused" ? 1000 : false),
  });
  const control = useMutation({
    mutationFn: (fn: (i: unknown) => Promise<unknown>) => unwrap(fn({ runId: initial.id }) as never),
    onSettled: () => qc.invalidateQueries({ queryKey: key }),
  });
  const r = q.data;
  const done = r.succeeded + r.failed;
  const errors = Object.entries(r.errorCounts);

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{r.regenerate ? `Regenerating ${r.regenerate} in ${num(r.requested)} records` : r.target ? `Run of ${num(r.target.of)} good records` : `Run of ${num(r.requested)} records`}</h1>
        <span data-testid="run-status" className={`rounded px-2 py-0.5 text-sm font-medium ${STATUS_TONE[r.status]}`}>{r.status}</span>
        <span className="text-sm text-stone-500">blueprint v{r.blueprintVersion} · {r.connectionName}</span>
        <div className="ml-auto flex gap-2">
          {ACTIVE.has(r.status) && <Button onClick={() => control.mutate(pauseRunAction)}>Pause</Button>}
          {(r.status === "paused" || ((r.status === "cancelled" || r.status === "failed" || r.status === "partial") && r.pending > 0)) && (
            <Button variant="primary" onClick={() => control.mutate(resumeRunAction)}>Resume</Button>
          )}
          {!ACTIVE.has(r.status) && r.failed > 0 && <Button onClick={() => control.mutate(retryFailedAction)}>Retry failed ({num(r.failed)})</Button>}
          {(ACTIVE.has(r.status) || r.status === "paused") && (
            <Button variant="danger" onClick={() => confirm("Cancel this run? Records generated so far are kept.") && control.mutate(cancelRunAction)}>
              Cancel run
            </Button>
          )}
        </div>
      </div>
      <ErrorText>{control.error?.message}</ErrorText>
      {r.stopReason && <p className="rounded bg-stone-100 p-2 text-sm text-stone-700" data-testid="stop-reason">{r.stopReason}</p>}

      {r.target && <TargetProgress t={r.target} runId={r.id} datasetId={r.datasetId} />}
      <div>
        <div className="mb-1 flex justify-between text-sm">
          {r.target && <span className="sr-only">Attempts: </span>}
          <span data-testid="run-done">{num(done)} / {num(r.requested)}</span>
          <span className="text-stone-500">{((done / r.requested) * 100).toFixed(1)}%</span>
        </div>
        <div
          className="flex h-2.5 overflow-hidden rounded bg-stone-100"
          role="progressbar"
          aria-label={r.target ? "Attempts" : "Run progress"}
          aria-valuemin={0}
          aria-valuenow={done}
          aria-valuemax={r.requested}
          aria-valuetext={`${num(done)} of ${num(r.requested)} records`}
        >
          <div className="bg-emerald-500" style={{ width: `${((r.succeeded - r.rejected) / r.requested) * 100}%` }} />
          <div className="bg-amber-400" style={{ width: `${(r.rejected / r.requested) * 100}%` }} />
          <div className="bg-red-400" style={{ width: `${(r.failed / r.requested) * 100}%` }} />
        </div>
        <p role="status" className="sr-only" data-testid="run-announcement">{progressAnnouncement(r)}</p>
        {/* Always in the page (a live region must exist before it changes); polite: read when
            the run's situation changes, not on every poll. */}
        <div role="status" data-testid="run-activity" className="mt-2 space-y-1 text-sm text-amber-900 empty:mt-0">
          {r.resuming && <p>Resuming after a restart: the process running this run stopped, and a worker is taking it back.</p>}
          {r.rateLimitedUntil && <p>Waiting for the provider&apos;s rate-limit window until {new Date(r.rateLimitedUntil).toLocaleTimeString()}.</p>}
        </div>
        {/* Its own live region: the concurrency changes often, and a polite status only
            announces what changed. Shared by every run on the same (connection, model). */}
        <div role="status" aria-label="Provider concurrency" data-testid="run-limiter" className="mt-2 space-y-1 text-sm text-gray-700 empty:mt-0">
          {r.limiter.map((w) => (
            <p key={w.model}>
              {w.model}: {w.concurrency} of {w.maxConcurrency} requests in flight allowed
              {w.rateLimitedLastMinute > 0 ? `, ${w.rateLimitedLastMinute} rate-limited (429) in the last minute` : ""}.
            </p>
          ))}
        </div>
      </div>

      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-9">
        {/* Rejected records succeeded (they are stored and can be reviewed) but are counted apart. */}
        <Stat label="Succeeded" value={num(r.succeeded - r.rejected)} testId="run-succeeded" />
        {r.rejected > 0 && <Stat label="Rejected by validators" value={num(r.rejected)} testId="run-rejected" />}
        <Stat label="Failed" value={num(r.failed)} testId="run-failed" />
        <Stat label="Pending" value={num(r.pending)} />
        <Stat label="Records / s" value={r.recordsPerSecond.toFixed(1)} />
        <Stat label="ETA" value={duration(r.etaSeconds)} />
        <ElapsedStat startedAt={r.startedAt} finishedAt={r.finishedAt} serverNow={r.now} receivedAt={q.dataUpdatedAt} live={ACTIVE.has(r.status)} />
        <Stat label="Tokens" value={num(r.tokensIn + r.tokensOut)} />
        <Stat label="Cost so far" value={usd(r.costUsd)} />
        <Stat label="Estimated total" value={r.estimatedCostUsd === null ? "—" : usd(r.estimatedCostUsd)} />
      </dl>

      {r.batches && <BatchList batches={r.batches} />}
      <EvolutionStats evolution={r.evolution} />
      <PoolRounds pool={r.pool} />

      {errors.length > 0 && (
        <section>
          <h2 className="mb-2 text-sm font-semibold">Most common errors</h2>
          <ul className="rounded-lg border border-red-200 bg-red-50 text-sm">
            {errors.map(([m, n]) => (
              <li key={m} className="flex gap-3 border-b border-red-100 px-3 py-1.5 last:border-0">
                <span className="w-14 text-right font-semibold tabular-nums text-red-800">{num(n)}×</span>
                <span className="text-red-900">{m}</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section>
        <div className="mb-2 flex items-baseline justify-between">
          <h2 className="text-sm font-semibold">Latest records</h2>
          {done > 0 && (
            <Link href={`/datasets/${r.datasetId}/records`} className="text-sm text-indigo-700 hover:underline">
              Review all records →
            </Link>
          )}
        </div>
        {r.recent.length === 0 ? (
          <p className="text-sm text-stone-500">Records appear here as they are finished.</p>
        ) : (
          <ul className="space-y-2">
            {r.recent.map((rec) => (
              <li key={rec.id} data-testid="run-record" className="rounded-lg border border-stone-200 bg-white p-3 text-sm">
                <div className="mb-1 flex gap-3 text-xs text-stone-500">
                  <span>{recordLabel(rec.index)}</span>
                  <span className={rec.status === "failed" ? "text-red-700" : rec.rejected ? "text-amber-800" : "text-emerald-700"}>{rec.rejected ? "rejected" : rec.status}</span>
                  <span>{num(rec.tokensIn + rec.tokensOut)} tokens · {rec.latencyMs} ms · {usd(rec.costUsd)}</span>
                </div>
                {rec.error && <p className="text-xs text-red-700">{rec.error}</p>}
                {Object.entries(rec.checks ?? {})
                  .filter(([, c]) => !c.pass)
                  .map(([name, c]) => (
                    <p key={name} className={`text-xs ${c.mode === "reject" ? "text-amber-800" : "text-stone-600"}`}>
                      {c.mode === "reject" ? "Rejected" : "Flagged"} by <span className="font-mono">{name}</span>: {c.message}
                    </p>
                  ))}
                <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5">
                  {r.fieldOrder.filter((k) => Object.hasOwn(rec.values, k)).map((k) => [k, rec.values[k]] as const).map(([k, v]) => (
                    <div key={k} className="contents">
                      <dt className="font-mono text-xs text-stone-500">{k}</dt>
                      <dd className="line-clamp-3 whitespace-pre-wrap break-words">{typeof v === "string" ? v : JSON.stringify(v)}</dd>
                    </div>
                  ))}
                </dl>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
