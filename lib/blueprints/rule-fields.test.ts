import { describe, expect, it } from "vitest";
import { newField } from "./defaults";
import { previewRecords } from "./preview";
import { computeRuleField, maskWithPatterns } from "./rule-fields";
import { Blueprint, type Field, type GrammarField, type MaskField, type TransformField } from "./schema";
import { availableVariables, validateBlueprint } from "./validate";

const text = (name: string, template: string): Field => ({ ...newField("expression", name), template });
const grammar = (name: string, g: string): GrammarField => ({ ...newField("grammar", name), grammar: g });
const transform = (name: string, source: string, over: Partial<TransformField> = {}): TransformField => ({ ...newField("transform", name), source, ...over });
const mask = (name: string, source: string, over: Partial<MaskField> = {}): MaskField => ({ ...newField("mask", name), source, ...over });
const ctx = { seed: 7, recordIndex: 3 };

const COMMANDS = `command -> verb "the" device "in the" room
verb -> "turn on" | "turn off" | "dim"
device -> "lights" | "heater" | "fan"
room -> "kitchen" | "bedroom" | "hall"`;

describe("schema", () => {
  it("parses the three rule kinds as blueprint fields", () => {
    const fields = [grammar("cmd", COMMANDS), transform("noisy", "cmd"), mask("masked", "cmd")];
    expect(Blueprint.parse({ fields }).fields.map((f) => f.kind)).toEqual(["grammar", "transform", "mask"]);
    expect(() => Blueprint.parse({ fields: [{ ...transform("t", "cmd"), operation: "reverse" }] })).toThrow();
  });

  it("new fields of each kind are valid once given a source", () => {
    const bp = { fields: [text("src", "Call Ada at ada@example.com"), newField("grammar", "g"), transform("t", "src"), mask("m", "src")] };
    expect(validateBlueprint(bp)).toEqual([]);
  });
});

describe("validation", () => {
  it("reports grammar problems beside the grammar with line and column", () => {
    const issues = validateBlueprint({ fields: [grammar("g", 'start -> greeting\ngreeting -> "hi" | nme\nlost -> "x"\nloop -> loop "a"')] });
    const grammarIssues = issues.filter((i) => i.path === "grammar");
    expect(grammarIssues).toContainEqual(expect.objectContaining({ severity: "error", line: 2, message: expect.stringMatching(/nme/) }));
    expect(grammarIssues).toContainEqual(expect.objectContaining({ severity: "warning", line: 3, message: expect.stringMatching(/lost/) }));
    expect(grammarIssues.some((i) => i.severity === "error" && /loop/.test(i.message))).toBe(true);
    const syntax = validateBlueprint({ fields: [grammar("g", 'start -> "unclosed')] });
    expect(syntax).toContainEqual(expect.objectContaining({ path: "grammar", severity: "error", line: 1, column: expect.any(Number) }));
  });

  it("asks for an earlier source field", () => {
    const missing = validateBlueprint({ fields: [transform("t", "")] });
    expect(missing).toContainEqual(expect.objectContaining({ path: "source", message: expect.stringMatching(/Choose/) }));
    const below = validateBlueprint({ fields: [mask("m", "later"), text("later", "x")] });
    expect(below).toContainEqual(expect.objectContaining({ path: "source", message: expect.stringMatching(/below/) }));
  });

  it("checks each operation's amount", () => {
    const bad = (over: Partial<TransformField>) => validateBlueprint({ fields: [text("s", "x"), transform("t", "s", over)] }).filter((i) => i.path === "amount");
    expect(bad({ operation: "swap", amount: 1.5 })).toHaveLength(1);
    expect(bad({ operation: "perturb_dates", amount: 2.5 })).toHaveLength(1);
    expect(bad({ operation: "perturb_dates", amount: 30 })).toHaveLength(0);
    expect(bad({ operation: "perturb_numbers", amount: 3 })).toHaveLength(0);
  });

  it("reports a broken pattern, a bad placeholder name and unknown entity types beside their input", () => {
    const issues = validateBlueprint({
      fields: [text("s", "x"), mask("m", "s", { entityTypes: ["EMAIL", "SSN"], patterns: [{ name: "ID", pattern: "EMP-[0-9" }, { name: "my id", pattern: "x" }] })],
    });
    expect(issues).toContainEqual(expect.objectContaining({ path: "patterns", index: 0, message: expect.stringMatching(/Pattern 1: Invalid pattern/) }));
    expect(issues).toContainEqual(expect.objectContaining({ path: "patterns", index: 1, message: expect.stringMatching(/Name pattern 2/) }));
    expect(issues).toContainEqual(expect.objectContaining({ path: "entityTypes", index: 1, message: expect.stringMatching(/"SSN"/) }));
    const tokens = validateBlueprint({ fields: [text("s", "x"), mask("m", "s", { mode: "tokens", rate: 2 })] });
    expect(tokens).toContainEqual(expect.objectContaining({ path: "rate" }));
  });
});

