import fs from "node:fs";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { expectNoSeriousViolations } from "./axe";
import { addFakeConnection } from "./connections";
import { startFakeLlm } from "../fake-llm/server";

// The quality journey of the duplicates issue: a generated dataset with planted duplicates
// (the story's prompt names one of five topics and the model is asked with a fixed seed,
// so two records with the same topic get the same story word for word), found from the
// Health tab, followed from a chart into the grid, one kept per cluster, and an export
// with no duplicate left.
let llm: Awaited<ReturnType<typeof startFakeLlm>>;
test.beforeAll(async () => {
  llm = await startFakeLlm({ latencyMs: 5 });
});
test.afterAll(async () => {
  await llm?.close();
});

const TOPICS = ["a lost kite", "a brave snail", "the moon cake", "a rainy picnic", "the tall giraffe"];

async function createDataset(name: string) {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    const blueprint = {
      fields: [
        { id: "f1", kind: "category", name: "topic", options: TOPICS.map((value) => ({ value, weight: 1 })) },
        {
          id: "f2",
          kind: "llm",
          name: "story",
          system: "You write short stories for children.",
          prompt: "Write a short story about {{ topic }}.",
          model: "gpt-4o-mini",
          params: { temperature: 1, max_tokens: 200, seed: 7 },
          output: { type: "text" },
          fewShot: { examples: [], k: 0, mode: "turns" },
        },
        // Flags the kite stories: the health page's validator chart and the grid's Checks column.
        { id: "f3", kind: "validator", name: "not_kite", mode: "flag", check: { type: "expression", condition: "topic != 'a lost kite'", message: "a story about the kite" } },
      ],
    };
    const { rows: p } = await c.query(`insert into "Project" (id, name, "updatedAt") values (gen_random_uuid(), $1, now()) returning id`, [name]);
    const { rows: d } = await c.query(`insert into "Dataset" (id, "projectId", name, draft, "updatedAt") values (gen_random_uuid(), $1, $2, $3, now()) returning id`, [p[0].id, name, JSON.stringify(blueprint)]);
    return d[0].id as string;
  } finally {
    await c.end();
  }
}

