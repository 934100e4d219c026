import zlib from "node:zlib";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { describe, expect, test } from "vitest";
import { arrayBatch, toCell } from "./cells";
import { createEncoder, FIRST_GROUP_ROWS, GROUP_ROWS } from "./encoders";
import { planExport } from "./formats";
import { ExportRequest } from "./schemas";

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

const plan = planExport(ExportRequest.parse({ format: "parquet", fields: ["i", "text", "kind", "extra"] }));
const N = FIRST_GROUP_ROWS + GROUP_ROWS + 777; // three row groups
const row = (i: number) => [
  toCell(i),
  toCell(i % 97 === 0 ? "" : `Row ${i}: café 東京 🦜 "quoted", ${"x".repeat(i % 50)}\nsecond line`),
  toCell(["alpha", "beta", "gamma"][i % 3]),
  i % 5 === 0 ? null : toCell({ i, tags: ["a", i % 2 ? "odd" : "even"] }),
];

function encodeAll(opts: Parameters<typeof createEncoder>[1] = {}) {
  const enc = createEncoder(plan, opts);
  const chunks: Uint8Array[] = [];
  // Fed in uneven batches, as COPY chunks arrive.
  for (let start = 0; start < N; ) {
    const size = 1 + ((start * 7) % 613);
    const rows = Array.from({ length: Math.min(size, N - start) }, (_, k) => row(start + k));
    chunks.push(...enc.push(arrayBatch(rows, 4)));
    start += rows.length;
  }
  chunks.push(...enc.finish());
  return { bytes: concat(chunks), enc };
}

describe("Parquet encoder", () => {
  test("writes row groups as it goes and reads back with hyparquet (snappy)", async () => {
    const { bytes, enc } = encodeAll();
    expect(enc.rows).toBe(N);
    const meta = parquetMetadata(bytes.buffer as ArrayBuffer);
    expect(Number(meta.num_rows)).toBe(N);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([FIRST_GROUP_ROWS, GROUP_ROWS, 777]);
    // The low-cardinality column keeps its dictionary; long unique texts are written plain.
    expect(meta.row_groups[1].columns[2].meta_data?.encodings).toContain("RLE_DICTIONARY");
    expect(meta.row_groups[1].columns[1].meta_data?.encodings).not.toContain("RLE_DICTIONARY");
    const rows = await parquetReadObjects({ file: bytes.buffer as ArrayBuffer });
    expect(rows.length).toBe(N);
    for (const i of [0, 1, 5, 97, FIRST_GROUP_ROWS, N - 1]) {
      const [ci, ct, ck, ce] = row(i);
      expect(rows[i]).toEqual({ i: ci!.slice(1), text: ct!.slice(1), kind: ck!.slice(1), extra: ce === null ? null : ce.slice(1) });
    }
  });

  test("zstd through Node's zlib, as the server writes it", async () => {
    const { bytes } = encodeAll({
      parquet: {
        codec: "ZSTD",
        compressors: { ZSTD: (b) => new Uint8Array(zlib.zstdCompressSync(b)) },
      },
    });
    const meta = parquetMetadata(bytes.buffer as ArrayBuffer);
    expect(meta.row_groups[0].columns[0].meta_data?.codec).toBe("ZSTD");
    const rows = await parquetReadObjects({
      file: bytes.buffer as ArrayBuffer,
      compressors: { ZSTD: (input: Uint8Array) => new Uint8Array(zlib.zstdDecompressSync(input)) },
    });
    expect(rows.length).toBe(N);
    expect(rows[123]).toEqual({ i: "123", text: row(123)[1]!.slice(1), kind: "alpha", extra: row(123)[3]!.slice(1) });
  });

  test("an export with no rows is still a valid file", async () => {
    const enc = createEncoder(plan);
    const bytes = concat(enc.finish());
    expect(Number(parquetMetadata(bytes.buffer as ArrayBuffer).num_rows)).toBe(0);
  });
});