describe("templates reading rule fields", () => {
  it("offer a token mask's masked text and targets, and flag other properties", () => {
    const fields = [text("s", "a b c"), mask("infill", "s", { mode: "tokens", rate: 0.5 })];
    expect(availableVariables({ fields }, 2).find((v) => v.name === "infill")?.properties).toEqual(["masked", "targets"]);
    expect(validateBlueprint({ fields: [...fields, text("ok", "{{ infill.masked }} {{ infill.targets.size }}")] })).toEqual([]);
    const bad = validateBlueprint({ fields: [...fields, text("bad", "{{ infill.text }}")] });
    expect(bad).toContainEqual(expect.objectContaining({ path: "template", severity: "warning", message: expect.stringMatching(/no "text"/) }));
  });
});

describe("values", () => {
  it("expands a grammar the same way for the same seed and record, differently across records", () => {
    const g = grammar("cmd", COMMANDS);
    const a = computeRuleField(g, {}, ctx);
    expect(a).toMatch(/^(turn on|turn off|dim) the (lights|heater|fan) in the (kitchen|bedroom|hall)$/);
    expect(computeRuleField(g, {}, ctx)).toBe(a);
    const many = new Set(Array.from({ length: 30 }, (_, i) => computeRuleField(g, {}, { seed: 7, recordIndex: i })));
    expect(many.size).toBeGreaterThan(5);
  });

  it("throws with the position when the grammar is broken, so the record fails with a reason", () => {
    expect(() => computeRuleField(grammar("g", 'a -> b'), {}, ctx)).toThrow(/line 1, column \d+: .*b/);
  });

  it("transforms the source text by the chosen operation, seeded", () => {
    const scope = { s: "The total was 1,250 dollars on 2024-03-05 and 19.99 later." };
    const nums = computeRuleField(transform("t", "s", { operation: "perturb_numbers", amount: 0.5 }), scope, ctx) as string;
    expect(nums).not.toBe(scope.s);
    expect(nums).toContain("2024-03-05");
    expect(computeRuleField(transform("t", "s", { operation: "perturb_numbers", amount: 0.5 }), scope, ctx)).toBe(nums);
    const dates = computeRuleField(transform("t", "s", { operation: "perturb_dates", amount: 30 }), scope, { seed: 1, recordIndex: 0 }) as string;
    expect(dates).toMatch(/on \d{4}-\d{2}-\d{2} and/);
    const deleted = computeRuleField(transform("t", "s", { operation: "delete", amount: 1 }), { s: "a b c" }, ctx);
    expect(deleted).not.toBe("a b c");
    expect(computeRuleField(transform("t", "missing"), {}, ctx)).toBeNull();
  });

  it("masks entities and user patterns; token masking carries its targets", () => {
    const scope = { s: "Ada Lovelace (ada@example.com) badge EMP-0042 called." };
    const m = mask("m", "s", { entityTypes: ["EMAIL"], patterns: [{ name: "BADGE", pattern: "EMP-[0-9]+" }] });
    expect(computeRuleField(m, scope, ctx)).toBe("Ada Lovelace ([EMAIL]) badge [BADGE] called.");
    expect(maskWithPatterns("id $1 EMP-7", { entityTypes: [], patterns: [{ name: "X", pattern: "EMP-[0-9]" }] })).toBe("id $1 [X]");
    const tokens = computeRuleField(mask("m", "s", { mode: "tokens", rate: 0.5 }), { s: "one two three four" }, ctx) as { masked: string; targets: { index: number; token: string }[] };
    expect(tokens.targets).toHaveLength(2);
    expect(tokens.masked.split(" ").filter((t) => t === "[MASK]")).toHaveLength(2);
    expect(computeRuleField(mask("m", "s", { mode: "tokens", rate: 0.5 }), { s: "one two three four" }, ctx)).toEqual(tokens);
  });

  it("shows in the seeded preview what a run stores, and later templates read it", () => {
    const bp = { fields: [grammar("cmd", COMMANDS), mask("masked", "cmd", { mode: "tokens", rate: 0.5 }), text("both", "{{ cmd }} => {{ masked.masked }}")] };
    const [rec] = previewRecords(bp, { seed: 7, count: 1, startIndex: 3 });
    expect(rec.values.cmd).toBe(computeRuleField(bp.fields[0] as GrammarField, {}, ctx));
    expect(rec.fields.map((f) => f.kind)).toEqual(["grammar", "mask", "expression"]);
    expect(rec.values.both).toBe(`${rec.values.cmd} => ${(rec.values.masked as { masked: string }).masked}`);
    const broken = previewRecords({ fields: [grammar("g", "a -> b")] }, { seed: 1, count: 1 })[0].fields[0];
    expect(broken).toMatchObject({ kind: "grammar", value: null, error: expect.stringMatching(/grammar has an error/) });
  });
});
