// Test fixture: seeds a dataset with many realistic records straight in SQL (no generation), for the
// review benchmarks, the review service tests and the review browser tests. Plain `pg`
// only, so a Playwright spec can use it as well as a server-side test.
//
// Each record looks like a generated one: values of about 1 KB (two sampled categories, a
// number, a question and an answer written by "the model") and provenance with the
// rendered messages (system prompt, one few-shot turn, prompt), model, params, tokens,
// cost and latency of the LLM field: about 2.5 KB in all, as records of the starters are.
import pg from "pg";
import { TALLY_INSERTED, TALLY_RETURNING, tallyUpsert } from "@/lib/quality/health/server/tally-sql";

export const SEED_FIELDS = ["topic", "difficulty", "n", "question", "answer"] as const;
export const SEED_TOPICS = ["algebra", "biology", "chemistry", "geography", "history", "music", "physics", "poetry"] as const;
export const SEED_DIFFICULTIES = ["easy", "medium", "hard"] as const;

const WORDS =
  "the of river bright quiet sample model answer careful student teacher lamp window garden number simple planet ocean mountain forest " +
  "reason method result because between measure example pattern signal winter summer village market letter silver copper engine motion";

// What the answer field's messages look like in a real run: a system prompt and a
// few-shot turn before the prompt. Real provenance is usually larger than the values.
const SYSTEM =
  "You are a patient teacher who writes short, accurate answers for students. Answer in plain English, " +
  "one paragraph, no lists, no headings. If the question is ambiguous, answer the most common reading. " +
  "Never mention that you are a model. Match the difficulty: easy answers use everyday words, hard answers may use the field's terms.";
const EXAMPLE_Q = "Answer this easy question about biology in one paragraph. Q: Why do leaves change colour in autumn?";
const EXAMPLE_A =
  "In autumn the days get shorter and colder, so the tree stops making chlorophyll, the green pigment it uses to turn light into food. " +
  "As the green fades, yellow and orange pigments that were there all along become visible, and some trees also make red pigments " +
  "from the sugars trapped in their leaves. Then the tree seals off each leaf, and it falls.";

/** The blueprint of the seeded records, so the grid shows their fields in this order. */
export const SEED_BLUEPRINT = {
  fields: [
    { id: "f1", kind: "category", name: "topic", options: SEED_TOPICS.map((value) => ({ value, weight: 1 })) },
    { id: "f2", kind: "category", name: "difficulty", options: SEED_DIFFICULTIES.map((value) => ({ value, weight: 1 })) },
    { id: "f3", kind: "number", name: "n", min: 0, max: 999, integer: true },
    { id: "f4", kind: "expression", name: "question", template: "Explain {{ topic }} ({{ difficulty }})." },
    { id: "f5", kind: "expression", name: "answer", template: "{{ question }}" },
  ],
};

export type SeededDataset = { projectId: string; datasetId: string; runIds: string[] };

type Queryable = Pick<pg.Client, "query">;

/** Creates a project, a dataset with SEED_BLUEPRINT, one frozen version and `runs` completed runs. */
export async function createSeedDataset(c: Queryable, name: string, runs = 1): Promise<SeededDataset> {
  const { rows: p } = await c.query<{ id: string }>(
    `insert into "Project" (id, name, "updatedAt") values (gen_random_uuid(), $1, now()) returning id`,
    [name],
  );
  const { rows: d } = await c.query<{ id: string }>(
    `insert into "Dataset" (id, "projectId", name, draft, "updatedAt") values (gen_random_uuid(), $1, $2, $3, now()) returning id`,
    [p[0].id, name, JSON.stringify(SEED_BLUEPRINT)],
  );
  const { rows: v } = await c.query<{ id: string }>(
    `insert into "BlueprintVersion" (id, "datasetId", version, blueprint, hash) values (gen_random_uuid(), $1, 1, $2, 'seed') returning id`,
    [d[0].id, JSON.stringify(SEED_BLUEPRINT)],
  );
  const runIds: string[] = [];
  for (let i = 0; i < runs; i++) {
    const { rows: r } = await c.query<{ id: string }>(
      `insert into "Run" (id, "datasetId", "blueprintVersionId", status, requested, seed, settings, "createdAt")
       values (gen_random_uuid(), $1, $2, 'completed', 0, $3::int, '{}', now() + make_interval(secs => $3::int)) returning id`,
      [d[0].id, v[0].id, i],
    );
    runIds.push(r[0].id);
  }
  return { projectId: p[0].id, datasetId: d[0].id, runIds };
}

/**
 * Inserts `count` records into the run, numbered from `startIndex`, in one statement.
 * Deterministic by index: topic = TOPICS[i % 8], difficulty = DIFFICULTIES[i % 3],
 * n = i % 1000; every 50th record failed. 100,000 records take a few seconds.
 */
