// Word-level differences between two texts, for the duplicate cluster's side-by-side view
// (pure). A longest common subsequence over words and the spaces between them; each side's
// words outside it are marked changed. Quadratic, so each side is compared on its first
// MAX_WORDS words (a cluster's texts are near-identical, and the view shows their start).

export type DiffPart = { text: string; changed: boolean };

export const MAX_WORDS = 1500;

function tokens(s: string): string[] {
  const out = s.split(/(\s+)/).filter((t) => t !== "");
  return out.length > 2 * MAX_WORDS ? out.slice(0, 2 * MAX_WORDS) : out;
}

function merge(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  for (const p of parts) {
    const last = out.at(-1);
    if (last && last.changed === p.changed) last.text += p.text;
    else out.push({ ...p });
  }
  return out;
}

export function wordDiff(a: string, b: string): { a: DiffPart[]; b: DiffPart[] } {
  const x = tokens(a);
  const y = tokens(b);
  const n = x.length;
  const m = y.length;
  // lcs[i * (m + 1) + j]: the common subsequence's length of x[i..] and y[j..].
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = x[i] === y[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
    }
  }
  const pa: DiffPart[] = [];
  const pb: DiffPart[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      pa.push({ text: x[i++], changed: false });
      pb.push({ text: y[j++], changed: false });
    } else if (lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) pa.push({ text: x[i++], changed: !/^\s+$/.test(x[i - 1]) });
    else pb.push({ text: y[j++], changed: !/^\s+$/.test(y[j - 1]) });
  }
  while (i < n) pa.push({ text: x[i++], changed: !/^\s+$/.test(x[i - 1]) });
  while (j < m) pb.push({ text: y[j++], changed: !/^\s+$/.test(y[j - 1]) });
  return { a: merge(pa), b: merge(pb) };
}
