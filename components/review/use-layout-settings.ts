"use client";
// The grid's layout settings, kept in this browser: the columns (visibility, order and
// widths, per dataset) and whether a decision moves to the next record.
import type { ColumnOrderState, ColumnSizingState, VisibilityState } from "@tanstack/react-table";
import { useCallback, useEffect, useState } from "react";

export type Layout = { visibility: VisibilityState; order: ColumnOrderState; sizing: ColumnSizingState };
export const EMPTY_LAYOUT: Layout = { visibility: {}, order: [], sizing: {} };

export function useColumnLayout(datasetId: string) {
  const key = `datawright.review.columns.${datasetId}`;
  const [layout, setLayout] = useState<Layout>(EMPTY_LAYOUT);
  useEffect(() => {
    try {
      const saved = JSON.parse(localStorage.getItem(key) ?? "null");
      if (saved) setLayout({ visibility: saved.visibility ?? {}, order: saved.order ?? [], sizing: saved.sizing ?? {} });
    } catch {
      /* a broken saved layout is ignored */
    }
  }, [key]);
  const update = useCallback(
    (fn: (l: Layout) => Layout) =>
      setLayout((l) => {
        const next = fn(l);
        localStorage.setItem(key, JSON.stringify(next));
        return next;
      }),
    [key],
  );
  return [layout, update] as const;
}

const AUTO_ADVANCE = "datawright.review.autoAdvance";

/** On unless turned off in this browser; read after hydration (the server cannot know). */
export function useAutoAdvance() {
  const [autoAdvance, setAutoAdvance] = useState(true);
  useEffect(() => setAutoAdvance(localStorage.getItem(AUTO_ADVANCE) !== "false"), []);
  const update = useCallback((on: boolean) => {
    setAutoAdvance(on);
    localStorage.setItem(AUTO_ADVANCE, String(on));
  }, []);
  return [autoAdvance, update] as const;
}
