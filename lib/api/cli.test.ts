import { describe, expect, it } from "vitest";
import { columnsOf, EXIT, exitForRun, filterOf, formatOf, mappingOf, parseArgs, progressLine, UsageError } from "./cli";

describe("parseArgs", () => {
  it("reads the command, its arguments, options and flags", () => {
    expect(parseArgs(["run", "ds1", "--records", "50", "--wait", "--seed=7"])).toEqual({ command: "run", args: ["ds1"], options: { records: "50", wait: true, seed: "7" } });
    expect(parseArgs(["export", "ds1", "-o", "out.jsonl", "--format", "openai-chat"]).options).toEqual({ output: "out.jsonl", format: "openai-chat" });
    expect(parseArgs([]).command).toBe("help");
    expect(parseArgs(["run", "ds1", "--batch", "--records", "10000", "--wait"]).options).toEqual({ batch: true, records: "10000", wait: true });
  });
  it("says which option lacks its value", () => {
    expect(() => parseArgs(["run", "ds", "--records"])).toThrow(new UsageError("--records needs a value."));
    expect(() => parseArgs(["run", "ds", "--records", "--wait"])).toThrow(/--records needs a value/);
  });
});

describe("filters, formats and mappings", () => {
  it("takes a review state, all, or JSON, accepted by default", () => {
    expect(filterOf(undefined)).toEqual({ reviewState: ["accepted"] });
    expect(filterOf("all")).toEqual({});
    expect(filterOf("unreviewed")).toEqual({ reviewState: ["unreviewed"] });
    expect(filterOf('{"source":"imported"}')).toEqual({ source: "imported" });
    expect(() => filterOf("good ones")).toThrow(/is none of these/);
  });
  it("names formats as the export page does", () => {
    expect(formatOf("openai-chat")).toBe("openai");
    expect(formatOf("sharegpt")).toBe("sharegpt");
    expect(() => formatOf("xml")).toThrow(UsageError);
  });
  it("maps columns to fields, each to its own name by default", () => {
    expect(mappingOf(undefined, ["text", "label"])).toEqual({ text: "text", label: "label" });
    expect(mappingOf("text=review, label=sentiment", [])).toEqual({ text: "review", label: "sentiment" });
    expect(() => mappingOf("text", [])).toThrow(/column=field/);
  });
  it("reads a file's columns from its header or first object", () => {
    expect(columnsOf("a.csv", 'text,"label"\nhi,pos\n')).toEqual(["text", "label"]);
    expect(columnsOf("a.tsv", "text\tlabel\n")).toEqual(["text", "label"]);
    expect(columnsOf("a.jsonl", '{"text":"hi","label":"pos"}\n{"text":"x"}')).toEqual(["text", "label"]);
    expect(columnsOf("a.json", '[{"text":"hi","n":1},{"text":"x"}]')).toEqual(["text", "n"]);
    expect(() => columnsOf("a.jsonl", "not json")).toThrow(/--map/);
  });
});

describe("progress and exit codes", () => {
  const run = { status: "running", requested: 100, succeeded: 40, failed: 10, rejected: 0, costUsd: 0.0123, target: null };
  it("draws a bar of the finished share with counts and cost", () => {
    expect(progressLine(run, 10)).toBe("█████░░░░░ 50/100 · 10 failed · $0.0123 · running");
    expect(progressLine({ ...run, target: { good: 20, of: 80 } }, 8)).toBe("██░░░░░░ 20/80 good · 10 failed · $0.0123 · running");
  });
  it("succeeds only for a completed run", () => {
    expect(exitForRun("completed")).toBe(EXIT.ok);
    for (const s of ["failed", "cancelled", "partial"]) expect(exitForRun(s)).toBe(EXIT.runNotCompleted);
  });
});
