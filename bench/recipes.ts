// Recipe engines benchmark (issue 16): the pure, model-free parts the recipes build on.
//   rougel_candidates_per_s            Self-Instruct filter decisions per second against a
//                                      pool of 100,000 instructions. Target ≥ 1,000.
//   rougel_bruteforce_candidates_per_s the same decisions by scoring every pair (what the
//                                      original Self-Instruct code does), same run.
//   rougel_mismatches                  decisions on 2,000 candidates that differ from the
//                                      npm package js-rouge's ROUGE-L. Target 0.
//   grammar_expansions_per_s           expansions of a 50-rule grammar. Target ≥ 100,000.
//   mask_mb_per_s                      masking over 100 MB of text. Target ≥ 20.
// No database and no model: everything here is pure code on synthetic text from a seeded
// RNG, so the figures only vary with the machine's load.
import * as jsRouge from "js-rouge";
import { mulberry32, type Rng } from "@/lib/blueprints/rng";
import { compileGrammar, expandGrammar } from "@/lib/recipes/grammar";
import { maskEntities } from "@/lib/recipes/mask";
import { lcsDynamic, RougeLPool, rougeTokens } from "@/lib/recipes/rouge-filter";

const log = (s: string) => console.log(`[bench:recipes] ${s}`);
const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;
// The machines these run on are shared (load 10-15 on 2 cores is common), so each rate is
// also given per CPU second of this process: wall time says what a user waits, CPU time
// what the code costs.
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

// ---------------------------------------------------------------------------------------
// Synthetic instructions: a Zipf-distributed vocabulary of pronounceable words, poured
// into templates that share their function words, plus edited copies of earlier
// instructions so the pool holds near-duplicates the way a grown Self-Instruct pool does.

const SYLLABLES = ["ka", "lo", "mi", "ren", "tas", "vor", "pel", "ni", "dra", "qu", "sen", "tor", "bal", "fi", "gor", "hem", "ju", "lan", "mos", "rit"];
const STARTERS = ["write", "explain", "list", "describe", "give", "summarize", "classify", "translate", "generate", "create", "suggest", "compare"];
const FUNCTION_WORDS = ["the", "a", "of", "to", "and", "for", "in", "with", "that", "how", "about", "your", "this", "from", "on", "is", "by", "an", "as", "at"];

function zipfSampler(rng: Rng, size: number, s = 1.05): () => number {
  const cdf = new Float64Array(size);
  let total = 0;
  for (let i = 0; i < size; i++) cdf[i] = total += 1 / (i + 1) ** s;
  return () => {
    const x = rng() * total;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export function instructionGenerator(seed: number, vocabSize = 4000) {
  const rng = mulberry32(seed);
  const vocab = new Set<string>();
  while (vocab.size < vocabSize) {
    const n = 1 + Math.floor(rng() * 3);
    let w = "";
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rng() * SYLLABLES.length)];
    if (w.length > 2) vocab.add(w);
  }
  const words = [...vocab];
  const zipf = zipfSampler(rng, words.length);
  // A template: a starter, then ~45% fixed function words and ~55% slots.
  const templates = Array.from({ length: 60 }, () => {
    const len = 12 + Math.floor(rng() * 17);
    const parts: (string | null)[] = [STARTERS[Math.floor(rng() * STARTERS.length)]];
    while (parts.length < len) parts.push(rng() < 0.45 ? FUNCTION_WORDS[Math.floor(rng() * FUNCTION_WORDS.length)] : null);
    return parts;
  });
  const fresh = () => {
    const t = templates[Math.floor(rng() * templates.length)];
    const out = t.map((p) => p ?? words[zipf()]).join(" ");
    return out[0].toUpperCase() + out.slice(1) + ".";
  };
  const edit = (text: string) => {
    const toks = text.replace(/\.$/, "").split(" ");
    const edits = 1 + Math.floor(rng() * 4);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rng() * toks.length);
      const op = rng();
      if (op < 0.34) toks.splice(at, 1);
      else if (op < 0.67) toks.splice(at, 0, words[zipf()]);
      else toks[at] = words[zipf()];
    }
    return toks.join(" ") + ".";
  };
  return { fresh, edit, rng, words, zipf };
}

