// A download the browser gives up on must give its database session back: the request's
// signal and the body's cancel both end the COPY, whatever moment they come at. Checked
// on the server's side (pg_stat_activity), not only in the pool's bookkeeping: a
// connection the pool forgot can still hold a COPY and a snapshot on the server.
import { afterAll, describe, expect, test } from "vitest";
import { DomainError } from "@/lib/errors/domain-error";
import { testDb, testPgClient } from "@/lib/testing/db";
import { until } from "@/lib/testing/until";
import { ExportRequest, type ExportRequestInput } from "../schemas";
import { startExport } from "./export";
import { createRawPool, type RawPool } from "@/lib/db/copy/server/raw-pg";
import { ExportSession } from "./session";

const db = testDb();
const admin = testPgClient();
const pools: RawPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await db.$disconnect();
});

/** A pool whose sessions carry their own application_name, so this test sees only them. */
function poolNamed(max: number, connectWaitMs?: number) {
  const name = `dw_cancel_${crypto.randomUUID().slice(0, 8)}`;
  const url = new URL(process.env.DATABASE_URL!);
  url.searchParams.set("application_name", name);
  const pool = createRawPool(url.toString(), max, { connectWaitMs });
  pools.push(pool);
  return { pool, name };
}

async function sessions(name: string): Promise<number> {
  const { rows } = await admin.query<{ n: string }>(`select count(*) as n from pg_stat_activity where application_name = $1`, [name]);
  return Number(rows[0].n);
}

/** Polled with a deadline: the server notices a closed socket within milliseconds, not at once. */
const noSessionsLeft = (name: string) => until(async () => (await sessions(name)) === 0, { timeoutMs: 10_000, intervalMs: 25 });

let seeded: Promise<string> | null = null;
/** One dataset of 4,000 accepted records of ~2 KB: several socket chunks and several batches. */
function dataset(): Promise<string> {
  seeded ??= (async () => {
    const { rows: p } = await admin.query(`insert into "Project" (id, name, "updatedAt") values (gen_random_uuid(), 'Cancel ' || gen_random_uuid(), now()) returning id`);
    const { rows: d } = await admin.query(`insert into "Dataset" (id, "projectId", name, draft, "updatedAt") values (gen_random_uuid(), $1, 'Cancelled', '{"fields":[]}', now()) returning id`, [p[0].id]);
    await admin.query(
      `insert into "Record" (id, "datasetId", index, source, status, values, "nonTextFields", provenance, "reviewState", labels, edits, "updatedAt")
       select gen_random_uuid(), $1::uuid, i, 'imported', 'succeeded', jsonb_build_object('q', 'q' || i || ' ' || repeat(md5(i::text), 60)), '{}', '{}', 'accepted', '{}', '{}', now()
       from generate_series(0, 3999) i`,
      [d[0].id],
    );
    return d[0].id as string;
  })();
  return seeded;
}

const JSONL: ExportRequestInput = { format: "jsonl", fields: ["q"] };
const ZIPPED: ExportRequestInput = { format: "csv", fields: ["q"], split: { train: 50, validation: 30, test: 20, seed: 3 }, card: true };

