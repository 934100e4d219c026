import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_BYTES, parseSeedTable } from "./parse";
import { csv, enc, errorAllCuts, jsonl, parse, parseError, streamOf } from "./parse.test-helpers";

describe("parseSeedTable: encoding", () => {
  it("reports the line and byte offset of invalid UTF-8 under every chunking", async () => {
    const input = new Uint8Array([...enc.encode("a,b\n1,é\n2,"), 0xe9, ...enc.encode("t\u00e9\n")]); // Latin-1 é
    const e = await errorAllCuts(input, csv);
    expect(e.code).toBe("encoding");
    expect(e.line).toBe(3);
    expect(e.byteOffset).toBe(11);
    expect(e.message).toMatch(/^The file is not valid UTF-8 text: invalid bytes on line 3 \(byte 11\)\./);
    expect(e.message).toMatch(/CSV UTF-8/);
  });

  it("a multi-byte sequence broken across chunks is located at its lead byte", async () => {
    // C3 must be followed by a continuation byte; here the next byte is "A".
    const input = new Uint8Array([...enc.encode('{"a":"'), 0xc3, 0x41, ...enc.encode('"}\n')]);
    const e = await errorAllCuts(input, jsonl);
    expect([e.line, e.byteOffset]).toEqual([1, 6]);
    const overlong = await errorAllCuts(new Uint8Array([0x61, 0x0a, 0x31, 0x0a, 0xc0, 0xaf]), csv);
    expect([overlong.line, overlong.byteOffset]).toEqual([3, 4]);
  });

  it("a file ending mid-character", async () => {
    const input = new Uint8Array([...enc.encode("a\nx"), 0xe2, 0x82]);
    const e = await errorAllCuts(input, csv);
    expect(e.code).toBe("encoding");
    expect([e.line, e.byteOffset]).toEqual([2, 3]);
    expect(e.message).toMatch(/^The file ends in the middle of a UTF-8 character/);
  });

  it("recognises UTF-16, spreadsheets and NUL bytes", async () => {
    const utf16 = new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x0a, 0x00]);
    const e16 = await parseError(utf16, csv, 1);
    expect(e16.message).toMatch(/^The file is UTF-16 text, not UTF-8\./);
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0xff, 0x9c, 0x00]);
    expect((await parseError(zip, csv)).message).toMatch(/Excel workbook or ZIP archive/);
    const nul = await errorAllCuts("a,b\n1,2\n3,\u0000\n", csv);
    expect([nul.code, nul.line, nul.byteOffset]).toEqual(["encoding", 3, 10]);
    expect(nul.message).toMatch(/NUL character on line 3/);
  });
});

describe("parseSeedTable: size limit and stream handling", () => {
  it("stops as soon as the upload exceeds maxBytes and cancels the stream", async () => {
    let pulls = 0;
    let cancelled = false;
    const chunk = enc.encode("x".repeat(1000));
    const endless = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(enc.encode('a\n"'));
      },
      pull(c) {
        pulls++;
        c.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    const e = await parseError(endless, { format: "csv", maxBytes: 10_000 });
    expect(e.code).toBe("too_large");
    expect(e.message).toBe(
      "File is larger than 9.8 KB. Split it into smaller files (or drop columns you don't need) and upload each one.",
    );
    expect(cancelled).toBe(true);
    expect(pulls).toBeLessThan(15);
  });

  it("words the limit in MB and accepts a file exactly at the limit", async () => {
    const mib = 1024 * 1024;
    expect(DEFAULT_MAX_BYTES).toBe(100 * mib);
    const body = enc.encode("a\n" + "b".repeat(2 * mib - 2)); // exactly 2 MiB
    const ok = await parse(body, { format: "csv", maxBytes: 2 * mib, maxCellChars: 4 * mib });
    expect(ok.summary.byteCount).toBe(2 * mib);
    const e = await parseError(body, { format: "csv", maxBytes: 2 * mib - 1 });
    expect(e.message).toMatch(/^File is larger than 2 MB\./);
    const e2 = await parseError(enc.encode("a\n" + "b".repeat(150)), { format: "jsonl", maxBytes: 100 });
    expect(e2.message).toMatch(/^File is larger than 100 bytes\./);
  });

  it("accepts an AsyncIterable source and closes it on error", async () => {
    let closed = false;
    async function* source() {
      try {
        yield enc.encode('{"a":1}\n');
        yield enc.encode("oops\n");
        yield enc.encode('{"a":2}\n');
      } finally {
        closed = true;
      }
    }
    const e = await parseError(source(), jsonl);
    expect(e.line).toBe(2);
    expect(closed).toBe(true);
    const ok = await parse(
      (async function* () {
        yield enc.encode("a\n1\n");
      })(),
      csv,
    );
    expect(ok.rows).toEqual([{ a: "1" }]);
  });

  it("a failing upload stream becomes read_failed", async () => {
    const broken = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(enc.encode("a\n1\n"));
      },
      pull(c) {
        c.error(new Error("socket hang up"));
      },
    });
    const e = await parseError(broken, csv);
    expect(e.code).toBe("read_failed");
    expect(e.message).toBe("The upload was interrupted before the whole file arrived. Please upload it again.");
    expect((e.cause as Error).message).toBe("socket hang up");
  });

  it("cancels the stream when the consumer stops early", async () => {
    let cancelled = false;
    const rs = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(enc.encode("a\n" + "1\n".repeat(3000)));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const batch of parseSeedTable(rs, { format: "csv" })) {
      expect(batch.rows.length).toBe(1000);
      break;
    }
    expect(cancelled).toBe(true);
  });

  it("rejects invalid options as programmer errors, not parse errors", async () => {
    const gen = parseSeedTable(streamOf("a\n1\n"), { format: "csv", batchSize: 0 });
    await expect(gen.next()).rejects.toBeInstanceOf(RangeError);
  });
});
