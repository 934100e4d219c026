import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import pg from "pg";

// Records are seeded straight into PostgreSQL (as a finished run would leave them), so
// this journey is about exporting and importing, not generating.
async function seedDataset(name: string) {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    const blueprint = {
      fields: [
        { id: "f1", kind: "category", name: "topic", options: [{ value: "billing", weight: 1 }] },
        { id: "f2", kind: "expression", name: "question", template: "A question about {{ topic }}" },
        { id: "f3", kind: "expression", name: "answer", template: "An answer" },
      ],
    };
    const { rows: p } = await c.query(`insert into "Project" (id, name, "updatedAt") values (gen_random_uuid(), $1, now()) returning id`, [name]);
    const { rows: d } = await c.query(`insert into "Dataset" (id, "projectId", name, draft, "updatedAt") values (gen_random_uuid(), $1, $2, $3, now()) returning id`, [p[0].id, name, JSON.stringify(blueprint)]);
    const { rows: v } = await c.query(`insert into "BlueprintVersion" (id, "datasetId", version, blueprint, hash) values (gen_random_uuid(), $1, 1, $2, 'e2e') returning id`, [d[0].id, JSON.stringify(blueprint)]);
    const { rows: r } = await c.query(`insert into "Run" (id, "datasetId", "blueprintVersionId", status, requested, seed, settings, succeeded) values (gen_random_uuid(), $1, $2, 'completed', 15, 1, '{}', 15) returning id`, [d[0].id, v[0].id]);
    // 12 accepted, 3 left unreviewed: the default export takes the accepted ones only.
    await c.query(
      `insert into "Record" (id, "datasetId", "runId", index, status, values, provenance, "reviewState", "updatedAt")
       select gen_random_uuid(), $1, $2, i, 'succeeded',
         jsonb_build_object('topic', 'billing', 'question', 'Question ' || i || ': why was I charged twice?', 'answer', 'Answer ' || i || E':\\nwe refunded the "duplicate".'),
         jsonb_build_object('blueprintVersion', 1, 'llm', '{}'::jsonb),
         (case when i < 12 then 'accepted' else 'unreviewed' end)::"ReviewState", now()
       from generate_series(0, 14) i`,
      [d[0].id, r[0].id],
    );
    return d[0].id as string;
  } finally {
    await c.end();
  }
}