export function benchRougeL(opts: { poolSize?: number; candidates?: number; bruteSample?: number } = {}) {
  const poolSize = opts.poolSize ?? 100_000;
  const nCandidates = opts.candidates ?? 2_000;
  const bruteSample = opts.bruteSample ?? 20;
  const gen = instructionGenerator(16);
  const poolTexts: string[] = [];
  for (let i = 0; i < poolSize; i++) {
    poolTexts.push(i > 100 && gen.rng() < 0.15 ? gen.edit(poolTexts[Math.floor(gen.rng() * i)]) : gen.fresh());
  }
  const candidates = Array.from({ length: nCandidates }, () => (gen.rng() < 0.25 ? gen.edit(poolTexts[Math.floor(gen.rng() * poolSize)]) : gen.fresh()));
  const meanTokens = poolTexts.reduce((s, t) => s + rougeTokens(t).length, 0) / poolSize;

  let t0 = performance.now();
  const pool = new RougeLPool();
  for (const t of poolTexts) pool.add(t);
  const buildS = (performance.now() - t0) / 1000;
  log(`pool of ${poolSize} (mean ${meanTokens.toFixed(1)} tokens) indexed in ${buildS.toFixed(2)} s`);

  // Indexed decisions: three passes over all candidates, the median pass's rate.
  const decisions = candidates.map((c) => pool.check(c));
  const rates: number[] = [];
  const cpuRates: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const c of candidates) pool.check(c);
    rates.push(nCandidates / ((performance.now() - t0) / 1000));
    cpuRates.push(nCandidates / cpuSeconds(c0));
  }
  rates.sort((a, b) => a - b);
  cpuRates.sort((a, b) => a - b);
  const scoredPerCandidate = decisions.reduce((s, d) => s + d.scored, 0) / nCandidates;
  const rejected = decisions.filter((d) => !d.accepted).length;
  log(`indexed: ${Math.round(rates[1])} candidates/s (${Math.round(cpuRates[1])} per CPU second; passes ${rates.map(Math.round).join(", ")}), ${scoredPerCandidate.toFixed(1)} LCS per candidate, ${rejected} of ${nCandidates} rejected`);

  // Brute force as Self-Instruct does it: every pool member scored with the textbook
  // O(m·n) LCS, on the first `bruteSample` candidates (tokens of the pool prepared once,
  // so only scoring is timed). Its cost per candidate is the same for every candidate
  // (one LCS per pool member), so candidates/s = sample ÷ time, with no extrapolation
  // beyond that constant per-candidate cost.
  const poolTokens = poolTexts.map(rougeTokens);
  t0 = performance.now();
  const bc0 = process.cpuUsage();
  let bruteDisagree = 0;
  for (let i = 0; i < bruteSample; i++) {
    const a = rougeTokens(candidates[i]);
    let rejectedHere = false;
    for (const b of poolTokens) if (20 * lcsDynamic(a, b) > 7 * (a.length + b.length)) rejectedHere = true;
    if (rejectedHere === decisions[i].accepted) bruteDisagree++;
  }
  const bruteRate = bruteSample / ((performance.now() - t0) / 1000);
  const bruteCpuRate = bruteSample / cpuSeconds(bc0);
  log(`brute force: ${bruteRate.toFixed(2)} candidates/s on ${bruteSample} candidates (${bruteDisagree} disagreements)`);

  // Independent check with js-rouge. Scoring all 200M pairs through it (~40k pairs/s
  // here) would take over an hour, so pairs are screened first by a bound computed here
  // with plain maps, independent of the filter's index: ROUGE-L's LCS never exceeds the
  // two token bags' overlap, so a pair whose overlap gives 2·overlap/(m+n) ≤ 0.7 cannot
  // be above 0.7. Every other pair is scored by js-rouge, and its verdict is compared.
  t0 = performance.now();
  const elementIds = new Map<string, number>();
  const elementsOf = (toks: string[]) => {
    const seen = new Map<string, number>();
    return toks.map((t) => {
      const k = (seen.get(t) ?? 0) + 1;
      seen.set(t, k);
      const key = `${t}#${k}`;
      let id = elementIds.get(key);
      if (id === undefined) elementIds.set(key, (id = elementIds.size));
      return id;
    });
  };
  const postings: number[][] = [];
  poolTokens.forEach((toks, idx) => {
    for (const e of elementsOf(toks)) (postings[e] ??= []).push(idx);
  });
  const overlap = new Int32Array(poolSize);
  const jsOpts = { segmenter: (s: string) => [s], tokenizer: (s: string) => (s === "" ? [] : s.split(" ")) };
  let mismatches = 0;
  let closestMismatches = 0;
  let jsPairs = 0;
  candidates.forEach((cand, ci) => {
    const a = rougeTokens(cand);
    overlap.fill(0);
    for (const e of elementsOf(a)) for (const idx of postings[e] ?? []) overlap[idx]++;
    let best = -1;
    let bestIdx = -1;
    const aText = a.join(" ");
    for (let idx = 0; idx < poolSize; idx++) {
      const n = poolTokens[idx].length;
      if (2 * overlap[idx] <= 0.7 * (a.length + n)) continue;
      jsPairs++;
      const f = jsRouge.l(aText, poolTokens[idx].join(" "), jsOpts);
      if (f > best) {
        best = f;
        bestIdx = idx;
      }
    }
    const jsRejects = best > 0.7;
    const d = decisions[ci];
    if (jsRejects === d.accepted) mismatches++;
    else if (jsRejects && (Math.abs((d.closest?.score ?? -1) - best) > 1e-12 || d.closest?.index !== bestIdx)) closestMismatches++;
  });
  const checkS = (performance.now() - t0) / 1000;
  log(`js-rouge: ${mismatches} decision mismatches, ${closestMismatches} closest-member mismatches on ${nCandidates} candidates (${jsPairs} pairs scored, ${checkS.toFixed(1)} s)`);

  return {
    rougel_candidates_per_s: Math.round(rates[1]),
    rougel_candidates_per_cpu_s: Math.round(cpuRates[1]),
    rougel_bruteforce_candidates_per_s: round(bruteRate, 2),
    rougel_bruteforce_candidates_per_cpu_s: round(bruteCpuRate, 2),
    rougel_speedup: round(rates[1] / bruteRate),
    rougel_mismatches: mismatches,
    rougel_closest_mismatches: closestMismatches,
    rougel_bruteforce_sample: bruteSample,
    rougel_bruteforce_disagreements: bruteDisagree,
    rougel_pool_size: poolSize,
    rougel_pool_mean_tokens: round(meanTokens, 1),
    rougel_pool_index_s: round(buildS, 2),
    rougel_lcs_per_candidate: round(scoredPerCandidate, 1),
    rougel_rejected: rejected,
    rougel_js_rouge_pairs: jsPairs,
  };
}

