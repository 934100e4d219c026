// Which pages a signed-out person may open when accounts are on, pure (the root layout
// asks; every action and route checks for itself regardless).
export const PATH_HEADER = "x-datawright-path";

const OPEN = [/^\/sign-in\/?$/, /^\/setup\/?$/, /^\/invite\/[^/]+\/?$/];

export function isOpenPage(path: string): boolean {
  return OPEN.some((re) => re.test(path));
}

/** Where a signed-out visitor of `path` is sent, or null to let them stay. */
export function gate(path: string, state: { mode: "single" | "accounts"; accounts: number; signedIn: boolean }): string | null {
  if (state.mode === "single" || state.signedIn || isOpenPage(path)) return null;
  return state.accounts === 0 ? "/setup" : "/sign-in";
}
