import { defineConfig } from "vitest/config";
import path from "node:path";

// Two projects: `unit` is pure logic (no I/O beyond loopback servers the test starts),
// `db` runs services against the real embedded PostgreSQL that scripts/test.ts starts.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "fake-llm/**/*.test.ts", "scripts/**/*.test.ts"],
          exclude: ["**/*.db.test.ts", "node_modules/**"],
          environment: "node",
          // Services without a database (the model transport) are unit-tested too.
          alias: { "server-only": path.resolve(import.meta.dirname, "lib/testing/server-only-noop.ts") },
        },
      },
      {
        extends: true,
        test: {
          name: "db",
          include: ["**/*.db.test.ts"],
          exclude: ["node_modules/**"],
          environment: "node",
          // server-only throws outside a React server bundle; services are plain Node here.
          alias: { "server-only": path.resolve(import.meta.dirname, "lib/testing/server-only-noop.ts") },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
