// Next.js calls register() once when the server starts: the app process is also a run
// worker by default, so a single `./studio start` generates data with nothing else to run.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env");
  const cfg = env();
  if (!cfg.DATABASE_URL) return;
  // A lost or replaced secret key file is recreated silently; say so at once, while the
  // old file may still be found, not at the first run that cannot use its key.
  const [{ db }, { unreadableKeys }] = await Promise.all([import("./lib/db/server/prisma"), import("./lib/providers/server/connections")]);
  const lost = await unreadableKeys(db()).catch(() => null);
  if (lost?.connections.length) console.warn(`[datawright] WARNING: ${lost.message}`);
  if (cfg.DATAWRIGHT_WORKERS === 0) return;
  const { startRunWorker } = await import("./lib/runs/server/worker");
  await startRunWorker({ databaseUrl: cfg.DATABASE_URL, localConcurrency: cfg.DATAWRIGHT_WORKERS, log: (m) => console.error(m) });
}
