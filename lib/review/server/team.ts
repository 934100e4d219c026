import "server-only";
// Team review (issue 17, items 3-5): assignments with overlap, each person's own decision,
// agreement between them and the editor's settlement of disagreements. The record's own
// reviewState stays the final decision, written through decide() (decisions.ts) so it
// has the same history, undo and health tallies as any other decision:
//   - with one person assigned, their decision is the final one, as without assignments;
//   - with k ≥ 2, the final decision is theirs once all k decided the same, unreviewed
//     while they are not all done or disagree, and an editor's adjudication once settled
//     (a later change by a reviewer does not undo a settlement).
import type { RawPool } from "@/lib/db/copy/server/raw-pg";
import type { Db } from "@/lib/db/server/prisma";
import { forbidden } from "@/lib/auth/server/access";
import { DomainError, invalid, notFound } from "@/lib/errors/domain-error";
import { Prisma } from "@/lib/generated/prisma/client";
import type { RecordFilter } from "@/lib/records/filter";
import { recordFilterSql } from "@/lib/records/server/filter-sql";
import { agreedLabels, codedFigures, labelCategory, type AgreementFigures } from "../agreement";
import { shareCount, splitAssignments } from "../assignment";
import { labelProblem, readLabelSchema } from "../labels";
import type { Decision, LabelValues } from "../schemas";
import type { RowPatch } from "../types";
import { decide, setLabels } from "./decisions";
import { LOCAL_OWNER } from "@/lib/audit/events";
import { auditInsertSql } from "@/lib/audit/server/audit";

export type Person = { userId: string; name: string };
type Final = "accepted" | "rejected" | "unreviewed";
const DECISION_OF: Record<Final, Decision> = { accepted: "accept", rejected: "reject", unreviewed: "reset" };

/** Whether anyone is assigned in the dataset: then its annotators see and decide only their own records. */
export async function hasAssignments(db: Db, datasetId: string): Promise<boolean> {
  const [row] = await db.$queryRaw<{ any: boolean }[]>`select exists (select 1 from "Assignment" where "datasetId" = ${datasetId}::uuid) as any`;
  return row.any;
}

export type AssignInput = {
  datasetId: string;
  /** The grid's filter, or a share (percent) of the records not assigned yet, in grid order. */
  target: { filter: RecordFilter } | { percent: number };
  userIds: string[];
  overlap: number;
};
export type AssignResult = { records: number; assignments: number; alreadyAssigned: number };

/**
 * Splits the target's records that nobody is assigned to yet between the people chosen
 * (members of the dataset's project), k per record. Records already assigned are left as
 * they are and counted, so assigning twice never moves work someone has started.
 */
export async function assignRecords(db: Db, input: AssignInput, assignedBy: string): Promise<AssignResult> {
  const ds = await db.dataset.findUnique({ where: { id: input.datasetId }, select: { projectId: true } });
  if (!ds) throw notFound("The dataset");
  const members = await db.projectMember.findMany({ where: { projectId: ds.projectId, userId: { in: input.userIds } }, select: { userId: true } });
  const known = new Set(members.map((m) => m.userId));
  const strangers = input.userIds.filter((id) => !known.has(id));
  if (strangers.length) throw invalid("Someone chosen is not a member of this project; invite them first.");
  // Sorted by id: the same people in any order give the same split.
  const people = [...new Set(input.userIds)].sort();
  const where = "filter" in input.target ? recordFilterSql(input.datasetId, input.target.filter) : Prisma.sql`r."datasetId" = ${input.datasetId}::uuid`;
  const open = await db.$queryRaw<{ id: string; assigned: boolean }[]>`
    select r.id, exists (select 1 from "Assignment" a where a."recordId" = r.id) as assigned
    from "Record" r where ${where} and r.status = 'succeeded'
    order by r."createdAt", r.index, r.id`;
  let ids = open.filter((r) => !r.assigned).map((r) => r.id);
  if ("percent" in input.target) ids = ids.slice(0, shareCount(ids.length, input.target.percent));
  let pairs;
  try {
    pairs = splitAssignments(ids, people, input.overlap);
  } catch (e) {
    throw invalid((e as Error).message);
  }
  for (let i = 0; i < pairs.length; i += 20_000) {
    const chunk = pairs.slice(i, i + 20_000);
    await db.$executeRaw`
      insert into "Assignment" ("recordId", "userId", "datasetId", "assignedBy")
      select r, u, ${input.datasetId}::uuid, ${assignedBy}
      from unnest(${chunk.map((p) => p.recordId)}::uuid[], ${chunk.map((p) => p.userId)}::text[]) as t(r, u)
      on conflict do nothing`;
  }
  return { records: ids.length, assignments: pairs.length, alreadyAssigned: open.length - open.filter((r) => !r.assigned).length };
}

