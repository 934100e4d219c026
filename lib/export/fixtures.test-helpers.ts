// Records as tests write them, and the cells PostgreSQL would send for them.
import type { CellBatch } from "@/lib/db/copy/cells";
import { arrayBatch, toCell, toTextCell } from "./cells";
import type { CellSource, ExportPlan } from "./formats";

export type FixtureRecord = {
  id: string;
  source?: "generated" | "imported";
  runId?: string | null;
  reviewState?: string;
  values: Record<string, unknown>;
  labels?: Record<string, unknown>;
  provenance?: { blueprintVersion?: number; sampled?: Record<string, unknown>; llm?: Record<string, { model: string; messages?: { role: string; content: string }[] }> };
};

export const RECORDS: FixtureRecord[] = [
  {
    id: "0190f5c2-0000-7000-8000-000000000001",
    runId: "0190f5c2-0000-7000-8000-0000000000aa",
    values: { question: "What is 2 + 2?", answer: 'It is "4".\nSimple.', n: 3, tags: ["math", "easy"], meta: { ok: true } },
    labels: { quality: "good", flags: ["short"] },
    provenance: { blueprintVersion: 2, sampled: { n: 3 }, llm: { answer: { model: "gpt-4o-mini" } } },
  },
  {
    id: "0190f5c2-0000-7000-8000-000000000002",
    source: "imported",
    runId: null,
    values: { question: "Café, 東京 or 🦜?", answer: "" },
    labels: {},
    provenance: {},
  },
];

export function cellOf(r: FixtureRecord, s: CellSource): string | null {
  if (s.kind === "field") return toCell(r.values[s.name]);
  if (s.kind === "label") return toCell((r.labels ?? {})[s.name]);
  if (s.kind === "prompt") return promptCellOf(r, s);
  switch (s.key) {
    case "id":
      return toCell(r.id);
    case "source":
      return toCell(r.source ?? "generated");
    case "runId":
      return r.runId ? toCell(r.runId) : null;
    case "reviewState":
      return toCell(r.reviewState ?? "accepted");
    case "blueprintVersion":
      return toCell(r.provenance?.blueprintVersion);
    case "sampled":
      return toCell(r.provenance?.sampled);
    case "models": {
      const llm = r.provenance?.llm ?? {};
      return Object.keys(llm).length ? toCell(Object.fromEntries(Object.entries(llm).map(([k, v]) => [k, v.model]))) : null;
    }
  }
}

/** What the export's SQL gives for a prompt cell (lib/export/server/sql.ts): text, or the turns as JSON. */
function promptCellOf(r: FixtureRecord, s: Extract<CellSource, { kind: "prompt" }>): string | null {
  const m = r.provenance?.llm?.[s.field]?.messages;
  if (!m || m.length === 0) return null;
  if (s.part === "system") return m[0].role === "system" ? m[0].content : null;
  if (s.part === "user") return m[m.length - 1].role === "user" ? m[m.length - 1].content : null;
  const turns = m.slice(0, -1).filter((x) => x.role !== "system");
  return turns.length ? JSON.stringify(turns) : null;
}

/** The cell of a record for a text column: what `->>` gives. */
function textCellOf(r: FixtureRecord, s: CellSource): string | null {
  if (s.kind === "field") return toTextCell(r.values[s.name]);
  if (s.kind === "label") return toTextCell((r.labels ?? {})[s.name]);
  return cellOf(r, s);
}

export function batchFor(plan: ExportPlan, records: FixtureRecord[] = RECORDS): CellBatch {
  return arrayBatch(
    records.map((r) => plan.cells.map((s, i) => (plan.kinds[i] === "text" ? textCellOf(r, s) : cellOf(r, s)))),
    plan.cells.length,
    plan.kinds.map((k) => k !== "text"),
  );
}
