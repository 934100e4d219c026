// Word-level differences between two texts, for the duplicate cluster view: which words of
// `b` are not in `a` and which of `a` are missing from `b`. Pure. (The `diff` package is
// not installed; a longest common subsequence over words is all this needs.)
//
// Tokens are runs of word characters, runs of whitespace, and single other characters, so
// a changed comma is one token and joining the parts gives back the text exactly.

export type DiffPart = { kind: "same" | "added" | "removed"; text: string };

/** Above this many cells of the LCS table, the middle (after the common start and end) is shown as one replacement. */
export const MAX_CELLS = 4_000_000;

export function tokenize(text: string): string[] {
  return text.match(/[\p{L}\p{N}_']+|\s+|[^\p{L}\p{N}_'\s]/gu) ?? [];
}

/** The parts that turn `a` into `b`: same, removed (only in a) and added (only in b), in order; neighbours of one kind merged. */
export function wordDiff(a: string, b: string): DiffPart[] {
  const x = tokenize(a);
  const y = tokenize(b);
  // Near-duplicates share most of their text: trimming the common start and end first
  // leaves a small table for the usual pair.
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let end = 0;
  while (end < x.length - start && end < y.length - start && x[x.length - 1 - end] === y[y.length - 1 - end]) end++;
  const xm = x.slice(start, x.length - end);
  const ym = y.slice(start, y.length - end);

  const parts: DiffPart[] = [];
  const push = (kind: DiffPart["kind"], text: string) => {
    if (!text) return;
    const last = parts.at(-1);
    if (last?.kind === kind) last.text += text;
    else parts.push({ kind, text });
  };
  push("same", x.slice(0, start).join(""));
  if (xm.length * ym.length > MAX_CELLS) {
    push("removed", xm.join(""));
    push("added", ym.join(""));
  } else {
    for (const [kind, t] of lcsOps(xm, ym)) push(kind, t);
  }
  push("same", x.slice(x.length - end).join(""));
  return parts;
}

function lcsOps(x: string[], y: string[]): [DiffPart["kind"], string][] {
  const n = x.length;
  const m = y.length;
  // len[i][j]: LCS of x[i..] and y[j..], one flat array.
  const w = m + 1;
  const len = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      len[i * w + j] = x[i] === y[j] ? len[(i + 1) * w + j + 1] + 1 : Math.max(len[(i + 1) * w + j], len[i * w + j + 1]);
    }
  }
  const ops: [DiffPart["kind"], string][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      ops.push(["same", x[i++]]);
      j++;
    } else if (len[(i + 1) * w + j] >= len[i * w + j + 1]) ops.push(["removed", x[i++]]);
    else ops.push(["added", y[j++]]);
  }
  while (i < n) ops.push(["removed", x[i++]]);
  while (j < m) ops.push(["added", y[j++]]);
  return ops;
}
