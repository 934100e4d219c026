// Grammar field engine: a context-free grammar in a small text form, validated like
// templates are (line and column per problem) and expanded with a seeded RNG.
// Rule-based generation with CFGs: ../shared/seeds/001_b9fdd8f622861be3.txt.
//
//   # a comment
//   sentence -> greeting ", " name + "!"        the first rule is the start symbol
//   greeting -> "hi" [3] | "hello" [1]          [w]: weight of an alternative (default 1)
//   name     -> "Ada" | "Grace"
//            | "Alan"                           a line starting with | continues the rule
//
// Items of an alternative are symbols (letters, digits, _ and -) or quoted terminals
// ("…" with \" and \\ escapes; "" is the empty string). The expansion joins items with
// one space; `+` between two items joins them with none. Beyond the depth limit each
// symbol takes, among its alternatives, those that finish in the fewest further levels.
import type { Rng } from "@/lib/blueprints/rng";

export interface GrammarIssue {
  message: string;
  /** 1-based position in the grammar text. */
  line: number;
  column: number;
  severity: "error" | "warning";
}

type Item = { kind: "terminal"; text: string } | { kind: "symbol"; name: string; line: number; column: number };
interface Alternative {
  items: Item[];
  /** glue[i]: no space between items[i] and items[i + 1]. */
  glue: boolean[];
  weight: number;
}
interface Rule {
  name: string;
  line: number;
  column: number;
  alternatives: Alternative[];
}

export const DEFAULT_MAX_DEPTH = 12;

class GrammarSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

function parseRules(text: string): { rules: Rule[]; issues: GrammarIssue[] } {
  const rules: Rule[] = [];
  const issues: GrammarIssue[] = [];
  const lines = text.split(/\r?\n/);
  let current: Rule | null = null;
  for (let li = 0; li < lines.length; li++) {
    const raw = lines[li];
    const lineNo = li + 1;
    let pos = 0;
    const skipSpace = () => {
      while (pos < raw.length && (raw[pos] === " " || raw[pos] === "\t")) pos++;
    };
    skipSpace();
    if (pos >= raw.length || raw[pos] === "#") continue;
    try {
      if (raw[pos] === "|") {
        if (!current) throw new GrammarSyntaxError("A line starting with | continues a rule, but no rule comes before it.", lineNo, pos + 1);
        pos++;
      } else {
        const nameStart = pos;
        const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(raw.slice(pos));
        if (!m) throw new GrammarSyntaxError(`Expected a rule name (letters, digits, _ or -), found "${raw[pos]}".`, lineNo, pos + 1);
        pos += m[0].length;
        skipSpace();
        if (raw.slice(pos, pos + 2) !== "->") throw new GrammarSyntaxError(`Expected "->" after the rule name "${m[0]}".`, lineNo, pos + 1);
        pos += 2;
        const existing = rules.find((r) => r.name === m[0]);
        if (existing) {
          issues.push({ message: `"${m[0]}" is already defined on line ${existing.line}; its alternatives are added to that rule. Use | to keep them together.`, line: lineNo, column: nameStart + 1, severity: "warning" });
          current = existing;
        } else {
          current = { name: m[0], line: lineNo, column: nameStart + 1, alternatives: [] };
          rules.push(current);
        }
      }
      // Alternatives separated by |, each a sequence of items and an optional [weight].
      for (;;) {
        const alt: Alternative = { items: [], glue: [], weight: 1 };
        const altStart = pos;
        let pendingGlue = false;
        let weighted = false;
        for (;;) {
          skipSpace();
          const ch = raw[pos];
          if (pos >= raw.length || ch === "|" || ch === "#") break;
          if (weighted) throw new GrammarSyntaxError("Nothing may follow an alternative's [weight] except | or the end of the line.", lineNo, pos + 1);
          if (ch === '"') {
            const start = pos;
            pos++;
            let s = "";
            while (pos < raw.length && raw[pos] !== '"') {
              if (raw[pos] === "\\" && pos + 1 < raw.length) pos++;
              s += raw[pos++];
            }
            if (pos >= raw.length) throw new GrammarSyntaxError("This quoted text is never closed; add the closing \".", lineNo, start + 1);
            pos++;
            alt.items.push({ kind: "terminal", text: s });
          } else if (ch === "[") {
            const m = /^\[\s*([0-9]*\.?[0-9]+)\s*\]/.exec(raw.slice(pos));
            if (!m) throw new GrammarSyntaxError("A weight is a positive number in brackets, like [3] or [0.5].", lineNo, pos + 1);
            const w = Number(m[1]);
            if (!(w > 0)) throw new GrammarSyntaxError("A weight must be more than 0; remove the alternative instead.", lineNo, pos + 1);
            if (alt.items.length === 0) throw new GrammarSyntaxError("A weight follows an alternative; this one is empty (write \"\" for an empty alternative).", lineNo, pos + 1);
            alt.weight = w;
            weighted = true;
            pos += m[0].length;
            continue;
          } else if (ch === "+") {
            if (alt.items.length === 0 || pendingGlue) throw new GrammarSyntaxError("+ joins two items; put it between them.", lineNo, pos + 1);
            pendingGlue = true;
            pos++;
            continue;
          } else {
            const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(raw.slice(pos));
            if (!m) throw new GrammarSyntaxError(`Unexpected "${ch}": write a symbol name, "quoted text", [weight], + or |.`, lineNo, pos + 1);
            alt.items.push({ kind: "symbol", name: m[0], line: lineNo, column: pos + 1 });
            pos += m[0].length;
          }
          if (alt.items.length > 1) alt.glue.push(pendingGlue);
          pendingGlue = false;
        }
        if (pendingGlue) throw new GrammarSyntaxError("+ joins two items; nothing follows this one.", lineNo, pos);
        if (alt.items.length === 0) throw new GrammarSyntaxError("This alternative is empty; write \"\" for an empty string.", lineNo, altStart + 1);
        current!.alternatives.push(alt);
        if (raw[pos] === "|") {
          pos++;
          continue;
        }
        break;
      }
    } catch (err) {
      if (!(err instanceof GrammarSyntaxError)) throw err;
      issues.push({ message: err.message, line: err.line, column: err.column, severity: "error" });
    }
  }
  return { rules, issues };
}

