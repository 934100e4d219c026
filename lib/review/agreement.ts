// Agreement between people who reviewed the same records (issue 17, item 4). Pure: the
// service (server/team.ts teamAgreement) reads every person's decision or label value and
// numbers records, people and values; this turns them into figures. One question at a time
// (accept/reject, or one label): a value is a category compared for equality (nominal),
// missing when the person left it unset.
//
// - Percent agreement: of all pairs of values given to the same record, the share that are
//   equal (with two people, the share of records they agree on).
// - Cohen's kappa, per pair of people over the records both answered (lib/quality/agreement
//   agreementOf, the same formula the judges use); the dataset's kappa when exactly two
//   people took part.
// - Krippendorff's alpha, nominal, any number of people, missing values allowed
//   (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", section C): from the
//   coincidence matrix o_ck = Σ_u (pairs c-k in u) / (m_u - 1) over records with m_u ≥ 2
//   values, α = 1 - (n - 1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k.
// The counting runs over typed arrays (answers grouped by record with a counting sort, no
// array or object per record or answer): an object per answer and an array per record made
// 100,000 records with two people each spend most of a second in allocation and garbage
// collection (bench team, agreement_100k_ms).
import { agreementOf } from "@/lib/quality/agreement";

/** `unit` (a record) may be a number the caller maps back: faster to key than a uuid. */
export type Rating<U extends string | number = string | number> = { unit: U; coder: string; value: string | null };

export type PairAgreement = { a: string; b: string; n: number; agree: number; percent: number | null; kappa: number | null };

export type AgreementFigures = {
  /** Records with at least two values: the ones that can agree or not. */
  units: number;
  /** Pairs of values compared (with two people, equal to `units`). */
  pairs: number;
  percent: number | null;
  /** Only when exactly two people answered; with more, read alpha and the per-pair kappas. */
  kappa: number | null;
  alpha: number | null;
  /** Everyone who gave a value, in name order. */
  coders: string[];
  /** Every pair of people who share at least one record, in name order (a before b). */
  matrix: PairAgreement[];
};

/**
 * One question's answers, numbered: answer i is category `value[i]` (-1 when left unset,
 * else below `categories`) given by `coders[coder[i]]` to record number `unit[i]` (below `units`).
 */
export type CodedAnswers = {
  unit: Int32Array;
  coder: Int32Array;
  value: Int32Array;
  units: number;
  coders: readonly string[];
  categories: number;
};

