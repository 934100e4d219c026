import { describe, expect, it } from "vitest";
import { commandFor, KEY_HELP, type KeyInput } from "./keys";
import { LabelSchema, RESERVED_KEYS } from "./labels";

const schema = LabelSchema.parse({
  labels: [
    { name: "tone", kind: "single", options: ["calm", "angry"], key: "t" },
    { name: "topic", kind: "multi", options: ["a", "b"], key: "o" },
  ],
});
const noLabels = LabelSchema.parse({ labels: [] });
const key = (k: string, mods: Omit<KeyInput, "key"> = {}): KeyInput => ({ key: k, ...mods });

describe("commandFor", () => {
  it.each([
    ["j", { type: "move", by: 1 }],
    ["ArrowDown", { type: "move", by: 1 }],
    ["k", { type: "move", by: -1 }],
    ["ArrowUp", { type: "move", by: -1 }],
    ["PageDown", { type: "move", by: 20 }],
    ["PageUp", { type: "move", by: -20 }],
    ["Home", { type: "moveTo", where: "first" }],
    ["End", { type: "moveTo", where: "last" }],
    ["a", { type: "decide", decision: "accept" }],
    ["r", { type: "decide", decision: "reject" }],
    ["x", { type: "decide", decision: "reset" }],
    ["e", { type: "edit" }],
    ["Enter", { type: "details" }],
    ["Escape", { type: "close" }],
    ["u", { type: "undo" }],
    ["s", { type: "select" }],
    [" ", { type: "select" }],
    ["/", { type: "search" }],
    ["?", { type: "help" }],
  ] as const)("%j -> %j", (k, command) => {
    expect(commandFor(key(k), schema)).toEqual(command);
  });

  it("digits 1-9 pick an option; 0 and multi-digit keys do nothing", () => {
    for (let n = 1; n <= 9; n++) expect(commandFor(key(String(n)), schema)).toEqual({ type: "digit", n });
    expect(commandFor(key("0"), schema)).toBeNull();
    expect(commandFor(key("F1"), schema)).toBeNull();
  });

  it("a label's own key makes it the active label; unknown keys do nothing", () => {
    expect(commandFor(key("t"), schema)).toEqual({ type: "label", name: "tone" });
    expect(commandFor(key("o"), schema)).toEqual({ type: "label", name: "topic" });
    expect(commandFor(key("t"), noLabels)).toBeNull();
    expect(commandFor(key("q"), schema)).toBeNull();
  });

  it("every key a label may not take is one of the grid's commands", () => {
    for (const k of RESERVED_KEYS) expect(commandFor(key(k), noLabels), k).not.toBeNull();
  });

  it("leaves keys with Ctrl, Meta or Alt to the browser (copy, find, history)", () => {
    for (const mods of [{ ctrlKey: true }, { metaKey: true }, { altKey: true }]) {
      expect(commandFor(key("a", mods), schema)).toBeNull();
      expect(commandFor(key("j", mods), schema)).toBeNull();
      expect(commandFor(key("1", mods), schema)).toBeNull();
    }
  });

  it("Shift does not change the command (? is typed with Shift)", () => {
    expect(commandFor(key("?", { shiftKey: true }), schema)).toEqual({ type: "help" });
  });

  it("every single-character key the help lists maps to a command", () => {
    const listed = KEY_HELP.flatMap((h) => h.keys).filter((k) => k.length === 1 && k !== "…" && k !== "↓" && k !== "↑");
    for (const k of listed) expect(commandFor(key(k), schema), k).not.toBeNull();
  });
});