/** A grammar ready to expand: symbols as integers, alternatives as flat arrays. */
export interface CompiledGrammar {
  start: string;
  /** Per rule: cumulative weights of its alternatives, and the alternatives that finish soonest. */
  rules: {
    name: string;
    cumulative: Float64Array;
    total: number;
    /**
     * Per alternative, item by item: the rule index of a symbol, or -1 with the text of a
     * terminal (two monomorphic arrays rather than one of strings and numbers).
     */
    alternatives: { symbols: Int32Array; texts: string[]; spaced: string[]; glue: boolean[] }[];
    /**
     * A word list (every alternative is one terminal): its words, drawn inline. Its height
     * is 0, so the depth limit does not change its draw. A copy of the alternatives' texts
     * on purpose: reading them through `alternatives[w].texts[0]` instead was 7-11 % slower
     * (alternating A/B, 2026-12-05).
     */
    words: string[] | null;
    spacedWords: string[] | null;
    /** Indexes of the alternatives with the smallest height, and their cumulative weights. */
    fastest: number[];
    fastestCumulative: Float64Array;
    /** Look-up tables for drawing by cumulative weight (see drawTable), or null. */
    table: Uint8Array | null;
    fastestTable: Uint8Array | null;
  }[];
}

/**
 * Parses and checks a grammar. Errors: syntax, undefined symbols, symbols that can never
 * finish (every alternative leads back into recursion); warnings: unreachable rules and
 * redefinitions. `grammar` is null when there is any error.
 */
export function compileGrammar(text: string): { grammar: CompiledGrammar | null; issues: GrammarIssue[] } {
  const { rules, issues } = parseRules(text);
  if (rules.length === 0 && issues.length === 0) {
    issues.push({ message: "The grammar has no rules; write one like: greeting -> \"hi\" | \"hello\".", line: 1, column: 1, severity: "error" });
  }
  const byName = new Map(rules.map((r, i) => [r.name, i]));
  for (const r of rules) {
    for (const a of r.alternatives) {
      for (const it of a.items) {
        if (it.kind === "symbol" && !byName.has(it.name)) {
          issues.push({ message: `"${it.name}" is not defined; add a rule "${it.name} -> …" or quote it if it is text.`, line: it.line, column: it.column, severity: "error" });
        }
      }
    }
  }
  // Height: the fewest levels in which a symbol can finish (Knuth's fixpoint); Infinity
  // for a symbol that cannot derive any string of terminals.
  const height = rules.map(() => Infinity);
  const altHeight = (a: Alternative) => {
    let h = 0;
    for (const it of a.items) {
      if (it.kind === "symbol") {
        const i = byName.get(it.name);
        // An undefined symbol is reported once, as undefined, not again as endless.
        h = Math.max(h, i === undefined ? 0 : height[i]);
      }
    }
    return h + 1;
  };
  for (let changed = true; changed; ) {
    changed = false;
    rules.forEach((r, i) => {
      const h = Math.min(...r.alternatives.map(altHeight));
      if (h < height[i]) {
        height[i] = h;
        changed = true;
      }
    });
  }
  rules.forEach((r, i) => {
    if (height[i] === Infinity && r.alternatives.length > 0) {
      issues.push({ message: `"${r.name}" can never finish: every alternative leads back into ${r.name === "" ? "itself" : "a symbol that recurses"} without a way out; add an alternative made of text only.`, line: r.line, column: r.column, severity: "error" });
    }
  });
  // Reachability from the start symbol (the first rule).
  if (rules.length > 0) {
    const reached = new Set<number>([0]);
    const stack = [0];
    while (stack.length > 0) {
      const r = rules[stack.pop()!];
      for (const a of r.alternatives) {
        for (const it of a.items) {
          const i = it.kind === "symbol" ? byName.get(it.name) : undefined;
          if (i !== undefined && !reached.has(i)) {
            reached.add(i);
            stack.push(i);
          }
        }
      }
    }
    rules.forEach((r, i) => {
      if (!reached.has(i)) {
        issues.push({ message: `"${r.name}" is never used: the start rule "${rules[0].name}" cannot reach it.`, line: r.line, column: r.column, severity: "warning" });
      }
    });
  }
  issues.sort((a, b) => a.line - b.line || a.column - b.column);
  if (issues.some((i) => i.severity === "error")) return { grammar: null, issues };

  const compiled: CompiledGrammar = {
    start: rules[0].name,
    rules: rules.map((r) => {
      const alternatives = r.alternatives.map((a) => ({
        symbols: Int32Array.from(a.items, (it) => (it.kind === "terminal" ? -1 : byName.get(it.name)!)),
        texts: a.items.map((it) => (it.kind === "terminal" ? it.text : "")),
        spaced: a.items.map((it) => (it.kind === "terminal" ? ` ${it.text}` : "")),
        glue: a.glue,
      }));
      const words = r.alternatives.every((a) => a.items.length === 1 && a.items[0].kind === "terminal") ? r.alternatives.map((a) => (a.items[0] as { text: string }).text) : null;
      const heights = r.alternatives.map(altHeight);
      const best = Math.min(...heights);
      const fastest = heights.flatMap((h, i) => (h === best ? [i] : []));
      const fast = cumulate(fastest.map((i) => r.alternatives[i].weight));
      return {
        name: r.name,
        alternatives,
        words,
        spacedWords: words && words.map((w) => ` ${w}`),
        ...cumulate(r.alternatives.map((a) => a.weight)),
        fastest,
        fastestCumulative: fast.cumulative,
        fastestTable: fast.table,
      };
    }),
  };
  return { grammar: compiled, issues };
}

