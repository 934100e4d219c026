// Team review through the real actions, as signed-in people (issue 17, items 3-5):
// assignment and completion with overlap 2, annotators held to their own records,
// agreement and adjudication, and export reading the settled decision.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRawPool } from "@/lib/db/copy/server/raw-pg";
import { ExportRequest } from "@/lib/export/schemas";
import { previewExport } from "@/lib/export/server/preview";
import { GET as readGrid } from "@/app/datasets/[datasetId]/records/data/route";
import { cookieHeader, PASSWORD, teamStudio, type Studio } from "@/lib/testing/accounts";
import { signIn } from "@/lib/auth/server/accounts";
import { createSeedDataset, seedRecords } from "@/lib/testing/seed-records";
import { adjudicateAction, assignAction, decideAction, decideAsAssigneeAction, myQueueAction, setLabelsAction, teamAgreementAction, teamProgressAction } from "../actions";
import { DECISION_QUESTION } from "./team";

const studio = teamStudio();
let s: Studio;
let bea: { userId: string; cookie: string };
const pool = () => createRawPool(process.env.DATABASE_URL!, 2);

type Result<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
const ok = <T,>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data;
};

beforeAll(async () => {
  s = studio();
  // A second annotator, Bea, in the same project.
  const ctx = await s.auth.$context;
  const user = await ctx.internalAdapter.createUser({ name: "Bea", email: "bea@example.com" }, { method: "admin" });
  await ctx.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: await ctx.password.hash(PASSWORD) });
  await s.db.projectMember.create({ data: { projectId: s.projectId, userId: user.id, role: "annotator" } });
  bea = { userId: user.id, cookie: cookieHeader((await signIn(s.db, s.auth, { email: "bea@example.com", password: PASSWORD }, "10.0.0.77")).setCookie) };
});

/** A dataset of `n` records in the studio's project (seeded, then moved there). */
async function dataset(n: number) {
  const q = { query: async (text: string, values?: unknown[]) => ({ rows: await s.db.$queryRawUnsafe<never[]>(text, ...(values ?? [])) }) };
  const ds = await createSeedDataset(q as never, `Team ${crypto.randomUUID().slice(0, 8)}`);
  await seedRecords(q as never, { datasetId: ds.datasetId, runId: ds.runIds[0] }, n);
  await s.db.dataset.update({ where: { id: ds.datasetId }, data: { projectId: s.projectId, labelSchema: { labels: [{ name: "quality", kind: "single", options: ["good", "bad"] }] } } });
  const records = await s.db.record.findMany({ where: { datasetId: ds.datasetId }, orderBy: { index: "asc" }, select: { id: true, revision: true } });
  return { datasetId: ds.datasetId, records };
}

const asBea = <T,>(fn: () => Promise<T>) => s.asCookie(bea.cookie, fn);
const decideAs = (who: "annotator" | "bea", recordId: string, decision: "accept" | "reject", revision = 0) =>
  (who === "bea" ? asBea : (fn: () => Promise<unknown>) => s.as("annotator", fn))(() => decideAction({ recordId, revision, reviewer: "x", decision })) as Promise<Result<{ reviewState: string }>>;
const finalState = async (id: string) => (await s.db.record.findUniqueOrThrow({ where: { id } })).reviewState;

