// Self-Instruct as a run mode ("grow a pool"), the pure part: which pool items prompt a
// candidate, how many candidates a round asks for, which candidates the filters keep and
// when the pool has saturated. No I/O: the run executor persists the pool (a seed table)
// and calls these with the pool it rebuilt, so a resumed run decides exactly as before.
// Method and thresholds: Wang et al., Self-Instruct (2023),
// ../shared/seeds/000_0756498b53af5360.txt.
import { randomInt, type Rng } from "../blueprints/rng";
import { RougeLPool } from "./rouge-filter";

export type PoolOrigin = "human" | "generated";

export interface PoolItem {
  /** Stable id (the seed row's id) so records can name the items that prompted them. */
  id: string;
  instruction: string;
  origin: PoolOrigin;
}

/** Self-Instruct prompts with 8 in-context instructions: 6 written by people, 2 generated. */
export const DEFAULT_MIX = { human: 6, generated: 2 } as const;
export type ExampleMix = { human: number; generated: number };

/**
 * The pool items one instruction prompt shows. Human items fill their share; generated
 * ones fill theirs only as far as the pool has them (fewer, or none, early in the run:
 * the gap is not filled with extra human items, as in the paper). Drawn without
 * replacement, humans first, so the prompt reads as the paper's: seeds, then generated.
 */
export function pickPoolExamples(pool: readonly PoolItem[], mix: ExampleMix, rng: Rng): PoolItem[] {
  const human = pool.filter((p) => p.origin === "human");
  const generated = pool.filter((p) => p.origin === "generated");
  return [...sample(human, mix.human, rng), ...sample(generated, mix.generated, rng)];
}

