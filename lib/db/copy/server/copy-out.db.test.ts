import type pg from "pg";
import { describe, expect, test } from "vitest";
import { testPgClient } from "@/lib/testing/db";
import { CopyBinaryParser } from "../binary";
import { CopyOut } from "./copy-out";

// The canary for upgrading `pg`: CopyOut takes over pg's one "data" listener on the socket
// and hands it back at CopyDone (copy-out.ts), which leans on pg's internals (Connection's
// `stream`, the custom query's `submit`). package.json pins `pg` to the exact version
// these tests passed on; before moving it, run them (a failure here is that contract breaking).
const client = testPgClient();

/** Every row of a binary COPY of text columns, read through CopyOut and the in-place parser. */
async function readAll(sql: string): Promise<{ rows: (string | null)[][]; frames: number; cut: number }> {
  const out = new CopyOut(`copy (${sql}) to stdout (format binary)`);
  void client.query(out as unknown as pg.QueryConfig);
  const parser = new CopyBinaryParser(["text", "text"]);
  const rows: (string | null)[][] = [];
  let frames = 0;
  let cut = 0;
  for await (const f of out.frames()) {
    frames++;
    if (f.count === 1 && f.buf.length === f.ends[0]) cut++; // a message completed in a buffer of its own
    const b = parser.pushFrames(f);
    for (let r = 0; b && r < b.rows; r++) rows.push([b.text(r, 0), b.text(r, 1)]);
  }
  parser.finish();
  return { rows, frames, cut };
}

describe("CopyOut: COPY read in place from the socket", () => {
  test("rows of every size, cut anywhere by the socket's chunks, come out whole and in order", async () => {
    // Sizes from empty to 300 KB: messages larger than a socket chunk, NULLs, multi-byte text.
    const { rows, frames, cut } = await readAll(
      `select i::text, case when i % 7 = 0 then null else repeat('é' || i::text, (i * 7919) % 50000) end from generate_series(1, 400) i`,
    );
    expect(rows).toHaveLength(400);
    for (let i = 1; i <= 400; i++) {
      expect(rows[i - 1][0]).toBe(String(i));
      expect(rows[i - 1][1]).toBe(i % 7 === 0 ? null : `é${i}`.repeat((i * 7919) % 50000));
    }
    expect(frames).toBeGreaterThan(10);
    expect(cut).toBeGreaterThan(0);
    // pg has its socket back: the connection goes on as before.
    expect((await client.query("select 41 + 1 as n")).rows[0].n).toBe(42);
  });

  test("an error in the middle of COPY is pg's error, and the connection stays usable", async () => {
    const read = readAll(`select i::text, (1 / (i - 3000))::text from generate_series(1, 5000) i`);
    await expect(read).rejects.toThrow(/division by zero/);
    expect((await client.query("select 'still here' as s")).rows[0].s).toBe("still here");
  });

  test("an empty result and a query that fails before COPY starts", async () => {
    expect((await readAll(`select 'a', 'b' where false`)).rows).toEqual([]);
    await expect(readAll(`select no_such_column, 1 from generate_series(1, 3)`)).rejects.toThrow(/no_such_column/);
    expect((await client.query("select 1 as n")).rows[0].n).toBe(1);
  });
});