describe("assignment with overlap 2", () => {
  it("gives both people every record, and a record is complete (and final) when both decided alike", async () => {
    const { datasetId, records } = await dataset(6);
    const assigned = ok(await s.as("editor", () => assignAction({ datasetId, target: { percent: 100 }, userIds: [s.userId.annotator, bea.userId], overlap: 2 })));
    expect(assigned).toEqual({ records: 6, assignments: 12, alreadyAssigned: 0 });
    // Assigning again moves nothing.
    expect(ok(await s.as("editor", () => assignAction({ datasetId, target: { percent: 100 }, userIds: [s.userId.annotator, bea.userId], overlap: 2 })))).toMatchObject({ records: 0, alreadyAssigned: 6 });

    const [r0, r1, r2] = records;
    ok(await decideAs("annotator", r0.id, "accept"));
    // One of two decided: not complete, so the final decision waits.
    expect(await finalState(r0.id)).toBe("unreviewed");
    let queue = ok(await s.as("annotator", () => myQueueAction({ datasetId })));
    expect(queue).toMatchObject({ total: 6, decided: 1 });
    expect(queue.items.at(-1)).toMatchObject({ recordId: r0.id, decision: "accepted" }); // undecided first
    ok(await decideAs("bea", r0.id, "accept"));
    expect(await finalState(r0.id)).toBe("accepted");
    // Disagreement: complete, but no final decision until someone settles it.
    ok(await decideAs("annotator", r1.id, "accept"));
    ok(await decideAs("bea", r1.id, "reject"));
    expect(await finalState(r1.id)).toBe("unreviewed");
    ok(await decideAs("annotator", r2.id, "reject"));
    ok(await decideAs("bea", r2.id, "reject"));

    const progress = ok(await s.as("editor", () => teamProgressAction({ datasetId })));
    expect(progress).toMatchObject({ records: 6, complete: 3 });
    expect(progress.people.map((p) => [p.name, p.assigned, p.decided]).sort()).toEqual([["Bea", 6, 3], ["annotator", 6, 3]]);
    queue = ok(await asBea(() => myQueueAction({ datasetId })));
    expect(queue).toMatchObject({ total: 6, decided: 3 });

    const agreement = ok(await s.as("editor", () => teamAgreementAction({ datasetId })));
    const decisions = agreement.questions.find((q) => q.question === DECISION_QUESTION)!.figures;
    // 3 records, 2 agree. Annotator accepts 2 of 3, Bea 1 of 3: pe = (2·1 + 1·2)/9 = 4/9,
    // po = 2/3, kappa = (2/3 - 4/9) / (5/9) = 0.4.
    expect(decisions).toMatchObject({ units: 3, percent: 2 / 3 });
    expect(decisions.kappa).toBeCloseTo(0.4, 10);
    expect(agreement.disagreements.map((d) => [d.recordId, d.questions, d.settled])).toEqual([[r1.id, [DECISION_QUESTION], false]]);
  });

  it("an annotator cannot decide, label or read a record not assigned to them", async () => {
    const { datasetId, records } = await dataset(4);
    ok(await s.as("editor", () => assignAction({ datasetId, target: { percent: 100 }, userIds: [s.userId.annotator, bea.userId], overlap: 1 })));
    const mine = await s.db.assignment.findMany({ where: { datasetId, userId: s.userId.annotator }, select: { recordId: true } });
    const theirs = records.find((r) => !mine.some((m) => m.recordId === r.id))!;
    expect(mine).toHaveLength(2);
    for (const attempt of [
      () => decideAction({ recordId: theirs.id, revision: 0, reviewer: "x", decision: "accept" }),
      () => decideAsAssigneeAction({ recordId: theirs.id, decision: "accept" }),
      () => setLabelsAction({ recordId: theirs.id, revision: 0, reviewer: "x", labels: { quality: "good" } }),
    ]) {
      const r = (await s.as("annotator", attempt)) as Result<unknown>;
      expect(r.ok ? "ok" : r.error.code).toBe("forbidden");
    }
    expect(await finalState(theirs.id)).toBe("unreviewed");
    const read = (q: unknown) =>
      s.as("annotator", () =>
        readGrid(new Request(`http://127.0.0.1:3000/x?q=${encodeURIComponent(JSON.stringify(q))}`, { headers: { host: "127.0.0.1:3000", cookie: s.cookie.annotator } }), { params: Promise.resolve({ datasetId }) }),
      );
    expect((await read({ kind: "row", recordId: theirs.id })).status).toBe(403);
    expect((await read({ kind: "row", recordId: mine[0].recordId })).status).toBe(200);
    expect((await read({ kind: "page", filter: {}, sort: { by: "position", dir: "asc" }, offset: 0, limit: 100 })).status).toBe(403);
    // With overlap 1 a person's decision is the final one, as without assignments.
    ok(await decideAs("annotator", mine[0].recordId, "reject"));
    expect(await finalState(mine[0].recordId)).toBe("rejected");
    // An editor is not held to assignments.
    ok((await s.as("editor", () => decideAction({ recordId: theirs.id, revision: 0, reviewer: "Ed", decision: "accept" }))) as Result<unknown>);
    expect(await finalState(theirs.id)).toBe("accepted");
  });
});