/**
 * A 50-rule grammar shaped like a realistic one: a sentence of clauses, noun phrases with
 * optional adjectives (recursive), prepositional phrases, and word lists of 5-12 weighted
 * terminals, so an expansion visits ~20-40 symbols.
 */
export function fiftyRuleGrammar(): string {
  const rng = mulberry32(50);
  const word = () => {
    let w = "";
    const n = 1 + Math.floor(rng() * 3);
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rng() * SYLLABLES.length)];
    return w;
  };
  const list = (name: string) => {
    const n = 5 + Math.floor(rng() * 8);
    return `${name} -> ` + Array.from({ length: n }, () => `"${word()}" [${1 + Math.floor(rng() * 5)}]`).join(" | ");
  };
  const rules = [
    `text -> sentence | sentence sentence [2] | sentence sentence sentence`,
    `sentence -> clause + "." | clause conj clause + "." [2] | question + "?"`,
    `question -> qword aux np vp`,
    `clause -> np vp | np vp pp [2] | pp + "," np vp`,
    `np -> det nbar | det adjs nbar [2] | name | pron`,
    `adjs -> adj | adj adjs [2] | adv adj`,
    `nbar -> noun | noun pp | noun "of" np`,
    `vp -> verb np | verb np pp [2] | verb adv | modal verb np | verb "that" clause`,
    `pp -> prep np`,
    `name -> first last | first | title last`,
  ];
  const lists = ["det", "adj", "adv", "noun", "verb", "prep", "conj", "pron", "qword", "aux", "modal", "first", "last", "title"];
  for (const l of lists) rules.push(list(l));
  // Topic word lists the rules above do not use yet reach through `noun` and `adj`
  // alternatives, as a grammar grows by domains: 26 more rules for 50 in all.
  for (let i = 0; rules.length < 50; i++) {
    const name = `topic${i}`;
    rules.push(list(name));
    const target = rules.findIndex((r) => r.startsWith(i % 2 ? "noun ->" : "adj ->"));
    rules[target] += ` | ${name} [2]`;
  }
  return rules.join("\n");
}

