import { expect, test } from "@playwright/test";
import pg from "pg";
import { expectNoSeriousViolations } from "./axe";

// A dataset whose records come from an import (the health tallies are kept by the import,
// as for any record), with planted duplicates: the journey is finding them from the
// Health tab, not generating.
async function createDataset(name: string) {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    const blueprint = {
      fields: [
        { id: "f1", kind: "category", name: "topic", options: [{ value: "animals", weight: 1 }] },
        { id: "f2", kind: "expression", name: "story", template: "A story about {{ topic }}" },
      ],
    };
    const { rows: p } = await c.query(`insert into "Project" (id, name, "updatedAt") values (gen_random_uuid(), $1, now()) returning id`, [name]);
    const { rows: d } = await c.query(`insert into "Dataset" (id, "projectId", name, draft, "updatedAt") values (gen_random_uuid(), $1, $2, $3, now()) returning id`, [p[0].id, name, JSON.stringify(blueprint)]);
    return d[0].id as string;
  } finally {
    await c.end();
  }
}

/** Deterministic made-up prose: 80 words from a 400-word vocabulary. */
function story(seed: number): string[] {
  let s = seed * 2654435761 + 1;
  const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % 400);
  return Array.from({ length: 80 }, () => `w${next().toString(36)}${"aeiou"[next() % 5]}`);
}

test("find planted duplicates from the Health tab, follow a chart to the grid, and check contamination", async ({ page }) => {
  test.setTimeout(120_000);
  const datasetId = await createDataset(`Duplicates ${Date.now().toString(36)}`);
  // 20 distinct stories; story 0 copied twice with its case changed (an exact cluster of 3),
  // story 1 rewritten in 3 of 80 words (a near cluster of 2): 23 records, 5 in clusters.
  const texts = Array.from({ length: 20 }, (_, i) => story(i + 1).join(" "));
  const near = story(2);
  for (const i of [10, 40, 70]) near[i] = "changed";
  const rows = [...texts, texts[0].toUpperCase(), texts[0].toUpperCase() + " ", near.join(" ")];
  await page.goto(`/datasets/${datasetId}/export`);
  await page.getByLabel("Import file").setInputFiles({ name: "stories.csv", mimeType: "text/csv", buffer: Buffer.from(`text\n${rows.join("\n")}\n`) });
  await page.getByLabel("Field for column text").selectOption("story");
  await page.getByRole("button", { name: "Import stories.csv" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported 23 records" })).toBeVisible();

  await page.getByRole("link", { name: "Health", exact: true }).click();
  const section = page.getByTestId("duplicates-section");
  await expect(section.getByText("No duplicate detection yet")).toBeVisible();
  // The sampled topic is not text to compare; the story is, and is ticked.
  await expect(section.getByRole("checkbox", { name: "story" }).first()).toBeChecked();
  await expect(section.getByRole("checkbox", { name: "topic" })).toHaveCount(0);
  await expectNoSeriousViolations(page, "health page before duplicate detection");

  // The threshold is checked as typed, and the example pair follows it.
  const threshold = section.getByRole("spinbutton", { name: "Similarity threshold" });
  await threshold.fill("1.5");
  await expect(section.getByRole("alert").filter({ hasText: "must be more than 0 and at most 1" })).toBeVisible();
  await expect(section.getByRole("button", { name: "Find duplicates" })).toBeDisabled();
  await threshold.fill("0.9");
  await expect(section.getByTestId("example-similarity")).toHaveText(/^0\.(8[6-9]|9[0-4])$/);
  await threshold.fill("0.8");
  await expect(section.getByTestId("example-similarity")).toHaveText(/^0\.(7[6-9]|8[0-4])$/);

  await section.getByRole("button", { name: "Find duplicates" }).click();
  await expect(section.getByTestId("dedupe-status")).toHaveText("Duplicate detection finished: 5 records in 2 clusters, on story at 0.8.", { timeout: 30_000 });
  const rate = page.getByTestId("duplicate-rate");
  await expect(rate).toContainText("5 of 23 records (21.7%) are in 2 duplicate clusters: 3 in exact-duplicate clusters, 2 in clusters with near duplicates.");
  const sizes = page.getByTestId("cluster-sizes");
  await sizes.getByText("Show the data as a table").click();
  // Size, clusters, records: one pair, one triple.
  await expect(sizes.locator("tbody tr")).toHaveText(["212", "313"]);
  await expectNoSeriousViolations(page, "health page with duplicate charts");

  // The bar of clusters of 3 opens the grid on those three records.
  await sizes.locator(".recharts-bar-rectangle").nth(1).click();
  await expect(page).toHaveURL(/clusterSize/);
  await expect(page.getByTestId("match-count")).toHaveText("3 records");
  await expectNoSeriousViolations(page, "records grid opened from the cluster-size chart");

  // Contamination: a reference set holding story 5 flags that record.
  await page.goBack();
  await section.getByLabel("Reference set").setInputFiles({ name: "bench.jsonl", mimeType: "application/x-ndjson", buffer: Buffer.from(`${JSON.stringify({ q: texts[5] })}\n`) });
  await section.getByRole("button", { name: "Check contamination" }).click();
  await expect(section.getByTestId("contamination-result")).toContainText("1 of 23 records share a 13-word run with the reference set (1 reference row).");
  await expectNoSeriousViolations(page, "health page with a contamination result");
  await section.getByRole("link", { name: "Show the 1 flagged records" }).click();
  await expect(page).toHaveURL(/contaminated/);
  await expect(page.getByTestId("match-count")).toHaveText("1 record");
});
