import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { addFakeConnection, fakeLlmForSpec, unique } from "./connections";
import { emptyDataset, recordCounts } from "./db";

// Batch mode end to end: the launch option on a connection with a Batch API, the estimate
// at batch prices, each batch's state on the run page (announced), and the records.
// Each batch step takes 1.5 s at the fake server, so the states can be seen on the way.
const ctx = fakeLlmForSpec({ batchStepMs: 1500 });

test("a run launched in batch mode shows its batches' states and lands every record, with no online request", async ({ page }) => {
  // Two batches of three 1.5 s steps, 200 records and three accessibility scans: generation.spec.ts's budget.
  test.setTimeout(180_000);
  const connection = unique("Fake with batches");
  await addFakeConnection(page, { name: connection, url: ctx.llm.url, apiKey: "sk-e2e-batch", maxConcurrency: 8 });

  await page.goto("/");
  await page.getByLabel("New project name").fill(unique("Batch"));
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("button", { name: /Children's stories/ }).click();
  await page.getByRole("link", { name: "Generate", exact: true }).click();
  await page.getByRole("spinbutton", { name: "Records to generate", exact: true }).fill("200");
  await page.getByRole("combobox", { name: "Connection", exact: true }).selectOption({ label: connection });
  const estimate = page.getByTestId("estimate");
  await expect(estimate).toContainText(/\$[\d.]+ for 200 records/);
  await expect(estimate).not.toContainText("batch prices");
  const online = Number(/\$([\d.]+)/.exec(await estimate.innerText())![1]);
  const batch = page.getByRole("checkbox", { name: "Batch (cheaper, slower)", exact: true });
  await expect(batch).toHaveAccessibleDescription(/Batch API at half price/);
  await batch.check();
  await expect(estimate).toContainText(/\$[\d.]+ for 200 records at batch prices \(half\)/);
  const halved = Number(/\$([\d.]+)/.exec(await estimate.innerText())![1]);
  expect(halved).toBeLessThan(online);
  await expectNoSeriousViolations(page, "runs page with batch mode");
  await page.getByRole("button", { name: "Launch 200 records" }).click();

  // The first batch (the stories) is seen in a non-final state, and announced.
  const batches = page.getByTestId("run-batch");
  await expect(batches.first()).toBeVisible();
  await expect(batches.first()).toContainText(/Validating|In progress|Finalizing/);
  await expect(page.getByRole("status").filter({ hasText: /^Batches: / }).first()).toBeVisible();
  await expectNoSeriousViolations(page, "run page with a batch in progress");

  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 60_000 });
  await expect(page.getByTestId("run-succeeded")).toHaveText("200");
  await expect(page.getByTestId("run-record").first()).toBeVisible();
  // Stories, then the judge reading them: two batches, both done.
  await expect(batches).toHaveCount(2);
  await expect(page.getByTestId("batch-announcement")).toHaveText("Batches: 2 done.");
  expect(ctx.llm.stats().chatCompletions).toBe(0);
  expect(ctx.llm.stats().batches.requests).toBe(400);
  await expectNoSeriousViolations(page, "completed batch run page");
});

test("10,000 records launched in batch mode from the Generate tab complete, the batch's state on the run page, each record stored once", async ({ page }) => {
  // One batch of 10,000 requests (three 1.5 s steps at the fake server), then 10,000 records stored.
  test.setTimeout(420_000);
  const connection = unique("Fake with batches, 10k");
  await addFakeConnection(page, { name: connection, url: ctx.llm.url, apiKey: "sk-e2e-batch-10k" });
  const datasetId = await emptyDataset(unique("Batch 10k"));
  const before = ctx.llm.stats();

  await page.goto(`/datasets/${datasetId}`);
  await page.getByRole("link", { name: "Generate", exact: true }).click();
  await page.getByRole("spinbutton", { name: "Records to generate", exact: true }).fill("10000");
  await page.getByRole("combobox", { name: "Connection", exact: true }).selectOption({ label: connection });
  await page.getByRole("checkbox", { name: "Batch (cheaper, slower)", exact: true }).check();
  await expect(page.getByTestId("estimate")).toContainText(/\$[\d.]+ for 10,?000 records at batch prices \(half\)/);
  const started = Date.now();
  await page.getByRole("button", { name: /^Launch 10,?000 records$/ }).click();

  // Writing and uploading 10,000 requests comes first: the batch shows up once its file is
  // at the provider (39 s was not enough for it at load 25).
  const batches = page.getByTestId("run-batch");
  await expect(batches.first()).toContainText(/Validating|In progress|Finalizing/, { timeout: 300_000 });
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 400_000 });
  console.log(`10,000-record batch run from the Generate tab: ${((Date.now() - started) / 1000).toFixed(1)} s to completed`);
  await expect(page.getByTestId("run-succeeded")).toHaveText(/^10,?000$/);
  await expect(batches).toHaveCount(1);
  await expect(page.getByTestId("batch-announcement")).toHaveText("Batches: 1 done.");
  expect(await recordCounts(datasetId)).toEqual({ records: 10_000, distinct: 10_000 });
  const after = ctx.llm.stats();
  expect(after.chatCompletions - before.chatCompletions).toBe(0);
  expect(after.batches.requests - before.batches.requests).toBe(10_000);
});
