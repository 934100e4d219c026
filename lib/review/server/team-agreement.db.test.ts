// Team agreement over random reviews (issue 17, item 4): the figures teamAgreement reads
// and counts from RecordReview equal the pure computation over the same answers, and the
// disagreement list is the first records in grid order among all that differ.
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { mulberry32 } from "@/lib/blueprints/rng";
import { createRawPool } from "@/lib/db/copy/server/raw-pg";
import type { Db } from "@/lib/db/server/prisma";
import { emptyStudio } from "@/lib/testing/accounts";
import { createSeedDataset, seedRecords } from "@/lib/testing/seed-records";
import { agreementFigures, labelCategory, type Rating } from "../agreement";
import { DECISION_QUESTION, teamAgreement } from "./team";

// The reviewers are accounts, and accounts turn a studio to sign-in: this file has a
// database of its own, so the files sharing the test database stay in single-user mode.
const studio = emptyStudio();
let db: Db;
let sql: pg.Client;
let pool: pg.Pool;
beforeAll(async () => {
  const s = studio.get();
  db = s.db;
  sql = new pg.Client({ connectionString: s.url });
  await sql.connect();
  pool = createRawPool(s.url, 2);
});
afterAll(async () => {
  await sql?.end();
  await pool?.end();
});

it("equals the pure figures on random reviews (2-4 people per record, unset and multi labels), and lists the first disagreements in grid order", async () => {
  const random = mulberry32(17); // seeded, so a failure replays
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const ds = await createSeedDataset(sql, `Agreement ${crypto.randomUUID().slice(0, 8)}`);
  await seedRecords(sql, { datasetId: ds.datasetId, runId: ds.runIds[0] }, 300);
  const labels = [
    { name: "quality", kind: "single", options: ["good", "bad", "unsure"] },
    { name: "topics", kind: "multi", options: ["a", "b", "c"] },
    { name: "score", kind: "rating", max: 5 },
    { name: "note", kind: "note" },
  ];
  await db.dataset.update({ where: { id: ds.datasetId }, data: { labelSchema: { labels } } });
  // Grid order (createdAt, index) against the order records were written in: the list must sort, not take the first found.
  await sql.query(`update "Record" set "createdAt" = "createdAt" - make_interval(secs => index) where "datasetId" = $1`, [ds.datasetId]);
  const stamp = Date.now();
  const people = ["Dee", "Ann", "Cy", "Bo", "Eve"].map((name) => `agree-${name}-${stamp}`);
  // Names in another order than ids: the page lists people by name.
  const nameOf: Record<string, string> = Object.fromEntries(people.map((id, i) => [id, ["Wu", "Zed", "Xi", "Yan", "Vic"][i]]));
  for (const id of people) await db.user.create({ data: { id, name: nameOf[id], email: `${id}@example.com` } });

  const records = await db.record.findMany({ where: { datasetId: ds.datasetId }, orderBy: [{ createdAt: "asc" }, { index: "asc" }, { id: "asc" }], select: { id: true } });
  type Review = { recordId: string; userId: string; decision: "accepted" | "rejected"; labels: Record<string, unknown> };
  const reviews: Review[] = [];
  for (const { id } of records) {
    // Most records two people, some three or four, some one (nothing to compare).
    const k = pick([1, 2, 2, 2, 2, 3, 3, 4]);
    const who = [...people].sort(() => random() - 0.5).slice(0, k);
    const leaning = random() < 0.5;
    for (const userId of who) {
      const l: Record<string, unknown> = {};
      if (random() < 0.85) l.quality = random() < 0.7 ? (leaning ? "good" : "bad") : pick(["good", "bad", "unsure", ""]);
      if (random() < 0.8) l.topics = [...pick([["a"], ["a", "b"], ["b", "a"], ["c", "a", "b"], []])];
      if (random() < 0.7) l.score = pick([1, 2, 3, 3, 4, 5]);
      l.note = `free text ${random()}`;
      reviews.push({ recordId: id, userId, decision: random() < (leaning ? 0.8 : 0.3) ? "accepted" : "rejected", labels: l });
    }
  }
  reviews.sort(() => random() - 0.5);
  await sql.query(
    `insert into "RecordReview" ("recordId", "userId", "datasetId", decision, labels)
     select r, u, $1::uuid, d::"ReviewState", l from unnest($2::uuid[], $3::text[], $4::text[], $5::jsonb[]) as t(r, u, d, l)`,
    [ds.datasetId, reviews.map((r) => r.recordId), reviews.map((r) => r.userId), reviews.map((r) => r.decision), reviews.map((r) => JSON.stringify(r.labels))],
  );

  const shown = 7;
  const got = await teamAgreement(db, pool, ds.datasetId, shown);

  const expected = [
    { question: DECISION_QUESTION, ratings: reviews.map((r): Rating<string> => ({ unit: r.recordId, coder: r.userId, value: r.decision })) },
    ...["quality", "topics", "score"].map((q) => ({ question: q, ratings: reviews.map((r): Rating<string> => ({ unit: r.recordId, coder: r.userId, value: labelCategory(r.labels[q]) })) })),
  ].map(({ question, ratings }) => ({ question, ...agreementFigures(ratings) }));
  expect(got.questions.map((q) => q.question)).toEqual(expected.map((q) => q.question));
  for (const [i, { question, disagreements: _, ...figures }] of expected.entries()) {
    const f = got.questions[i].figures;
    const byName = (x: string, y: string) => nameOf[x].localeCompare(nameOf[y]);
    expect(f, question).toMatchObject({ units: figures.units, pairs: figures.pairs, coders: [...figures.coders].sort(byName), kappa: null });
    expect(f.percent, question).toBeCloseTo(figures.percent!, 12);
    expect(f.alpha, question).toBeCloseTo(figures.alpha!, 12);
    // Each pair once, named in name order and listed in it; the same counts as the pure figures.
    const pair = (a: string, b: string) => [a, b].sort().join(" ");
    const pure = new Map(figures.matrix.map((m) => [pair(m.a, m.b), m]));
    expect(f.matrix.map((m) => pair(m.a, m.b)).sort(), question).toEqual([...pure.keys()].sort());
    expect(f.matrix.map((m) => `${nameOf[m.a]} × ${nameOf[m.b]}`), question).toEqual(
      f.matrix.map((m) => [nameOf[m.a], nameOf[m.b]].sort().join(" × ")).sort(),
    );
    for (const m of f.matrix) {
      const p = pure.get(pair(m.a, m.b))!;
      expect([m.n, m.agree], `${question} ${m.a} ${m.b}`).toEqual([p.n, p.agree]);
      expect(m.kappa, `${question} ${m.a} ${m.b}`).toBeCloseTo(p.kappa!, 12);
    }
  }
  // Sanity of the random data: every question has pairs, disagreements and more than two people.
  for (const q of got.questions) expect(q.figures.units, q.question).toBeGreaterThan(100);

  const differing = new Map<string, string[]>();
  for (const q of expected) for (const id of q.disagreements) differing.set(id, [...(differing.get(id) ?? []), q.question]);
  expect(got.disagreementCount).toBe(differing.size);
  expect(differing.size).toBeGreaterThan(shown * 3);
  const inGridOrder = records.filter((r) => differing.has(r.id)).slice(0, shown);
  expect(got.disagreements.map((d) => [d.recordId, d.questions])).toEqual(inGridOrder.map((r) => [r.id, expected.filter((q) => differing.get(r.id)!.includes(q.question)).map((q) => q.question)]));
  const first = got.disagreements[0];
  expect(first.reviews.map((v) => v.userId)).toEqual(reviews.filter((r) => r.recordId === first.recordId).map((r) => r.userId).sort());
  expect(first.settled).toBe(false);
});
