// Lexical diversity of a text field across a dataset, for the health page:
// distinct-n (unique word n-grams ÷ all word n-grams, Li et al. 2016) and the
// compression ratio (gzip size ÷ raw UTF-8 size: repetitive text compresses well, so a
// low ratio means a homogeneous dataset). Both take the texts one at a time, so the
// counts can be kept up to date as records land instead of recomputed per page view.
import { gzipSync } from "node:zlib";
import { words } from "../validators/mentions";

/**
 * Counts word n-grams (n = 1..maxN) over many texts. n-grams do not cross texts: the
 * last word of one record and the first of the next are not a bigram.
 */
export class DistinctCounter {
  private seen: Set<string>[];
  private totals: number[];
  constructor(readonly maxN = 3) {
    this.seen = Array.from({ length: maxN }, () => new Set<string>());
    this.totals = new Array<number>(maxN).fill(0);
  }

  add(text: string): void {
    const w = words(text);
    for (let n = 1; n <= this.maxN; n++) {
      for (let i = 0; i + n <= w.length; i++) {
        // U+0001 cannot occur inside a word, so joined n-grams never collide.
        this.seen[n - 1].add(n === 1 ? w[i] : w.slice(i, i + n).join("\u0001"));
        this.totals[n - 1]++;
      }
    }
  }

  /** Distinct n-grams ÷ total n-grams; null when there are none (empty texts). */
  distinct(n: number): number | null {
    if (n < 1 || n > this.maxN) throw new RangeError(`n must be between 1 and ${this.maxN}`);
    const total = this.totals[n - 1];
    return total === 0 ? null : this.seen[n - 1].size / total;
  }
}

/** distinct-1, -2 and -3 of a set of texts. */
export function distinctN(texts: Iterable<string>): { distinct1: number | null; distinct2: number | null; distinct3: number | null } {
  const c = new DistinctCounter(3);
  for (const t of texts) c.add(t);
  return { distinct1: c.distinct(1), distinct2: c.distinct(2), distinct3: c.distinct(3) };
}

/**
 * gzip size ÷ raw UTF-8 size of the texts joined by newlines; null for no text. gzip's
 * fixed 18 bytes of header and trailer dominate tiny inputs ("a" gives 21 ÷ 1), so the
 * figure means something from a few kilobytes on, which a dataset field reaches fast.
 */
export function compressionRatio(texts: Iterable<string>): number | null {
  const raw = Buffer.from([...texts].join("\n"), "utf8");
  if (raw.length === 0) return null;
  return gzipSync(raw, { level: 6 }).length / raw.length;
}
