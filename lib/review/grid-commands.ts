// What each grid command does, given where the cursor is: the other half of keys.ts (which
// key is which command). Pure, the page's actions passed in, so every key is tested
// without a browser.
import type { GridCommand } from "./keys";
import { applyDigit, type LabelDef, type LabelSchema } from "./labels";
import { confirmSuggestions, type Scores } from "./suggestions";
import type { Decision } from "./schemas";

export type GridState<R> = {
  focus: number;
  /** Records matching the filter. */
  total: number;
  /** The record under the cursor, when its page is loaded. */
  row: R | undefined;
  reviewer: string;
  autoAdvance: boolean;
  schema: LabelSchema;
  /** The label digits set. */
  digitLabel: LabelDef | undefined;
};

export type GridActions<R> = {
  /** Moves the cursor (clamped to the records there are). */
  moveTo(index: number): void;
  decide(row: R, decision: Decision, as?: string): void;
  setLabels(row: R, labels: Record<string, unknown>): void;
  /** Asks the reviewer's name, then runs `then` with it. */
  needName(then?: (name: string) => void): void;
  /** Opens the details with the text editor (note: the note label's) on this record. */
  edit(row: R, note: boolean): void;
  toggleDetails(): void;
  closeDetails(): void;
  setActiveLabel(name: string): void;
  undo(): void;
  toggleSelect(row: R): void;
  focusSearch(): void;
  showHelp(): void;
};

export function runGridCommand<R extends { labels: Record<string, unknown>; scores?: Scores }>(cmd: GridCommand, s: GridState<R>, act: GridActions<R>): void {
  const row = s.row;
  switch (cmd.type) {
    case "move":
      return act.moveTo(s.focus + cmd.by);
    case "moveTo":
      return act.moveTo(cmd.where === "first" ? 0 : s.total - 1);
    case "decide": {
      if (!row) return;
      const advance = () => {
        if (s.autoAdvance && cmd.decision !== "reset") act.moveTo(s.focus + 1);
      };
      // The first decision asks who is reviewing, then makes the decision with that name.
      if (!s.reviewer)
        return act.needName((n) => {
          act.decide(row, cmd.decision, n);
          advance();
        });
      act.decide(row, cmd.decision);
      advance();
      return;
    }
    case "digit": {
      if (!row || !s.digitLabel) return;
      const next = applyDigit(s.digitLabel, row.labels, cmd.n);
      if (next) act.setLabels(row, next);
      return;
    }
    case "confirm": {
      // A normal label write: the suggestions become the person's labels, undoable with u.
      const next = row && confirmSuggestions(s.schema, row.labels, row.scores);
      if (row && next) act.setLabels(row, next);
      return;
    }
    case "label": {
      const def = s.schema.labels.find((l) => l.name === cmd.name);
      if (def?.kind === "note") {
        if (row) act.edit(row, true);
      } else act.setActiveLabel(cmd.name);
      return;
    }
    case "edit":
      if (row) act.edit(row, false);
      return;
    case "details":
      return act.toggleDetails();
    case "close":
      return act.closeDetails();
    case "undo":
      if (!s.reviewer) return act.needName();
      return act.undo();
    case "select":
      if (row) act.toggleSelect(row);
      return;
    case "search":
      return act.focusSearch();
    case "help":
      return act.showHelp();
  }
}
