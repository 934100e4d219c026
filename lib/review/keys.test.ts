import { describe, expect, it } from "vitest";
import { commandFor, KEY_HELP, type KeyInput } from "./keys";
import { RESERVED_KEYS, type LabelSchema } from "./labels";

const schema: LabelSchema = {
  labels: [
    { name: "quality", kind: "single", options: ["good", "bad"], key: "q" },
    { name: "why", kind: "note", key: "w" },
  ],
};
const cmd = (key: string, mods: Omit<KeyInput, "key"> = {}) => commandFor({ key, ...mods }, schema);

describe("commandFor", () => {
  it("moves with j/k, the arrows and the page keys", () => {
    expect(cmd("j")).toEqual({ type: "move", by: 1 });
    expect(cmd("ArrowDown")).toEqual({ type: "move", by: 1 });
    expect(cmd("k")).toEqual({ type: "move", by: -1 });
    expect(cmd("ArrowUp")).toEqual({ type: "move", by: -1 });
    expect(cmd("PageDown")).toEqual({ type: "move", by: 20 });
    expect(cmd("PageUp")).toEqual({ type: "move", by: -20 });
    expect(cmd("Home")).toEqual({ type: "moveTo", where: "first" });
    expect(cmd("End")).toEqual({ type: "moveTo", where: "last" });
  });

  it("decides with a, r and x", () => {
    expect(cmd("a")).toEqual({ type: "decide", decision: "accept" });
    expect(cmd("r")).toEqual({ type: "decide", decision: "reject" });
    expect(cmd("x")).toEqual({ type: "decide", decision: "reset" });
  });

  it("maps the other single keys", () => {
    expect(cmd("e")).toEqual({ type: "edit" });
    expect(cmd("Enter")).toEqual({ type: "details" });
    expect(cmd("Escape")).toEqual({ type: "close" });
    expect(cmd("u")).toEqual({ type: "undo" });
    expect(cmd("s")).toEqual({ type: "select" });
    expect(cmd(" ")).toEqual({ type: "select" });
    expect(cmd("/")).toEqual({ type: "search" });
    expect(cmd("?")).toEqual({ type: "help" });
  });

  it("turns 1-9 into digits, and 0 into nothing", () => {
    for (let n = 1; n <= 9; n++) expect(cmd(String(n))).toEqual({ type: "digit", n });
    expect(cmd("0")).toBeNull();
  });

  it("finds a label by its key", () => {
    expect(cmd("q")).toEqual({ type: "label", name: "quality" });
    expect(cmd("w")).toEqual({ type: "label", name: "why" });
    expect(commandFor({ key: "q" }, { labels: [] })).toBeNull();
  });

  it("leaves keys with Ctrl, ⌘ or Alt to the browser", () => {
    expect(cmd("a", { ctrlKey: true })).toBeNull();
    expect(cmd("j", { metaKey: true })).toBeNull();
    expect(cmd("ArrowDown", { altKey: true })).toBeNull();
    expect(cmd("q", { ctrlKey: true })).toBeNull();
    // Shift is how "?" is typed, so it does not cancel a command.
    expect(cmd("?", { shiftKey: true })).toEqual({ type: "help" });
  });

  it("ignores keys it does not know", () => {
    expect(cmd("z")).toBeNull();
    expect(cmd("Tab")).toBeNull();
    expect(cmd("Shift")).toBeNull();
  });

  it("gives every reserved key a command, so a label cannot take one", () => {
    for (const key of RESERVED_KEYS) expect(commandFor({ key }, { labels: [] }), key).not.toBeNull();
  });

  it("lists each key once in the help", () => {
    const listed = KEY_HELP.flatMap((k) => k.keys);
    expect(new Set(listed).size).toBe(listed.length);
  });
});