test("generate stories with planted duplicates, find them on the Health tab, keep one per cluster, export none twice", async ({ page }) => {
  test.setTimeout(240_000);
  const stamp = Date.now().toString(36);
  const connection = `Fake for quality ${stamp}`;
  await addFakeConnection(page, { name: connection, url: llm.url, apiKey: "sk-e2e-quality-key", maxConcurrency: 16 });
  const datasetId = await createDataset(`Quality ${stamp}`);

  await page.goto(`/datasets/${datasetId}/runs`);
  await page.getByRole("spinbutton", { name: "Records to generate", exact: true }).fill("30");
  await page.getByRole("combobox", { name: "Connection", exact: true }).selectOption({ label: connection });
  await page.getByRole("button", { name: "Launch 30 records" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 90_000 });

  // Thirty records over five topics: every topic's records share one story.
  await page.goto(`/datasets/${datasetId}/health`);
  // The validator's pass rate, and its link to the records it flagged.
  const rates = page.getByTestId("validator-rates");
  await rates.getByText("Show the data as a table").click();
  const [, passed, flagged] = (await rates.locator("tbody tr").first().locator("th, td").allTextContents()).map((t) => Number(t.replace(/,/g, "")));
  expect(passed + flagged).toBe(30);
  expect(flagged).toBeGreaterThan(0);
  await rates.getByRole("link", { name: "not_kite" }).click();
  await expect(page.getByTestId("match-count")).toHaveText(`${flagged} record${flagged === 1 ? "" : "s"}`);
  await expect(page.getByTestId("record-row").first().getByTestId("checks")).toHaveText(/not_kite/);
  await page.goBack();
  const section = page.getByTestId("duplicates-section");
  await expect(section.getByRole("checkbox", { name: "story" }).first()).toBeChecked();
  await section.getByRole("button", { name: "Find duplicates" }).click();
  const status = section.getByTestId("dedupe-status");
  await expect(status).toHaveText(/^Duplicate detection finished: \d+ records in \d+ clusters, on story at 0\.8\.$/, { timeout: 60_000 });
  const [, inClusters, clusters] = /finished: (\d+) records in (\d+) clusters/.exec((await status.textContent())!)!.map(Number);
  expect(clusters).toBeGreaterThanOrEqual(3);
  expect(clusters).toBeLessThanOrEqual(TOPICS.length);
  await expectNoSeriousViolations(page, "health page after duplicate detection");

  // The duplicate-rate chart's bar of records in clusters opens the grid on them.
  await page.getByTestId("duplicate-rate").locator(".recharts-bar-rectangle").first().click();
  await expect(page).toHaveURL(/\/records\?filter=.*duplicate/);
  await expect(page.getByTestId("match-count")).toHaveText(`${inClusters} records`);
  const firstRow = page.getByTestId("record-row").first();
  await expect(firstRow.getByTestId("duplicates")).toHaveText(/^(exact|near) ×\d+$/);

  // The first record's cluster, side by side in its detail.
  await firstRow.click();
  await page.keyboard.press("Enter");
  const cluster = page.getByTestId("cluster-view");
  await expect(cluster).toBeVisible();
  await expect(cluster.getByTestId("cluster-member").first()).toBeVisible();
  await expectNoSeriousViolations(page, "grid with a duplicate cluster side by side");

  // Keep the first of each cluster; undo brings the others back; keep again.
  // The reviewer's name is asked first, as for any decision.
  await page.getByRole("button", { name: "Keep one per cluster…" }).click();
  const who = page.getByRole("dialog", { name: "Who is reviewing?" });
  await who.getByLabel("Your name").fill("Ana");
  await who.getByRole("button", { name: "Start reviewing" }).click();
  const dialog = page.getByRole("dialog", { name: "Keep one record per duplicate cluster" });
  await expect(dialog.getByRole("radio", { name: /The first/ })).toBeChecked();
  // The confirmation names how many records it rejects before anything changes.
  await expect(dialog.getByTestId("keep-one-summary")).toContainText(`and rejects the other ${inClusters - clusters} records`);
  await expectNoSeriousViolations(page, "keep one per cluster dialog");
  await dialog.getByRole("button", { name: "Reject the others" }).click();
  const rejected = inClusters - clusters;
  const toast = page.getByTestId("toast");
  await expect(toast).toHaveText(new RegExp(`Kept one record per duplicate cluster: rejected ${rejected} records\\.`));
  await toast.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByTestId("toast")).toContainText(`on ${rejected} records`);
  await page.getByRole("button", { name: "Keep one per cluster…" }).click();
  await page.getByRole("dialog", { name: "Keep one record per duplicate cluster" }).getByRole("button", { name: "Reject the others" }).click();
  await expect(page.getByTestId("toast")).toHaveText(new RegExp(`rejected ${rejected} records`));

  // Everything not rejected, exported: thirty less the rejected, and no story twice.
  await page.goto(`/datasets/${datasetId}/records`);
  await page.getByRole("group", { name: "Review state" }).getByRole("button", { name: "unreviewed" }).click();
  const kept = 30 - rejected;
  await expect(page.getByTestId("match-count")).toHaveText(`${kept} records`);
  await page.getByRole("link", { name: `Export these ${kept} →` }).click();
  await expect(page.getByText(`${kept} records match`)).toBeVisible();
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("button", { name: `Download ${kept} records` }).click();
  const lines = fs.readFileSync((await (await downloadPromise).path())!, "utf8").split("\n").filter(Boolean);
  expect(lines).toHaveLength(kept);
  const stories = lines.map((l) => (JSON.parse(l) as { story: string }).story);
  expect(new Set(stories).size).toBe(kept);
});
