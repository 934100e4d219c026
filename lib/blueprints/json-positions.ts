// A strict JSON parser that remembers where each value sits in the text.
//
// JSON.parse's error messages and positions differ between engines (Safari gives no
// position at all), and it can't tell where a nested key is. The editor needs both to
// underline a schema mistake in place.

export interface LineColumn {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units like editor columns. */
  column: number;
}

export type JsonParseResult =
  | {
      ok: true;
      value: unknown;
      /** JSON Pointer ("" is the root, "/properties/title") -> offset of that value. */
      positions: Map<string, number>;
    }
  | ({ ok: false; message: string; offset: number } & LineColumn);

export function offsetToLineColumn(text: string, offset: number): LineColumn {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

export function jsonPointer(parent: string, key: string | number): string {
  return `${parent}/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

const MAX_DEPTH = 256;

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function parseJsonWithPositions(text: string): JsonParseResult {
  const positions = new Map<string, number>();
  let i = 0;
  let depth = 0;

  const describe = (at: number) => (at >= text.length ? "end of input" : `"${text[at]}"`);
  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, at);
  };
  const skipWs = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };

  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    let out = "";
    while (true) {
      if (i >= text.length) fail("Unterminated string; add the closing quote", start);
      const c = text[i];
      if (c === '"') {
        i++;
        return out;
      }
      if (c === "\\") {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          fail("Invalid escape sequence in string", i);
        }
        continue;
      }
      if (text.charCodeAt(i) < 0x20) fail(c === "\n" ? "Line break inside a string; close the string or use \\n" : "Control character inside a string");
      out += c;
      i++;
    }
  };

  const parseNumber = (): number => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === "" || m[0] === "-") fail(`Unexpected ${describe(i)}; expected a value`);
    i += m![0].length;
    return Number(m![0]);
  };

  const parseValue = (pointer: string): unknown => {
    skipWs();
    positions.set(pointer, i);
    const c = text[i];
    if (c === "{") return parseObject(pointer);
    if (c === "[") return parseArray(pointer);
    if (c === '"') return parseString();
    if (c === "-" || (c >= "0" && c <= "9")) return parseNumber();
    for (const [word, value] of [["true", true], ["false", false], ["null", null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    if (c === "'") fail("Strings must use double quotes (\") in JSON");
    if (c === "}" || c === "]") fail(`Unexpected ${describe(i)}; expected a value (trailing comma?)`);
    return fail(`Unexpected ${describe(i)}; expected a value`);
  };

  // Bounded so hostile input can't overflow the stack.
  const enter = () => {
    if (++depth > MAX_DEPTH) fail(`Nested deeper than ${MAX_DEPTH} levels`);
  };

  const parseObject = (pointer: string): Record<string, unknown> => {
    const obj: Record<string, unknown> = {};
    enter();
    i++;
    skipWs();
    if (text[i] === "}") {
      i++;
      depth--;
      return obj;
    }
    while (true) {
      skipWs();
      if (text[i] === "}") fail('Trailing comma before "}"; remove the last comma');
      if (text[i] === "'") fail('Property names must use double quotes (") in JSON');
      if (text[i] !== '"') fail(`Unexpected ${describe(i)}; expected a property name in double quotes`);
      const key = parseString();
      skipWs();
      if (text[i] !== ":") fail(`Expected ":" after property name "${key}"`);
      i++;
      const value = parseValue(jsonPointer(pointer, key));
      // defineProperty: a "__proto__" key must stay data, not change the prototype.
      Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
      skipWs();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        depth--;
        return obj;
      }
      fail(`Unexpected ${describe(i)}; expected "," or "}" (missing comma?)`);
    }
  };

  const parseArray = (pointer: string): unknown[] => {
    const arr: unknown[] = [];
    enter();
    i++;
    skipWs();
    if (text[i] === "]") {
      i++;
      depth--;
      return arr;
    }
    while (true) {
      skipWs();
      if (text[i] === "]") fail('Trailing comma before "]"; remove the last comma');
      arr.push(parseValue(jsonPointer(pointer, arr.length)));
      skipWs();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        depth--;
        return arr;
      }
      fail(`Unexpected ${describe(i)}; expected "," or "]" (missing comma?)`);
    }
  };

  try {
    skipWs();
    if (i >= text.length) fail("Empty JSON; expected a value such as {}");
    const value = parseValue("");
    skipWs();
    if (i < text.length) fail(`Unexpected ${describe(i)} after the end of the JSON value`);
    return { ok: true, value, positions };
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    return { ok: false, message: err.message, offset: err.offset, ...offsetToLineColumn(text, err.offset) };
  }
}
