// Accounts benchmark (issue 17):
//   auth_overhead_ms_p50  what the session and role check adds to one grid page request
//                         (GET /datasets/[id]/records/data as a signed-in annotator): the
//                         check that route() runs, with a fresh request each time (so its
//                         per-request cache does not help), median of 400 after 50 warm-up.
//                         Target ≤ 2 ms.
//   grid_request_ms_p50   the whole grid page request (check included) for scale, same way.
//   auth_overhead_via_prisma_ms_p50  the same check's query through Prisma ($queryRawUnsafe),
//                         as it was first written, measured alternately with the above.
//   agreement_100k_ms     the team agreement figures (lib/review/server/team.ts teamAgreement:
//                         read every person's decision and labels, percent agreement, kappa,
//                         alpha and the per-pair matrix for accept/reject and one label, and
//                         the disagreement list) over 100,000 records reviewed by two people
//                         each, median of 5 after one warm-up. Target ≤ 1,000 ms.
//   agreement_read_pg_ms / agreement_read_prisma_ms  reading those 200,000 decisions alone,
//                         through plain pg in array rows (as teamAgreement does) and through
//                         Prisma $queryRaw row objects (as first written), alternately, medians of 5.
import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/server/prisma";
import { assertAccess, readCaller, sessionToken, type CallerQueryable } from "@/lib/auth/server/access";
import { authSecret, createAuth } from "@/lib/auth/server/auth";
import { createOwner, signIn } from "@/lib/auth/server/accounts";
import { withRequestHeaders } from "@/lib/auth/server/request";
import { useDatabaseUrl } from "@/lib/env";
import { createSeedDataset, seedRecords } from "@/lib/testing/seed-records";
import { createRawPool } from "@/lib/db/copy/server/raw-pg";
import { teamAgreement } from "@/lib/review/server/team";
import pg from "pg";

const log = (s: string) => console.log(`[bench:team] ${s}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchTeam(db: Db, ctx: { databaseUrl: string }) {
  process.env.DATAWRIGHT_SECRET_KEY ??= randomBytes(32).toString("base64");
  useDatabaseUrl(ctx.databaseUrl);
  const auth = createAuth(db, authSecret());
  const sql = new pg.Client({ connectionString: ctx.databaseUrl });
  await sql.connect();
  try {
    if ((await db.user.count()) === 0) await createOwner(db, auth, { name: "Owner", email: "owner@bench.example", password: "bench password 1" });
    const ds = await createSeedDataset(sql, `Team bench ${new Date().toISOString()}`);
    await seedRecords(sql, { datasetId: ds.datasetId, runId: ds.runIds[0] ?? null }, 2000);
    const email = `annotator-${Date.now()}@bench.example`;
    const c = await auth.$context;
    const user = await c.internalAdapter.createUser({ name: "Annotator", email }, { method: "admin" });
    await c.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: await c.password.hash("bench password 2") });
    await db.projectMember.create({ data: { projectId: ds.projectId, userId: user.id, role: "annotator" } });
    const signed = await signIn(db, auth, { email, password: "bench password 2" }, "127.0.0.1");
    const cookie = signed.setCookie.map((s) => s.split(";")[0]).join("; ");

    const { GET } = await import("@/app/datasets/[datasetId]/records/data/route");
    const q = encodeURIComponent(JSON.stringify({ kind: "page", filter: {}, sort: { by: "position", dir: "asc" }, offset: 0, limit: 100 }));
    const rule = { role: "annotator" as const, project: (d: { datasetId: string }) => ({ datasetId: d.datasetId }) };

    // The first version: the same query through Prisma.
    const prismaQueryable: CallerQueryable = {
      query: async <R extends pg.QueryResultRow>(q: pg.QueryConfig) => ({ rows: (await db.$queryRawUnsafe<R[]>(q.text, ...(q.values ?? []))) as R[] }),
    };
    const viaPrisma: number[] = [];
    const checks: number[] = [];
    const requests: number[] = [];
    let status = 0;
    for (let i = 0; i < 450; i++) {
      const headers = new Headers({ cookie, host: "127.0.0.1:3000" });
      const t0 = performance.now();
      await withRequestHeaders(headers, () => assertAccess(rule, { datasetId: ds.datasetId }, true));
      const t1 = performance.now();
      const res = await withRequestHeaders(new Headers({ cookie, host: "127.0.0.1:3000" }), () =>
        GET(new Request(`http://127.0.0.1:3000/datasets/${ds.datasetId}/records/data?q=${q}`, { headers: { cookie, host: "127.0.0.1:3000" } }), {
          params: Promise.resolve({ datasetId: ds.datasetId }),
        }),
      );
      status = res.status;
      await res.arrayBuffer();
      const t2 = performance.now();
      const t3 = performance.now();
      const caller = await readCaller(prismaQueryable, { session: sessionToken(cookie, authSecret()) }, { datasetId: ds.datasetId });
      if (caller.role !== "annotator") throw new Error("the Prisma check did not find the annotator");
      const t4 = performance.now();
      if (i >= 50) {
        checks.push(t1 - t0);
        requests.push(t2 - t1);
        viaPrisma.push(t4 - t3);
      }
    }
    if (status !== 200) throw new Error(`the grid request answered ${status}`);

    const agreement = await benchAgreement(db, sql, ds.projectId);

    const out = {
      ...agreement,
      auth_overhead_ms_p50: +median(checks).toFixed(3),
      grid_request_ms_p50: +median(requests).toFixed(2),
      auth_overhead_via_prisma_ms_p50: +median(viaPrisma).toFixed(3),
    };
    log(JSON.stringify(out));
    return out;
  } finally {
    await sql.end();
  }
}

