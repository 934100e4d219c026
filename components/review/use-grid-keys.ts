"use client";
// The grid's one key handler: keys typed into a field, a dialog or on a button are theirs;
// the rest go through the key table (lib/review/keys.ts) to the command's action
// (lib/review/grid-commands.ts).
import type { KeyboardEvent } from "react";
import { runGridCommand, type GridActions, type GridState } from "@/lib/review/grid-commands";
import { commandFor } from "@/lib/review/keys";
import type { RecordRow } from "@/lib/review/types";

export function useGridKeys(state: GridState<RecordRow>, actions: GridActions<RecordRow>) {
  return (e: KeyboardEvent) => {
    const t = e.target as HTMLElement;
    if (t.closest("input, textarea, select, [contenteditable=true], dialog")) return;
    if ((e.key === "Enter" || e.key === " ") && t.closest("button, a, summary")) return;
    const cmd = commandFor(e, state.schema);
    if (!cmd) return;
    e.preventDefault();
    runGridCommand(cmd, state, actions);
  };
}
