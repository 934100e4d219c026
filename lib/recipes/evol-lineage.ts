// How an evolve field (lib/blueprints/schema.ts EvolveField) uses the pure Evol-Instruct
// module: which mutations a blueprint enables with which method text, what a record stores
// as its value, and how a stored value is read back for review and run stats. Pure.
import type { EvolveField, EvolMutationSetting } from "@/lib/blueprints/schema";
import { MUTATIONS, generationStats, type EliminationRule, type EvolStep, type Mutation } from "./evol-instruct";

/** A new evolve field's mutations: all six, enabled, with the paper's method texts. */
export function defaultEvolMutations(): EvolMutationSetting[] {
  return MUTATIONS.map((m) => ({ id: m.id, enabled: true, method: m.method }));
}

/** The mutations draws pick from, in the paper's order, with the blueprint's method texts; unknown ids are ignored. */
export function enabledMutations(field: Pick<EvolveField, "mutations">): Mutation[] {
  const byId = new Map(field.mutations.map((m) => [m.id, m]));
  return MUTATIONS.flatMap((m) => {
    const s = byId.get(m.id);
    return s?.enabled ? [{ ...m, method: m.kind === "breadth" ? m.method : s.method }] : [];
  });
}

/** An evolve field's value: the surviving instruction (what later fields read), the seed and every step tried. */
export type EvolValue = { instruction: string; seed: string; lineage: EvolStep[] };

const RULES: ReadonlySet<string> = new Set<EliminationRule>(["no_gain", "apology", "no_content", "copied_phrase", "empty"]);

/** A stored value read defensively (records outlive blueprints); null when it is not an evolve value. */
export function readEvolValue(value: unknown): EvolValue | null {
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.instruction !== "string" || typeof v.seed !== "string" || !Array.isArray(v.lineage)) return null;
  const lineage: EvolStep[] = [];
  for (const s of v.lineage as unknown[]) {
    if (!s || typeof s !== "object") return null;
    const x = s as Record<string, unknown>;
    if (typeof x.generation !== "number" || typeof x.mutation !== "string" || typeof x.instruction !== "string") return null;
    lineage.push({
      generation: x.generation,
      mutation: x.mutation,
      instruction: x.instruction,
      ...(typeof x.response === "string" && { response: x.response }),
      ...(typeof x.eliminated === "string" && RULES.has(x.eliminated) && { eliminated: x.eliminated as EliminationRule }),
    });
  }
  return { instruction: v.instruction, seed: v.seed, lineage };
}

export type EvolGenerationStats = ReturnType<typeof generationStats>[number];

/** Per-generation stats over the stored values of one evolve field; values that are not lineages (failed records) are skipped. */
export function evolStatsOf(values: readonly unknown[]): EvolGenerationStats[] {
  return generationStats(values.flatMap((v) => {
    const r = readEvolValue(v);
    return r ? [r.lineage] : [];
  }));
}

/** A mutation's display name by id ("Add constraints"); the id itself when unknown. */
export function mutationName(id: string): string {
  return MUTATIONS.find((m) => m.id === id)?.name ?? id;
}

/** Model calls one record's evolve field may make at most: a rewrite, a response and an equality check per generation. */
export function evolCallsPerRecord(generations: number): number {
  return 3 * generations;
}
