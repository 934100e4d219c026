import type { JudgeLevel } from "../schema";

/** Levels 1, 2, … of a starter judge's scale, from its descriptions, worst first. */
export function judgeLevels(descriptions: readonly string[]): JudgeLevel[] {
  return descriptions.map((description, i) => ({ value: i + 1, description }));
}
