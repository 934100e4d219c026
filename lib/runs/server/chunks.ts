import "server-only";
// Several worker processes on one run. The run's positions are cut into chunks
// (lib/runs/chunks.ts), one RunChunk row each; a process claims a free chunk with
// FOR UPDATE SKIP LOCKED (two processes never take the same one), makes its positions
// that are not stored yet, and renews its lease with every heartbeat. A chunk is done
// once the database holds a record for each of its positions, checked by that same
// heartbeat statement. A process that dies stops renewing: after LEASE_MS its chunks are
// free again and another process takes them over, skipping what was stored, so what is
// lost is only what the dead process had in flight or buffered (at most FLUSH_EVERY_MS of
// answers). Records are still written ON CONFLICT DO NOTHING on (runId, index), so even
// a process that lost its lease while paused cannot store a record twice.
//
// Why chunks in a table rather than more pg-boss jobs per run: how many processes will
// come is unknown at launch, a job is handed out only on a poll, and a job holds a slot in
// the process that took it even when its run has nothing left; a chunk is one small row,
// claimed in one statement whenever a process runs out of work, by whoever is there.
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/server/prisma";
import type { SeedRowsForRecord } from "@/lib/blueprints/samplers";
import { chunkRanges } from "../chunks";
import { STALE_AFTER_MS, WATCH_EVERY_MS } from "./liveness";

/** A chunk whose owner has not renewed it for this long is free again: the same staleness as a run's heartbeat. */
export const LEASE_MS = STALE_AFTER_MS;

/** Who holds a chunk: this host and process, and one execution of the run in it. */
export function chunkOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Writes the run's chunks when it starts (once: a resumed run keeps its rows), and reopens
 * chunks marked done that miss a record ("Retry failed" deleted the failed ones).
 */
export async function prepareChunks(db: Db, run: { id: string; requested: number; firstIndex: number }) {
  await db.$executeRawUnsafe(
    `insert into "RunChunk" ("runId", start, "end")
     select $1::uuid, x.start, x."end" from json_to_recordset($2::json) as x(start int, "end" int)
     on conflict do nothing`,
    run.id,
    JSON.stringify(chunkRanges(run.requested)),
  );
  await db.$executeRaw`
    update "RunChunk" c set done = false
    where c."runId" = ${run.id}::uuid and c.done
      and (select count(*) from "Record" r where r."runId" = c."runId" and r.index >= ${run.firstIndex}::int + c.start and r.index < ${run.firstIndex}::int + c."end") < c."end" - c.start`;
}

/**
 * Claims the first free chunk (never held, or its owner's lease ran out); null when there is none.
 * The pick is a MATERIALIZED CTE so it runs once: as a subquery joined to the chunk table it
 * could be the inner side of a nested loop, run again for each chunk row, and since LockRows
 * skips rows the statement itself has just updated, each run handed out the next chunk, so
 * one claim took them all (seen with a generic plan; chunks.db.test.ts forces one).
 */
export async function claimChunk(db: Db, runId: string, owner: string): Promise<{ start: number; end: number } | null> {
  const [chunk] = await db.$queryRaw<{ start: number; end: number }[]>`
    with pick as materialized (
      select start from "RunChunk"
      where "runId" = ${runId}::uuid and not done and (owner is null or "leaseUntil" < now())
      order by start limit 1 for update skip locked
    )
    update "RunChunk" c set owner = ${owner}, "leaseUntil" = now() + ${LEASE_MS} * interval '1 millisecond'
    from pick
    where c."runId" = ${runId}::uuid and c.start = pick.start
    returning c.start, c."end"`;
  return chunk ?? null;
}

/**
 * The heartbeat of a process's chunks: renews the leases of those it is working on (`held`:
 * a chunk it owns in the database but not in memory runs out and is claimed again, never
 * stuck), marks done those whose every position is stored, and reads the run's cost as all
 * processes have written it (for the budget cap). Returns the chunks it still owns.
 */
export async function keepChunks(db: Db, run: { id: string; firstIndex: number }, owner: string, held: number[]): Promise<{ kept: number[]; costUsd: number }> {
  const [row] = await db.$queryRaw<{ kept: number[] | null; costUsd: number }[]>`
    with kept as (
      update "RunChunk" c set "leaseUntil" = case when c.start = any(${held}::int[]) then now() + ${LEASE_MS} * interval '1 millisecond' else c."leaseUntil" end,
        done = (select count(*) from "Record" r where r."runId" = c."runId" and r.index >= ${run.firstIndex}::int + c.start and r.index < ${run.firstIndex}::int + c."end") = c."end" - c.start
      where c."runId" = ${run.id}::uuid and c.owner = ${owner} and not c.done
      returning c.start
    )
    select (select array_agg(start) from kept) as kept, (select "costUsd" from "Run" where id = ${run.id}::uuid) as "costUsd"`;
  return { kept: row?.kept ?? [], costUsd: row?.costUsd ?? 0 };
}

/** Frees the chunks a stopping process still holds (positions it did not finish), for the others at once. */
export async function releaseChunks(db: Db, runId: string, owner: string) {
  await db.$executeRaw`update "RunChunk" set owner = null, "leaseUntil" = null where "runId" = ${runId}::uuid and owner = ${owner} and not done`;
}

