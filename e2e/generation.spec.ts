import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { addFakeConnection } from "./connections";
import { startFakeLlm } from "../fake-llm/server";

// The fake OpenAI-compatible server runs in this test process; the production studio
// reaches it over loopback like any provider.
let llm: Awaited<ReturnType<typeof startFakeLlm>>;
test.beforeAll(async () => {
  llm = await startFakeLlm({ latencyMs: 30 });
});
test.afterAll(async () => {
  await llm?.close();
});

const unique = (s: string) => `${s} ${Date.now().toString(36)}`;

async function addConnection(page: Page, name: string) {
  await addFakeConnection(page, { name, url: llm.url, apiKey: "sk-e2e-generation-key", maxConcurrency: 16 });
  await expectNoSeriousViolations(page, "settings/providers with a connection");
}

test("live samples stream in, a 50-record run arrives, a second run is cancelled", async ({ page }) => {
  // Three runs and an accessibility check on each page: longer than one page's default.
  test.setTimeout(180_000);
  const connection = unique("Fake for runs");
  await addConnection(page, connection);

  await page.goto("/");
  await page.getByLabel("New project name").fill(unique("Generation"));
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("button", { name: /Children's stories/ }).click();
  await expect(page.getByTestId("preview-record")).toHaveCount(5);

  // Live samples: real calls through the studio, shown with tokens, latency and cost.
  await page.getByRole("tab", { name: "Live samples" }).click();
  const livePanel = page.getByRole("tabpanel", { name: "Live samples" });
  await expect(livePanel).toBeVisible();
  await expect(page.getByRole("tabpanel", { name: "Prompt preview" })).toBeHidden();
  await livePanel.getByRole("combobox", { name: "Connection", exact: true }).selectOption({ label: connection });
  await livePanel.getByRole("spinbutton", { name: "Samples", exact: true }).fill("3");
  await page.getByRole("button", { name: "Generate samples" }).click();
  const samples = page.getByTestId("live-sample");
  await expect(samples).toHaveCount(3);
  for (let i = 0; i < 3; i++) {
    await expect(samples.nth(i).getByTestId("sample-stats")).toHaveText(/\d+ tokens · \d+ ms · \$\d/);
    await expect(samples.nth(i).locator('[data-field="story"] dd')).not.toBeEmpty();
    // The starter's judge: a listed score per criterion, read as lines.
    await expect(samples.nth(i).locator('[data-field="quality"] dd')).toHaveText(/^simple_words: [1-5].*\nuses_words: (pass|fail).*\ncoherent: [1-5]/s);
  }
  await expectNoSeriousViolations(page, "dataset design with the live-samples tab");

  // Launch 50 records; the estimate shows before anything is spent.
  await page.getByRole("link", { name: "Generate", exact: true }).click();
  // Each control is named by its visible label alone; a hint describes it.
  await page.getByRole("spinbutton", { name: "Records to generate", exact: true }).fill("50");
  await page.getByRole("combobox", { name: "Connection", exact: true }).selectOption({ label: connection });
  await expect(page.getByRole("spinbutton", { name: "Concurrency", exact: true })).toHaveAccessibleDescription("records at once");
  await expect(page.getByRole("spinbutton", { name: "Budget cap", exact: true })).toHaveAccessibleDescription("USD, optional");
  // The samples' answer lengths give the expected cost; max_tokens gives the worst case.
  await expect(page.getByTestId("estimate")).toContainText(/Expected ≈ \$[\d.]+ for 50 records/);
  await expect(page.getByTestId("estimate")).toContainText(/over 3 answers \(live samples\)/);
  await expect(page.getByTestId("estimate")).toContainText(/At most \$[\d.]+ if every answer uses max_tokens/);
  // Each launch has a fresh seed, shown under the advanced options.
  await page.getByText("Advanced options").click();
  const firstSeed = await page.getByRole("textbox", { name: "Seed", exact: true }).inputValue();
  expect(firstSeed).toMatch(/^\d+$/);
  await expectNoSeriousViolations(page, "runs page");
  await page.getByRole("button", { name: "Launch 50 records" }).click();

  await expect(page.getByTestId("run-status")).toBeVisible();
  await expect(page.getByTestId("run-record").first()).toBeVisible();
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 30_000 });
  await expect(page.getByTestId("run-succeeded")).toHaveText("50");
  await expect(page.getByTestId("run-record")).toHaveCount(20);
  // A finished run shows its total time (a timer, read on request, not announced every second).
  await expect(page.getByRole("timer", { name: "Elapsed" })).toHaveText(/^\d+ s$/);
  // The bar is named, the outcome is announced once, each stat's label is tied to its value.
  const bar = page.getByRole("progressbar", { name: "Run progress" });
  await expect(bar).toHaveAttribute("aria-valuenow", "50");
  await expect(bar).toHaveAttribute("aria-valuetext", "50 of 50 records");
  await expect(page.getByRole("status").filter({ hasText: "Run completed" })).toHaveText("Run completed: 50 of 50 records, 0 failed.");
  await expect(page.getByRole("term").filter({ hasText: /^Succeeded$/ })).toHaveCount(1);
  await expect(page.locator("dt", { hasText: /^Succeeded$/ }).locator("xpath=following-sibling::dd[1]")).toHaveText("50");
  await expectNoSeriousViolations(page, "completed run page");

  // A second, larger run is cancelled while it runs; what it made is kept.
  await page.getByRole("link", { name: /Children's stories/ }).click();
  await page.getByRole("spinbutton", { name: "Records to generate", exact: true }).fill("5000");
  await page.getByRole("combobox", { name: "Connection", exact: true }).selectOption({ label: connection });
  await page.getByRole("spinbutton", { name: "Concurrency", exact: true }).fill("2");
  await page.getByText("Advanced options").click();
  expect(await page.getByRole("textbox", { name: "Seed", exact: true }).inputValue()).not.toBe(firstSeed);
  await page.getByRole("button", { name: "Launch 5,000 records" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("running");
  await expect(page.getByTestId("run-record").first()).toBeVisible();
  // Its records are numbered on from the first run's 50.
  const numbers = await page.getByTestId("run-record").allInnerTexts();
  for (const text of numbers) expect(Number(/#([\d,]+)/.exec(text)![1].replace(/,/g, ""))).toBeGreaterThan(50);
  // While it runs, the elapsed time counts up on its own.
  const elapsed = page.getByRole("timer", { name: "Elapsed" });
  const shown = await elapsed.innerText();
  await expect(elapsed).not.toHaveText(shown, { timeout: 5000 });
  await expectNoSeriousViolations(page, "running run page");
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Cancel run" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("cancelled");
  await expect(page.getByTestId("stop-reason")).toHaveText("Cancelled by the user.");
  const done = Number((await page.getByTestId("run-succeeded").innerText()).replace(/,/g, ""));
  expect(done).toBeGreaterThan(0);
  expect(done).toBeLessThan(5000);

  await page.getByRole("link", { name: /Children's stories/ }).click();
  await expect(page.getByTestId("run-row")).toHaveCount(2);
  await expectNoSeriousViolations(page, "runs page with two runs");

  // Reusing the first run's seed reproduces it: the same records, answered from the cache.
  const calls = llm.stats().chatCompletions;
  await page.getByRole("spinbutton", { name: "Records to generate", exact: true }).fill("50");
  await page.getByRole("combobox", { name: "Connection", exact: true }).selectOption({ label: connection });
  await page.getByText("Advanced options").click();
  const reuse = page.getByRole("combobox", { name: "Reuse the seed of run" });
  await reuse.selectOption({ label: (await reuse.locator("option", { hasText: `50 records · seed ${firstSeed}` }).innerText()).trim() });
  await expect(page.getByRole("textbox", { name: "Seed", exact: true })).toHaveValue(firstSeed);
  await expectNoSeriousViolations(page, "runs page, advanced options open");
  await page.getByRole("button", { name: "Launch 50 records" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 30_000 });
  await expect(page.getByTestId("run-succeeded")).toHaveText("50");
  expect(llm.stats().chatCompletions).toBe(calls);
});
