import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { withClient } from "./db";
import { createSeedDataset, seedRecords } from "../lib/testing/seed-records";

// The review grid's quality side on a seeded dataset: validator results stored as a run
// writes them, and planted duplicates with the clusters a detection pass writes (the pass
// itself is covered by lib/quality/server/dedupe.db.test.ts; its controls live on the
// health page).

/** 12 records: #1-#3 one near-duplicate cluster (#2 a case-changed copy of #1, #3 with one word changed); #4 fails a flag validator, #5 a reject one. */
async function seeded() {
  return withClient(async (c) => {
    const ds = await createSeedDataset(c, `Quality grid ${Date.now().toString(36)}`);
    await seedRecords(c, { datasetId: ds.datasetId, runId: ds.runIds[0] }, 12);
    const ids = (await c.query<{ id: string }>(`select id from "Record" where "datasetId" = $1 order by index`, [ds.datasetId])).rows.map((r) => r.id);
    const story = "The old lighthouse keeper counted the ships every evening and wrote their names in a blue book that nobody else ever read.";
    const set = (id: string, answer: string) => c.query(`update "Record" set values = jsonb_set(values, '{answer}', to_jsonb($2::text)) where id = $1`, [id, answer]);
    await set(ids[0], story);
    await set(ids[1], story.toUpperCase());
    await set(ids[2], story.replace("blue book", "green book"));
    const pass = { length: { pass: true, mode: "flag" }, english: { pass: true, mode: "reject" } };
    await c.query(`update "Record" set checks = $2 where "datasetId" = $1`, [ds.datasetId, JSON.stringify(pass)]);
    await c.query(`update "Record" set checks = $2 where id = $1`, [ids[3], JSON.stringify({ ...pass, length: { pass: false, mode: "flag", message: "212 words, more than 200" } })]);
    await c.query(`update "Record" set checks = $2, rejected = true where id = $1`, [ids[4], JSON.stringify({ ...pass, english: { pass: false, mode: "reject", message: "looks like German, not English" } })]);
    // What a completed detection on `answer` leaves: settings, one cluster, the members' signatures.
    await c.query(`insert into "DedupeState" ("datasetId", fields, threshold, bands, rows, status, processed, total, "finishedAt", "updatedAt") values ($1, '{answer}', 0.8, 17, 7, 'completed', 12, 12, now(), now())`, [ds.datasetId]);
    const cluster = (await c.query<{ id: string }>(`insert into "DuplicateCluster" (id, "datasetId", size, exact) values (gen_random_uuid(), $1, 3, false) returning id`, [ds.datasetId])).rows[0].id;
    for (const [i, id] of ids.entries()) {
      await c.query(`insert into "RecordSignature" ("recordId", "datasetId", "exactKey", bands, "clusterId") values ($1, $2, $3, '{}', $4)`, [id, ds.datasetId, `k${i < 2 ? 0 : i}`, i < 3 ? cluster : null]);
    }
    return { datasetId: ds.datasetId, ids };
  });
}

const row = (page: Page, n: number) => page.locator(`[data-testid="record-row"]:has([aria-label="Select record #${n}"])`);
const states = (datasetId: string) =>
  withClient(async (c) => (await c.query<{ reviewState: string }>(`select "reviewState"::text as "reviewState" from "Record" where "datasetId" = $1 order by index limit 3`, [datasetId])).rows.map((r) => r.reviewState));