/** Reads what is queued and what follows: a cancelled export ends in an error, never as a whole file. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>) {
  while (!(await reader.read()).done);
}

const start = async (pool: RawPool, input: ExportRequestInput, opts: Parameters<typeof startExport>[4] = {}) =>
  startExport(db, pool, await dataset(), ExportRequest.parse(input), opts);

describe("cancelled exports leave no database session behind", () => {
  test.each([
    ["one file", JSONL],
    ["splits and card (zip)", ZIPPED],
  ])("%s: the request's signal before the first read, the body never read nor cancelled", async (_, input) => {
    const { pool, name } = poolNamed(2);
    const ac = new AbortController();
    const d = await start(pool, input, { signal: ac.signal });
    expect(await sessions(name)).toBe(1);
    ac.abort();
    await noSessionsLeft(name);
    expect(pool.totalCount).toBe(0);
    await expect(drain(d.body.getReader())).rejects.toThrow(/cancelled/);
  });

  test.each([
    ["one file", JSONL],
    ["splits and card (zip)", ZIPPED],
  ])("%s: the request's signal mid-stream, between reads, and during a read", async (_, input) => {
    const { pool, name } = poolNamed(2);
    for (const moment of ["between reads", "during a read"]) {
      const ac = new AbortController();
      const reader = (await start(pool, input, { signal: ac.signal })).body.getReader();
      for (let i = 0; i < 3; i++) expect((await reader.read()).done).toBe(false);
      if (moment === "between reads") {
        ac.abort();
        await expect(drain(reader)).rejects.toThrow(/cancelled/);
      } else {
        const pending = reader.read();
        ac.abort();
        await expect(pending.then(() => drain(reader))).rejects.toThrow(/cancelled/);
      }
      await noSessionsLeft(name);
    }
  });

  test("the signal at every moment of startExport itself (before the response exists)", async () => {
    const { pool, name } = poolNamed(2);
    const roundTrip = () => admin.query("select 1");
    // How many round trips to the database a whole startExport lasts (a fresh connection
    // each time, as after a cancellation), so the moments below spread over all of it.
    const lasts = async (input: ExportRequestInput) => {
      let settled = false;
      const d = start(pool, input).finally(() => (settled = true));
      let n = 0;
      while (!settled) (await roundTrip(), n++);
      await (await d).body.cancel();
      await noSessionsLeft(name);
      return n;
    };
    for (const input of [JSONL, ZIPPED]) {
      const steps = await lasts(input);
      const outcomes = new Set<string>();
      // Aborted at once, after an event-loop turn, then after a share of those round trips
      // (while connecting, during BEGIN and the settings, while the first rows or the split
      // counts are awaited; where each lands depends on the machine's load), and once
      // startExport has returned.
      const returned = "returned";
      const moments: ((() => Promise<unknown>)[] | typeof returned)[] = [[], [() => new Promise((r) => setImmediate(r))], ...[0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 1].map((f) => Array(Math.max(1, Math.round(f * steps))).fill(roundTrip)), returned];
      for (const turns of moments) {
        const ac = new AbortController();
        const started = start(pool, input, { signal: ac.signal });
        if (turns === returned) await started;
        else for (const turn of turns) await turn();
        ac.abort();
        const d = await started.catch((e: Error) => e);
        if (d instanceof Error) {
          expect(d).toBeInstanceOf(DomainError);
          expect(d.message).toMatch(/cancelled/);
          outcomes.add("refused");
        } else {
          await expect(drain(d.body.getReader())).rejects.toThrow(/cancelled/);
          outcomes.add("returned");
        }
        await noSessionsLeft(name);
      }
      expect(outcomes).toContain("refused");
      expect(outcomes).toContain("returned");
    }
  });

  test("the body cancelled while a read waits on the COPY", async () => {
    const { pool, name } = poolNamed(2);
    const reader = (await start(pool, JSONL)).body.getReader();
    await reader.read();
    const pending = reader.read();
    await reader.cancel();
    await pending;
    await noSessionsLeft(name);
  });

  test("aborting after the download finished changes nothing", async () => {
    const { pool, name } = poolNamed(2);
    const ac = new AbortController();
    const d = await start(pool, JSONL, { signal: ac.signal });
    let lines = 0;
    for await (const chunk of d.body as unknown as AsyncIterable<Uint8Array>) for (const b of chunk) if (b === 10) lines++;
    expect(lines).toBe(4000);
    ac.abort();
    expect(pool.idleCount).toBe(pool.totalCount); // the connection went back to the pool, whole
    await pool.query("select 1");
    expect(await sessions(name)).toBe(1);
  });
});

describe("export sessions: limits on the server and on the pool", () => {
  test("an exhausted pool answers with a clear 'busy' error after its wait, and serves again once a download ends", async () => {
    const { pool } = poolNamed(1, 300);
    const ac = new AbortController();
    await start(pool, JSONL, { signal: ac.signal });
    const refused = await start(pool, JSONL).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: "unavailable", message: expect.stringMatching(/busy.*1 database connection/) });
    ac.abort();
    const again = await start(pool, JSONL);
    await again.body.cancel();
  });

  test("a session idle in its transaction past the limit is ended by the server, and the process carries on", async () => {
    const { pool, name } = poolNamed(1);
    const session = await ExportSession.open(pool, { idleInTransactionTimeoutMs: 150 });
    expect(await sessions(name)).toBe(1);
    await noSessionsLeft(name);
    await expect(session.query("select 1")).rejects.toThrow();
    await session.close(false);
    expect((await pool.query("select 2 as n")).rows[0].n).toBe(2);
  });

  test("a statement past the limit fails; by default both limits are set on every export session", async () => {
    const { pool } = poolNamed(1);
    const short = await ExportSession.open(pool, { statementTimeoutMs: 100 });
    await expect(short.query("select pg_sleep(30)")).rejects.toThrow(/statement timeout/);
    await short.close(false);
    const session = await ExportSession.open(pool);
    const [s] = await session.query<{ statement_timeout: string }>("show statement_timeout");
    const [i] = await session.query<{ idle_in_transaction_session_timeout: string }>("show idle_in_transaction_session_timeout");
    expect(s.statement_timeout).toBe("30min");
    expect(i.idle_in_transaction_session_timeout).toBe("2min");
    await session.close(true);
  });
});
