import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { addFakeConnection, fakeLlmForSpec, unique } from "./connections";

// "Regenerate one field" (lib/runs/README.md): re-run the story of the records in the
// grid, see the dependents and the cost first, follow it as a run, then find the old
// story in a record's history and restore it.
const fake = fakeLlmForSpec({ latencyMs: 5 });

test("regenerate the story field of the grid's records, then restore a record's earlier story from its history", async ({ page }) => {
  test.setTimeout(180_000);
  const connection = unique("Fake for regenerate");
  await addFakeConnection(page, { name: connection, url: fake.llm.url, apiKey: "sk-e2e-regenerate-key", maxConcurrency: 16 });

  await page.goto("/");
  await page.getByLabel("New project name").fill(unique("Regenerate"));
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("button", { name: /Children's stories/ }).click();
  await expect(page.getByTestId("preview-record")).toHaveCount(5);
  const datasetPath = new URL(page.url()).pathname;
  await page.getByRole("link", { name: "Generate", exact: true }).click();
  await page.getByRole("spinbutton", { name: "Records to generate", exact: true }).fill("8");
  await page.getByRole("combobox", { name: "Connection", exact: true }).selectOption({ label: connection });
  await page.getByRole("button", { name: "Launch 8 records" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 60_000 });

  await page.goto(`${datasetPath}/records`);
  await expect(page.getByTestId("match-count")).toHaveText("8 records");
  const firstRow = page.getByTestId("record-row").first();
  const storyBefore = (await firstRow.textContent()) ?? "";

  await page.getByRole("button", { name: "Regenerate field…" }).click();
  const dialog = page.getByRole("dialog", { name: "Regenerate a field" });
  await dialog.getByRole("combobox", { name: "Field" }).selectOption("story");
  await dialog.getByRole("combobox", { name: "Connection" }).selectOption({ label: connection });
  const summary = dialog.getByTestId("regenerate-summary");
  await expect(summary).toContainText("Regenerates story in 8 records (all matching the grid's filter)");
  await expect(summary).toContainText("quality (judge)");
  await expect(dialog.getByTestId("regenerate-cost")).toHaveText(/^Estimated cost: .*\$[\d.]+ at most\.$/);
  await expectNoSeriousViolations(page, "regenerate field dialog");
  await dialog.getByRole("button", { name: "Regenerate 8 records" }).click();

  await expect(page.getByRole("heading", { name: "Regenerating story in 8 records" })).toBeVisible();
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 60_000 });

  // The record's old story is in its history; restoring it brings it back in the grid.
  await page.goto(`${datasetPath}/records`);
  await expect(page.getByTestId("record-row").first()).not.toHaveText(storyBefore);
  await page.getByTestId("record-row").first().click();
  await page.keyboard.press("Enter");
  const versions = page.getByTestId("record-versions");
  await expect(versions.getByTestId("record-version")).toHaveCount(1);
  await expect(versions.getByTestId("record-version")).toContainText("Before regeneration");
  await expectNoSeriousViolations(page, "record detail with earlier versions");
  await versions.getByRole("button", { name: /^Restore the version from / }).click();
  const who = page.getByRole("dialog", { name: "Who is reviewing?" });
  await who.getByLabel("Your name").fill("Ana");
  await who.getByRole("button", { name: "Start reviewing" }).click();
  await versions.getByRole("button", { name: /^Restore the version from / }).last().click();
  await expect(versions.getByRole("status")).toHaveText(/^Restored\./);
  await expect(page.getByTestId("record-row").first()).toHaveText(storyBefore);
  // The restore is itself a version: the regenerated story is one click away.
  await expect(versions.getByTestId("record-version").first()).toContainText("Before Ana restored an earlier version");
});