test("CSV for Excel: the box adds a byte-order mark to the downloaded file", async ({ page }) => {
  const datasetId = await seedDataset(`Excel ${Date.now().toString(36)}`);
  await page.goto(`/datasets/${datasetId}/export`);
  await page.getByRole("radio", { name: /^CSV/ }).click();
  const excel = page.getByRole("checkbox", { name: /For Excel/ });
  await expect(excel).not.toBeChecked();
  await excel.check();
  await expect(page.getByText("12 records match")).toBeVisible();
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download 12 records" }).click();
  const bytes = fs.readFileSync((await (await downloadPromise).path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString("utf8");
  expect(text.split("\r\n")[0]).toBe("topic,question,answer");
  expect(text).toContain('"Answer 0:\nwe refunded the ""duplicate""."');
});

test("CSV: a formula-like answer gets a leading quote, unless the box keeps it as it is", async ({ page }) => {
  const datasetId = await seedDataset(`Formulas ${Date.now().toString(36)}`);
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  await c.query(`update "Record" set values = jsonb_set(values, '{answer}', '"=HYPERLINK(\\"http://evil.example\\")"') where "datasetId" = $1 and index = 0`, [datasetId]);
  await c.end();
  await page.goto(`/datasets/${datasetId}/export`);
  await page.getByRole("radio", { name: /^CSV/ }).click();
  const keep = page.getByRole("checkbox", { name: "Keep cells that look like formulas as they are", exact: true });
  await expect(keep).not.toBeChecked();
  await expect(page.getByText("12 records match")).toBeVisible();
  const download = async () => {
    const downloadPromise = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download 12 records" }).click();
    return fs.readFileSync((await (await downloadPromise).path())!, "utf8");
  };
  expect(await download()).toContain(`Question 0: why was I charged twice?,"'=HYPERLINK(""http://evil.example"")"`);
  await keep.check();
  expect(await download()).toContain(`Question 0: why was I charged twice?,"=HYPERLINK(""http://evil.example"")"`);
  await expect(page.getByRole("button", { name: "Download 12 records" })).toBeEnabled();
  await expectNoSeriousViolations(page, "export page, CSV options");
});

test("export accepted records as OpenAI chat JSONL, with the check and the downloaded file", async ({ page }) => {
  const datasetId = await seedDataset(`Export ${Date.now().toString(36)}`);
  await page.goto(`/datasets/${datasetId}/export`);
  await expect(page.getByRole("link", { name: "Export", exact: true })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("button", { name: /^accepted 12$/ })).toHaveAttribute("aria-pressed", "true");

  await page.getByRole("radio", { name: /OpenAI chat/ }).click();
  // Mapping guessed from the field names.
  await expect(page.getByLabel("User from")).toHaveValue("field:question");
  await expect(page.getByLabel("Assistant from")).toHaveValue("field:answer");
  await page.getByLabel("System from").selectOption("text");
  await page.getByLabel("System prompt text").fill("You are a billing assistant.");

  const preview = page.getByTestId("export-preview");
  // Rows leave in storage order (sorting would cost a third of the throughput), so which
  // record comes first is PostgreSQL's business; the preview must be the file's start.
  await expect(preview).toContainText(/^\{"messages":\[\{"role":"system","content":"You are a billing assistant\."\},\{"role":"user","content":"Question \d+: why was I charged twice\?"\}/);
  await expect(page.getByText("12 records match")).toBeVisible();
  const previewLines = (await preview.innerText()).split("\n").filter((l) => l.trim());
  expect(previewLines).toHaveLength(3);

  await page.getByRole("button", { name: "Check 12 examples" }).click();
  await expect(page.getByTestId("openai-report")).toContainText("All 12 examples pass OpenAI's chat fine-tuning rules.");
  await expectNoSeriousViolations(page, "export page with the OpenAI check");

  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download 12 records" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^export-[a-z0-9]+-openai-chat\.jsonl$/);
  await expect(page.getByTestId("export-progress")).toContainText("Done: 12 records written");
  // The server does not count a single file; the bar runs against the count the page showed.
  const bar = page.getByRole("progressbar", { name: "Export progress" });
  await expect(bar).toHaveAttribute("aria-valuemax", "12");
  await expect(bar).toHaveAttribute("aria-valuenow", "12");

  const lines = fs.readFileSync((await download.path())!, "utf8").split("\n").filter(Boolean);
  expect(lines).toHaveLength(12);
  expect(lines.slice(0, 3)).toEqual(previewLines);
  const examples = lines.map((l) => JSON.parse(l));
  for (const ex of examples) {
    expect(ex.messages.map((m: { role: string }) => m.role)).toEqual(["system", "user", "assistant"]);
    for (const m of ex.messages) expect(typeof m.content === "string" && m.content.length > 0).toBe(true);
  }
  const numbers = examples.map((ex) => Number(/^Question (\d+):/.exec(ex.messages[1].content)![1])).sort((a, b) => a - b);
  expect(numbers).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  expect(examples.find((ex) => ex.messages[1].content.startsWith("Question 3:")).messages[2].content).toBe('Answer 3:\nwe refunded the "duplicate".');
});

test("import a CSV with a column mapping; a broken file names its line and imports nothing", async ({ page }) => {
  const datasetId = await seedDataset(`Import ${Date.now().toString(36)}`);
  await page.goto(`/datasets/${datasetId}/export`);
  const file = page.getByLabel("Import file");

  // A small broken file is caught as soon as it is chosen (the browser parses it whole).
  await file.setInputFiles({ name: "broken.csv", mimeType: "text/csv", buffer: Buffer.from('Question,Reply\nok,fine\n"open quote,never closed\n') });
  await expect(page.getByRole("alert").filter({ hasText: /^Line 3: a quoted value starts here/ })).toBeVisible();

  // A big one is previewed from its first megabyte; the server finds the bad line and
  // rolls the whole import back.
  const rows = Array.from({ length: 40_000 }, (_, i) => `question ${i},answer ${i}`).join("\n");
  await file.setInputFiles({ name: "big.csv", mimeType: "text/csv", buffer: Buffer.from(`Question,Reply\n${rows}\n"open quote,never closed\n`) });
  await page.getByLabel("Field for column Question").selectOption("question");
  await page.getByLabel("Field for column Reply").selectOption("answer");
  await page.getByRole("button", { name: "Import big.csv" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /Nothing was imported: .*line 40002/i })).toBeVisible();
  await expectNoSeriousViolations(page, "import with an error");
  await expect(page.getByRole("list", { name: "Imported files" })).toHaveCount(0);

  const csv = "Question,Reply,Ticket\n" + Array.from({ length: 3 }, (_, i) => `Real question ${i},"Real, answer ${i}",T-${i}`).join("\n");
  await file.setInputFiles({ name: "tickets.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(page.getByRole("cell", { name: "Real question 0" })).toBeVisible();
  await expectNoSeriousViolations(page, "import with a file's preview and mapping");
  await page.getByLabel("Field for column Question").selectOption("question");
  await page.getByLabel("Field for column Reply").selectOption("answer");
  await page.getByLabel("Field for column Ticket").selectOption({ label: "— skip this column —" });
  await page.getByRole("button", { name: "Import tickets.csv" }).click();
  await expect(page.getByRole("status")).toContainText("Imported 3 records from tickets.csv (question, answer)");
  await expect(page.getByRole("list", { name: "Imported files" })).toContainText("tickets.csv · 3 records");

  // Imported records are unreviewed: they show up when the filter takes them in.
  await page.getByRole("button", { name: /^unreviewed/ }).click();
  await page.getByLabel("Source", { exact: true }).selectOption("imported");
  await expect(page.getByText("3 records match")).toBeVisible();
  await expect(page.getByTestId("export-preview")).toContainText('"question":"Real question 0","answer":"Real, answer 0"');
});

/** Writes a CSV of `rows` rows of ~1 KB, maps its two columns on the export page and starts importing it. */
async function startLargeImport(page: Page, datasetId: string, file: string, rows: number): Promise<string> {
  const line = (i: number) => `question ${i} ${"x".repeat(480)},answer ${i} ${"y".repeat(480)}\n`;
  fs.writeFileSync(file, "Question,Reply\n" + Array.from({ length: rows }, (_, i) => line(i)).join(""));
  await page.goto(`/datasets/${datasetId}/export`);
  await page.getByLabel("Import file").setInputFiles(file);
  await page.getByLabel("Field for column Question").selectOption("question");
  await page.getByLabel("Field for column Reply").selectOption("answer");
  await page.getByRole("button", { name: `Import ${path.basename(file)}` }).click();
  return file;
}

test("a large import shows how much of the file has gone in", async ({ page }, testInfo) => {
  const datasetId = await seedDataset(`Big import ${Date.now().toString(36)}`);
  // ~40 MB: long enough at this machine's import speed for the progress to be seen.
  const file = await startLargeImport(page, datasetId, testInfo.outputPath("large.csv"), 40_000);
  const progress = page.getByRole("progressbar", { name: "Import progress" });
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute("max", String(fs.statSync(file).size));
  await expect(page.getByRole("status")).toContainText("Imported 40,000 records from large.csv", { timeout: 30_000 });
  await expect(progress).toHaveCount(0);
});

test("stopping an import half way imports nothing", async ({ page }, testInfo) => {
  const datasetId = await seedDataset(`Stopped import ${Date.now().toString(36)}`);
  await startLargeImport(page, datasetId, testInfo.outputPath("stopped.csv"), 150_000);
  await expect(page.getByRole("progressbar", { name: "Import progress" })).toBeVisible();
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Import stopped" })).toHaveText("Import stopped: nothing was imported.");

  // The server sees the body end short of its length and rolls back; wait for it to finish.
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    await expect
      .poll(async () => (await c.query(`select count(*)::int as n from pg_stat_activity where query ilike 'copy "Record"%' and state <> 'idle'`)).rows[0].n, { timeout: 30_000 })
      .toBe(0);
    const { rows } = await c.query(`select count(*)::int as n from "Record" where "datasetId" = $1 and source = 'imported'`, [datasetId]);
    expect(rows[0].n).toBe(0);
  } finally {
    await c.end();
  }
  await expect(page.getByRole("list", { name: "Imported files" })).toHaveCount(0);
});

