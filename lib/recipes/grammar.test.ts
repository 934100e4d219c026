import { describe, expect, it } from "vitest";
import { mulberry32, rngFor } from "@/lib/blueprints/rng";
import { compileGrammar, expandGrammar } from "./grammar";

const compiled = (text: string) => {
  const { grammar, issues } = compileGrammar(text);
  expect(issues.filter((i) => i.severity === "error")).toEqual([]);
  return grammar!;
};

describe("compileGrammar", () => {
  it("reads rules, weights, continuation lines, glue and comments", () => {
    const g = compiled(`# greetings
sentence -> greeting ", " + name + "!"
greeting -> "hi" [3] | "hello" [1]
name -> "Ada"
  | "Grace" [0.5]   # trailing comment`);
    expect(g.start).toBe("sentence");
    expect(g.rules.map((r) => r.name)).toEqual(["sentence", "greeting", "name"]);
    expect(Array.from(g.rules[1].cumulative)).toEqual([3, 4]);
    expect(Array.from(g.rules[2].cumulative)).toEqual([1, 1.5]);
  });

  it("reports undefined symbols where they are used", () => {
    const { grammar, issues } = compileGrammar(`s -> "a" thing\n`);
    expect(grammar).toBeNull();
    expect(issues).toEqual([expect.objectContaining({ severity: "error", line: 1, column: 10, message: expect.stringContaining('"thing" is not defined') })]);
  });

  it("reports rules the start cannot reach, as warnings", () => {
    const { grammar, issues } = compileGrammar(`s -> "a"\nlonely -> "b"`);
    expect(grammar).not.toBeNull();
    expect(issues).toEqual([expect.objectContaining({ severity: "warning", line: 2, column: 1, message: expect.stringContaining('"lonely" is never used') })]);
  });

  it("reports recursion with no way out, and only for the symbols that cannot finish", () => {
    const { grammar, issues } = compileGrammar(`s -> a | "x"\na -> b "y"\nb -> a "z"\nok -> ok "q" | "q"`);
    expect(grammar).toBeNull();
    const errors = issues.filter((i) => i.severity === "error");
    expect(errors.map((e) => [e.line, e.message.split(" ")[0]])).toEqual([
      [2, '"a"'],
      [3, '"b"'],
    ]);
  });

  it("points syntax errors at their line and column", () => {
    const cases: [string, number, number, string][] = [
      [`s -> "open`, 1, 6, "never closed"],
      [`s "a"`, 1, 3, '"->"'],
      [`s -> "a" [0]`, 1, 10, "more than 0"],
      [`s -> "a" [x]`, 1, 10, "positive number"],
      [`s -> "a" | | "b"`, 1, 11, "empty"],
      [`| "a"`, 1, 1, "no rule comes before"],
      [`s -> "a" [2] "b"`, 1, 14, "Nothing may follow"],
      [`s -> + "a"`, 1, 6, "+ joins"],
      [`s -> "a"\n\n  t -> "b" @`, 3, 12, 'Unexpected "@"'],
    ];
    for (const [text, line, column, message] of cases) {
      const { grammar, issues } = compileGrammar(text);
      expect(grammar, text).toBeNull();
      expect(issues.find((i) => i.severity === "error"), text).toMatchObject({ line, column, severity: "error", message: expect.stringContaining(message) });
    }
  });

  it("refuses an empty grammar with a hint", () => {
    expect(compileGrammar("# nothing\n").issues[0].message).toContain("no rules");
  });
});

describe("expandGrammar", () => {
  it("joins items with spaces and glues across + (also into a symbol)", () => {
    const g = compiled(`s -> greeting ", " + name + "!"\ngreeting -> "hi"\nname -> "Ada"`);
    expect(expandGrammar(g, mulberry32(1))).toBe("hi , Ada!");
    const h = compiled(`s -> "un" + adj\nadj -> "happy" | "kind"`);
    expect(["unhappy", "unkind"]).toContain(expandGrammar(h, mulberry32(2)));
  });

  it("is deterministic per seed and follows the weights", () => {
    const g = compiled(`greeting -> "hi" [3] | "hello" [1]`);
    const draw = (record: number) => expandGrammar(g, rngFor(7, record, "greeting"));
    expect(Array.from({ length: 20 }, (_, i) => draw(i))).toEqual(Array.from({ length: 20 }, (_, i) => draw(i)));
    const n = 4000;
    const hi = Array.from({ length: n }, (_, i) => draw(i)).filter((s) => s === "hi").length;
    expect(hi / n).toBeGreaterThan(0.72);
    expect(hi / n).toBeLessThan(0.78);
  });

  it("draws by look-up table exactly what a search over the cumulative weights draws", () => {
    // Whole weights get a table; halved weights (exact in binary) take the linear search.
    // Same seed, same draws: the table is a shortcut, not a different sampler.
    const text = (k: number) => `s -> w w w [${k}] | s w [${2 * k}]\nw -> "a" [${3 * k}] | "b" [${k}] | "c" [${5 * k}] | "d" [${k}]`;
    const whole = compiled(text(1));
    const halved = compiled(text(0.5));
    expect(whole.rules.map((r) => r.table !== null)).toEqual([true, true]);
    expect(halved.rules.map((r) => r.table)).toEqual([null, null]);
    const a = mulberry32(11);
    const b = mulberry32(11);
    for (let i = 0; i < 2000; i++) expect(expandGrammar(whole, a, 6)).toBe(expandGrammar(halved, b, 6));
  });

  it("ends recursive grammars at the depth limit by taking the fastest way out", () => {
    // Left to chance, "list" recurses with probability 0.99 per level.
    const g = compiled(`list -> item ", " list [99] | item\nitem -> "x"`);
    for (let seed = 0; seed < 50; seed++) {
      const out = expandGrammar(g, mulberry32(seed), 5);
      expect(out.split(", ").length).toBeLessThanOrEqual(6);
    }
    // A depth limit of 0 takes the shortest derivation at once.
    expect(expandGrammar(g, mulberry32(3), 0)).toBe("x");
  });

  it("expands the empty terminal to nothing", () => {
    const g = compiled(`s -> "a" opt "b"\nopt -> ""`);
    expect(expandGrammar(g, mulberry32(1))).toBe("a b");
  });
});
