// The grid's keyboard: one table from key to command, read by the grid's single key
// handler and by the `?` help. Pure, so it is tested without a browser.
import type { LabelSchema } from "./labels";

export type GridCommand =
  | { type: "move"; by: number }
  | { type: "moveTo"; where: "first" | "last" }
  | { type: "decide"; decision: "accept" | "reject" | "reset" }
  | { type: "digit"; n: number }
  | { type: "label"; name: string }
  | { type: "confirm" }
  | { type: "edit" }
  | { type: "details" }
  | { type: "close" }
  | { type: "undo" }
  | { type: "select" }
  | { type: "search" }
  | { type: "help" };

export type KeyInput = { key: string; shiftKey?: boolean; ctrlKey?: boolean; metaKey?: boolean; altKey?: boolean };

export const KEY_HELP: { keys: string[]; does: string }[] = [
  { keys: ["j", "↓"], does: "Next record" },
  { keys: ["k", "↑"], does: "Previous record" },
  { keys: ["PgDn", "PgUp"], does: "Twenty records down / up" },
  { keys: ["Home", "End"], does: "First / last record" },
  { keys: ["a"], does: "Accept" },
  { keys: ["r"], does: "Reject" },
  { keys: ["x"], does: "Reset to unreviewed" },
  { keys: ["1", "…", "9"], does: "Set option n of the active label (again: clear it); ratings take 1-5" },
  { keys: ["Shift+C"], does: "Confirm the judge's suggested labels (shown in italics, outlined)" },
  { keys: ["e"], does: "Edit the record's text" },
  { keys: ["Enter"], does: "Open or close the details" },
  { keys: ["Esc"], does: "Close the details or a dialog" },
  { keys: ["u"], does: "Undo your last decision" },
  { keys: ["s"], does: "Select or unselect the record (for bulk actions)" },
  { keys: ["/"], does: "Search" },
  { keys: ["?"], does: "This list" },
];

export function commandFor(e: KeyInput, schema: LabelSchema): GridCommand | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key) {
    case "j":
    case "ArrowDown":
      return { type: "move", by: 1 };
    case "k":
    case "ArrowUp":
      return { type: "move", by: -1 };
    case "PageDown":
      return { type: "move", by: 20 };
    case "PageUp":
      return { type: "move", by: -20 };
    case "Home":
      return { type: "moveTo", where: "first" };
    case "End":
      return { type: "moveTo", where: "last" };
    case "a":
      return { type: "decide", decision: "accept" };
    case "r":
      return { type: "decide", decision: "reject" };
    case "x":
      return { type: "decide", decision: "reset" };
    // Capital C: label keys are lower-case letters, so this one can never clash with them.
    case "C":
      return { type: "confirm" };
    case "e":
      return { type: "edit" };
    case "Enter":
      return { type: "details" };
    case "Escape":
      return { type: "close" };
    case "u":
      return { type: "undo" };
    case "s":
    case " ":
      return { type: "select" };
    case "/":
      return { type: "search" };
    case "?":
      return { type: "help" };
  }
  if (/^[1-9]$/.test(e.key)) return { type: "digit", n: Number(e.key) };
  const label = schema.labels.find((l) => l.key === e.key);
  return label ? { type: "label", name: label.name } : null;
}
