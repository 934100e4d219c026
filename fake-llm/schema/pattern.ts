// A tiny regex -> example string generator for a schema's `pattern` (a common subset of
// ECMAScript regexes); patterns outside it get no generated string.
import { type Rng, pick, randInt } from "../random";

type Node =
  | { t: "alt"; options: Node[][] }
  | { t: "chars"; set: (rng: Rng) => string }
  | { t: "lit"; s: string }
  | { t: "rep"; node: Node; min: number; max: number }
  | { t: "group"; alt: Node };

class Unsupported extends Error {}

const DIGITS = "0123456789";
const WORD_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const PRINTABLE = `${WORD_CHARS} -.,:;!?@#%&*+=/()[]{}<>'"`;

function parsePattern(src: string): Node {
  let i = 0;
  const peek = () => src[i];
  function escapeClass(c: string): string | undefined {
    switch (c) {
      case "d":
        return DIGITS;
      case "w":
        return WORD_CHARS;
      case "s":
        return " ";
      case "D":
        return LOWER;
      case "W":
        return " -.";
      case "S":
        return LOWER;
      default:
        return undefined;
    }
  }
  function escapeLiteral(): string {
    const c = src[i++];
    if (c === undefined) throw new Unsupported();
    if (c === "n") return "\n";
    if (c === "t") return "\t";
    if (c === "r") return "\r";
    if (c === "u" && /^[0-9a-fA-F]{4}$/.test(src.slice(i, i + 4))) {
      i += 4;
      return String.fromCharCode(parseInt(src.slice(i - 4, i), 16));
    }
    if (c === "x" && /^[0-9a-fA-F]{2}$/.test(src.slice(i, i + 2))) {
      i += 2;
      return String.fromCharCode(parseInt(src.slice(i - 2, i), 16));
    }
    if (/[0-9pPkbBcu]/.test(c)) throw new Unsupported(); // backrefs, unicode props, \b...
    return c;
  }
  function parseClass(): Node {
    // after '['
    let negate = false;
    if (peek() === "^") {
      negate = true;
      i++;
    }
    let chars = "";
    let first = true;
    while (i < src.length && (src[i] !== "]" || first)) {
      first = false;
      let c = src[i++]!;
      if (c === "\\") {
        const cls = escapeClass(src[i]!);
        if (cls !== undefined) {
          i++;
          chars += cls;
          continue;
        }
        c = escapeLiteral();
      }
      if (src[i] === "-" && src[i + 1] !== undefined && src[i + 1] !== "]") {
        i++;
        let end = src[i++]!;
        if (end === "\\") end = escapeLiteral();
        const a = c.codePointAt(0)!;
        const b = end.codePointAt(0)!;
        if (b < a) throw new Unsupported();
        // Cap huge ranges (e.g. \u0000-\uffff) to keep this cheap.
        for (let cp = a; cp <= Math.min(b, a + 400); cp++) chars += String.fromCodePoint(cp);
        continue;
      }
      chars += c;
    }
    if (src[i] !== "]") throw new Unsupported();
    i++;
    if (negate) {
      const allowed = [...PRINTABLE].filter((ch) => !chars.includes(ch)).join("");
      if (!allowed) throw new Unsupported();
      chars = allowed;
    }
    if (!chars) throw new Unsupported();
    const pool = Array.from(chars);
    return { t: "chars", set: (rng) => pick(rng, pool) };
  }
  function parseAtom(): Node | null {
    const c = src[i]!;
    if (c === "(") {
      i++;
      if (src[i] === "?") {
        if (src[i + 1] === ":") i += 2;
        else if (src[i + 1] === "<" && src[i + 2] !== "=" && src[i + 2] !== "!") {
          const end = src.indexOf(">", i);
          if (end < 0) throw new Unsupported();
          i = end + 1;
        } else throw new Unsupported(); // lookarounds
      }
      const alt = parseAlt();
      if (src[i] !== ")") throw new Unsupported();
      i++;
      return { t: "group", alt };
    }
    if (c === "[") {
      i++;
      return parseClass();
    }
    if (c === ".") {
      i++;
      return { t: "chars", set: (rng) => pick(rng, LOWER) };
    }
    if (c === "^" || c === "$") {
      i++;
      return null;
    }
    if (c === "\\") {
      i++;
      const cls = escapeClass(src[i]!);
      if (cls !== undefined) {
        i++;
        return { t: "chars", set: (rng) => pick(rng, cls) };
      }
      return { t: "lit", s: escapeLiteral() };
    }
    i++;
    return { t: "lit", s: c };
  }
  function parseQuant(node: Node): Node {
    const c = src[i];
    let min: number;
    let max: number;
    if (c === "*") [min, max] = [0, 3];
    else if (c === "+") [min, max] = [1, 4];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      if (!m) return node;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? min + 3 : Number(m[3]);
      i += m[0].length - 1;
    } else return node;
    i++;
    if (src[i] === "?" || src[i] === "+") i++;
    return { t: "rep", node, min, max: Math.min(max, min + 50) };
  }
  function parseSeq(): Node[] {
    const seq: Node[] = [];
    while (i < src.length && src[i] !== "|" && src[i] !== ")") {
      const atom = parseAtom();
      if (atom) seq.push(parseQuant(atom));
    }
    return seq;
  }
  function parseAlt(): Node {
    const options: Node[][] = [parseSeq()];
    while (src[i] === "|") {
      i++;
      options.push(parseSeq());
    }
    return { t: "alt", options };
  }
  const node = parseAlt();
  if (i !== src.length) throw new Unsupported();
  return node;
}

function emit(node: Node, rng: Rng): string {
  switch (node.t) {
    case "lit":
      return node.s;
    case "chars":
      return node.set(rng);
    case "group":
      return emit(node.alt, rng);
    case "rep": {
      let s = "";
      const n = randInt(rng, node.min, node.max);
      for (let k = 0; k < n; k++) s += emit(node.node, rng);
      return s;
    }
    case "alt": {
      let s = "";
      for (const n of pick(rng, node.options)) s += emit(n, rng);
      return s;
    }
  }
}

interface CompiledPattern {
  re: RegExp | null;
  ast: Node | null;
}
const patternCache = new Map<string, CompiledPattern>();

export function compilePattern(pattern: string): RegExp | null {
  return compiled(pattern).re;
}

function compiled(pattern: string): CompiledPattern {
  let c = patternCache.get(pattern);
  if (!c) {
    let re: RegExp | null = null;
    try {
      re = new RegExp(pattern, "u");
    } catch {
      try {
        re = new RegExp(pattern);
      } catch {
        re = null;
      }
    }
    let ast: Node | null = null;
    try {
      ast = parsePattern(pattern);
    } catch {
      ast = null;
    }
    c = { re, ast };
    if (patternCache.size > 500) patternCache.clear();
    patternCache.set(pattern, c);
  }
  return c;
}

/** A string matching `pattern`, or undefined when the pattern is outside the supported subset. */
export function stringForPattern(pattern: string, rng: Rng): string | undefined {
  const { re, ast } = compiled(pattern);
  if (!ast) return undefined;
  let candidate = "";
  for (let attempt = 0; attempt < 8; attempt++) {
    candidate = emit(ast, rng);
    if (!re || re.test(candidate)) return candidate;
  }
  return candidate;
}
