// A run's counts per step (Self-Instruct rounds, Evol-Instruct generations): the step in the
// first column, then one right-aligned count per column, numbers in tabular figures.
import type { ReactNode } from "react";

export type CountColumn = { key: string; label: ReactNode; title?: string };
export type CountRow = { key: string | number; step: ReactNode; counts: number[] };

export function CountsTable({ caption, step, columns, rows }: { caption: string; step: string; columns: CountColumn[]; rows: CountRow[] }) {
  return (
    <table className="min-w-96 rounded-lg border border-stone-200 text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead className="bg-stone-50 text-left text-xs text-stone-600">
        <tr>
          <th scope="col" className="px-3 py-1.5">{step}</th>
          {columns.map((c) => (
            <th key={c.key} scope="col" className="px-3 py-1.5 text-right" title={c.title}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} className="border-t border-stone-100 tabular-nums">
            <th scope="row" className="px-3 py-1.5 text-left font-medium">{r.step}</th>
            {r.counts.map((n, i) => (
              <td key={columns[i]?.key ?? i} className="px-3 py-1.5 text-right">{n}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
