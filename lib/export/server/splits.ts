import "server-only";
// Turns a split spec into one WHERE (and, stratified, one JOIN) per split file.
import { DomainError } from "@/lib/errors/domain-error";
import { SPLITS, type SplitName, type SplitSpec } from "../schemas";
import { activeSplits, cutRanks, KEY_SPACE, keyRanges, splitCounts } from "../split";
import type { ExportSession } from "./session";
import { literal } from "@/lib/db/server/sql-literal";
import { splitKeySql, stratumSql } from "./sql";

export const MAX_STRATA = 1_000;

export type SplitFile = { split: SplitName; join: string; where: string };
export type SplitPlan = { files: SplitFile[]; counts: Record<SplitName, number> };

export async function planSplits(s: ExportSession, where: string, spec: SplitSpec): Promise<SplitPlan> {
  const key = splitKeySql(spec.seed);
  const splits = activeSplits(spec);
  if (!spec.stratifyBy) {
    const ranges = keyRanges(spec);
    const [row] = await s.query<Record<SplitName, string>>(
      `select ${SPLITS.map((x) => `count(*) filter (where ${key} >= ${ranges[x][0]} and ${key} < ${ranges[x][1]}) as ${x}`).join(", ")}
       from "Record" r where ${where}`,
    );
    return {
      files: splits.map((x) => ({ split: x, join: "", where: `${key} >= ${ranges[x][0]} and ${key} < ${ranges[x][1]}` })),
      counts: { train: Number(row.train), validation: Number(row.validation), test: Number(row.test) },
    };
  }

  const stratum = stratumSql(spec.stratifyBy);
  const strata = await s.query<{ s: string | null; n: string }>(`select ${stratum} as s, count(*) as n from "Record" r where ${where} group by 1 limit ${MAX_STRATA + 1}`);
  if (strata.length > MAX_STRATA) {
    throw new DomainError(
      "invalid_input",
      `"${spec.stratifyBy.name}" has more than ${MAX_STRATA.toLocaleString("en-US")} different values among these records; stratify by a label or field with fewer values (such as a category).`,
    );
  }
  // Keys at the cut ranks of each stratum: the first key of validation, the first of test.
  const wanted: string[] = [];
  const cuts = new Map<string | null, { validation: number | null; test: number | null }>();
  const counts: Record<SplitName, number> = { train: 0, validation: 0, test: 0 };
  for (const row of strata) {
    const n = Number(row.n);
    const c = cutRanks(n, spec);
    cuts.set(row.s, c);
    const sc = splitCounts(n, spec);
    for (const x of SPLITS) counts[x] += sc[x];
    for (const rank of [c.validation, c.test]) if (rank !== null) wanted.push(`(${literal(row.s)}::text, ${rank}::bigint)`);
  }
  const keyAt = new Map<string, number>();
  if (wanted.length) {
    const rows = await s.query<{ s: string | null; rn: string; key: string }>(
      `select t.s, t.rn, t.key from (
         select ${stratum} as s, ${key} as key, row_number() over (partition by ${stratum} order by ${key}) as rn
         from "Record" r where ${where}) t
       join (values ${wanted.join(", ")}) c(s, rn) on c.s is not distinct from t.s and c.rn = t.rn`,
    );
    for (const r of rows) keyAt.set(`${r.s === null ? "\u0000null" : r.s}\u0000${r.rn}`, Number(r.key));
  }
  const at = (s: string | null, rank: number | null) => (rank === null ? KEY_SPACE : (keyAt.get(`${s === null ? "\u0000null" : s}\u0000${rank}`) ?? KEY_SPACE));
  const files = splits.map((x): SplitFile => {
    const bounds = strata.map((row) => {
      const c = cuts.get(row.s)!;
      const lo = x === "train" ? 0 : x === "validation" ? at(row.s, c.validation) : at(row.s, c.test);
      const hi = x === "train" ? at(row.s, c.validation) : x === "validation" ? at(row.s, c.test) : KEY_SPACE;
      return `(${literal(row.s)}::text, ${lo}::bigint, ${hi}::bigint)`;
    });
    return {
      split: x,
      join: `join (values ${bounds.join(", ")}) b(s, lo, hi) on b.s is not distinct from ${stratum}`,
      where: `${key} >= b.lo and ${key} < b.hi`,
    };
  });
  return { files, counts };
}
