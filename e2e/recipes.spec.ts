import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { addFakeConnection, fakeLlmForSpec, unique } from "./connections";
import { SUPPORT_MESSAGES } from "../lib/blueprints/starters/words/support-messages";

// Recipes from the picker (issue 16): each explains its method; the augmentation recipe
// brings a table of real messages, and every variant is exported beside its original.
const fake = fakeLlmForSpec({ latencyMs: 5 });

test("augment real text from the recipe picker: its method explained, variants generated and exported beside their originals", async ({ page }) => {
  test.setTimeout(120_000);
  const connection = unique("Fake for recipes");
  await addFakeConnection(page, { name: connection, url: fake.llm.url, apiKey: "sk-e2e-recipes-key" });

  await page.goto("/");
  await page.getByLabel("New project name").fill(unique("Recipes"));
  await page.getByRole("button", { name: "Create project" }).click();
  // Every recipe says how its method works and where it comes from.
  const methods = page.getByText("How this method works");
  await expect(methods).toHaveCount(12);
  await methods.nth(4).click();
  await expect(page.getByText(/^Augmentation: each record reads one real row in order/)).toBeVisible();
  await expect(page.getByText("Source: Sennrich et al.", { exact: false })).toBeHidden();
  await expectNoSeriousViolations(page, "recipe picker with a method open");

  await page.getByRole("button", { name: /^Augment real text/ }).click();
  await expect(page).toHaveURL(/\/datasets\/[0-9a-f-]{36}/);
  const datasetId = /\/datasets\/([0-9a-f-]{36})/.exec(page.url())![1];
  // The preview reads the recipe's own table, row by row.
  await expect(page.getByTestId("preview-record")).toHaveCount(5);
  await expect(page.getByTestId("preview-record").first()).toContainText(SUPPORT_MESSAGES[0].message);

  await page.getByRole("link", { name: "Generate", exact: true }).click();
  await page.getByLabel("Records to generate").fill("12");
  await page.getByRole("combobox", { name: "Connection", exact: true }).selectOption({ label: connection });
  await page.getByRole("button", { name: "Launch 12 records" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 60_000 });

  await page.goto(`/datasets/${datasetId}/records`);
  await expect(page.getByRole("columnheader", { name: "original" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "variant" })).toBeVisible();

  await page.goto(`/datasets/${datasetId}/export`);
  await page.getByRole("button", { name: /^unreviewed/ }).click();
  await expect(page.getByText("12 records match")).toBeVisible();
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download 12 records" }).click();
  const download = await downloadPromise;
  await expect(page.getByTestId("export-progress")).toContainText("Done: 12 records written");
  const rows = fs
    .readFileSync((await download.path())!, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(rows).toHaveLength(12);
  const originals = new Map(SUPPORT_MESSAGES.map((m) => [m.message, m.intent]));
  for (const r of rows) {
    // The original is a real row, its label carried over, and the variant sits beside it.
    expect(originals.get(r.original as string)).toBe(r.intent);
    expect(typeof r.variant).toBe("string");
    expect((r.variant as string).length).toBeGreaterThan(0);
    expect(["paraphrase", "formal", "informal", "shorter", "longer"]).toContain(r.augmentation);
  }
});

test("hierarchical stories from the picker preview three chained steps", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("New project name").fill(unique("Hierarchical"));
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("button", { name: /^Hierarchical stories/ }).click();
  const first = page.getByTestId("preview-record").first();
  await expect(first).toBeVisible();
  // The plan is written from the summary's output, the story from both.
  await expect(first).toContainText("⟨output of summary⟩");
  await expect(first).toContainText("⟨output of plan⟩");
});