/** k distinct items in draw order (partial Fisher-Yates on a copy). */
function sample<T>(items: readonly T[], k: number, rng: Rng): T[] {
  const copy = items.slice();
  const n = Math.min(k, copy.length);
  for (let i = 0; i < n; i++) {
    const j = i + randomInt(rng, copy.length - i);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

/**
 * The input check beside the pool field: the human share of a prompt must be fillable
 * from the seeds, or every prompt would show fewer examples than the user asked for.
 */
export function validatePoolInput(humanSeeds: number, mix: ExampleMix): string | null {
  if (!Number.isInteger(mix.human) || mix.human < 1) return "A prompt needs at least 1 human example.";
  if (!Number.isInteger(mix.generated) || mix.generated < 0) return "Generated examples must be 0 or more.";
  if (humanSeeds < mix.human)
    return `The pool has ${humanSeeds} seed instruction${humanSeeds === 1 ? "" : "s"}; each prompt shows ${mix.human}. Add seeds or lower the human examples.`;
  return null;
}

export interface RoundPlan {
  /** Candidates to generate this round (0: the run is done). */
  candidates: number;
  reason: "grow" | "target-reached" | "budget-spent";
}

/**
 * How many candidates the next round generates. A round asks for at most `perRound`, never
 * more than the pool still needs to reach `target` (most candidates are kept, so asking
 * for the gap is not wasteful, and a round never overshoots by more than its kept count),
 * and never more than the candidate calls the budget has left (`budgetLeft`, null: no
 * budget). A candidate costs one instruction call; a kept one costs a response call too,
 * which the caller counts in `budgetLeft` as it goes.
 */
export function planRound(input: { poolSize: number; target: number; perRound: number; budgetLeft: number | null }): RoundPlan {
  const gap = input.target - input.poolSize;
  if (gap <= 0) return { candidates: 0, reason: "target-reached" };
  const budget = input.budgetLeft ?? Number.POSITIVE_INFINITY;
  if (budget <= 0) return { candidates: 0, reason: "budget-spent" };
  return { candidates: Math.max(1, Math.min(input.perRound, gap, Math.floor(budget))), reason: "grow" };
}

/** Rounds in a row that kept nothing before the run stops: the pool has saturated. */
export const SATURATION_ROUNDS = 5;

/** True when the last SATURATION_ROUNDS rounds each generated candidates and kept none. */
export function isSaturated(rounds: readonly { candidates: number; kept: number }[]): boolean {
  if (rounds.length < SATURATION_ROUNDS) return false;
  return rounds.slice(-SATURATION_ROUNDS).every((r) => r.candidates > 0 && r.kept === 0);
}

export const SATURATION_MESSAGE = `Stopped: ${SATURATION_ROUNDS} rounds in a row kept no candidate. The pool has saturated; add more varied seed instructions or raise the temperature, then resume.`;

// --- The filters (the defaults of the recipe's validators) ---

export const MIN_WORDS_EXCLUSIVE = 3;
export const MAX_WORDS = 150;
/** Tasks a text-only model cannot do (Self-Instruct's keyword filter). */
export const BLOCKLIST: readonly string[] = ["image", "graph", "picture", "file", "map", "draw", "plot", "go to"];

export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** The first blocklisted word or phrase in the text (whole words, any case), or null. */
export function blockedTerm(text: string, blocklist: readonly string[] = BLOCKLIST): string | null {
  const lower = text.toLowerCase();
  for (const term of blocklist) {
    const pattern = new RegExp(`(^|[^a-z0-9])${term.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+")}($|[^a-z0-9])`);
    if (pattern.test(lower)) return term;
  }
  return null;
}

export type Rejection =
  | { validator: "word-count"; words: number }
  | { validator: "blocklist"; term: string }
  | { validator: "similar-to-pool"; closest: string; score: number };

export interface CandidateOutcome {
  instruction: string;
  kept: boolean;
  rejection: Rejection | null;
}

export interface RoundStats {
  candidates: number;
  kept: number;
  rejected: Record<Rejection["validator"], number>;
}

/**
 * Filters one round's candidates, in their given order (the executor orders them by
 * record index, so the outcome does not depend on which call returned first). Cheap
 * filters run first; the similarity check is against the pool AND the candidates kept
 * earlier in this round, so two near-identical candidates of one round are not both kept.
 * Kept candidates are added to `pool` (the caller's in-memory RougeLPool); the caller
 * writes them to the table in the same transaction as the round's records and stats.
 */
export function filterRound(pool: RougeLPool, candidates: readonly string[]): { outcomes: CandidateOutcome[]; stats: RoundStats } {
  const stats: RoundStats = { candidates: candidates.length, kept: 0, rejected: { "word-count": 0, blocklist: 0, "similar-to-pool": 0 } };
  const outcomes = candidates.map((instruction): CandidateOutcome => {
    const rejection = rejectionOf(pool, instruction);
    if (rejection) {
      stats.rejected[rejection.validator]++;
      return { instruction, kept: false, rejection };
    }
    pool.add(instruction);
    stats.kept++;
    return { instruction, kept: true, rejection: null };
  });
  return { outcomes, stats };
}

function rejectionOf(pool: RougeLPool, instruction: string): Rejection | null {
  const words = wordCount(instruction);
  if (words <= MIN_WORDS_EXCLUSIVE || words > MAX_WORDS) return { validator: "word-count", words };
  const term = blockedTerm(instruction);
  if (term) return { validator: "blocklist", term };
  const decision = pool.check(instruction);
  if (!decision.accepted && decision.closest)
    return { validator: "similar-to-pool", closest: decision.closest.text, score: decision.closest.score };
  return null;
}

// --- A round over a blueprint's own validators (the run mode, lib/runs/server/pool-executor.ts) ---

/**
 * One candidate of a round as the run saw it before the similarity check: the text that
 * would join the pool (null when the record failed, e.g. its model call did) and the
 * first "reject" validator of the blueprint it already failed (word count, blocklist, ...).
 */
export interface RoundCandidate {
  text: string | null;
  rejectedBy: string | null;
}

export type RoundOutcome =
  | { kind: "failed" }
  | { kind: "rejected"; by: string }
  | { kind: "similar"; by: string; closest: string; score: number }
  | { kind: "kept" };

/** What the run page and the API show per round (stored in Run.poolRounds). */
export interface PoolRoundStats {
  round: number;
  candidates: number;
  kept: number;
  /** Records that failed (no instruction to judge): not candidates for saturation. */
  failed: number;
  /** Per validator name: the candidates it rejected (the first that failed, cheapest first). */
  rejected: Record<string, number>;
  /** The round's first candidate rejected as too similar, with its closest pool instruction. */
  closest: { candidate: string; instruction: string; score: number; recordIndex: number } | null;
}

/**
 * Filters one round in candidate (record-index) order: a candidate the blueprint's cheaper
 * validators rejected stays rejected by that one; the others are checked against the pool
 * and the candidates kept earlier in this round (`similarValidator` names the "similar to
 * the pool" validator in the counts). Kept texts are added to `pool`.
 */
export function filterPoolRound(
  pool: RougeLPool,
  candidates: readonly RoundCandidate[],
  similarValidator: string,
): { outcomes: RoundOutcome[]; counts: Pick<PoolRoundStats, "candidates" | "kept" | "failed" | "rejected"> } {
  const counts = { candidates: candidates.length, kept: 0, failed: 0, rejected: {} as Record<string, number> };
  const reject = (by: string) => (counts.rejected[by] = (counts.rejected[by] ?? 0) + 1);
  const outcomes = candidates.map((c): RoundOutcome => {
    if (c.text === null) {
      counts.failed++;
      return { kind: "failed" };
    }
    if (c.rejectedBy !== null) {
      reject(c.rejectedBy);
      return { kind: "rejected", by: c.rejectedBy };
    }
    const decision = pool.check(c.text);
    if (!decision.accepted && decision.closest) {
      reject(similarValidator);
      return { kind: "similar", by: similarValidator, closest: decision.closest.text, score: decision.closest.score };
    }
    pool.add(c.text);
    counts.kept++;
    return { kind: "kept" };
  });
  return { outcomes, counts };
}

/** Saturation counts only candidates that were judged: a round of failed calls is an outage, not a full pool. */
export function judgedRounds(rounds: readonly PoolRoundStats[]): { candidates: number; kept: number }[] {
  return rounds.map((r) => ({ candidates: r.candidates - r.failed, kept: r.kept }));
}
