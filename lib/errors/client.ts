// The client's one way to consume an ActionResult: unwrap data or throw an Error whose
// message is the user-facing one, so TanStack Query's `error` is always displayable.
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
