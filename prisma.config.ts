// Prisma CLI config (Prisma 7). The app itself applies migrations with
// lib/db/server/migrate.ts; this file lets `npx prisma migrate deploy` work too where
// Prisma's engine download is reachable.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