/** Takes every assignment in the dataset away (decisions people made stay). */
export async function clearAssignments(db: Db, datasetId: string): Promise<{ removed: number }> {
  const removed = await db.$executeRaw`delete from "Assignment" where "datasetId" = ${datasetId}::uuid`;
  return { removed };
}

/** `labels`: the person's own label values (their RecordReview), never the others' nor the record's. */
export type QueueItem = { recordId: string; index: number; decision: Final; final: Final; values: Record<string, unknown>; labels: Record<string, unknown> };
export type Queue = { items: QueueItem[]; decided: number; total: number };

/** A person's assigned records, the ones they have not decided first, each in grid order. */
export async function myQueue(db: Db, datasetId: string, userId: string, page: { offset: number; limit: number }): Promise<Queue> {
  const items = await db.$queryRaw<QueueItem[]>`
    select a."recordId", r.index, coalesce(v.decision::text, 'unreviewed') as decision, r."reviewState"::text as final, r.values,
      coalesce(v.labels, '{}'::jsonb) as labels
    from "Assignment" a
    join "Record" r on r.id = a."recordId"
    left join "RecordReview" v on v."recordId" = a."recordId" and v."userId" = a."userId"
    where a."datasetId" = ${datasetId}::uuid and a."userId" = ${userId}
    order by v.decision is not null, r."createdAt", r.index, r.id
    limit ${page.limit} offset ${page.offset}`;
  const [counts] = await db.$queryRaw<{ total: number; decided: number }[]>`
    select count(*)::int as total, count(v."recordId")::int as decided
    from "Assignment" a left join "RecordReview" v on v."recordId" = a."recordId" and v."userId" = a."userId"
    where a."datasetId" = ${datasetId}::uuid and a."userId" = ${userId}`;
  return { items, ...counts };
}

export type PersonProgress = { userId: string; name: string; email: string; assigned: number; decided: number };
export type TeamProgress = { people: PersonProgress[]; records: number; complete: number };

export type Member = { userId: string; name: string; email: string; role: string };

/** The people who can be assigned: the members of the dataset's project. */
export async function datasetMembers(db: Db, datasetId: string): Promise<Member[]> {
  return db.$queryRaw<Member[]>`
    select u.id as "userId", u.name, u.email, m.role from "Dataset" d
    join "ProjectMember" m on m."projectId" = d."projectId" join "user" u on u.id = m."userId"
    where d.id = ${datasetId}::uuid order by u.name, u.email`;
}

/** Per-person progress on a dataset, and how many assigned records all their people decided. */
export async function teamProgress(db: Db, datasetId: string): Promise<TeamProgress> {
  const people = await db.$queryRaw<PersonProgress[]>`
    select a."userId", u.name, u.email, count(*)::int as assigned, count(v."recordId")::int as decided
    from "Assignment" a
    join "user" u on u.id = a."userId"
    left join "RecordReview" v on v."recordId" = a."recordId" and v."userId" = a."userId"
    where a."datasetId" = ${datasetId}::uuid
    group by a."userId", u.name, u.email order by u.name, u.email`;
  const [counts] = await db.$queryRaw<{ records: number; complete: number }[]>`
    select count(*)::int as records, count(*) filter (where decided = assigned)::int as complete from (
      select a."recordId", count(*) as assigned, count(v."recordId") as decided
      from "Assignment" a left join "RecordReview" v on v."recordId" = a."recordId" and v."userId" = a."userId"
      where a."datasetId" = ${datasetId}::uuid group by a."recordId") x`;
  return { people, ...counts };
}

