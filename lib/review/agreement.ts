// Agreement between people who reviewed the same records (issue 17, item 4). Pure: the
// service (server/team-agreement.ts) reads every person's decision or label value, this
// turns them into figures. One question at a time (accept/reject, or one label): a value
// is a category compared for equality (nominal), null when the person left it unset.
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
// Values and people are numbered first so the counting runs over small dense arrays: 100,000
// records with two people each take a few tens of milliseconds (bench team, agreement_100k_ms).
import { agreementOf } from "@/lib/quality/agreement";

/** `unit` (a record) may be a number the caller maps back: faster to key than a uuid. */
export type Rating<U extends string | number = string | number> = { unit: U; coder: string; value: string | null };

export type PairAgreement = { a: string; b: string; n: number; agree: number; percent: number | null; kappa: number | null };

export type AgreementFigures<U extends string | number = string> = {
  /** Records with at least two values: the ones that can agree or not. */
  units: number;
  /** Pairs of values compared (with two people, equal to `units`). */
  pairs: number;
  percent: number | null;
  /** Only when exactly two people answered; with more, read alpha and the per-pair kappas. */
  kappa: number | null;
  alpha: number | null;
  coders: string[];
  /** Every pair of people who share at least one record. */
  matrix: PairAgreement[];
  /** Records where the values given differ, in the order first seen. */
  disagreements: U[];
};

export function agreementFigures<U extends string | number>(ratings: readonly Rating<U>[]): AgreementFigures<U> {
  const valueIds = new Map<string, number>();
  const coderIds = new Map<string, number>();
  const units = new Map<U, number[]>(); // unit -> [coder, value, coder, value, ...]
  for (const r of ratings) {
    if (r.value === null) continue;
    let v = valueIds.get(r.value);
    if (v === undefined) valueIds.set(r.value, (v = valueIds.size));
    let c = coderIds.get(r.coder);
    if (c === undefined) coderIds.set(r.coder, (c = coderIds.size));
    const u = units.get(r.unit);
    if (u) u.push(c, v);
    else units.set(r.unit, [c, v]);
  }
  const V = valueIds.size;
  const C = coderIds.size;
  const o = new Float64Array(V * V);
  const pairCounts = new Map<number, Float64Array>(); // a * C + b (a < b) -> V×V counts, a's value row, b's column
  let pairable = 0;
  let pairs = 0;
  let agreeing = 0;
  const disagreements: U[] = [];
  for (const [unit, cv] of units) {
    const m = cv.length / 2;
    if (m < 2) continue;
    pairable++;
    let differ = false;
    for (let i = 0; i < m; i++) {
      const ci = cv[2 * i];
      const vi = cv[2 * i + 1];
      for (let j = 0; j < m; j++) {
        if (i === j) continue;
        const vj = cv[2 * j + 1];
        o[vi * V + vj] += 1 / (m - 1);
        if (j < i) continue;
        const cj = cv[2 * j];
        pairs++;
        if (vi === vj) agreeing++;
        else differ = true;
        if (ci === cj) continue; // one person twice: not a pair of people
        const [a, va, b, vb] = ci < cj ? [ci, vi, cj, vj] : [cj, vj, ci, vi];
        let counts = pairCounts.get(a * C + b);
        if (!counts) pairCounts.set(a * C + b, (counts = new Float64Array(V * V)));
        counts[va * V + vb]++;
      }
    }
    if (differ) disagreements.push(unit);
  }

  const coders = [...coderIds.keys()];
  const classes = [...valueIds.keys()];
  const matrix: PairAgreement[] = [];
  for (const [key, flat] of [...pairCounts].sort((x, y) => x[0] - y[0])) {
    const counts = classes.map((_, i) => Array.from(flat.subarray(i * V, (i + 1) * V)));
    const n = flat.reduce((s, x) => s + x, 0);
    const a = agreementOf({ classes, counts, n });
    matrix.push({ a: coders[Math.floor(key / C)], b: coders[key % C], n, agree: a.agree, percent: a.accuracy, kappa: a.kappa });
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
    disagreements,
  };
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
