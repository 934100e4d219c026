// Accounts benchmark (issue 17):
//   auth_overhead_ms_p50  what the session and role check adds to one grid page request
//                         (GET /datasets/[id]/records/data as a signed-in annotator): the
//                         check that route() runs, with a fresh request each time (so its
//                         per-request cache does not help), median of 400 after 50 warm-up.
//                         Target ≤ 2 ms.
//   grid_request_ms_p50   the whole grid page request (check included) for scale, same way.
//   auth_overhead_via_prisma_ms_p50  the same check's query through Prisma ($queryRawUnsafe),
//                         as it was first written, measured alternately with the above.
import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/server/prisma";
import { assertAccess, readCaller, sessionToken, type CallerQueryable } from "@/lib/auth/server/access";
import { authSecret, createAuth } from "@/lib/auth/server/auth";
import { createOwner, signIn } from "@/lib/auth/server/accounts";
import { withRequestHeaders } from "@/lib/auth/server/request";
import { useDatabaseUrl } from "@/lib/env";
import { createSeedDataset, seedRecords } from "@/lib/testing/seed-records";
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
      const caller = await readCaller(prismaQueryable, sessionToken(cookie, authSecret()), { datasetId: ds.datasetId });
      if (caller.role !== "annotator") throw new Error("the Prisma check did not find the annotator");
      const t4 = performance.now();
      if (i >= 50) {
        checks.push(t1 - t0);
        requests.push(t2 - t1);
        viaPrisma.push(t4 - t3);
      }
    }
    if (status !== 200) throw new Error(`the grid request answered ${status}`);

    const out = {
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
