import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { addFakeConnection, fakeLlmForSpec, unique } from "./connections";

// Issue 15's journey: a run of 200 good stories judged by the starter's judge, the 20
// records the judge is least sure of reviewed by keyboard, the trust panel on the Health
// tab, a bulk decision on the judge's word whose confirmation says how far it agreed, and
// the stories it failed regenerated, the old one kept in history. The fake server scores each criterion at random among its levels.
const fake = fakeLlmForSpec({ latencyMs: 5 });

test("200 good stories, the 20 the judge is least sure of reviewed by keyboard, the trust panel, accept where the judge says good, and regenerate the stories it failed", async ({ page }) => {
  test.setTimeout(330_000);
  const connection = unique("Fake for judges");
  await addFakeConnection(page, { name: connection, url: fake.llm.url, apiKey: "sk-e2e-judges-key", maxConcurrency: 32 });

  await page.goto("/");
  await page.getByLabel("New project name").fill(unique("Judges"));
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("button", { name: /Children's stories/ }).click();
  await expect(page.getByTestId("preview-record")).toHaveCount(5);
  const datasetPath = new URL(page.url()).pathname.match(/^\/datasets\/[^/]+/)![0];
  await page.getByRole("link", { name: "Generate", exact: true }).click();

  // 200 good stories: simple words at 4 or more, the other criteria left open (a yield
  // near 40%, some 500 attempts).
  await page.getByRole("radio", { name: "N good records" }).check();
  await page.getByRole("spinbutton", { name: "Good records wanted", exact: true }).fill("200");
  await page.getByRole("combobox", { name: "coherent: minimum score" }).selectOption("");
  await page.getByRole("group", { name: "uses_words: accepted scores" }).getByRole("checkbox", { name: "fail" }).check();
  await page.getByRole("combobox", { name: "Connection", exact: true }).selectOption({ label: connection });
  await page.getByRole("button", { name: "Launch 200 good records" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 150_000 });
  await expect(page.getByTestId("run-good")).toHaveText("200 of 200 good records");

  // Before anyone reviews, the trust panel says what it needs.
  await page.goto(`${datasetPath}/health`);
  await expect(page.getByTestId("judge-trust")).toContainText("Review some records first: agreement needs human decisions");

  // Review the 20 records the judge is least sure of, by keyboard: accept the ones it
  // scored 4 or 5 on simple words, reject the rest (people and judge mostly agree).
  await page.addInitScript(() => localStorage.setItem("datawright.reviewer", "Ana"));
  await page.goto(`${datasetPath}/records`);
  await page.getByRole("combobox", { name: "Sort by" }).selectOption("uncertain");
  const grid = page.getByTestId("records-grid");
  await grid.focus();
  const rowAt = (i: number) => page.locator(`[data-testid="record-row"][data-index="${i}"]`);
  await expect(rowAt(0)).toBeVisible();
  const judgeHeaders = (await page.getByRole("columnheader").allTextContents()).filter((h) => h.startsWith("quality."));
  const simpleAt = judgeHeaders.findIndex((h) => h.startsWith("quality.simple_words"));
  expect(simpleAt).toBeGreaterThanOrEqual(0);
  for (let i = 0; i < 20; i++) {
    await expect(rowAt(i)).toHaveAttribute("data-focused", "true");
    const score = Number(await rowAt(i).getByTestId("judge-score").nth(simpleAt).textContent());
    const agree = i % 5 !== 4; // one in five decided against the judge
    await page.keyboard.press((score >= 4) === agree ? "a" : "r"); // decides and moves on
  }
  await expect(rowAt(20)).toHaveAttribute("data-focused", "true");
  await expect(page.getByTestId("review-progress")).toHaveText(/^20 \/ [\d,]+ reviewed$/);

  // The trust panel: 20 decisions compared, a confusion matrix whose cells add up to 20.
  await page.goto(`${datasetPath}/health`);
  const panel = page.getByTestId("judge-trust");
  await expect(panel.getByTestId("judge-trust-summary")).toContainText("Compared on 20 records");
  const simple = panel.getByTestId("judge-trust-quality.simple_words");
  await expect(simple.getByTestId("agreement-sentence")).toHaveText(/^On 20 records people decided, the judge agreed 80% of the time \(95% interval 58%–92%\), kappa /);
  const cells = await simple.getByTestId("confusion-matrix").locator("td.tabular-nums").allTextContents();
  expect(cells.map(Number).reduce((a, b) => a + b, 0)).toBe(20);
  await expect(simple.getByText("Per sampled value, worst first")).toBeVisible();
  await expectNoSeriousViolations(page, "Health tab with the judges' trust panel");
  // Moving the bar changes what "good" means, and the figures follow.
  await simple.getByRole("combobox", { name: "Judge says good when" }).selectOption("5");
  await expect(simple.getByTestId("confusion-matrix")).toHaveAccessibleName(/score at least 5/);

  // Accept where the judge says good: the confirmation counts the undecided records and
  // quotes the agreement measured so far; Undo takes it back.
  await page.goto(`${datasetPath}/records`);
  await page.getByRole("button", { name: "Decide by judge…" }).click();
  const dialog = page.getByRole("dialog", { name: "Decide where the judge says…" });
  await dialog.getByRole("combobox", { name: "Judge criterion" }).selectOption({ label: "quality.simple_words" });
  await expect(dialog.getByTestId("judge-decide-agreement")).toHaveText(/^On 20 records people decided, the judge agreed 80% of the time/);
  await expect(dialog.getByTestId("judge-decide-count")).toHaveText(/^Accepts \d+ records of the grid's filter that nobody has decided yet/);
  await expectNoSeriousViolations(page, "decide by judge confirmation");
  const n = Number((await dialog.getByTestId("judge-decide-count").textContent())!.match(/Accepts (\d+)/)![1]);
  expect(n).toBeGreaterThan(0);
  await dialog.getByRole("button", { name: `Accept ${n} records` }).click();
  const toast = page.getByTestId("toast");
  await expect(toast).toContainText(`Accepted where quality.simple_words says good (score at least 4): ${n} records.`);
  await toast.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByTestId("toast")).toContainText(`on ${n} records`);

  // Regenerate the story of the records the judge failed on simple words (scores 1-2),
  // keeping every other value; the old story stays in each record's history.
  const failed = { judge: [{ field: "quality", criterion: "simple_words", scores: [1, 2] }] };
  await page.goto(`${datasetPath}/records?filter=${encodeURIComponent(JSON.stringify(failed))}`);
  const first = page.locator(`[data-testid="record-row"][data-index="0"]`);
  await expect(first).toBeVisible();
  const count = Number((await page.getByTestId("match-count").textContent())!.replace(/\D/g, ""));
  expect(count).toBeGreaterThan(0);
  // The first failed record, found again later by its sampled words.
  const headers = (await page.getByRole("columnheader").allTextContents()).map((h) => h.trim());
  const cellOf = async (name: string) => ((await first.getByRole("gridcell").nth(headers.findIndex((h) => h.startsWith(name))).textContent()) ?? "").trim();
  const words = [{ field: "verb", op: "eq" as const, value: await cellOf("verb") }, { field: "noun", op: "eq" as const, value: await cellOf("noun") }, { field: "adjective", op: "eq" as const, value: await cellOf("adjective") }];
  await page.getByRole("button", { name: "Regenerate field…" }).click();
  const regen = page.getByRole("dialog", { name: "Regenerate a field" });
  await regen.getByRole("combobox", { name: "Field" }).selectOption("story");
  await regen.getByRole("combobox", { name: "Connection" }).selectOption({ label: connection });
  await expect(regen.getByTestId("regenerate-summary")).toContainText(`Regenerates story in ${count} records (all matching the grid's filter)`);
  await regen.getByRole("button", { name: `Regenerate ${count} records` }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 90_000 });

  await page.goto(`${datasetPath}/records?filter=${encodeURIComponent(JSON.stringify({ values: words }))}`);
  await page.locator(`[data-testid="record-row"][data-index="0"]`).click();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("record-versions").getByTestId("record-version").first()).toContainText("Before regeneration");
});