test("validator badges, duplicate filters, the cluster side by side, and keep one per cluster undone", async ({ page }) => {
  test.setTimeout(120_000);
  const { datasetId } = await seeded();
  await page.addInitScript(() => localStorage.setItem("datawright.reviewer", "Ines"));
  await page.goto(`/datasets/${datasetId}/records`);
  await expect(page.getByTestId("record-row").first()).toBeVisible();

  // Badges: the failing validators by name, the reject one apart, the rejected record marked.
  await expect(page.getByRole("columnheader", { name: "Checks" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Duplicates" })).toBeVisible();
  await expect(row(page, 4).locator('[data-check="length"]')).toHaveAttribute("data-mode", "flag");
  await expect(row(page, 5).locator('[data-check="english"]')).toHaveAttribute("data-mode", "reject");
  await expect(row(page, 5).getByTestId("check-badges")).toContainText("rejected");
  await expect(row(page, 4).getByTestId("check-badges")).not.toContainText("rejected");
  await expect(row(page, 1).getByTestId("duplicate-badge")).toHaveText("near ×3");
  await expect(row(page, 6).getByTestId("duplicate-badge")).toHaveCount(0);
  await expectNoSeriousViolations(page, "records grid with quality columns");

  // Filters from the bar, by keyboard.
  await page.getByLabel("Validators").selectOption({ label: "Fails english (reject)" });
  await expect(page.getByTestId("match-count")).toHaveText("1 record");
  await page.getByLabel("Validators").selectOption({ label: "Fails any validator" });
  await expect(page.getByTestId("match-count")).toHaveText("2 records");
  await page.getByLabel("Validators").selectOption({ label: "Rejected by a validator" });
  await expect(page.getByTestId("match-count")).toHaveText("1 record");
  await page.getByLabel("Validators").selectOption({ label: "Any validator result" });
  await page.getByLabel("Duplicates").focus();
  await page.getByLabel("Duplicates").selectOption({ label: "In a duplicate cluster" });
  await expect(page.getByTestId("match-count")).toHaveText("3 records");

  // The cluster beside the record: three members, the differences marked word by word.
  await page.getByTestId("records-grid").focus();
  await page.keyboard.press("Enter");
  const view = page.getByTestId("cluster-view");
  await expect(view.getByTestId("cluster-member")).toHaveCount(3);
  await expect(view.getByTestId("cluster-member").first()).toContainText("Record #1 (this one)");
  const third = view.getByTestId("cluster-member").nth(2);
  await expect(third.locator("ins")).toHaveText("green");
  await expect(third.locator("del")).toHaveText("blue");
  await expect(third.getByTestId("member-state")).toHaveText("unreviewed");
  await expectNoSeriousViolations(page, "record detail with its duplicate cluster");

  await view.getByRole("link", { name: "Show this cluster in the grid" }).click();
  await expect(page).toHaveURL(/clusterId/);
  await expect(page.getByTestId("match-count")).toHaveText("3 records");
  await expect(page.getByTestId("cluster-filter")).toBeVisible();

  // Keep one per cluster: the confirmation counts, the result is announced, undo restores.
  await page.getByRole("button", { name: "Keep one per cluster…" }).click();
  const dialog = page.getByRole("dialog", { name: "Keep one per cluster" });
  await expect(dialog.getByTestId("keep-one-summary")).toHaveText("Keeps one record in each of 1 cluster and rejects the other 2 records. Undo takes it back.");
  await dialog.getByLabel(/The longest record/).check();
  await expectNoSeriousViolations(page, "keep one per cluster confirmation");
  await dialog.getByRole("button", { name: "Reject 2 records" }).click();
  await expect(page.getByTestId("toast")).toContainText("Kept one record per duplicate cluster: rejected 2 records.");
  // The longest text is #3's ("green" is longer than "blue"): it is the one kept.
  await expect.poll(() => states(datasetId)).toEqual(["rejected", "rejected", "unreviewed"]);
  await expect(row(page, 1).getByTestId("review-state")).toHaveText("rejected");

  await page.getByTestId("records-grid").focus();
  // The grid's undo key (u) takes back the newest action, this one.
  await page.keyboard.press("u");
  await expect(page.getByTestId("toast")).toContainText('Undid "reject" on 2 records.');
  await expect.poll(() => states(datasetId)).toEqual(["unreviewed", "unreviewed", "unreviewed"]);
  await expect(row(page, 1).getByTestId("review-state")).toHaveText("unreviewed");
});

test("a plain dataset has no quality columns or filters, and keep one per cluster says detection has not run", async ({ page }) => {
  const datasetId = await withClient(async (c) => {
    const ds = await createSeedDataset(c, `Plain ${Date.now().toString(36)}`);
    await seedRecords(c, { datasetId: ds.datasetId, runId: ds.runIds[0] }, 3);
    return ds.datasetId;
  });
  await page.addInitScript(() => localStorage.setItem("datawright.reviewer", "Ines"));
  await page.goto(`/datasets/${datasetId}/records`);
  await expect(page.getByTestId("record-row").first()).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Checks" })).toHaveCount(0);
  await expect(page.getByRole("columnheader", { name: "Duplicates" })).toHaveCount(0);
  await expect(page.getByLabel("Duplicates")).toHaveCount(0);
  await expect(page.getByLabel("Validators")).toHaveCount(0);
  await page.getByRole("button", { name: "Keep one per cluster…" }).click();
  await expect(page.getByTestId("keep-one-none")).toContainText("Duplicate detection has not run on this dataset yet");
  await expectNoSeriousViolations(page, "keep one per cluster before any detection");
});
