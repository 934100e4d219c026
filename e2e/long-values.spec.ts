import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { seededDataset } from "./db";

// A long value arrives cut with its length stated; "Show all" brings the whole of it.
const LONG = 23_456; // over the 10,000 shown, small enough for axe to read the page in time
const longText = (n: number) => Array.from({ length: Math.ceil(n / 10) }, (_, i) => `w${String(i).padStart(8, "0")} `).join("").slice(0, n);

const textLength = (page: Page, selector: string) => page.locator(selector).evaluate((el) => el.textContent?.length ?? 0);

test("record detail: a long value is cut, shown whole on request, and edited whole", async ({ page }) => {
  const text = longText(LONG);
  const datasetId = await seededDataset("Long", 3, (c, id) =>
    c.query(`update "Record" set "values" = jsonb_set("values", '{answer}', to_jsonb($2::text)) where "datasetId" = $1 and index = (select min(index) from "Record" where "datasetId" = $1)`, [id, text]),
  );
  await page.addInitScript(() => localStorage.setItem("datawright.reviewer", "Lu"));
  await page.goto(`/datasets/${datasetId}/records`);
  await expect(page.getByTestId("records-grid")).toBeFocused();
  await page.keyboard.press("Enter");
  const detail = page.getByTestId("record-detail");
  const answer = detail.locator('[data-testid="field-value"][data-field="answer"]');
  await expect(answer).toContainText(`Showing the first 10,000 of ${LONG.toLocaleString("en-US")} characters.`);
  expect(await textLength(page, '[data-testid="record-detail"] [data-field="answer"] pre')).toBe(10_000);
  await expectNoSeriousViolations(page, "record detail with a cut value");

  await answer.getByRole("button", { name: `Show all ${LONG.toLocaleString("en-US")} characters` }).click();
  await expect(answer.getByText(/Showing the first/)).toHaveCount(0);
  expect(await textLength(page, '[data-testid="record-detail"] [data-field="answer"] pre')).toBe(LONG);
  await expect(answer.locator("pre")).toContainText(text.slice(-30));

  // An edit starts from the whole value, never from the cut start.
  await answer.getByRole("button", { name: "Edit answer" }).click();
  const box = page.getByLabel("New value of answer");
  await expect(box).toBeFocused();
  expect((await box.inputValue()).length).toBe(LONG);
  await expectNoSeriousViolations(page, "record detail with a whole long value");
});

test("seed table view: a long cell is cut, and shown whole on request", async ({ page }) => {
  const text = longText(LONG);
  await page.goto("/");
  const name = `Long seeds ${Date.now().toString(36)}`;
  await page.getByLabel("New project name").fill(name);
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await page.getByLabel("New dataset name").fill("Docs");
  await page.getByRole("button", { name: "Create empty dataset" }).click();
  await expect(page.getByText("This blueprint has no fields yet")).toBeVisible();

  const jsonl = [{ id: "1", text: "short" }, { id: "2", text }].map((r) => JSON.stringify(r)).join("\n");
  await page.getByLabel("Upload seed table").setInputFiles({ name: "docs.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(jsonl) });
  await expect(page.getByText("2 rows · 2 columns: id, text")).toBeVisible();
  const show = page.getByRole("button", { name: `Show all ${LONG.toLocaleString("en-US")} characters of text in row 2` });
  await expect(show).toBeVisible();
  await expectNoSeriousViolations(page, "seed table with a cut cell");
  await show.click();
  const whole = page.getByRole("region", { name: "Whole value" });
  await expect(whole).toContainText(`row 2 · ${LONG.toLocaleString("en-US")} characters`);
  expect(await textLength(page, '[data-testid="seed-whole-value"]')).toBe(LONG);
  await expectNoSeriousViolations(page, "seed table with a whole value shown");
  await whole.getByRole("button", { name: "Close" }).click();
  await expect(whole).toHaveCount(0);
});
