// Steps shared by `./studio start` and `./studio test`: generate the Prisma client and
// build the production bundle when the sources changed since the last build.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..");

export function run(cmd: string, args: string[], opts: { env?: Record<string, string>; quiet?: boolean } = {}) {
  const res = spawnSync(cmd, args, {
    cwd: ROOT,
    stdio: opts.quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...opts.env },
  });
  if (res.status !== 0) {
    if (opts.quiet) process.stderr.write(`${res.stdout}${res.stderr}`);
    throw new Error(`${path.basename(cmd)} ${args.join(" ")} failed with exit code ${res.status}`);
  }
}

const node = process.execPath;

/**
 * Node flags of the studio's server process. Under a fast export V8's young generation
 * grows to 64 MB semi-spaces whatever the code does; 16 MB ones cut a million-row
 * Parquet export's peak memory by about 100 MB and run no slower (bench/export.ts).
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=16"];

export function generatePrismaClient() {
  const schema = path.join(ROOT, "prisma/schema.prisma");
  const marker = path.join(ROOT, "lib/generated/prisma/client.ts");
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(schema).mtimeMs) return;
  // `generate` does not run the schema engine, but Prisma looks for it and tries to
  // download it when missing; any existing file satisfies the check (see README).
  run(node, [path.join(ROOT, "node_modules/prisma/build/index.js"), "generate"], {
    quiet: true,
    env: { PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? node, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
}

const BUILD_INPUTS = ["app", "components", "lib", "public", "next.config.js", "package-lock.json", "postcss.config.mjs", "prisma/schema.prisma"];

/** Paths, sizes and mtimes of everything the build reads: cheap, and changes whenever a source does. */
function sourceFingerprint(): string {
  const hash = crypto.createHash("sha256");
  const walk = (p: string) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) if (!name.endsWith(".test.ts")) walk(path.join(p, name));
    } else hash.update(`${path.relative(ROOT, p)}:${st.size}:${st.mtimeMs}\n`);
  };
  for (const p of BUILD_INPUTS) walk(path.join(ROOT, p));
  return hash.digest("hex");
}

export function buildIfStale(log: (s: string) => void): boolean {
  const stamp = path.join(ROOT, ".next/datawright-build-fingerprint");
  const fp = sourceFingerprint();
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === fp && fs.existsSync(path.join(ROOT, ".next/BUILD_ID"))) return false;
  log("Building the studio (production build) ...");
  run(node, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], { quiet: true });
  fs.writeFileSync(stamp, fp);
  return true;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
