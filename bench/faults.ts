// Fault benchmarks (issue: hostile input): what a provider's odd bytes do to a run. A NUL
// (U+0000) or an unpaired surrogate in an answer used to fail the whole batch INSERT; the
// run then retried it forever and bought every answer again.
import type { Db } from "@/lib/db/server/prisma";
import { setup, startFake, timedRun } from "./generation";

const log = (s: string) => console.log(`[bench:faults] ${s}`);

export async function benchFaults(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  // 1,000 records, 1% of answers carrying a NUL and an unpaired surrogate, no other fault:
  // every request beyond one per record is an answer bought twice.
  const fake = await startFake(["--odd-bytes-rate", "0.01", "--fault-seed", "7"]);
  try {
    const s = await setup(db, fake.url, 1024);
    const n = 1000;
    const r = await timedRun(db, s, n, { concurrency: 64 });
    const records = await db.record.findMany({ where: { runId: r.runId }, select: { status: true, error: true } });
    const settled = records.filter((x) => x.status === "succeeded" || (x.status === "failed" && x.error)).length;
    const st = await fake.stats();
    out.nul_run_complete = settled / n;
    out.nul_paid_twice = st.chatCompletions - n;
    out.nul_answers = records.filter((x) => x.status === "failed").length;
    log(`odd bytes: ${settled}/${n} records settled (${out.nul_answers} failed with the reason), ${st.chatCompletions} requests, run ${r.after.status} in ${r.seconds.toFixed(1)} s`);
  } finally {
    await fake.stop();
  }
  return out;
}
