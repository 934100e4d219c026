import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { addFakeConnection, fakeLlmForSpec, unique } from "./connections";

// Evol-Instruct (issue 16, item 2): from the recipe picker, the seed instructions evolved
// for 2 generations against the fake server; the run page shows per-generation counts and
// the record detail shows a record's lineage.
const fake = fakeLlmForSpec({ latencyMs: 5 });

test("Evol-Instruct from the recipe picker: 2 generations, per-generation stats, a record's lineage", async ({ page }) => {
  test.setTimeout(120_000);
  const connection = unique("Fake for evol");
  await addFakeConnection(page, { name: connection, url: fake.llm.url, apiKey: "sk-e2e-evol-key" });

  await page.goto("/");
  await page.getByLabel("New project name").fill(unique("Evol"));
  await page.getByRole("button", { name: "Create project" }).click();
  const recipe = page.getByRole("button", { name: /^Evol-Instruct/ });
  await expect(recipe).toBeVisible();
  await recipe.click();
  await expect(page).toHaveURL(/\/datasets\/[0-9a-f-]{36}/);
  const datasetId = /\/datasets\/([0-9a-f-]{36})/.exec(page.url())![1];
  await expect(page.getByTestId("preview-evolve").first()).toContainText("for 4 generations");

  // K out of range is reported beside the input; 2 is accepted.
  const generations = page.getByLabel("Generations");
  await generations.fill("11");
  await expect(page.getByText("At most 10 generations", { exact: false })).toBeVisible();
  await expect(generations).toHaveAttribute("aria-invalid", "true");
  await generations.fill("0");
  await expect(page.getByText("Evolve for at least 1 generation", { exact: false })).toBeVisible();
  await generations.fill("2");
  await expect(page.getByText("Evolve for at least 1 generation", { exact: false })).toBeHidden();
  await expect(page.getByTestId("preview-evolve").first()).toContainText("for 2 generations");
  // The mutations' method texts are editable; each control is named by its label.
  await expect(page.getByLabel("Deepen method")).toBeVisible();
  await expectNoSeriousViolations(page, "design with an Evol-Instruct field");

  await page.getByRole("link", { name: "Generate", exact: true }).click();
  await page.getByLabel("Records to generate").fill("10");
  await page.getByRole("combobox", { name: "Connection", exact: true }).selectOption({ label: connection });
  await expect(page.getByTestId("estimate")).toContainText("$");
  await page.getByRole("button", { name: "Launch 10 records" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 60_000 });

  const stats = page.getByTestId("evolution-stats");
  await expect(stats).toBeVisible();
  const rows = stats.getByRole("row");
  // Header, generation 1 and (when any first evolution was kept) generation 2.
  await expect(rows.nth(1).getByRole("rowheader")).toHaveText("1");
  await expect(rows.nth(1).getByRole("cell").first()).toHaveText("10");
  await expectNoSeriousViolations(page, "run page with Evol-Instruct stats");

  await page.addInitScript(() => localStorage.setItem("datawright.reviewer", "Lu"));
  await page.goto(`/datasets/${datasetId}/records`);
  await expect(page.getByTestId("records-grid")).toBeFocused();
  await page.keyboard.press("Enter");
  const lineage = page.getByTestId("record-detail").getByRole("region", { name: /^Lineage of evolved, [12] generations?$/ });
  await expect(lineage).toBeVisible();
  const steps = lineage.getByTestId("lineage-step");
  await expect(steps.first()).toContainText(/Generation 1 · .+ · (kept|dropped: .+)/);
  await expect(lineage.getByTestId("lineage-final")).not.toBeEmpty();
  await lineage.focus();
  await expect(lineage).toBeFocused();
  await expectNoSeriousViolations(page, "record detail with a lineage");
});
