// Config for Prisma 6's WASM schema engine, installed as `prisma6` only to compute
// migration SQL offline (Prisma 7's CLI needs a downloaded engine binary for that).
// Used by scripts/prisma-diff.ts; it needs a reachable PostgreSQL in DATABASE_URL.
import { defineConfig } from "prisma6/config";
import { PrismaPg } from "prisma6-adapter-pg";

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL! }),
} as never);