/** Whether `userId` is assigned `recordId`, and whether the record's dataset has assignments at all. */
async function assignmentOf(db: Db, recordId: string, userId: string | null) {
  const [row] = await db.$queryRaw<{ datasetId: string; index: number; any: boolean; mine: boolean }[]>`
    select r."datasetId", r.index,
      exists (select 1 from "Assignment" a where a."datasetId" = r."datasetId") as any,
      exists (select 1 from "Assignment" a where a."recordId" = r.id and a."userId" = ${userId ?? ""}) as mine
    from "Record" r where r.id = ${recordId}::uuid`;
  if (!row) throw notFound("The record");
  return row;
}

/**
 * The server's rule for annotators once a dataset has assignments: a record not assigned
 * to them is refused, for reading and writing alike. Editors and owners are not limited.
 */
export async function assertMayReview(db: Db, recordId: string, who: { userId: string | null; annotator: boolean }) {
  const a = await assignmentOf(db, recordId, who.userId);
  if (who.annotator && a.any && !a.mine) throw forbidden("This record is not assigned to you. Your queue has the records you review.");
  return a;
}

export type TeamDecideInput = { recordId: string; decision: Decision; labels?: Record<string, unknown> };

/**
 * One assigned person's decision: kept as their own row, then the record's final decision
 * follows from everyone's (see the top of this file). Returns the row with the final state.
 */
export async function decideAsAssignee(db: Db, input: TeamDecideInput, who: Person): Promise<RowPatch & { mine: Final }> {
  const a = await assignmentOf(db, input.recordId, who.userId);
  if (!a.mine) throw forbidden("This record is not assigned to you. Your queue has the records you review.");
  if (input.labels) {
    const ds = await db.dataset.findUnique({ where: { id: a.datasetId }, select: { labelSchema: true } });
    const problem = labelProblem(readLabelSchema(ds?.labelSchema), input.labels);
    if (problem) throw invalid(problem);
  }
  if (input.decision === "reset") {
    await db.$transaction([
      db.recordReview.deleteMany({ where: { recordId: input.recordId, userId: who.userId } }),
      db.$executeRaw(auditInsertSql(who, { action: "review.decide", datasetId: a.datasetId, target: `record #${a.index + 1}`, detail: { decision: "reset", recordId: input.recordId, assigned: true } })),
    ]);
  } else {
    const decision = input.decision === "accept" ? "accepted" : "rejected";
    const labels = (input.labels ?? undefined) as Prisma.InputJsonValue | undefined;
    await db.$transaction([
      db.recordReview.upsert({
        where: { recordId_userId: { recordId: input.recordId, userId: who.userId } },
        create: { recordId: input.recordId, userId: who.userId, datasetId: a.datasetId, decision, labels: labels ?? {} },
        update: { decision, at: new Date(), ...(labels ? { labels } : {}) },
      }),
      db.$executeRaw(auditInsertSql(who, { action: "review.decide", datasetId: a.datasetId, target: `record #${a.index + 1}`, detail: { decision: input.decision, recordId: input.recordId, assigned: true } })),
    ]);
  }
  const row = await settle(db, input.recordId);
  return { ...row, mine: input.decision === "accept" ? "accepted" : input.decision === "reject" ? "rejected" : "unreviewed" };
}

/**
 * Brings the record's final decision in line with its assigned people's decisions, unless an
 * editor settled it; once all of them decided, the label values they agree on go to the
 * record too (agreedLabels), so the grid and export read the team's labels.
 */
