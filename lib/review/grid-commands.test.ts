import { describe, expect, it } from "vitest";
import { runGridCommand, type GridActions, type GridState } from "./grid-commands";
import { commandFor } from "./keys";
import type { LabelSchema } from "./labels";

type Row = { id: string; labels: Record<string, unknown>; scores?: Record<string, Record<string, unknown>> };
const schema: LabelSchema = {
  labels: [
    { name: "quality", kind: "single", options: ["good", "bad"], key: "q" },
    { name: "stars", kind: "rating", key: "t" },
    { name: "why", kind: "note", key: "w" },
  ],
};
const row: Row = { id: "r1", labels: {} };

/** Presses `key` on a grid in `state`; returns the actions it took, in order. */
function press(key: string, state: Partial<GridState<Row>> = {}) {
  const calls: unknown[][] = [];
  let pendingName: ((name: string) => void) | undefined;
  const record = (name: string) => (...args: unknown[]) => void calls.push([name, ...args]);
  const actions: GridActions<Row> = {
    moveTo: record("moveTo"),
    decide: record("decide"),
    setLabels: record("setLabels"),
    needName: (then) => {
      calls.push(["needName"]);
      pendingName = then;
    },
    edit: record("edit"),
    toggleDetails: record("toggleDetails"),
    closeDetails: record("closeDetails"),
    setActiveLabel: record("setActiveLabel"),
    undo: record("undo"),
    toggleSelect: record("toggleSelect"),
    focusSearch: record("focusSearch"),
    showHelp: record("showHelp"),
  };
  const s: GridState<Row> = { focus: 5, total: 100, row, reviewer: "ana", autoAdvance: true, schema, digitLabel: schema.labels[0], ...state };
  const cmd = commandFor({ key }, schema);
  if (cmd) runGridCommand(cmd, s, actions);
  return { calls, giveName: (n: string) => pendingName?.(n) };
}

describe("runGridCommand", () => {
  it("Shift+C confirms the judge's suggestions as one label write, keeping the person's labels; nothing suggested, nothing written", () => {
    const suggesting: LabelSchema = { labels: [...schema.labels, { name: "verdict", kind: "single", options: ["pass", "fail"], suggest: { judge: "j", criterion: "ok" } }] };
    const judged: Row = { id: "r2", labels: { stars: 2 }, scores: { j: { ok: "fail" } } };
    expect(press("C", { schema: suggesting, row: judged }).calls).toEqual([["setLabels", judged, { stars: 2, verdict: "fail" }]]);
    expect(press("C", { schema: suggesting, row: { ...judged, labels: { verdict: "pass" } } }).calls).toEqual([]);
    expect(press("C", { schema: suggesting, row: { ...judged, scores: {} } }).calls).toEqual([]);
    expect(press("c", { schema: suggesting, row: judged }).calls).toEqual([]);
  });

  it("moves the cursor from where it is", () => {
    expect(press("j").calls).toEqual([["moveTo", 6]]);
    expect(press("k").calls).toEqual([["moveTo", 4]]);
    expect(press("PageDown").calls).toEqual([["moveTo", 25]]);
    expect(press("PageUp").calls).toEqual([["moveTo", -15]]); // moveTo clamps
    expect(press("Home").calls).toEqual([["moveTo", 0]]);
    expect(press("End").calls).toEqual([["moveTo", 99]]);
  });

  it("decides and moves on when auto-advance is on, but not on a reset", () => {
    expect(press("a").calls).toEqual([["decide", row, "accept"], ["moveTo", 6]]);
    expect(press("r").calls).toEqual([["decide", row, "reject"], ["moveTo", 6]]);
    expect(press("x").calls).toEqual([["decide", row, "reset"]]);
    expect(press("a", { autoAdvance: false }).calls).toEqual([["decide", row, "accept"]]);
  });

  it("asks the name at the first decision, then decides with it and moves on", () => {
    const p = press("a", { reviewer: "" });
    expect(p.calls).toEqual([["needName"]]);
    p.giveName("ana");
    expect(p.calls).toEqual([["needName"], ["decide", row, "accept", "ana"], ["moveTo", 6]]);
  });

  it("does nothing to a record that is not loaded", () => {
    for (const key of ["a", "1", "e", "w", "s"]) expect(press(key, { row: undefined }).calls, key).toEqual([]);
  });

  it("sets the active label's option with a digit, and clears it with the same digit", () => {
    expect(press("2").calls).toEqual([["setLabels", row, { quality: "bad" }]]);
    const bad = { id: "r1", labels: { quality: "bad" } };
    expect(press("2", { row: bad }).calls).toEqual([["setLabels", bad, {}]]);
    expect(press("3").calls).toEqual([]); // quality has two options
    expect(press("1", { digitLabel: undefined }).calls).toEqual([]);
    expect(press("4", { digitLabel: schema.labels[1] }).calls).toEqual([["setLabels", row, { stars: 4 }]]);
  });

  it("makes a label's key the active label, and a note's key opens its editor", () => {
    expect(press("t").calls).toEqual([["setActiveLabel", "stars"]]);
    expect(press("w").calls).toEqual([["edit", row, true]]);
    expect(press("e").calls).toEqual([["edit", row, false]]);
  });

  it("opens and closes the details, searches, helps and selects", () => {
    expect(press("Enter").calls).toEqual([["toggleDetails"]]);
    expect(press("Escape").calls).toEqual([["closeDetails"]]);
    expect(press("/").calls).toEqual([["focusSearch"]]);
    expect(press("?").calls).toEqual([["showHelp"]]);
    expect(press("s").calls).toEqual([["toggleSelect", row]]);
  });

  it("undoes as the reviewer, asking the name first when there is none", () => {
    expect(press("u").calls).toEqual([["undo"]]);
    const p = press("u", { reviewer: "" });
    p.giveName("ana");
    expect(p.calls).toEqual([["needName"]]);
  });
});