describe("adjudication", () => {
  let exportPool: ReturnType<typeof pool>;
  beforeAll(() => void (exportPool = pool()));
  afterAll(() => exportPool?.end());

  it("sets the final decision with who and why, keeps it when a reviewer changes their mind, and export reads it", async () => {
    const { datasetId, records } = await dataset(3);
    ok(await s.as("editor", () => assignAction({ datasetId, target: { filter: {} }, userIds: [s.userId.annotator, bea.userId], overlap: 2 })));
    const r = records[1];
    ok(await decideAs("annotator", r.id, "accept"));
    ok(await decideAs("bea", r.id, "reject"));
    const accepted = ExportRequest.parse({ format: "jsonl", fields: ["question"], filter: { reviewState: ["accepted"] } });
    expect((await previewExport(s.db, exportPool, datasetId, accepted)).total).toBe(0);

    const refused = (await s.as("annotator", () => adjudicateAction({ recordId: r.id, decision: "accept", reason: "x" }))) as Result<unknown>;
    expect(refused.ok ? "ok" : refused.error.code).toBe("forbidden");
    const noReason = (await s.as("editor", () => adjudicateAction({ recordId: r.id, decision: "accept", reason: "  " }))) as Result<unknown>;
    expect(noReason.ok ? "ok" : noReason.error.code).toBe("invalid_input");

    ok(await s.as("editor", () => adjudicateAction({ recordId: r.id, decision: "accept", reason: "The answer is right; Bea misread the unit." })));
    const rec = await s.db.record.findUniqueOrThrow({ where: { id: r.id }, include: { adjudication: true } });
    expect(rec).toMatchObject({ reviewState: "accepted", reviewedBy: "editor", adjudication: { decision: "accepted", userId: s.userId.editor, reviewer: "editor", reason: "The answer is right; Bea misread the unit." } });
    // Bea changes her mind afterwards: the settlement stands.
    ok(await decideAs("bea", r.id, "accept"));
    ok(await decideAs("bea", r.id, "reject"));
    expect(await finalState(r.id)).toBe("accepted");

    const preview = await previewExport(s.db, exportPool, datasetId, accepted);
    expect(preview.total).toBe(1);
    const question = ((await s.db.record.findUniqueOrThrow({ where: { id: r.id } })).values as { question: string }).question;
    expect(JSON.parse(preview.text!.trim())).toEqual({ question });
    const agreement = ok(await s.as("owner", () => teamAgreementAction({ datasetId })));
    expect(agreement.disagreements.map((d) => [d.recordId, d.settled])).toEqual([[r.id, true]]);
  });
});

describe("per-person labels (issue 17, item 3)", () => {
  const decideWith = (who: "annotator" | "bea", recordId: string, decision: "accept" | "reject", labels: Record<string, string>) =>
    (who === "bea" ? asBea : (fn: () => Promise<unknown>) => s.as("annotator", fn))(() => decideAsAssigneeAction({ recordId, decision, labels })) as Promise<Result<unknown>>;

  it("keeps each person's label values as their own, shows each only theirs, and puts the agreed or settled values on the record", async () => {
    const { datasetId, records } = await dataset(3);
    ok(await s.as("editor", () => assignAction({ datasetId, target: { percent: 100 }, userIds: [s.userId.annotator, bea.userId], overlap: 2 })));
    const [r0, r1, r2] = records;

    ok(await decideWith("annotator", r0.id, "accept", { quality: "good" }));
    // Bea's queue holds nothing of the annotator's, and the record has no labels while she has not decided.
    const beaBefore = ok(await asBea(() => myQueueAction({ datasetId })));
    expect(beaBefore.items.find((x) => x.recordId === r0.id)).toMatchObject({ decision: "unreviewed", labels: {} });
    expect((await s.db.record.findUniqueOrThrow({ where: { id: r0.id } })).labels).toEqual({});

    ok(await decideWith("bea", r0.id, "accept", { quality: "bad" }));
    ok(await decideWith("annotator", r1.id, "accept", { quality: "good" }));
    ok(await decideWith("bea", r1.id, "accept", { quality: "good" }));
    ok(await decideWith("annotator", r2.id, "reject", { quality: "bad" }));
    ok(await decideWith("bea", r2.id, "reject", { quality: "bad" }));

    const mine = ok(await s.as("annotator", () => myQueueAction({ datasetId })));
    const hers = ok(await asBea(() => myQueueAction({ datasetId })));
    expect(mine.items.find((x) => x.recordId === r0.id)!.labels).toEqual({ quality: "good" });
    expect(hers.items.find((x) => x.recordId === r0.id)!.labels).toEqual({ quality: "bad" });

    // Agreed values go to the record once both decided; the disagreement stays off it.
    const labelsOf = async (id: string) => (await s.db.record.findUniqueOrThrow({ where: { id } })).labels;
    expect(await labelsOf(r1.id)).toEqual({ quality: "good" });
    expect(await labelsOf(r2.id)).toEqual({ quality: "bad" });
    expect(await labelsOf(r0.id)).toEqual({});

    // Agreement on the label question: 3 records, they agree on 2.
    const agreement = ok(await s.as("editor", () => teamAgreementAction({ datasetId })));
    expect(agreement.questions.find((q) => q.question === "quality")!.figures).toMatchObject({ units: 3, percent: 2 / 3 });
    expect(agreement.disagreements.filter((d) => d.questions.includes("quality")).map((d) => d.recordId)).toEqual([r0.id]);

    // A value outside the schema is refused, not stored.
    const wrong = await decideWith("bea", r0.id, "accept", { quality: "great" });
    expect(wrong.ok ? "ok" : (wrong as { error: { code: string } }).error.code).toBe("invalid_input");

    // The editor settles r0 with its label: it goes to the record with the decision.
    ok(await s.as("editor", () => adjudicateAction({ recordId: r0.id, decision: "accept", reason: "Clear and correct.", labels: { quality: "good" } })));
    expect(await s.db.record.findUniqueOrThrow({ where: { id: r0.id } })).toMatchObject({ reviewState: "accepted", labels: { quality: "good" } });
  });
});
