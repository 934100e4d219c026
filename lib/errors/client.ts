// The client's one way to consume an ActionResult: unwrap data or throw an Error whose
// message is the user-facing one, so TanStack Query's `error` is always displayable.
// Route handlers answer in the same shape (lib/http/route.ts): `readJson` / `readAnswer`
// read those, keeping the error's code as `unwrap` does.
import type { ActionError, ActionResult } from "./domain-error";

export class ActionFailed extends Error {
  constructor(readonly error: ActionError) {
    super(error.message);
  }
}

export async function unwrap<T>(result: Promise<ActionResult<T>> | ActionResult<T>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new ActionFailed(r.error);
  return r.data;
}

/** What to say when the answer is not one of ours (a proxy's page, a crashed server). */
export type Unreadable = (status: number) => string;
const defaultUnreadable: Unreadable = (status) => `The studio answered ${status}; is it still running?`;

/**
 * Reads a route's answer from its status and text (XMLHttpRequest gives these; fetch via
 * `readJson`). Data only from a 2xx `{ ok: true }`; otherwise throws ActionFailed with the
 * server's code and message, or `internal` with `unreadable(status)`.
 */
export function readAnswer<T>(status: number, text: string, unreadable: Unreadable = defaultUnreadable): T {
  let body: ActionResult<T> | null = null;
  try {
    body = JSON.parse(text) as ActionResult<T>;
  } catch {
    /* reported below */
  }
  if (body?.ok === false && body.error?.message) throw new ActionFailed(body.error);
  if (body?.ok === true && status >= 200 && status < 300) return body.data;
  throw new ActionFailed({ code: "internal", message: unreadable(status) });
}

export async function readJson<T>(res: Response, unreadable?: Unreadable): Promise<T> {
  return readAnswer<T>(res.status, await res.text().catch(() => ""), unreadable);
}
