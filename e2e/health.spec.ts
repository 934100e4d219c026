import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { addFakeConnection } from "./connections";
import { startFakeLlm } from "../fake-llm/server";

let llm: Awaited<ReturnType<typeof startFakeLlm>>;
test.beforeAll(async () => {
  llm = await startFakeLlm({ latencyMs: 5 });
});
test.afterAll(async () => {
  await llm?.close();
});

const unique = (s: string) => `${s} ${Date.now().toString(36)}`;

test("generate 40 stories, read their health, and open the grid filtered from a chart", async ({ page }) => {
  test.setTimeout(180_000);
  const connection = unique("Fake for health");
  await addFakeConnection(page, { name: connection, url: llm.url, apiKey: "sk-e2e-health-key", maxConcurrency: 16 });

  await page.goto("/");
  await page.getByLabel("New project name").fill(unique("Health"));
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("button", { name: /Children's stories/ }).click();
  await expect(page.getByTestId("preview-record")).toHaveCount(5);
  const datasetPath = new URL(page.url()).pathname;

  // Before any record: the health tab says what to do.
  await page.getByRole("link", { name: "Health", exact: true }).click();
  await expect(page.getByText("No records yet: nothing to chart")).toBeVisible();
  await expectNoSeriousViolations(page, "health of an empty dataset");

  await page.getByRole("navigation", { name: "Dataset sections" }).getByRole("link", { name: "Generate", exact: true }).click();
  await page.getByRole("spinbutton", { name: "Records to generate", exact: true }).fill("40");
  await page.getByRole("combobox", { name: "Connection", exact: true }).selectOption({ label: connection });
  await page.getByRole("button", { name: "Launch 40 records" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 60_000 });

  // The run page has no dataset tabs: back to the dataset, then its Health tab.
  await page.goto(datasetPath);
  await page.getByRole("link", { name: "Health", exact: true }).click();
  await expect(page.getByTestId("health-total")).toContainText("40 records, 40 succeeded");

  // Two features of each story: 80 draws over the feature list, every one in the table.
  const features = page.getByTestId("sampler-features");
  await expect(features.getByTestId("coverage")).toHaveText(/^\d+ of \d+ values used$/);
  await features.getByText("Show the data as a table").click();
  const rows = features.locator("tbody tr");
  const observed = await rows.evaluateAll((trs) => trs.map((tr) => ({ value: tr.querySelector("th")!.textContent!, n: Number(tr.querySelectorAll("td")[0].textContent!.replace(/,/g, "")) })));
  expect(observed.reduce((a, r) => a + r.n, 0)).toBe(80);
  const used = observed.filter((r) => r.n > 0).length;
  await expect(features.getByTestId("coverage")).toHaveText(`${used} of ${observed.length} values used`);
  // The story lengths: the model's token counts of 40 stories.
  await expect(page.getByTestId("length-story")).toContainText("40 records, median");
  await expect(page.getByTestId("diversity-story")).toContainText("first 40 succeeded records");
  await expectNoSeriousViolations(page, "health page with a table open");

  // A value's link in the table opens the grid filtered to it, with as many records.
  const top = observed.reduce((a, b) => (b.n > a.n ? b : a));
  await features.getByRole("link", { name: top.value, exact: true }).click();
  await expect(page).toHaveURL(/\/records\?filter=/);
  await expect(page.getByTestId("match-count")).toHaveText(`${top.n} records`);

  // A bar of the review-state chart does the same with the mouse.
  await page.goBack();
  const review = page.getByTestId("balance-Review state");
  await expect(review).toContainText("unreviewed 40 (100.0%)");
  await review.locator(".recharts-bar-rectangle").first().click();
  await expect(page).toHaveURL(/reviewState/);
  await expect(page.getByTestId("match-count")).toHaveText("40 records");
  await expectNoSeriousViolations(page, "records grid opened from a health chart");
});

test("the health of a dataset that does not exist is the not-found page", async ({ page }) => {
  const res = await page.goto("/datasets/00000000-0000-4000-8000-000000000000/health");
  expect(res?.status()).toBe(404);
});
