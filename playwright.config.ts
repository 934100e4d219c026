import { defineConfig } from "@playwright/test";
import fs from "node:fs";

// Playwright cannot download its own browser everywhere; use the system Chromium when
// there is one (Debian: apt-get install chromium), else Playwright's own if installed.
const systemChromium = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (p) => p && fs.existsSync(p),
);
const port = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // A journey's ceiling, not a speed target (those live in `npm run bench`): the longest
  // journeys (design with axe on each page, twenty keyboard reviews) took 53-60 s on these
  // two cores while other builds ran beside them.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: systemChromium,
      // Without the background-networking flags Chromium floods a closed network with connections.
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  // The production build, as users run it; scripts/test.ts builds it and provides DATABASE_URL.
  webServer: {
    command: `node node_modules/next/dist/bin/next start -H 127.0.0.1 -p ${port}`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: false,
    timeout: 60_000,
    // Batch-mode runs poll the fake Batch API every 200 ms instead of every 5 s (e2e/batch.spec.ts).
    env: { NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: process.env.DATABASE_URL ?? "", DATAWRIGHT_BATCH_POLL_MS: "200" },
  },
});
