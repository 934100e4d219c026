import { expect, test } from "vitest";
import type { CellKind } from "@/lib/db/copy/cells";
import { CopyBinaryParser } from "@/lib/db/copy/binary";
import { ImportRowWriter } from "./copy-rows";

const DATASET = "abef901b-5e9f-481b-a9e5-a3027bfa0b1e";

/** The fields of each row, read back by the export's binary COPY reader as PostgreSQL would read them. */
function fields(...parts: Buffer[]): Buffer[][] {
  const buf = Buffer.concat(parts);
  const parser = new CopyBinaryParser(Array<CellKind>(9).fill("text"));
  const batch = parser.pushFrames({ buf, starts: Int32Array.of(0), ends: Int32Array.of(buf.length), count: 1 })!;
  parser.finish();
  return Array.from({ length: batch.rows }, (_, r) => Array.from({ length: 9 }, (_, c) => Buffer.from(batch.bytes(r, c) ?? [])));
}

test("header, trailer and rows in PostgreSQL's binary COPY layout", () => {
  const w = new ImportRowWriter(DATASET, new Date("2000-01-01T00:00:01.5Z"));
  expect(w.header().toString("latin1")).toBe("PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0");
  expect([...w.trailer()]).toEqual([0xff, 0xff]);

  const values = '{"q":"Café \\\\ \\t 東京 🦜"}';
  const rows = fields(
    w.header(),
    w.rows([
      { id: "01a2016d-5647-7000-8e7a-db1c395473b9", index: 1, values, provenance: '{"import":{"row":1}}' },
      { id: "01a2016d-5647-7001-8e7a-db1c395473ba", index: 70000, values: "{}", provenance: "{}" },
    ]),
    w.trailer(),
  );
  expect(rows).toHaveLength(2);
  const [datasetId, source, status, nonTextFields, updatedAt, id, index, v, p] = rows[0];
  expect(rows[0]).toHaveLength(9);
  expect(datasetId.toString("hex")).toBe(DATASET.replaceAll("-", ""));
  expect(source.toString()).toBe("imported");
  expect(status.toString()).toBe("succeeded");
  expect([...nonTextFields]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 25]); // text[] with no elements
  expect(updatedAt.readBigInt64BE()).toBe(1_500_000n); // microseconds since 2000-01-01 UTC
  expect(id.toString("hex")).toBe("01a2016d564770008e7adb1c395473b9");
  expect(index.readInt32BE()).toBe(1);
  expect(v[0]).toBe(1); // jsonb format version
  expect(v.subarray(1).toString("utf8")).toBe(values);
  expect(p.subarray(1).toString("utf8")).toBe('{"import":{"row":1}}');
  expect(rows[1][6].readInt32BE()).toBe(70000);
  expect(rows[1][7].toString("utf8")).toBe("\u0001{}");
});
