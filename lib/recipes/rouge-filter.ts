// Self-Instruct's similarity filter, exact and indexed.
//
// A candidate instruction is rejected when its ROUGE-L F1 against ANY instruction already
// in the pool is > 0.7 (Self-Instruct, ../shared/seeds/000_0756498b53af5360.txt). The
// original code scores the candidate against every pool member; at 100,000 members that
// is ~100,000 LCS computations per candidate. Here most pairs are never scored:
//
// - F1 of ROUGE-L is 2·lcs/(m+n) (P = lcs/m, R = lcs/n), so F1 > 0.7 ⟺ 20·lcs > 7·(m+n).
//   lcs ≤ min(m, n) bounds the partner's length (length filter), and lcs ≤ the multiset
//   overlap o of the two token bags bounds it again (count filter): a pair can only be
//   rejected if 20·o > 7·(m+n).
// - That overlap bound is a set-similarity join, so prefix filtering applies: with tokens
//   in one fixed global order (rare first) and repeated tokens made distinct by their
//   occurrence number ("the#1", "the#2"), two bags sharing ≥ t elements share at least
//   two among the first |x|-t+2 of each (ℓ-prefix, PREFIX_OVERLAP). Each pool member's
//   prefix is indexed for the smallest t any valid partner needs, bucketed by member
//   length and position, and a candidate reads only the buckets that t(m, n) allows for
//   each partner length n, so no pair above 0.7 is missed and few others are read.
// - Survivors are scored by bit-parallel LCS (Hyyrö), highest bound first, stopping once
//   the bound cannot beat the best score: the closest member is found exactly.
//
// The global order is the elements' frequency when the index was last built; new
// elements sort as rarest. Any fixed order is correct, so rebuilding (when the pool has
// doubled since the last build) only restores speed, never changes a decision.

/**
 * Self-Instruct scores with Google's `rouge_score` default tokenizer: lowercase, every
 * run of characters other than ASCII letters and digits is a separator (so accented
 * letters and other scripts separate words too), no stemming.
 */
export function rougeTokens(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter((t) => t.length > 0);
}

export const SIMILARITY_THRESHOLD = 0.7;

/** ROUGE-L F1 from the LCS length and the two token counts; 0 when either is empty. */
export function rougeLF1(lcs: number, m: number, n: number): number {
  return m + n === 0 ? 0 : (2 * lcs) / (m + n);
}

/** Exact comparison with the threshold in integers (F1 > 0.7 ⟺ 20·lcs > 7·(m+n)). */
function above(lcs: number, m: number, n: number): boolean {
  return 20 * lcs > 7 * (m + n);
}

export interface SimilarityDecision {
  /** True when no pool member reaches F1 > 0.7. */
  accepted: boolean;
  /** For a rejected candidate: the pool member with the highest F1 (lowest index on ties). */
  closest: { index: number; text: string; score: number } | null;
  /** Pairs whose LCS was computed (the rest were ruled out by the bounds). */
  scored: number;
}

/** Longer members stay out of the buckets (dense per-length arrays) and are always checked. */
const MAX_INDEXED_LENGTH = 1024;

/** Smallest overlap a pair with these lengths needs to be above the threshold. */
function neededOverlap(m: number, n: number): number {
  // smallest integer o with 20·o > 7·(m+n)
  return Math.floor((7 * (m + n)) / 20) + 1;
}

/** Smallest partner length that can reach the threshold against a text of length n. */
function minPartnerLength(n: number): number {
  // lcs ≤ m, so 20·m > 7·(m+n) ⟺ 13·m > 7·n
  return Math.floor((7 * n) / 13) + 1;
}

/** Largest partner length that can reach the threshold against a text of length n. */
function maxPartnerLength(n: number): number {
  // lcs ≤ n, so 20·n > 7·(m+n) ⟺ 7·m < 13·n
  return Math.ceil((13 * n) / 7) - 1;
}

/**
 * Shared prefix elements a pair must have (the ℓ of ℓ-prefix filtering): with overlap
 * ≥ t, the first |x|-t+ℓ elements of each side share at least ℓ (the ℓ-th common element
 * still has t-ℓ common ones after it on both sides). ℓ = 2 makes prefixes one element
 * longer but drops the many members that share a single moderately rare word: measured
 * on the benchmark's pool, the check got ~1.6× faster (CPU time, same minutes).
 */
