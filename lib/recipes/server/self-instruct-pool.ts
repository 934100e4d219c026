import "server-only";
// The Self-Instruct pool lives in a seed table (the recipe's own table, shown and editable
// like any other): the seeds are its first rows, and each round appends the instructions
// it kept. Rows are keyed by (table, index), and a round's rows take the indices right
// after the pool as it was when the round was planned, so replaying a round after a crash
// writes the same keys again and adds nothing: the pool is neither lost nor duplicated.
import type { Db } from "@/lib/db/server/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import { RougeLPool } from "../rouge-filter";
import type { PoolItem } from "../self-instruct";

export const POOL_COLUMNS = ["instruction", "origin", "round", "parents"] as const;

export interface PoolRowData {
  instruction: string;
  /** Rows a user uploads or types have no origin: they are seeds. */
  origin?: "human" | "generated";
  round?: number;
  /** Indices of the pool items whose examples prompted this one (lineage). */
  parents?: string[];
}

/** The pool as stored, and the similarity index rebuilt from it (a resumed run starts here). */
export async function loadPool(db: Db, seedTableId: string): Promise<{ items: PoolItem[]; rouge: RougeLPool }> {
  const rows = await db.seedRow.findMany({ where: { seedTableId }, orderBy: { index: "asc" }, select: { index: true, data: true } });
  const rouge = new RougeLPool();
  const items = rows.map((r): PoolItem => {
    const data = r.data as unknown as PoolRowData;
    const instruction = String(data.instruction ?? "");
    rouge.add(instruction);
    return { id: String(r.index), instruction, origin: data.origin === "generated" ? "generated" : "human" };
  });
  return { items, rouge };
}

/**
 * Appends one round's kept instructions at `startIndex` (the pool size the round was
 * planned from) in one transaction, with whatever else the round writes (`alsoWrite`: its
 * records and stats), so a crash leaves either the whole round or none of it. A replay
 * finds the keys taken and adds nothing.
 */
export async function appendRound(
  db: Db,
  input: { seedTableId: string; round: number; startIndex: number; kept: { instruction: string; parents: string[] }[] },
  alsoWrite?: (tx: Prisma.TransactionClient) => Promise<void>,
): Promise<{ added: number; poolSize: number }> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.seedRow.createMany({
      data: input.kept.map((k, i) => ({
        seedTableId: input.seedTableId,
        index: input.startIndex + i,
        data: { instruction: k.instruction, origin: "generated", round: input.round, parents: k.parents } satisfies PoolRowData as Prisma.InputJsonValue,
      })),
      skipDuplicates: true,
    });
    if (alsoWrite) await alsoWrite(tx);
    const poolSize = await tx.seedRow.count({ where: { seedTableId: input.seedTableId } });
    await tx.seedTable.update({ where: { id: input.seedTableId }, data: { rowCount: poolSize, columns: [...POOL_COLUMNS] } });
    return { added: count, poolSize };
    // A round writes its records too (hundreds, with their prompts): more than Prisma's 5 s
    // default on a loaded machine, and a timed-out round would only be replayed.
  }, { timeout: 120_000, maxWait: 60_000 });
}
