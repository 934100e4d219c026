// Waits for a condition that another process or loop makes true (a run's progress in
// the database), polling instead of sleeping a fixed time.
export async function until(check: () => Promise<boolean>, opts: { timeoutMs: number; intervalMs: number }) {
  const end = Date.now() + opts.timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`condition not reached within ${opts.timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, opts.intervalMs));
  }
}
