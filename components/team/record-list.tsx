"use client";
// The keyboard list of records both team pages use (My queue, disagreements): a listbox
// whose focus stays on the list while j / k (or ↓ / ↑) move the selection, as in the grid;
// the page's own keys (decide, settle) come through `onKey`.
import { useEffect, useRef, type ReactNode, type RefObject } from "react";

export type ListedRecord = { id: string; index: number; status: ReactNode };

export function RecordList(props: {
  label: string;
  records: ListedRecord[];
  at: number;
  onMove: (at: number) => void;
  /** A key the list does not use itself; true when it was handled. */
  onKey: (key: string) => boolean;
  listRef?: RefObject<HTMLDivElement | null>;
}) {
  const own = useRef<HTMLDivElement>(null);
  const ref = props.listRef ?? own;
  const { at, records, onMove } = props;
  const current = records[at];

  useEffect(() => {
    if (current) document.getElementById(`rec-${current.id}`)?.scrollIntoView({ block: "nearest" });
  }, [current]);

  function onKeyDown(e: React.KeyboardEvent) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === "j" || e.key === "ArrowDown") onMove(Math.min(records.length - 1, at + 1));
    else if (e.key === "k" || e.key === "ArrowUp") onMove(Math.max(0, at - 1));
    else if (!props.onKey(e.key)) return;
    e.preventDefault();
  }

  return (
    <div
      ref={ref}
      role="listbox"
      aria-label={props.label}
      aria-activedescendant={current ? `rec-${current.id}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      className="max-h-[60vh] overflow-auto rounded-md border border-stone-200 bg-white focus:outline-none focus:ring-2 focus:ring-indigo-300"
    >
      {records.map((r, i) => (
        <div
          key={r.id}
          id={`rec-${r.id}`}
          role="option"
          aria-selected={i === at}
          onClick={() => onMove(i)}
          className={`flex cursor-pointer justify-between gap-2 border-b border-stone-100 px-3 py-1.5 text-sm ${i === at ? "bg-indigo-50" : ""}`}
        >
          <span>Record {r.index + 1}</span>
          {r.status}
        </div>
      ))}
    </div>
  );
}
