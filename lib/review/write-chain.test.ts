import { describe, expect, it } from "vitest";
import { createWriteChains, type WriteDeps } from "./write-chain";

type Row = { id: string; revision: number; reviewState: string; labels?: Record<string, unknown> };

/** A cache of rows and a log of what the chain did, in order. */
function setup(rows: Row[]) {
  const cache = new Map(rows.map((r) => [r.id, { ...r }]));
  const log: string[] = [];
  const server = new Map(rows.map((r) => [r.id, { ...r }]));
  const deps: WriteDeps<Row, Partial<Row> & { id: string }> = {
    patch: (p) => {
      log.push(`patch ${p.id} ${JSON.stringify({ ...p, id: undefined })}`);
      cache.set(p.id, { ...cache.get(p.id)!, ...p });
    },
    current: (row) => cache.get(row.id),
    reload: async (id) => {
      log.push(`reload ${id}`);
      return { ...server.get(id)! };
    },
    onError: (e) => log.push(`error ${(e as Error).message}`),
    failed: (id) => log.push(`failed ${id}`),
    settled: (id) => log.push(`settled ${id}`),
  };
  return { cache, server, log, deps };
}

/** A send that waits until released, so a test decides when the server answers. */
function gate() {
  let release!: () => void;
  const open = new Promise<void>((r) => (release = r));
  return { open, release };
}

describe("write chains", () => {
  it("shows the change at once, before the server answers, without touching the revision", () => {
    const { cache, deps } = setup([{ id: "a", revision: 3, reviewState: "unreviewed" }]);
    const chains = createWriteChains();
    void chains.write(cache.get("a")!, { reviewState: "accepted" }, () => new Promise(() => {}), deps);
    expect(cache.get("a")).toEqual({ id: "a", revision: 3, reviewState: "accepted" });
  });

  it("runs one record's writes in order, each with the revision the previous one returned", async () => {
    const { cache, deps } = setup([{ id: "a", revision: 3, reviewState: "unreviewed" }]);
    const chains = createWriteChains();
    const sent: number[] = [];
    const g = gate();
    const row = cache.get("a")!;
    const first = chains.write(row, { reviewState: "accepted" }, async (rev) => {
      sent.push(rev);
      await g.open;
      return { id: "a", revision: rev + 1 };
    }, deps);
    // Written from the same (now stale) row the grid held when the key was pressed.
    const second = chains.write(row, { labels: { q: "good" } }, async (rev) => {
      sent.push(rev);
      return { id: "a", revision: rev + 1 };
    }, deps);
    await Promise.resolve();
    await Promise.resolve();
    expect(sent).toEqual([3]); // the second waits for the first
    g.release();
    expect(await first).toBe(true);
    expect(await second).toBe(true);
    expect(sent).toEqual([3, 4]);
    expect(cache.get("a")).toEqual({ id: "a", revision: 5, reviewState: "accepted", labels: { q: "good" } });
  });

  it("sends the row's own revision when the cache no longer holds it", async () => {
    const { deps } = setup([]);
    const chains = createWriteChains();
    const sent: number[] = [];
    const ok = await chains.write({ id: "gone", revision: 7, reviewState: "unreviewed" }, {}, async (rev) => {
      sent.push(rev);
      return { id: "gone" };
    }, { ...deps, patch: () => {}, current: () => undefined });
    expect(ok).toBe(true);
    expect(sent).toEqual([7]);
  });

  it("does not hold one record's writes behind another's", async () => {
    const { cache, deps } = setup([
      { id: "a", revision: 1, reviewState: "unreviewed" },
      { id: "b", revision: 1, reviewState: "unreviewed" },
    ]);
    const chains = createWriteChains();
    const g = gate();
    const started: string[] = [];
    void chains.write(cache.get("a")!, {}, async () => {
      started.push("a");
      await g.open;
      return { id: "a" };
    }, deps);
    const b = chains.write(cache.get("b")!, {}, async () => {
      started.push("b");
      return { id: "b" };
    }, deps);
    expect(await b).toBe(true);
    expect(started).toEqual(["a", "b"]);
    g.release();
  });

  it("after a failure shows the error and the server's row, and the next write goes on from it", async () => {
    const { cache, server, log, deps } = setup([{ id: "a", revision: 1, reviewState: "unreviewed" }]);
    // Someone else accepted the record meanwhile: the server is at revision 2.
    server.set("a", { id: "a", revision: 2, reviewState: "accepted" });
    const chains = createWriteChains();
    const sent: number[] = [];
    const row = cache.get("a")!;
    const first = chains.write(row, { reviewState: "rejected" }, async (rev) => {
      sent.push(rev);
      throw new Error("ana changed this record");
    }, deps);
    const second = chains.write(row, { labels: { q: "bad" } }, async (rev) => {
      sent.push(rev);
      return { id: "a", revision: rev + 1 };
    }, deps);
    expect(await first).toBe(false);
    expect(await second).toBe(true);
    expect(sent).toEqual([1, 2]);
    expect(log).toEqual([
      'patch a {"reviewState":"rejected"}',
      'patch a {"labels":{"q":"bad"}}',
      "error ana changed this record",
      "reload a",
      'patch a {"revision":2,"reviewState":"accepted"}',
      "failed a",
      "settled a",
      'patch a {"revision":3}',
      "settled a",
    ]);
  });

  it("leaves the row as it is when the server cannot be read after a failure", async () => {
    const { cache, log, deps } = setup([{ id: "a", revision: 1, reviewState: "unreviewed" }]);
    const chains = createWriteChains();
    const ok = await chains.write(cache.get("a")!, { reviewState: "accepted" }, async () => {
      throw new Error("offline");
    }, { ...deps, reload: async () => { throw new Error("still offline"); } });
    expect(ok).toBe(false);
    expect(cache.get("a")!.reviewState).toBe("accepted");
    expect(log).toEqual(['patch a {"reviewState":"accepted"}', "error offline", "failed a", "settled a"]);
  });
});
