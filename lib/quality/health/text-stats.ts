// Lexical diversity of a text field: distinct-n and compression ratio. Pure (zlib is
// computation, not I/O). If lib/quality/stats/ lands with its own distinct-n and
// compression ratio, the health page should use those and this file go.
//
// distinct-n = distinct n-grams / all n-grams, over lower-cased word tokens, n-grams not
// crossing records. It falls as the sample grows (more text, more repeats), so runs are
// only comparable on samples of the same size: TEXT_SAMPLE records each.
import { gzipSync } from "node:zlib";

/** Records per run (or of the imports) the diversity figures are computed on. */
export const TEXT_SAMPLE = 1000;

export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];
}

export function distinctN(texts: readonly string[], n: number): number {
  const seen = new Set<string>();
  let total = 0;
  for (const t of texts) {
    const w = words(t);
    for (let i = 0; i + n <= w.length; i++) {
      seen.add(w.slice(i, i + n).join(" "));
      total++;
    }
  }
  return total ? seen.size / total : 0;
}

/** gzip size ÷ raw size (UTF-8) of the texts joined by newlines: lower is more repetitive. */
export function compressionRatio(texts: readonly string[]): number {
  const raw = Buffer.from(texts.join("\n"), "utf8");
  if (!raw.length) return 0;
  return gzipSync(raw, { level: 6 }).length / raw.length;
}

export type TextStatsFigures = { sampleSize: number; distinct1: number; distinct2: number; distinct3: number; compressionRatio: number };

export function textStats(texts: readonly string[]): TextStatsFigures {
  return {
    sampleSize: texts.length,
    distinct1: distinctN(texts, 1),
    distinct2: distinctN(texts, 2),
    distinct3: distinctN(texts, 3),
    compressionRatio: compressionRatio(texts),
  };
}
