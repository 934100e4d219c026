// The API's records cursor (lib/api/README.md): an opaque string a script hands back to get
// the page after the one it read. In record order (sort by position, either way) it holds
// the last row's key (createdAt, index, id), so the next page starts where the last one
// ended and costs the same on page 1,000 as on page 1: an offset makes PostgreSQL read and
// throw away every record before it (the last of 100 pages with a filter took 350-580 ms
// at 100,000 records; bench/scale-api.ts). Other sorts keep the offset in the cursor.
// Each cursor names the sort it was made for, so one used with another sort is refused
// instead of silently skipping or repeating records.
import { z } from "zod";
import { invalid } from "@/lib/errors/domain-error";
import type { RecordSort } from "./schemas";

/** The last row of a page in record order. */
export type PageKey = { createdAt: string; index: number; id: string };
export type PageCursor = { sort: string; after: PageKey } | { sort: string; offset: number };

const Cursor = z.union([
  z.object({ s: z.string(), k: z.tuple([z.iso.datetime(), z.number().int(), z.uuid()]) }),
  z.object({ s: z.string(), o: z.number().int().min(0).max(50_000_000) }),
]);

/** What a cursor is bound to: the sort, its field and criterion and its direction. */
export const sortTag = (sort: RecordSort) => [sort.by, sort.field ?? "", sort.criterion ?? "", sort.dir].join(":");

/** Whether pages in this sort can start after a row's key instead of an offset. */
export const keysetSort = (sort: RecordSort) => sort.by === "position";

export function encodePageCursor(c: PageCursor): string {
  const raw = "after" in c ? { s: c.sort, k: [c.after.createdAt, c.after.index, c.after.id] } : { s: c.sort, o: c.offset };
  return Buffer.from(JSON.stringify(raw)).toString("base64url");
}

/** The cursor a page hands out, or a 400 that says what is wrong with it. */
export function decodePageCursor(text: string, sort: RecordSort): PageCursor {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    raw = undefined;
  }
  const parsed = Cursor.safeParse(raw);
  if (!parsed.success) throw invalid("The cursor is not one this API handed out: pass the `next` of the previous page as it was.");
  const c = parsed.data;
  if (c.s !== sortTag(sort)) throw invalid("The cursor was made for another sort: page with the sort that gave it, or start again without a cursor.");
  return "k" in c ? { sort: c.s, after: { createdAt: c.k[0], index: c.k[1], id: c.k[2] } } : { sort: c.s, offset: c.o };
}
