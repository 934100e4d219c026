import "server-only";
// One Prisma client per process, through the pg driver adapter (no engine binary).
// Created on first use, not at import, so `next build` never needs a database.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

const globalForPrisma = globalThis as unknown as { datawrightPrisma?: PrismaClient };

export function createPrisma(url: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 20 }) });
}

export function db(): PrismaClient {
  if (globalForPrisma.datawrightPrisma) return globalForPrisma.datawrightPrisma;
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the studio with `./studio start`, which provides the database.");
  globalForPrisma.datawrightPrisma = createPrisma(url);
  return globalForPrisma.datawrightPrisma;
}