describe("JSON-lines encoder", () => {
  test("one line per row, each a JSON object; the row filter leaves rows out and counts them", () => {
    const p = planExport(ExportRequest.parse({ format: "jsonl", fields: ["i", "text"] }));
    const enc = createEncoder(p, { keep: (b, r) => Number(b.text(r, 0)) % 2 === 0 });
    const text = new TextDecoder().decode(concat([...enc.push(arrayBatch([row(0).slice(0, 2), row(1).slice(0, 2), row(2).slice(0, 2)], 2)), ...enc.finish()]));
    const lines = text.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.map((l) => JSON.parse(l).i)).toEqual([0, 2]);
    expect(enc.rows).toBe(2);
    expect(enc.skipped).toBe(1);
  });
});

describe("JSON written as bytes", () => {
  test("identical to JSON.stringify for every byte a string can hold", () => {
    const all = Array.from({ length: 0x800 }, (_, i) => String.fromCharCode(i)).join("") + "🦜 “curly” \u2028\u2029 \u007f";
    const values = [all, "", "plain", 'a"b\\c', "\u0000\u001f", 3, -1.5e-7, true, null, ["x", { y: "z\n" }]];
    const p = planExport(ExportRequest.parse({ format: "jsonl", fields: values.map((_, i) => `f${i}`) }));
    const enc = createEncoder(p);
    const text = new TextDecoder().decode(concat(enc.push(arrayBatch([values.map((v) => toCell(v))], values.length))));
    const expected = "{" + values.map((v, i) => `"f${i}":${JSON.stringify(v)}`).join(",") + "}\n";
    expect(text).toBe(expected);
  });
});

describe("JSON lines from Node buffers (the server's path) and plain bytes (the fallback)", () => {
  test("both give the same bytes", async () => {
    const { CopyBinaryParser, encodeCopyFrames } = await import("@/lib/db/copy/binary");
    const values = ["plain", 'é "q" \\ \n\t\u0001 🦜', 3, null, { a: ["b"] }, ""];
    const rows = Array.from({ length: 20 }, (_, i) => values.map((v) => (i % 3 === 0 && v === "plain" ? undefined : v)).map(toCell));
    const p = planExport(ExportRequest.parse({ format: "sharegpt", mapping: { system: { kind: "text", text: "Réponds 🇫🇷" }, user: { kind: "field", name: "a" }, assistant: { kind: "field", name: "b" } } }));
    const p2 = planExport(ExportRequest.parse({ format: "jsonl", fields: ["f0", "f1", "f2", "f3", "f4", "f5"] }));
    for (const plan of [p, p2]) {
      const width = plan.cells.length;
      const cells = rows.map((r) => r.slice(0, width));
      const frames = encodeCopyFrames(cells);
      const fromBuffer = new CopyBinaryParser().pushFrames({ ...frames, buf: Buffer.from(frames.buf) })!;
      expect(Buffer.isBuffer(fromBuffer.buf)).toBe(true);
      const a = new TextDecoder().decode(concat(createEncoder(plan).push(fromBuffer)));
      const b = new TextDecoder().decode(concat(createEncoder(plan).push(arrayBatch(cells, width))));
      expect(a).toBe(b);
      for (const line of a.trim().split("\n")) JSON.parse(line);
    }
  });
});

describe("CSV encoder: formula-like cells", () => {
  const csvPlan = planExport(ExportRequest.parse({ format: "csv", fields: ["=name", "value"] }));
  const cells = [["a", "=HYPERLINK(\"http://x\",\"y\")"], ["b", "+1+1"], ["c", "-1.5"], ["d", "@SUM(A1)"], ["e", "plain"]].map((r) => r.map(toCell));
  const encode = (formulas?: "neutralise" | "keep") => {
    const enc = createEncoder(csvPlan, formulas ? { formulas } : {});
    return new TextDecoder().decode(concat([...enc.push(arrayBatch(cells, 2)), ...enc.finish()]));
  };

  test("neutralised by default, the header too; plain numbers untouched", () => {
    expect(encode()).toBe(`'=name,value\r\na,"'=HYPERLINK(""http://x"",""y"")"\r\nb,'+1+1\r\nc,-1.5\r\nd,'@SUM(A1)\r\ne,plain\r\n`);
    expect(encode("neutralise")).toBe(encode());
  });

  test("kept as they are when asked", () => {
    expect(encode("keep")).toBe(`=name,value\r\na,"=HYPERLINK(""http://x"",""y"")"\r\nb,+1+1\r\nc,-1.5\r\nd,@SUM(A1)\r\ne,plain\r\n`);
  });
});