const PREFIX_OVERLAP = 2;

/** Index prefix length: members of length n only pair above the threshold with overlap ≥ t. */
function prefixLength(n: number): number {
  if (n === 0) return 0;
  const t = neededOverlap(n, minPartnerLength(n));
  return Math.min(n, Math.max(0, n - t + PREFIX_OVERLAP));
}

/**
 * LCS length by Hyyrö's bit-parallel algorithm: one pass over b with ⌈|a|/32⌉ word
 * operations per token. `masks` maps a token id of a to the bit set of its positions.
 */
function lcsBitParallel(masks: Map<number, Uint32Array>, m: number, words: number, b: Uint32Array, v: Uint32Array): number {
  v.fill(0xffffffff);
  for (let j = 0; j < b.length; j++) {
    const mask = masks.get(b[j]);
    if (mask === undefined) continue; // U = 0 leaves V unchanged
    let carry = 0;
    for (let w = 0; w < words; w++) {
      const vw = v[w];
      const u = vw & mask[w];
      // V' = (V + U) | (V - U); U ⊆ V bitwise, so V - U = V & ~U (no borrow)
      const sum = (vw >>> 0) + (u >>> 0) + carry;
      carry = sum > 0xffffffff ? 1 : 0;
      v[w] = (sum >>> 0) | (vw & ~mask[w]);
    }
  }
  let ones = 0;
  for (let w = 0; w < words; w++) {
    let x = v[w];
    if (w === words - 1 && m % 32 !== 0) x &= (1 << m % 32) - 1;
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    ones += (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return m - ones;
}

/**
 * A growing pool of instructions that answers "is this candidate too similar to any of
 * them?" exactly. Pure and in memory; the caller persists the pool and rebuilds it with
 * `add` on resume (100,000 instructions of ~20 tokens: 9-13 s on the shared benchmark machine).
 */
export class RougeLPool {
  private texts: string[] = [];
  /** Token ids of each member, in text order. */
  private tokens: Uint32Array[] = [];
  /** Element ids (token, occurrence) of each member, sorted by the global order. */
  private elements: Uint32Array[] = [];
  private tokenIds = new Map<string, number>();
  private elementIds = new Map<string, number>();
  /** Per element id: how many members hold it (the order's basis at the last build). */
  private elementFreq: number[] = [];
  /** Per element id: its rank in the global order (lower = rarer = earlier in prefixes). */
  private rank: number[] = [];
  /** postings[element][member length][position in the member's order] → members. */
  private postings: number[][][][] = [];
  /** Members of MAX_INDEXED_LENGTH tokens or more, outside the buckets. */
  private longMembers: number[] = [];
  private lengths: number[] = [];
  /** Ranks of each member's elements, ascending, members back to back (see `offsets`). */
  private flatRanks = new Int32Array(1024);
  private offsets: number[] = [0];
  private counts = new Int32Array(0);
  private builtAt = 0;

  get size(): number {
    return this.texts.length;
  }

  text(index: number): string {
    return this.texts[index];
  }

  /** Decides for one candidate against the pool as it is now (the candidate is not added). */
  check(text: string): SimilarityDecision {
    const toks = rougeTokens(text);
    const m = toks.length;
    if (m === 0) return { accepted: true, closest: null, scored: 0 };
    const ids = new Uint32Array(m);
    // Tokens the pool has never seen get fresh ids beyond the pool's; they match nothing.
    let fresh = 0x7fffffff;
    for (let i = 0; i < m; i++) ids[i] = this.tokenIds.get(toks[i]) ?? fresh--;
    const elems = this.elementsOf(toks, false);
    const probe = prefixLength(m);
    const lo = minPartnerLength(m);
    const hi = maxPartnerLength(m);

    // Prefix filtering per pair of lengths: a pair (m, n) needing overlap t shares its
    // first common element (in the global order) at a position p ≤ m - t of the candidate
    // and j ≤ n - t of the member, since t common elements follow from there. Postings
    // are bucketed by (element, member length, position), so only those buckets are read.
    const count = this.scratch(this.texts.length);
    const touched: number[] = [];
    for (let p = 0; p < probe; p++) {
      const e = elems[p];
      if (e < 0) continue;
      const byLength = this.postings[e];
      if (byLength === undefined) continue;
      for (let n = lo; n <= hi && n < MAX_INDEXED_LENGTH; n++) {
        const byPosition = byLength[n];
        if (byPosition === undefined) continue;
        const t = neededOverlap(m, n);
        const l = Math.min(PREFIX_OVERLAP, t);
        if (p > m - t + l - 1) continue;
        for (let j = 0; j <= n - t + l - 1; j++) {
          const list = byPosition[j];
          if (!list) continue;
          for (const idx of list) {
            if (count[idx] === 0) touched.push(idx);
            count[idx]++;
          }
        }
      }
    }
    // Members too long to bucket are few (instructions are short): check them all.
    for (const idx of this.longMembers) {
      const n = this.lengths[idx];
      if (n >= lo && n <= hi && count[idx] === 0) {
        count[idx] = PREFIX_OVERLAP; // not counted in buckets: always verified
        touched.push(idx);
      }
    }
    // Count filter: the full overlap of the two bags, by merging them in the global order.
    const candRanks = elems.filter((e) => e >= 0).map((e) => this.rank[e]);
    const survivors: { idx: number; bound: number; n: number }[] = [];
    // Most touched members share a single prefix element; skip them before reading
    // anything else of theirs (only a 1-token pair needs fewer than PREFIX_OVERLAP).
    const fewestNeeded = Math.min(PREFIX_OVERLAP, neededOverlap(m, lo));
    for (const idx of touched) {
      const a = count[idx];
      count[idx] = 0;
      if (a < fewestNeeded || a < Math.min(PREFIX_OVERLAP, neededOverlap(m, this.lengths[idx]))) continue;
      // One flat array of every member's ranks: a touched member costs one cache line or
      // two, not a typed array object per member (this loop was half of a check before).
      const start = this.offsets[idx];
      const end = this.offsets[idx + 1];
      const n = end - start;
      const ranks = this.flatRanks;
      let overlap = 0;
      for (let x = 0, y = start; x < candRanks.length && y < end; ) {
        const r = ranks[y];
        if (candRanks[x] === r) {
          overlap++;
          x++;
          y++;
        } else if (candRanks[x] < r) x++;
        else y++;
      }
      if (above(overlap, m, n)) survivors.push({ idx, bound: overlap, n });
    }
    if (survivors.length === 0) return { accepted: true, closest: null, scored: 0 };

    // Highest bound (as F1) first, then lowest index, so ties go to the earliest member.
    survivors.sort((a, b) => b.bound * (m + a.n) - a.bound * (m + b.n) || a.idx - b.idx);
    const words = Math.ceil(m / 32);
    const masks = new Map<number, Uint32Array>();
    for (let i = 0; i < m; i++) {
      let mask = masks.get(ids[i]);
      if (!mask) masks.set(ids[i], (mask = new Uint32Array(words)));
      mask[i >>> 5] |= 1 << (i & 31);
    }
    const v = new Uint32Array(words);
    let best = -1;
    let bestLcs = 0;
    let bestN = 1;
    let scored = 0;
    for (const s of survivors) {
      // Stop once this bound (and every later one) is below the best F1 found:
      // bound/(m+n) < bestLcs/(m+bestN).
      if (best >= 0 && s.bound * (m + bestN) < bestLcs * (m + s.n)) break;
      scored++;
      const lcs = lcsBitParallel(masks, m, words, this.tokens[s.idx], v);
      if (!above(lcs, m, s.n)) continue;
      const cmp = best < 0 ? 1 : lcs * (m + bestN) - bestLcs * (m + s.n);
      if (cmp > 0 || (cmp === 0 && s.idx < best)) {
        best = s.idx;
        bestLcs = lcs;
        bestN = s.n;
      }
    }
    if (best < 0) return { accepted: true, closest: null, scored };
    return { accepted: false, closest: { index: best, text: this.texts[best], score: rougeLF1(bestLcs, m, bestN) }, scored };
  }

  /** Per-member overlap counters, zero between calls (each check resets what it touched). */
  private scratch(size: number): Int32Array {
    if (this.counts.length < size) {
      const grown = new Int32Array(Math.max(size, 2 * this.counts.length, 1024));
      this.counts = grown;
    }
    return this.counts;
  }

  /** Adds an instruction (seed or accepted candidate); returns its index. */
  add(text: string): number {
    const toks = rougeTokens(text);
    const idx = this.texts.length;
    this.texts.push(text);
    const ids = new Uint32Array(toks.length);
    for (let i = 0; i < toks.length; i++) {
      let id = this.tokenIds.get(toks[i]);
      if (id === undefined) this.tokenIds.set(toks[i], (id = this.tokenIds.size));
      ids[i] = id;
    }
    this.tokens.push(ids);
    this.lengths.push(ids.length);
    const elems = this.elementsOf(toks, true);
    for (const e of elems) this.elementFreq[e] = (this.elementFreq[e] ?? 0) + 1;
    this.elements.push(Uint32Array.from(elems));
    this.appendRanks(elems);
    if (this.texts.length >= 2 * this.builtAt && this.texts.length >= 64) this.rebuild();
    else this.index(idx);
    return idx;
  }

  /**
   * Element ids of a token list, in the global order. Elements not yet known get -1 when
   * `create` is false (a candidate's new elements match nothing) and sort first, as the
   * rarest; when `create` is true they get new ids ranked after everything ranked so far
   * but, being fresh, with frequency 1 they move to the front at the next rebuild.
   */
  private elementsOf(toks: string[], create: boolean): number[] {
    const occurrences = new Map<string, number>();
    const out: number[] = [];
    for (const t of toks) {
      const k = (occurrences.get(t) ?? 0) + 1;
      occurrences.set(t, k);
      const key = `${t}#${k}`;
      let id = this.elementIds.get(key);
      if (id === undefined && create) {
        id = this.elementIds.size;
        this.elementIds.set(key, id);
        this.rank[id] = -1 - id; // unseen at the last build: rarest, in arrival order
      }
      out.push(id ?? -1);
    }
    return out.sort((a, b) => (a < 0 || b < 0 ? a - b : this.rank[a] - this.rank[b] || a - b));
  }

  private appendRanks(elems: ArrayLike<number>): void {
    const at = this.offsets[this.offsets.length - 1];
    if (at + elems.length > this.flatRanks.length) {
      const grown = new Int32Array(Math.max(2 * this.flatRanks.length, at + elems.length));
      grown.set(this.flatRanks.subarray(0, at));
      this.flatRanks = grown;
    }
    for (let k = 0; k < elems.length; k++) this.flatRanks[at + k] = this.rank[elems[k]];
    this.offsets.push(at + elems.length);
  }

  private index(idx: number): void {
    const elems = this.elements[idx];
    const p = prefixLength(elems.length);
    const n = elems.length;
    if (n >= MAX_INDEXED_LENGTH) {
      this.longMembers.push(idx);
      return;
    }
    for (let k = 0; k < p; k++) {
      ((this.postings[elems[k]] ??= [])[n] ??= [])[k] ??= [];
      this.postings[elems[k]][n][k].push(idx);
    }
  }

  /** Re-ranks elements by their current frequency (rare first) and re-indexes prefixes. */
  private rebuild(): void {
    const order = [...this.elementIds.values()].sort((a, b) => this.elementFreq[a] - this.elementFreq[b] || a - b);
    order.forEach((id, r) => (this.rank[id] = r));
    this.postings = [];
    this.longMembers = [];
    this.offsets = [0];
    for (let i = 0; i < this.elements.length; i++) {
      this.elements[i].sort((a, b) => this.rank[a] - this.rank[b] || a - b);
      this.appendRanks(this.elements[i]);
      this.index(i);
    }
    this.builtAt = this.texts.length;
  }
}

/** Reference decision by scoring every pair with the textbook O(m·n) LCS (for tests). */
export function bruteForceDecision(pool: readonly string[], text: string): Omit<SimilarityDecision, "scored"> {
  const a = rougeTokens(text);
  let best = -1;
  let bestScore = -1;
  for (let i = 0; i < pool.length; i++) {
    const b = rougeTokens(pool[i]);
    const lcs = lcsDynamic(a, b);
    const score = rougeLF1(lcs, a.length, b.length);
    if (above(lcs, a.length, b.length) && score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best < 0 ? { accepted: true, closest: null } : { accepted: false, closest: { index: best, text: pool[best], score: bestScore } };
}

export function lcsDynamic(a: readonly string[], b: readonly string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}
