import { describe, expect, test } from "vitest";
import { fingerprint } from "./fingerprint";
import { mergeLanded, planLanded, type LandedRecord, type StoredCandidate } from "./landed";
import { chooseBanding } from "./lsh";
import { nearDuplicate, prng, randomText, vocabulary } from "./synthetic";

const banding = chooseBanding(0.8, 128);
const rand = prng(11);
const words = vocabulary(2000, rand);

function landed(id: string, text: string): LandedRecord {
  const fp = fingerprint([text], banding);
  return { id, key: fp.key, text: fp.text, bands: fp.bands };
}
function stored(id: string, text: string, cluster: string | null, withText = true): StoredCandidate {
  const fp = fingerprint([text], banding);
  return { id, cluster, key: fp.key, bands: fp.bands, text: withText ? fp.text : null };
}
const ids = () => {
  let n = 0;
  return () => `new-${++n}`;
};

describe("planLanded", () => {
  const a = randomText(1000, words, rand);
  const b = randomText(1000, words, rand);
  const nearA = nearDuplicate(a, 0.9, words, rand).text;
  const nearB = nearDuplicate(b, 0.9, words, rand).text;

  test("a record with no candidate joins nothing", () => {
    const plan = planLanded([landed("x", a)], [], 0.8, ids());
    expect(plan).toEqual({ signatures: [{ id: "x", key: expect.any(String), bands: expect.anything(), cluster: null }], created: [], merged: [], assigned: [], touched: [], joined: 0 });
  });

  test("a near-duplicate of a stored record outside any cluster makes a new cluster of both", () => {
    const plan = planLanded([landed("x", nearA)], [stored("s", a, null)], 0.8, ids());
    expect(plan.created).toEqual(["new-1"]);
    expect(plan.assigned).toEqual([{ id: "s", cluster: "new-1" }]);
    expect(plan.signatures[0].cluster).toBe("new-1");
    expect(plan.joined).toBe(1);
  });

  test("a candidate below the threshold is dropped after the exact check", () => {
    const plan = planLanded([landed("x", nearA)], [stored("s", b, null)], 0.8, ids());
    expect(plan.joined).toBe(0);
    expect(plan.created).toEqual([]);
  });

  test("an exact copy matches by key without the stored text", () => {
    const copy = `${a.toUpperCase()}!`;
    const plan = planLanded([landed("x", copy)], [stored("s", a, "c1", false)], 0.8, ids());
    expect(plan).toMatchObject({ created: [], merged: [], assigned: [], touched: ["c1"], joined: 1 });
    expect(plan.signatures[0].cluster).toBe("c1");
  });

  test("records of one batch are checked against each other, in order", () => {
    const plan = planLanded([landed("x", a), landed("y", b), landed("z", nearA)], [], 0.8, ids());
    expect(plan.signatures.map((s) => s.cluster)).toEqual(["new-1", null, "new-1"]);
    expect(plan.created).toEqual(["new-1"]);
    expect(plan.joined).toBe(2);
  });

  test("a record that bridges two stored clusters merges them into the smaller id", () => {
    // The landed text is a near-duplicate of both a and b: half of each.
    const half = (t: string, first: boolean) => (first ? t.slice(0, 500) : t.slice(500));
    const mix = `${half(a, true)} ${half(b, false)}`;
    const cands = [stored("sa", `${half(a, true)} ${half(b, false)} extra`, "c2"), stored("sb", `${half(a, true)} ${half(b, false)} more words`, "c1"), stored("sc", nearB, "c2")];
    const plan = planLanded([landed("x", mix)], cands, 0.8, ids());
    expect(plan.merged).toEqual([{ from: "c2", to: "c1" }]);
    expect(plan.signatures[0].cluster).toBe("c1");
    expect(plan.touched).toEqual(["c1"]);
    expect(plan.assigned).toEqual([]);
    expect(plan.created).toEqual([]);
  });
});

describe("mergeLanded", () => {
  test("ids in one request, a run's indexes joined (all of it when one request asked for all), imports once each", () => {
    expect(
      mergeLanded([
        { runId: "r1", indexes: [5, 2] },
        { ids: ["a", "b"] },
        { runId: "r2", indexes: [1] },
        { importId: "i1" },
        { runId: "r1", indexes: [3, 2] },
        { runId: "r2" },
        { ids: ["b", "c"] },
        { importId: "i1" },
        { runId: "r2", indexes: [7] },
      ]),
    ).toEqual([{ ids: ["a", "b", "c"] }, { runId: "r1", indexes: [2, 3, 5] }, { runId: "r2" }, { importId: "i1" }]);
    expect(mergeLanded([])).toEqual([]);
  });
});