function cumulate(weights: number[]) {
  let total = 0;
  const cumulative = Float64Array.from(weights, (w) => (total += w));
  return { cumulative, total, table: drawTable(cumulative) };
}

/**
 * With whole weights of a small total, the alternative for a draw x in [0, total) is
 * table[floor(x)]: the first i with floor(x) < cumulative[i], which for whole cumulative
 * weights is the first i with x < cumulative[i], the linear search's answer. One look-up
 * instead of a scan; the draws, and so every seeded output, stay the same.
 */
function drawTable(cumulative: Float64Array): Uint8Array | null {
  const total = cumulative[cumulative.length - 1];
  if (cumulative.length > 255 || total > 1024 || !cumulative.every(Number.isInteger)) return null;
  const table = new Uint8Array(total);
  for (let k = 0, i = 0; k < total; k++) {
    while (k >= cumulative[i]) i++;
    table[k] = i;
  }
  return table;
}

function pick(cumulative: Float64Array, table: Uint8Array | null, rng: Rng): number {
  const x = rng() * cumulative[cumulative.length - 1];
  if (table !== null) return table[x | 0];
  for (let i = 0; i < cumulative.length; i++) if (x < cumulative[i]) return i;
  return cumulative.length - 1;
}

/**
 * One expansion from the start symbol. Symbols deeper than `maxDepth` choose only among
 * their fastest-finishing alternatives (weighted among those), so every expansion ends:
 * the height fixpoint guarantees each such choice strictly nears a terminal string.
 */
export function expandGrammar(grammar: CompiledGrammar, rng: Rng, maxDepth = DEFAULT_MAX_DEPTH): string {
  // Plain string appends and no closures: V8 builds the result as a rope, flattened
  // once; this loop runs ~100,000 times a second, so it avoids per-call allocations.
  const state: ExpandState = { out: "", needSpace: false, rng, maxDepth, rules: grammar.rules };
  walk(state, 0, 0, false);
  return state.out;
}

interface ExpandState {
  out: string;
  needSpace: boolean;
  rng: Rng;
  maxDepth: number;
  rules: CompiledGrammar["rules"];
}

function walk(st: ExpandState, rule: number, depth: number, glued: boolean): void {
  const r = st.rules[rule];
  const alt = depth >= st.maxDepth ? r.alternatives[r.fastest[pick(r.fastestCumulative, r.fastestTable, st.rng)]] : r.alternatives[pick(r.cumulative, r.table, st.rng)];
  const { symbols, texts, spaced, glue } = alt;
  for (let i = 0; i < symbols.length; i++) {
    const s = symbols[i];
    const g = i === 0 ? glued : glue[i - 1];
    if (s < 0) append(st, texts[i], spaced[i], g);
    else {
      // A word list's word is appended here rather than in a call of its own: word lists
      // are most of an expansion's symbols.
      const sub = st.rules[s];
      if (sub.words !== null) {
        const w = pick(sub.cumulative, sub.table, st.rng);
        append(st, sub.words[w], sub.spacedWords![w], g);
      } else walk(st, s, depth + 1, g);
    }
  }
}

/** `spaced` is " " + text, made once at compile time: one string append instead of two. */
function append(st: ExpandState, text: string, spaced: string, glued: boolean): void {
  if (text === "") return;
  st.out += st.needSpace && !glued ? spaced : text;
  st.needSpace = true;
}