async function settle(db: Db, recordId: string, attempt = 0): Promise<RowPatch> {
  const [s] = await db.$queryRaw<{ final: Final; revision: number; assigned: number; decisions: string[]; labels: Record<string, unknown>[]; names: string[]; settled: boolean; schema: unknown; current: Record<string, unknown> }[]>`
    select r."reviewState"::text as final, r.revision, r.labels as current,
      (select count(*)::int from "Assignment" a where a."recordId" = r.id) as assigned,
      array(select v.decision::text from "Assignment" a join "RecordReview" v on v."recordId" = a."recordId" and v."userId" = a."userId"
        where a."recordId" = r.id order by a."userId") as decisions,
      array(select v.labels from "Assignment" a join "RecordReview" v on v."recordId" = a."recordId" and v."userId" = a."userId"
        where a."recordId" = r.id order by a."userId") as labels,
      array(select u.name from "Assignment" a join "user" u on u.id = a."userId" where a."recordId" = r.id order by u.name) as names,
      exists (select 1 from "Adjudication" j where j."recordId" = r.id) as settled,
      (select d."labelSchema" from "Dataset" d where d.id = r."datasetId") as schema
    from "Record" r where r.id = ${recordId}::uuid`;
  if (!s) throw notFound("The record");
  const complete = s.decisions.length === s.assigned;
  const agreed = complete && s.decisions.every((d) => d === s.decisions[0]);
  const want: Final = agreed ? (s.decisions[0] as Final) : "unreviewed";
  if (s.settled) return currentPatch(db, recordId);
  const reviewer = s.names.join(", ").slice(0, 60);
  try {
    // Not audited again (`false`): the assigned person's decision that led here was.
    let revision = s.revision;
    if (want !== s.final) revision = (await decide(db, { recordId, revision, reviewer, decision: DECISION_OF[want] }, undefined, false)).revision;
    const questions = readLabelSchema(s.schema).labels.map((l) => l.name);
    const labels = complete ? agreedLabels(questions, s.labels) : {};
    const changed = Object.entries(labels).some(([q, v]) => labelCategory(v) !== labelCategory(s.current[q]));
    if (changed) return await setLabels(db, { recordId, revision, reviewer, labels: { ...s.current, ...labels } as LabelValues }, undefined, false);
  } catch (e) {
    // Someone else's write landed between the read and this one: read again once.
    if (attempt === 0 && e instanceof DomainError && e.code === "conflict") return settle(db, recordId, 1);
    throw e;
  }
  return currentPatch(db, recordId);
}

async function currentPatch(db: Db, recordId: string): Promise<RowPatch> {
  const r = await db.record.findUniqueOrThrow({ where: { id: recordId }, select: { id: true, reviewState: true, labels: true, reviewedBy: true, reviewedAt: true, revision: true } });
  return { ...r, labels: r.labels as RowPatch["labels"], reviewedAt: r.reviewedAt?.toISOString() ?? null };
}

export type QuestionAgreement = { question: string; figures: AgreementFigures };
export type TeamAgreement = {
  people: Record<string, string>;
  questions: QuestionAgreement[];
  /** Records with any disagreement; `disagreements` lists the first `shown` of them in grid order. */
  disagreementCount: number;
  disagreements: DisagreementRow[];
};
export type DisagreementRow = { recordId: string; index: number; questions: string[]; reviews: { userId: string; decision: string; labels: unknown }[]; settled: boolean };

export const DECISION_QUESTION = "Accept / reject";
export const DISAGREEMENTS_SHOWN = 5000;

/**
 * Agreement over every record with at least two people's decisions: for accept/reject
 * and for each single, multi and rating label (notes are free text, not categories).
 */