export async function seedRecords(c: Queryable, ds: { datasetId: string; runId: string | null }, count: number, startIndex = 0) {
  await c.query(
    `with words as (select string_to_array($5::text, ' ') as w),
     base as (
       select i,
         ($6::text[])[1 + i % 8] as topic,
         ($7::text[])[1 + i % 3] as difficulty,
         (select string_agg(w[1 + ((i * 7919 + j * 104729) % 40)], ' ') from words, generate_series(1, 24) j) as q,
         (select string_agg(w[1 + ((i * 31 + j * 7) % 40)], ' ') from words, generate_series(1, 110) j) as a
       from generate_series($3::int, $3::int + $4::int - 1) i
     ),
     ins as (insert into "Record" (id, "datasetId", "runId", index, source, status, values, "nonTextFields", provenance, error, attempts, "tokensIn", "tokensOut", "costUsd", "latencyMs", "createdAt", "updatedAt")
     select gen_random_uuid(), $1::uuid, $2::uuid, i, case when $2::uuid is null then 'imported' else 'generated' end,
       (case when i % 50 = 49 then 'failed' else 'succeeded' end)::"RecordStatus",
       jsonb_build_object('topic', topic, 'difficulty', difficulty, 'n', i % 1000,
         'question', 'Q' || i || ': ' || q || '?', 'answer', 'Record ' || i || ' says ' || a || '.'),
       '{n}', -- as a run writes it (lib/records/values.ts): n is the one value that is not a string
       jsonb_build_object('blueprintVersion', 1,
         'sampled', jsonb_build_object('topic', topic, 'difficulty', difficulty, 'n', i % 1000),
         'llm', jsonb_build_object('answer', jsonb_build_object(
           'model', 'fake-small', 'params', jsonb_build_object('temperature', 0.7),
           'messages', jsonb_build_array(
             jsonb_build_object('role', 'system', 'content', $8::text),
             jsonb_build_object('role', 'user', 'content', $9::text),
             jsonb_build_object('role', 'assistant', 'content', $10::text),
             jsonb_build_object('role', 'user', 'content', 'Answer this ' || difficulty || ' question about ' || topic || ' in one paragraph. Q' || i || ': ' || q || '?')),
           'tokensIn', 40 + i % 17, 'tokensOut', 150 + i % 61, 'costUsd', (190 + i % 78) * 0.000001,
           'latencyMs', 200 + i % 300, 'attempts', 1, 'reasks', 0, 'cached', false))),
       case when i % 50 = 49 then 'answer: the model timed out' else null end,
       1, 40 + i % 17, 150 + i % 61, (190 + i % 78) * 0.000001, 200 + i % 300,
       -- Written in batches of 500, as the run writer does: ties on createdAt are normal.
       now() + make_interval(secs => (i / 500)::int), now()
     from base
     returning ${TALLY_INSERTED}
     ), tally as (${tallyUpsert("ins", true)})
     select count(*) from ins`,
    [ds.datasetId, ds.runId, startIndex, count, WORDS, SEED_TOPICS, SEED_DIFFICULTIES, SYSTEM, EXAMPLE_Q, EXAMPLE_A],
  );
}

/** Standalone: `node --import tsx lib/testing/seed-records.ts <DATABASE_URL> [count]`. */
if (import.meta.url === `file://${process.argv[1]}`) {
  const [url, n = "100000"] = process.argv.slice(2);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const ds = await createSeedDataset(c, `Seeded ${new Date().toISOString()}`);
  const t = performance.now();
  await seedRecords(c, { datasetId: ds.datasetId, runId: ds.runIds[0] }, Number(n));
  console.log(JSON.stringify({ ...ds, count: Number(n), ms: Math.round(performance.now() - t) }));
  await c.end();
}

/**
 * A reviewed dataset, by record number: 30 % accepted, 10 % rejected (reviewer "seed"), and
 * with `labelled`, every 7th labelled quality = good. Written with the tally change in the
 * same statement, as the studio's own writes are (lib/quality/health/server/tally-sql.ts):
 * the grid's review progress reads the tallies.
 */
export async function reviewSeeded(c: Queryable, datasetId: string, labelled = false) {
  await c.query(
    `with upd as (
       update "Record" set "reviewState" = (case when index % 10 < 3 then 'accepted' when index % 10 = 3 then 'rejected' else 'unreviewed' end)::"ReviewState",
         "reviewedBy" = case when index % 10 < 4 then 'seed' end, "reviewedAt" = case when index % 10 < 4 then now() end${labelled ? `,
         labels = case when index % 7 = 0 then '{"quality":"good"}'::jsonb else '{}' end` : ""}
       where "datasetId" = $1
       returning ${TALLY_RETURNING}
     ), tally as (${tallyUpsert("upd")})
     select count(*) from upd`,
    [datasetId],
  );
}
