// The category editor shows options as text, one per line, with an optional weight after
// a final `|` ("positive | 3"). A line whose text after `|` is not a number stays whole
// as the value, so nothing a user types is ever dropped.
import type { WeightedOption } from "./schema";

const WEIGHTED = /^(.*?)\s*\|\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/i;

export function parseOptionsText(text: string): WeightedOption[] {
  const out: WeightedOption[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const m = WEIGHTED.exec(line);
    if (m && m[1]) out.push({ value: m[1], weight: Number(m[2]) });
    else out.push({ value: line, weight: 1 });
  }
  return out;
}

export function optionsToText(options: WeightedOption[]): string {
  const uniform = options.every((o) => o.weight === 1);
  return options.map((o) => (uniform || o.weight === 1 ? o.value : `${o.value} | ${o.weight}`)).join("\n");
}

export function parseLines(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
}
