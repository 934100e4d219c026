import { describe, expect, it } from "vitest";
import { detectFormat } from "./parse";
import { enc } from "./parse.test-helpers";

describe("detectFormat", () => {
  it("uses the extension", () => {
    expect(detectFormat("data.csv")).toBe("csv");
    expect(detectFormat("DATA.TSV")).toBe("csv");
    expect(detectFormat("x.jsonl")).toBe("jsonl");
    expect(detectFormat("x.ndjson")).toBe("jsonl");
    expect(detectFormat("x.json-lines")).toBe("jsonl");
    expect(detectFormat("x.JSONLines")).toBe("jsonl");
    expect(detectFormat("x.csv", enc.encode('{"a":1}'))).toBe("csv");
  });

  it("sniffs the first bytes otherwise", () => {
    expect(detectFormat("export.json", enc.encode('\uFEFF  {"a":1}\n'))).toBe("jsonl");
    expect(detectFormat("export.json", enc.encode("[{}]"))).toBeNull();
    expect(detectFormat("seeds.txt", enc.encode("a,b\n1,2"))).toBe("csv");
    expect(detectFormat("noext", enc.encode("\n\n"))).toBeNull();
    expect(detectFormat("sheet.xlsx", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0]))).toBeNull();
    expect(detectFormat("utf16.txt", new Uint8Array([0xff, 0xfe, 0x61, 0]))).toBeNull();
    expect(detectFormat("unknown.dat")).toBeNull();
  });
});
