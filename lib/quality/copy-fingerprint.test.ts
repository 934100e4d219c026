import { describe, expect, test } from "vitest";
import { fingerprintCopyColumns } from "./copy-fingerprint";
import { parseCopyLine } from "./copy-text";
import { fingerprint } from "./fingerprint";
import { chooseBanding } from "./lsh";
import { prng, randomText, vocabulary } from "./synthetic";

const banding = chooseBanding(0.8, 128);
const rand = prng(5);
const words = vocabulary(500, rand);

/** A value as COPY's text format writes it. */
const copyValue = (v: string | null) => (v === null ? "\\N" : v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t").replace(/\x08/g, "\\b").replace(/\f/g, "\\f").replace(/\v/g, "\\v"));
const line = (vals: (string | null)[]) => Buffer.from(vals.map(copyValue).join("\t"));

function bothWays(vals: (string | null)[]) {
  const buf = line(vals);
  const fast = fingerprintCopyColumns(buf, 0, buf.length, banding);
  const slow = fingerprint(parseCopyLine(buf.toString("utf8")), banding);
  return { fast, slow: { key: slow.key, bands: slow.bands } };
}

describe("fingerprintCopyColumns", () => {
  test("gives fingerprint's result for ASCII rows: case, punctuation, escapes, several fields, nulls, empty", () => {
    const pieces = ["Hello,  World!", "\ttabs\tand\nnew lines\r\n", "back\\slash", "\x08bell\x1f", "a", "", "  ", "--", "JSON {\"k\": [1, 2]}", "\\N", "N"];
    for (let k = 0; k < 300; k++) {
      const vals = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => {
        const r = rand();
        if (r < 0.15) return null;
        if (r < 0.5) return pieces[Math.floor(rand() * pieces.length)] + pieces[Math.floor(rand() * pieces.length)];
        return randomText(50 + Math.floor(rand() * 300), words, rand);
      });
      const { fast, slow } = bothWays(vals);
      expect(fast, JSON.stringify(vals)).toEqual(slow);
    }
  });

  test("a row that is not plain ASCII is left to the general path", () => {
    expect(bothWays(["café au lait"]).fast).toBeNull();
    expect(bothWays(["plain", "naïve"]).fast).toBeNull();
  });
});