export function benchGrammar(opts: { seconds?: number } = {}) {
  const { grammar, issues } = compileGrammar(fiftyRuleGrammar());
  if (!grammar) throw new Error(`benchmark grammar does not compile: ${JSON.stringify(issues)}`);
  const rng = mulberry32(7);
  let words = 0;
  const sampled = 20_000;
  for (let i = 0; i < sampled; i++) words += expandGrammar(grammar, rng).split(" ").length; // warm-up
  const rates: number[] = [];
  const cpuRates: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let n = 0;
    while (performance.now() - t0 < ((opts.seconds ?? 3) * 1000) / 3) {
      for (let i = 0; i < 1000; i++) expandGrammar(grammar, rng);
      n += 1000;
    }
    rates.push(n / ((performance.now() - t0) / 1000));
    cpuRates.push(n / cpuSeconds(c0));
  }
  rates.sort((a, b) => a - b);
  cpuRates.sort((a, b) => a - b);
  log(`grammar: ${Math.round(rates[1])} expansions/s (${Math.round(cpuRates[1])} per CPU second; passes ${rates.map(Math.round).join(", ")}), ${grammar.rules.length} rules, ${(words / sampled).toFixed(1)} words each`);
  return {
    grammar_expansions_per_s: Math.round(rates[1]),
    grammar_expansions_per_cpu_s: Math.round(cpuRates[1]),
    grammar_rules: grammar.rules.length,
    grammar_mean_words: round(words / sampled, 1),
  };
}

/**
 * 100 MB of text: ~1 MB blocks of sentences (template words, names, e-mails, phone
 * numbers, dates, addresses, card and order numbers in realistic proportions: about one
 * entity per sentence), each block masked once per MB counted.
 */
export function benchMask(opts: { megabytes?: number } = {}) {
  const megabytes = opts.megabytes ?? 100;
  const gen = instructionGenerator(33);
  const rng = gen.rng;
  const names = ["Maria Lopez", "James", "Dr. Alan Turing", "Priya Sharma", "Mr. Henderson", "Wei Chen", "Olivia"];
  const entity = () => {
    const r = Math.floor(rng() * 8);
    const d = () => Math.floor(rng() * 10);
    if (r === 0) return names[Math.floor(rng() * names.length)];
    if (r === 1) return `${gen.words[gen.zipf()]}.${gen.words[gen.zipf()]}@example.com`;
    if (r === 2) return `(${d()}${d()}${d()}) ${d()}${d()}${d()}-${d()}${d()}${d()}${d()}`;
    if (r === 3) return `20${d()}${d()}-0${1 + Math.floor(rng() * 9)}-1${d()}`;
    if (r === 4) return `${1 + Math.floor(rng() * 900)} Oak Avenue`;
    if (r === 5) return "4111 1111 1111 1111";
    if (r === 6) return `order ${d()}${d()}${d()}${d()}${d()}${d()}${d()}${d()}${d()}${d()}${d()}${d()}${d()}`;
    return `March ${1 + Math.floor(rng() * 28)}, 2024`;
  };
  const blocks: string[] = [];
  for (let b = 0; b < 4; b++) {
    const parts: string[] = [];
    let size = 0;
    while (size < 1_000_000) {
      const s = `${gen.fresh().slice(0, -1)} ${entity()} ${gen.fresh().toLowerCase()} `;
      parts.push(s);
      size += s.length;
    }
    blocks.push(parts.join(""));
  }
  const bytes = blocks.map((b) => Buffer.byteLength(b));
  for (const b of blocks) maskEntities(b); // warm-up
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let total = 0;
  let masked = 0;
  for (let i = 0; total < megabytes * 1e6; i++) {
    masked += maskEntities(blocks[i % blocks.length]).length;
    total += bytes[i % blocks.length];
  }
  const s = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(c0);
  log(`mask: ${(total / 1e6 / s).toFixed(1)} MB/s (${(total / 1e6 / cpu).toFixed(1)} per CPU second) over ${(total / 1e6).toFixed(0)} MB (${masked} chars out)`);
  return { mask_mb_per_s: round(total / 1e6 / s, 1), mask_mb_per_cpu_s: round(total / 1e6 / cpu, 1), mask_mb: round(total / 1e6) };
}

export async function benchRecipes() {
  return { ...benchGrammar(), ...benchMask(), ...benchRougeL() };
}

if (process.argv[1]?.endsWith("bench/recipes.ts")) {
  console.log(JSON.stringify(await benchRecipes(), null, 2));
}
