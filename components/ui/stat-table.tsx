// A small table of figures: the first cell of each row names it (a row header), the rest are
// numbers in tabular figures. The health page's tables sit under a chart ("plain"); a run's
// per-step counts stand alone ("boxed": framed, a shaded header, numbers to the right).
import type { Key, ReactNode } from "react";

export type StatColumn = { label: ReactNode; title?: string };

export function StatTable({
  head,
  rows,
  caption,
  variant = "plain",
}: {
  head: (string | StatColumn)[];
  /** One array of cells per row, or with a key when the row has an identity of its own. */
  rows: (ReactNode[] | { key: Key; cells: ReactNode[] })[];
  caption?: string;
  variant?: "plain" | "boxed";
}) {
  const boxed = variant === "boxed";
  const cellPad = boxed ? "px-3 py-1.5" : "py-1 pr-3";
  return (
    <table className={boxed ? "min-w-96 rounded-lg border border-stone-200 text-sm" : "w-full text-left text-sm"}>
      {caption && <caption className="sr-only">{caption}</caption>}
      <thead className={boxed ? "bg-stone-50 text-left text-xs text-stone-600" : undefined}>
        <tr>
          {head.map((h, j) => {
            const c = typeof h === "string" ? { label: h } : h;
            return (
              <th key={j} scope="col" title={c.title} className={boxed ? `${cellPad} ${j > 0 ? "text-right" : ""}` : `border-b border-stone-200 ${cellPad} font-medium`}>
                {c.label}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => {
          const cells = Array.isArray(row) ? row : row.cells;
          return (
            <tr key={Array.isArray(row) ? i : row.key} className={boxed ? "border-t border-stone-100 tabular-nums" : "border-b border-stone-100"}>
              {cells.map((c, j) =>
                j === 0 ? (
                  <th key={j} scope="row" className={`${cellPad} ${boxed ? "text-left font-medium" : "font-normal"}`}>
                    {c}
                  </th>
                ) : (
                  <td key={j} className={`${cellPad} ${boxed ? "text-right" : "tabular-nums"}`}>
                    {c}
                  </td>
                ),
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
