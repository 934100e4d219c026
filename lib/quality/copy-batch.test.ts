import { describe, expect, test } from "vitest";
import { fingerprintLines } from "./copy-batch";
import { fingerprint } from "./fingerprint";
import { chooseBanding } from "./lsh";
import { prng, randomText, vocabulary } from "./synthetic";

const banding = chooseBanding(0.8, 128);
const rand = prng(11);
const words = vocabulary(300, rand);
const id = (k: number) => `00000000-0000-4000-8000-${String(k).padStart(12, "0")}`;

describe("fingerprintLines", () => {
  test("gives each row's id and fingerprint, in order: ASCII, non-ASCII, escaped, null and empty fields", () => {
    const rows: (string | null)[][] = [
      [randomText(400, words, rand)],
      ["Crème brûlée, naïve café"],
      ["tab\there", null],
      [""],
      [null, randomText(200, words, rand)],
    ];
    const copy = (v: string | null) => (v === null ? "\\N" : v.replace(/\t/g, "\\t"));
    const buf = Buffer.from(rows.map((r, k) => [id(k), ...r.map(copy)].join("\t") + "\n").join(""));
    const got = fingerprintLines(buf, banding);
    expect(got.count).toBe(rows.length);
    const B = banding.bands;
    rows.forEach((r, k) => {
      const want = fingerprint(r, banding);
      expect(got.ids.slice(k * 36, k * 36 + 36)).toBe(id(k));
      expect(got.keys.slice(k * 16, k * 16 + 16)).toBe(want.key);
      expect(got.hasBands[k]).toBe(want.bands.length ? 1 : 0);
      expect(Array.from(got.bands.subarray(k * B, k * B + B))).toEqual(want.bands.length ? Array.from(want.bands) : new Array(B).fill(0));
    });
    // A last row without its newline counts; an empty block has none.
    expect(fingerprintLines(buf.subarray(0, buf.length - 1), banding).keys).toBe(got.keys);
    expect(fingerprintLines(new Uint8Array(0), banding).count).toBe(0);
  });
});