export async function teamAgreement(db: Db, pool: RawPool, datasetId: string, shown = DISAGREEMENTS_SHOWN): Promise<TeamAgreement> {
  type Row = [recordId: string, userId: string, decision: string, ...labels: (string | null)[]];
  const ds = await db.dataset.findUnique({ where: { id: datasetId }, select: { labelSchema: true } });
  if (!ds) throw notFound("The dataset");
  const questions = readLabelSchema(ds.labelSchema).labels.filter((l) => l.kind !== "note").map((l) => l.name);
  // Label values are read as text (->>), so no labels are parsed as JSON; a multi choice
  // comes as its JSON array text and labelCategory sorts it. Records one person decided
  // are read too and left out by codedFigures (nothing to compare). (One row of parallel
  // arrays instead was 5-8x slower: Prisma parses a 200,000-element array slowly; plain pg
  // with array rows is the fastest read. Grouping the pairs in PostgreSQL instead, by
  // record then by pair of people and values, took about three times this read: see bench
  // team agreement_100k_ms.)
  const labelCols = questions.map((_, i) => `, v.labels->>$${i + 2}::text`).join("");
  const { rows } = await pool.query<Row>({
    text: `select v."recordId", v."userId", v.decision::text${labelCols} from "RecordReview" v where v."datasetId" = $1::uuid`,
    values: [datasetId, ...questions],
    rowMode: "array",
  });
  // Records and people numbered once, for every question: a number keys a Map far faster
  // than a uuid, and the answers go to codedFigures as typed arrays.
  const n = rows.length;
  const records = new Map<string, number>();
  const people = new Map<string, number>();
  const unit = new Int32Array(n);
  const coder = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const [r, u] = rows[i];
    let k = records.get(r);
    if (k === undefined) records.set(r, (k = records.size));
    unit[i] = k;
    let c = people.get(u);
    if (c === undefined) people.set(u, (c = people.size));
    coder[i] = c;
  }
  const ask = (column: number, category: (text: string) => string | null) => {
    // Category per distinct text, not per answer: a handful of texts among 200,000 answers.
    const byText = new Map<string | null, number>([[null, -1]]);
    const categories = new Map<string, number>();
    const value = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const text = rows[i][column] ?? null;
      let v = byText.get(text);
      if (v === undefined) {
        const c = category(text!);
        v = c === null ? -1 : categories.get(c);
        if (v === undefined) categories.set(c!, (v = categories.size));
        byText.set(text, v);
      }
      value[i] = v;
    }
    return codedFigures({ unit, coder, value, units: records.size, coders: [...people.keys()], categories: categories.size });
  };
  const labelAnswer = (text: string) => (text.startsWith("[") ? labelCategory(JSON.parse(text)) : labelCategory(text));
  const asked = [{ question: DECISION_QUESTION, ...ask(2, (t) => t) }, ...questions.map((q, k) => ({ question: q, ...ask(3 + k, labelAnswer) }))];

  const anyDiffer = new Uint8Array(records.size);
  for (const q of asked) for (let u = 0; u < anyDiffer.length; u++) anyDiffer[u] |= q.differ[u];
  const differing: string[] = [];
  let unitNo = 0;
  for (const id of records.keys()) if (anyDiffer[unitNo++] === 1) differing.push(id);
  const questionsOf = (recordId: string) => {
    const u = records.get(recordId)!;
    return asked.filter((q) => q.differ[u] === 1).map((q) => q.question);
  };
  const names = Object.fromEntries((await db.user.findMany({ where: { id: { in: [...people.keys()] } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  // People in the order of their names on the page ("Ann × Ben"), ids breaking ties.
  const byName = (x: string, y: string) => (names[x] ?? x).localeCompare(names[y] ?? y) || (x < y ? -1 : x > y ? 1 : 0);
  const named = ({ coders, matrix, ...f }: AgreementFigures): AgreementFigures => ({
    ...f,
    coders: [...coders].sort(byName),
    matrix: matrix.map((m) => (byName(m.a, m.b) <= 0 ? m : { ...m, a: m.b, b: m.a })).sort((p, q) => byName(p.a, q.a) || byName(p.b, q.b)),
  });
  return {
    people: names,
    questions: asked.map(({ question, differ: _, ...figures }) => ({ question, figures: named(figures) })),
    disagreementCount: differing.length,
    disagreements: (await disagreementRows(pool, datasetId, differing, shown)).map((r) => ({ ...r, questions: questionsOf(r.recordId) })),
  };
}

/** The first `shown` of the records people disagree on, in grid order, with each person's answer and whether an editor settled it. */
async function disagreementRows(pool: RawPool, datasetId: string, differing: string[], shown: number): Promise<Omit<DisagreementRow, "questions">[]> {
  if (differing.length === 0) return [];
  // Walks the dataset's grid-order index and stops at the `shown`-th record that differs
  // (80 ms for 5,000 of 55,000 here); by id alone, PostgreSQL looked up all 55,000 and
  // sorted them (1.7 s under load).
  const { rows } = await pool.query<Omit<DisagreementRow, "questions" | "reviews">>({
    text: `select r.id as "recordId", r.index, exists (select 1 from "Adjudication" j where j."recordId" = r.id) as settled
      from (select id, index, "createdAt" from "Record" where "datasetId" = $3::uuid and id = any($1::uuid[]) order by "createdAt", index, id limit $2) r
      order by r."createdAt", r.index, r.id`,
    values: [differing, shown, datasetId],
  });
  // The listed records' reviews as plain rows in a second query: a jsonb_agg per record in
  // the first one took 330 ms against these two queries' 200 ms for 5,000 of 55,000 (bench
  // team agreement_100k_ms).
  const { rows: reviews } = await pool.query<{ recordId: string; userId: string; decision: string; labels: unknown }>({
    text: `select "recordId", "userId", decision::text, labels from "RecordReview" where "recordId" = any($1::uuid[]) order by "userId"`,
    values: [rows.map((r) => r.recordId)],
  });
  const byRecord = new Map(rows.map((r) => [r.recordId, { ...r, reviews: [] as DisagreementRow["reviews"] }]));
  for (const { recordId, ...review } of reviews) byRecord.get(recordId)?.reviews.push(review);
  return [...byRecord.values()];
}

/** `labels`: the settled values of the label questions people disagreed on; they go to the record with the decision. */
export type AdjudicateInput = { recordId: string; decision: "accept" | "reject"; reason: string; labels?: LabelValues };

/**
 * An editor settles a record: the final decision goes to the record (export and the grid
 * read it) through decide(), and the settlement, who and why, to Adjudication.
 */
export async function adjudicate(db: Db, input: AdjudicateInput, who: { userId: string | null; name: string }): Promise<RowPatch> {
  const rec = await db.record.findUnique({ where: { id: input.recordId }, select: { datasetId: true, revision: true, labels: true, dataset: { select: { labelSchema: true } } } });
  if (!rec) throw notFound("The record");
  const problem = input.labels && labelProblem(readLabelSchema(rec.dataset.labelSchema), input.labels);
  if (problem) throw invalid(problem);
  const decision = input.decision === "accept" ? "accepted" : "rejected";
  // The settlement first, so a reviewer's decision landing meanwhile (settle()) sees it and
  // leaves the final decision alone; put back as it was if the decision cannot be written.
  const before = await db.adjudication.findUnique({ where: { recordId: input.recordId } });
  await db.adjudication.upsert({
    where: { recordId: input.recordId },
    create: { recordId: input.recordId, datasetId: rec.datasetId, userId: who.userId, reviewer: who.name, decision, reason: input.reason },
    update: { userId: who.userId, reviewer: who.name, decision, reason: input.reason, at: new Date() },
  });
  let row: RowPatch;
  try {
    // Audited as the settlement, in the statement that writes the decision.
    row = await decide(db, { recordId: input.recordId, revision: rec.revision, reviewer: who.name.slice(0, 60), decision: input.decision }, who.userId ? { userId: who.userId, name: who.name } : LOCAL_OWNER, {
      action: "review.adjudicate",
      detail: { reason: input.reason },
    });
  } catch (e) {
    if (before) await db.adjudication.update({ where: { recordId: input.recordId }, data: before });
    else await db.adjudication.deleteMany({ where: { recordId: input.recordId } });
    throw e;
  }
  if (input.labels && Object.keys(input.labels).length > 0) {
    const labels = { ...(rec.labels as Record<string, unknown>), ...input.labels } as LabelValues;
    row = await setLabels(db, { recordId: input.recordId, revision: row.revision, reviewer: who.name.slice(0, 60), labels });
  }
  return row;
}

/** How a record was settled, for the detail panel and the disagreement list. */
export function adjudicationOf(db: Db, recordId: string) {
  return db.adjudication.findUnique({ where: { recordId } });
}