/** The figures, and per record number whether its values differ (1) or not (0). */
export function codedFigures(a: CodedAnswers): AgreementFigures & { differ: Uint8Array } {
  const N = a.unit.length;
  const U = a.units;
  const V = Math.max(1, a.categories);
  const { unit, coder, value } = a;
  // Answers grouped by record: a counting sort on the record number.
  const start = new Int32Array(U + 1);
  for (let i = 0; i < N; i++) if (value[i] >= 0) start[unit[i] + 1]++;
  for (let u = 0; u < U; u++) start[u + 1] += start[u];
  const next = start.slice(0, U);
  const order = new Int32Array(start[U]);
  for (let i = 0; i < N; i++) if (value[i] >= 0) order[next[unit[i]]++] = i;

  // People ranked by name, so the figures do not depend on the order answers came in.
  const answered = new Uint8Array(a.coders.length);
  for (let x = 0; x < order.length; x++) answered[coder[order[x]]] = 1;
  const coders = a.coders.filter((_, c) => answered[c]).sort((p, q) => (p < q ? -1 : p > q ? 1 : 0));
  const rankOf = new Map(coders.map((name, r) => [name, r]));
  const rank = Int32Array.from(a.coders, (name) => rankOf.get(name) ?? -1);
  const C = coders.length;

  const o = new Float64Array(V * V);
  const pairCounts = new Map<number, Float64Array>(); // lo * C + hi (ranks) -> V×V counts, lo's value row, hi's column
  const differ = new Uint8Array(U);
  let pairable = 0;
  let pairs = 0;
  let agreeing = 0;
  for (let u = 0; u < U; u++) {
    const s = start[u];
    const e = start[u + 1];
    const m = e - s;
    if (m < 2) continue;
    pairable++;
    const w = 1 / (m - 1);
    for (let x = s; x < e; x++) {
      const vi = value[order[x]];
      const ci = rank[coder[order[x]]];
      for (let y = x + 1; y < e; y++) {
        const vj = value[order[y]];
        const cj = rank[coder[order[y]]];
        o[vi * V + vj] += w;
        o[vj * V + vi] += w;
        pairs++;
        if (vi === vj) agreeing++;
        else differ[u] = 1;
        if (ci === cj) continue; // one person twice: not a pair of people
        const key = ci < cj ? ci * C + cj : cj * C + ci;
        let counts = pairCounts.get(key);
        if (!counts) pairCounts.set(key, (counts = new Float64Array(V * V)));
        counts[ci < cj ? vi * V + vj : vj * V + vi]++;
      }
    }
  }

  const classes = Array.from({ length: V }, (_, i) => String(i));
  const matrix: PairAgreement[] = [];
  for (const [key, flat] of [...pairCounts].sort((p, q) => p[0] - q[0])) {
    const counts = classes.map((_, i) => Array.from(flat.subarray(i * V, (i + 1) * V)));
    const n = flat.reduce((s, x) => s + x, 0);
    const f = agreementOf({ classes, counts, n });
    matrix.push({ a: coders[Math.floor(key / C)], b: coders[key % C], n, agree: f.agree, percent: f.accuracy, kappa: f.kappa });
  }

  let alpha: number | null = null;
  if (pairable > 0) {
    const nc = new Float64Array(V);
    for (let c = 0; c < V; c++) for (let k = 0; k < V; k++) nc[c] += o[c * V + k];
    const n = nc.reduce((s, x) => s + x, 0);
    let observed = 0;
    let expected = 0;
    for (let c = 0; c < V; c++) {
      for (let k = 0; k < V; k++) {
        if (c === k) continue;
        observed += o[c * V + k];
        expected += nc[c] * nc[k];
      }
    }
    // Everyone used one value everywhere: no variation to be reliable about, alpha undefined.
    if (expected > 0) alpha = 1 - ((n - 1) * observed) / expected;
  }

  return {
    units: pairable,
    pairs,
    percent: pairs > 0 ? agreeing / pairs : null,
    kappa: C === 2 && matrix.length === 1 ? matrix[0].kappa : null,
    alpha,
    coders,
    matrix,
    differ,
  };
}

/** The figures from ratings as they come; `disagreements`: the records whose values differ, in the order first seen. */
export function agreementFigures<U extends string | number>(ratings: readonly Rating<U>[]): AgreementFigures & { disagreements: U[] } {
  const answered = ratings.filter((r) => r.value !== null);
  const units = new Map<U, number>();
  const coders = new Map<string, number>();
  const values = new Map<string, number>();
  const number = <K,>(m: Map<K, number>, k: K) => {
    let n = m.get(k);
    if (n === undefined) m.set(k, (n = m.size));
    return n;
  };
  const unit = Int32Array.from(answered, (r) => number(units, r.unit));
  const coder = Int32Array.from(answered, (r) => number(coders, r.coder));
  const value = Int32Array.from(answered, (r) => number(values, r.value!));
  const { differ, ...figures } = codedFigures({ unit, coder, value, units: units.size, coders: [...coders.keys()], categories: values.size });
  const ids = [...units.keys()];
  return { ...figures, disagreements: ids.filter((_, u) => differ[u] === 1) };
}

/** The value a label holds, as a nominal category: a multi choice is its options sorted, so order does not count. */
export function labelCategory(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (Array.isArray(value)) return value.length === 0 ? null : JSON.stringify([...value].map(String).sort());
  return String(value);
}

/**
 * The label values a record's reviewers agree on, question by question: what goes to the
 * record once all of them decided (server/team.ts). A question is agreed when every
 * reviewer gave it the same value (a multi choice as a set); a question someone left unset
 * or answered differently is left out, for an editor to settle. One reviewer agrees with
 * themselves.
 */
export function agreedLabels(questions: string[], reviews: Record<string, unknown>[]): Record<string, unknown> {
  const agreed: Record<string, unknown> = {};
  if (reviews.length === 0) return agreed;
  for (const q of questions) {
    const first = labelCategory(reviews[0]![q]);
    if (first !== null && reviews.every((r) => labelCategory(r[q]) === first)) agreed[q] = reviews[0]![q];
  }
  return agreed;
}
