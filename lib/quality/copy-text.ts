// One line of PostgreSQL's COPY ... TO STDOUT text format, split into its columns: tabs
// separate them, \N is null, and backslash escapes stand for the characters they name.

const ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };

export function parseCopyLine(line: string): (string | null)[] {
  const cols = line.split("\t");
  const out: (string | null)[] = new Array(cols.length);
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i];
    if (c === "\\N") out[i] = null;
    else if (c.indexOf("\\") < 0) out[i] = c;
    else out[i] = c.replace(/\\([0-7]{1,3}|x[0-9a-fA-F]{1,2}|.)/g, (_, e: string) => {
      if (e[0] === "x") return String.fromCharCode(parseInt(e.slice(1), 16));
      if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
      return ESCAPES[e] ?? e;
    });
  }
  return out;
}