/** Chunks not done: all of them, and those this process is not working on (`held`). */
export async function openChunks(db: Db, runId: string, held: number[] = []): Promise<{ open: number; notHeld: number }> {
  const [row] = await db.$queryRaw<{ open: number; notHeld: number }[]>`
    select count(*)::int as open, (count(*) filter (where start <> all(${held}::int[])))::int as "notHeld"
    from "RunChunk" where "runId" = ${runId}::uuid and not done`;
  return row;
}

/** Running runs with a chunk free to claim: what an idle worker process joins. */
export async function joinableRuns(db: Db): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    select r.id from "Run" r
    where r.status = 'running'
      and exists (select 1 from "RunChunk" c where c."runId" = r.id and not c.done and (c.owner is null or c."leaseUntil" < now()))`;
  return rows.map((r) => r.id);
}

/** An ended run needs its chunks no more ("Retry failed" writes them again). */
export async function dropChunks(db: Db, runId: string) {
  await db.$executeRaw`
    delete from "RunChunk" c using "Run" r
    where c."runId" = ${runId}::uuid and r.id = c."runId" and r.status in ('completed', 'failed', 'partial')`;
}

type Position = { position: number; seedRows: SeedRowsForRecord };

/**
 * The positions one process makes, chunk by chunk: `take` hands out the next one, claiming
 * a chunk when those in hand run out (one claim at a time, shared by the executor's
 * concurrent workers). A helper process stops when no chunk is free; the process that
 * owns the run's queue job (`waitForOthers`) waits while others hold chunks, to take over
 * any whose owner dies, and stops when only its own remain.
 */
export class ChunkedPositions {
  private queue: { position: number; start: number; seedRows: SeedRowsForRecord }[] = [];
  /** Chunks this process holds and has not seen taken over. */
  private held = new Set<number>();
  private claiming: Promise<boolean> | null = null;
  private finished = false;

  constructor(
    private db: Db,
    private run: { id: string; firstIndex: number },
    readonly owner: string,
    private opts: {
      waitForOthers: boolean;
      signal: AbortSignal;
      /** Seed-table rows for these positions, when the blueprint reads a seed table. */
      seedRows?: (positions: number[]) => Promise<(position: number) => SeedRowsForRecord>;
    },
  ) {}

  /** Nothing left to hand out: no chunk to claim and none of the claimed positions waiting. */
  get exhausted() {
    return this.finished && this.queue.length === 0;
  }

  async take(): Promise<Position | null> {
    for (;;) {
      if (this.opts.signal.aborted) return null;
      const item = this.queue.shift();
      if (item) {
        // A chunk taken over by another process (this one stalled past its lease) is theirs now.
        if (this.held.has(item.start)) return item;
        continue;
      }
      if (this.finished) return null;
      this.claiming ??= this.claimNext().finally(() => (this.claiming = null));
      if (!(await this.claiming)) {
        this.finished = true;
        return null;
      }
    }
  }

  /** After a heartbeat: drops the chunks held before it (`before`) that it no longer returned. */
  kept(before: Set<number>, kept: number[]) {
    const still = new Set(kept);
    for (const start of before) if (!still.has(start)) this.held.delete(start);
  }

  heldNow(): Set<number> {
    return new Set(this.held);
  }

  /** Keeps the leases of the chunks in hand (keepChunks) and drops those taken over. */
  async keep(): Promise<{ costUsd: number }> {
    const before = this.heldNow();
    const kept = await keepChunks(this.db, this.run, this.owner, [...before]);
    this.kept(before, kept.kept);
    return kept;
  }

  /** Claims chunks until one has a position left to make; false when this process is done. */
  private async claimNext(): Promise<boolean> {
    while (!this.opts.signal.aborted) {
      const chunk = await claimChunk(this.db, this.run.id, this.owner);
      if (!chunk) {
        if (!this.opts.waitForOthers) return false;
        const { notHeld } = await openChunks(this.db, this.run.id, [...this.held]);
        if (notHeld === 0) return false;
        await abortableDelay(WATCH_EVERY_MS, this.opts.signal);
        continue;
      }
      const stored = await this.db.$queryRaw<{ position: number }[]>`
        select index - ${this.run.firstIndex}::int as position from "Record"
        where "runId" = ${this.run.id}::uuid and index >= ${this.run.firstIndex + chunk.start}::int and index < ${this.run.firstIndex + chunk.end}::int`;
      const storedSet = new Set(stored.map((r) => r.position));
      const positions: number[] = [];
      for (let p = chunk.start; p < chunk.end; p++) if (!storedSet.has(p)) positions.push(p);
      if (positions.length === 0) {
        await this.db.$executeRaw`update "RunChunk" set done = true where "runId" = ${this.run.id}::uuid and start = ${chunk.start}::int`;
        continue;
      }
      const lookup = this.opts.seedRows ? await this.opts.seedRows(positions) : () => ({});
      this.held.add(chunk.start);
      for (const position of positions) this.queue.push({ position, start: chunk.start, seedRows: lookup(position) });
      return true;
    }
    return false;
  }
}

function abortableDelay(ms: number, signal: AbortSignal) {
  return new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
