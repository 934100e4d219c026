// Claims, leases and take-over of a run's chunks, between two owners in one process (the
// two-process test with a SIGKILL is workers.db.test.ts). On a database of its own: the
// worker processes other files spawn would join this file's running run and claim its chunks.
import { expect, test } from "vitest";
import { ownDatabase } from "@/lib/testing/db";
import { launchedTestRun } from "@/lib/testing/runs";
import { ChunkedPositions, claimChunk, joinableRuns, openChunks, prepareChunks } from "./chunks";

const own = ownDatabase("chunks");

test("two owners never claim the same chunk; a lapsed lease is taken over and its first owner drops what it had queued", async () => {
  const { db } = own.get();
  const { run } = await launchedTestRun(db, "Chunks");
  await db.run.update({ where: { id: run.id }, data: { status: "running" } });
  const r = { id: run.id, requested: 60, firstIndex: run.firstIndex };
  await prepareChunks(db, r);
  expect(await openChunks(db, run.id)).toEqual({ open: 3, notHeld: 3 });
  expect(await joinableRuns(db)).toContain(run.id);

  const signal = new AbortController().signal;
  const a = new ChunkedPositions(db, r, "owner-a", { waitForOthers: false, signal });
  const b = new ChunkedPositions(db, r, "owner-b", { waitForOthers: false, signal });
  const firstA = await a.take();
  const firstB = await b.take();
  expect(firstA?.position).toBe(0);
  expect(firstB?.position).toBe(25);
  // Heartbeats return what each owns, as numbers.
  expect(await a.keep()).toMatchObject({ costUsd: 0 });
  expect([...a.heldNow()]).toEqual([0]);

  // A's lease lapses (its process stalled): C takes chunk 0 over; A's next heartbeat drops it.
  await db.$executeRaw`update "RunChunk" set "leaseUntil" = now() - interval '1 second' where "runId" = ${run.id}::uuid and start = 0`;
  expect(await claimChunk(db, run.id, "owner-c")).toEqual({ start: 0, end: 25 });
  await a.keep();
  expect([...a.heldNow()]).toEqual([]);
  // A's queued positions of chunk 0 are C's now: A goes on to the last free chunk.
  expect((await a.take())?.position).toBe(50);
  expect(await claimChunk(db, run.id, "owner-d")).toBeNull();
});

test("a claim takes one chunk whatever plan PostgreSQL picks for it", async () => {
  // The bench (workers_3_speedup) caught one process holding all of a run's chunks at once,
  // after the statement's plan had switched to a generic one: with the chunk table as the
  // outer side of a nested loop, the LIMIT 1 … SKIP LOCKED pick ran again for each row and,
  // skipping the rows the statement had just updated, handed out the next chunk every time.
  // Statistics taken while the table held one row and a generic plan give that shape.
  const { db } = own.get();
  const { run } = await launchedTestRun(db, "ChunkPlan");
  await db.run.update({ where: { id: run.id }, data: { status: "running" } });
  await db.$executeRaw`delete from "RunChunk"`;
  await prepareChunks(db, { id: run.id, requested: 25, firstIndex: run.firstIndex });
  await db.$executeRawUnsafe(`analyze "RunChunk"`);
  await prepareChunks(db, { id: run.id, requested: 400, firstIndex: run.firstIndex });
  const claimed = await db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("set local plan_cache_mode = force_generic_plan");
    return claimChunk(tx as unknown as typeof db, run.id, "owner-generic");
  });
  expect(claimed).toEqual({ start: 0, end: 25 });
  const owned = await db.$queryRaw<{ n: number }[]>`select count(*)::int as n from "RunChunk" where "runId" = ${run.id}::uuid and owner = 'owner-generic'`;
  expect(owned[0].n).toBe(1);
});