/** 100,000 records, two people each, agreeing on about 80% of decisions and labels. */
async function benchAgreement(db: Db, sql: pg.Client, projectId: string) {
  const N = 100_000;
  const ds = await createSeedDataset(sql, `Agreement bench ${new Date().toISOString()}`);
  await seedRecords(sql, { datasetId: ds.datasetId, runId: ds.runIds[0] ?? null }, N);
  await db.dataset.update({ where: { id: ds.datasetId }, data: { projectId, labelSchema: { labels: [{ name: "quality", kind: "single", options: ["good", "bad", "unsure"] }] } } });
  const people: string[] = [];
  for (const name of ["Ann", "Ben", "Cy"]) {
    const u = await db.user.create({ data: { id: `bench-${name}-${Date.now()}`, name, email: `${name.toLowerCase()}-${Date.now()}@bench.example` } });
    people.push(u.id);
  }
  // Three people in rotation, two per record (as splitAssignments does): three pairs.
  const t0 = performance.now();
  await sql.query(
    `with r as (select id, "datasetId", row_number() over (order by "createdAt", index, id) - 1 as i from "Record" where "datasetId" = $1),
     p as (select r.*, j, ($2::text[])[1 + ((i * 2 + j) % 3)] as u from r, generate_series(0, 1) j)
     insert into "RecordReview" ("recordId", "userId", "datasetId", decision, labels)
     select id, u, "datasetId",
       (case when (i * 7 + j * (i % 5)) % 10 < 6 then 'accepted' else 'rejected' end)::"ReviewState",
       jsonb_build_object('quality', (array['good', 'bad', 'unsure'])[1 + (i + j * (i % 4 = 0)::int) % 3])
     from p`,
    [ds.datasetId, people],
  );
  log(`agreement: seeded ${N} records × 2 decisions in ${Math.round(performance.now() - t0)} ms`);
  await sql.query(`analyze "RecordReview"`);
  const pool = createRawPool(process.env.DATABASE_URL!, 2);
  const times: number[] = [];
  let disagreements = 0;
  for (let i = 0; i < 6; i++) {
    const t = performance.now();
    const a = await teamAgreement(db, pool, ds.datasetId);
    const ms = performance.now() - t;
    if (a.questions[0].figures.units !== N) throw new Error(`agreement saw ${a.questions[0].figures.units} records, not ${N}`);
    disagreements = a.disagreements.length;
    if (i > 0) times.push(ms);
  }
  const viaPg: number[] = [];
  const viaPrisma: number[] = [];
  for (let i = 0; i < 5; i++) {
    let t = performance.now();
    await pool.query({ text: `select "recordId", "userId", decision::text, labels->>'quality' from "RecordReview" where "datasetId" = $1::uuid`, values: [ds.datasetId], rowMode: "array" });
    viaPg.push(performance.now() - t);
    t = performance.now();
    await db.$queryRaw`select "recordId", "userId", decision::text as decision, labels->>'quality' as quality from "RecordReview" where "datasetId" = ${ds.datasetId}::uuid`;
    viaPrisma.push(performance.now() - t);
  }
  await pool.end();
  log(`agreement: ${times.map((t) => Math.round(t)).join(", ")} ms (${disagreements} disagreements listed)`);
  return { agreement_100k_ms: Math.round(median(times)), agreement_read_pg_ms: Math.round(median(viaPg)), agreement_read_prisma_ms: Math.round(median(viaPrisma)) };
}
