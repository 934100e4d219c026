// The embedded server from a checkout nobody else may enter: as root, PostgreSQL runs as
// the `postgres` user, who cannot reach a 0700 folder (a container's /root). It must
// start anyway, find the same data after a restart, and be found by `npm run worker`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/scripts/prepare";
import { bundledBinaries, linkTree, localEmbeddedUrl, startEmbeddedPostgres } from "./embedded-postgres";

const asRoot = process.getuid?.() === 0;

async function query(url: string, sql: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

describe("embedded PostgreSQL in a closed (0700) folder", () => {
  let closed: string;
  let runtimeRoot: string;
  beforeAll(() => {
    closed = fs.mkdtempSync(path.join(os.tmpdir(), "dw-closed-"));
    fs.chmodSync(closed, 0o700);
    // Stands in for /var/lib/datawright, so the test leaves nothing behind.
    runtimeRoot = fs.mkdtempSync(path.join(os.tmpdir(), "dw-runtime-"));
    fs.chmodSync(runtimeRoot, 0o755);
  });
  afterAll(() => {
    fs.rmSync(closed, { recursive: true, force: true });
    fs.rmSync(runtimeRoot, { recursive: true, force: true });
  });

  it("starts with its data dir and its binaries behind 0700 folders, and a restart finds the same data", async () => {
    // The binaries reached through the closed folder too, as node_modules/ is in a closed checkout.
    const binaries = path.join(closed, "node_modules-postgres");
    linkTree((await bundledBinaries()).native, binaries);
    const dataDir = path.join(closed, "checkout", ".data");
    const port = await freePort();
    const opts = { dir: path.join(dataDir, "postgres"), port, binaries, runtimeRoot };

    const first = await startEmbeddedPostgres(opts);
    try {
      await query(first.url, "create table kept (v text); insert into kept values ('from the first start')");
      if (asRoot) {
        expect(first.relocated?.clusterDir?.startsWith(runtimeRoot + path.sep)).toBe(true);
        expect(first.relocated?.binaries?.startsWith(runtimeRoot + path.sep)).toBe(true);
        expect(fs.statSync(first.clusterDir).uid).not.toBe(0);
      }
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedPostgres(opts);
    try {
      expect(second.clusterDir).toBe(first.clusterDir);
      expect(await query(second.url, "select v from kept")).toEqual([{ v: "from the first start" }]);
      // `npm run worker` finds the server from the data folder alone.
      const workerUrl = localEmbeddedUrl(dataDir, port);
      expect(workerUrl).toBeDefined();
      expect(await query(workerUrl!, "select count(*)::int as n from kept")).toEqual([{ n: 1 }]);
    } finally {
      await second.stop();
    }
    // Nothing was opened up to make it work.
    expect(fs.statSync(closed).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dataDir, "pg-password")).mode & 0o777).toBe(0o600);
  });
});
