// Which seed-table rows a set of records reads, planned before they are fetched: runs and
// previews load only those rows (lib/seed-tables/server/seed-tables.ts), then hand each
// record its own. The draw itself is seedRowIndex in samplers.ts. Pure, no I/O.
import { seedRowIndex, seedTableOrders, type SeedRow, type SeedRowsForRecord } from "./samplers";
import type { Blueprint } from "./schema";

export interface SeedRowPlan {
  /** Row index per table for each requested record (tables with no rows are left out). */
  byRecord: Record<number, Record<string, number>>;
  /** Distinct row indices per table, ascending: what to fetch. */
  byTable: Record<string, number[]>;
}

/**
 * Which seed-table rows the given records read. Tables missing from `tableRowCounts`
 * (unknown or deleted) are skipped; their seed fields preview as empty.
 */
export function seedRowsNeeded(
  blueprint: Blueprint,
  seed: number,
  recordIndices: readonly number[],
  tableRowCounts: Record<string, number>,
): SeedRowPlan {
  const orders = seedTableOrders(blueprint);
  const byRecord: SeedRowPlan["byRecord"] = {};
  const sets: Record<string, Set<number>> = {};
  for (const recordIndex of recordIndices) {
    const rows: Record<string, number> = {};
    for (const [tableId, order] of Object.entries(orders)) {
      const count = Object.hasOwn(tableRowCounts, tableId) ? tableRowCounts[tableId] : 0;
      const row = seedRowIndex(seed, recordIndex, tableId, count, order);
      if (row < 0) continue;
      rows[tableId] = row;
      (sets[tableId] ??= new Set()).add(row);
    }
    byRecord[recordIndex] = rows;
  }
  const byTable: SeedRowPlan["byTable"] = {};
  for (const [tableId, set] of Object.entries(sets)) byTable[tableId] = [...set].sort((a, b) => a - b);
  return { byRecord, byTable };
}

/** Joins a plan with the fetched rows into the per-record lookup sampleRecord and previewRecords take. */
export function seedRowLookup(
  plan: SeedRowPlan,
  fetched: Record<string, Record<number, SeedRow | undefined> | undefined>,
): (recordIndex: number) => SeedRowsForRecord {
  return (recordIndex) => {
    const out: SeedRowsForRecord = {};
    for (const [tableId, row] of Object.entries(plan.byRecord[recordIndex] ?? {})) out[tableId] = fetched[tableId]?.[row];
    return out;
  };
}
