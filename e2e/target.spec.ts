import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { addFakeConnection } from "./connections";
import { startFakeLlm } from "../fake-llm/server";

// "N good records" (lib/runs/README.md): the fake server scores each judge criterion at
// random among its levels, so the starter's judge passes a share of the stories.
let llm: Awaited<ReturnType<typeof startFakeLlm>>;
test.beforeAll(async () => {
  llm = await startFakeLlm({ latencyMs: 10 });
});
test.afterAll(async () => {
  await llm?.close();
});

const unique = (s: string) => `${s} ${Date.now().toString(36)}`;

test("launch 20 good stories from the Generate tab and see the run end with 20 good and its yield", async ({ page }) => {
  test.setTimeout(120_000);
  const connection = unique("Fake for targets");
  await addFakeConnection(page, { name: connection, url: llm.url, apiKey: "sk-e2e-target-key", maxConcurrency: 16 });

  await page.goto("/");
  await page.getByLabel("New project name").fill(unique("Target"));
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("button", { name: /Children's stories/ }).click();
  await expect(page.getByTestId("preview-record")).toHaveCount(5);
  await page.getByRole("link", { name: "Generate", exact: true }).click();

  await page.getByRole("radio", { name: "N good records" }).check();
  await page.getByRole("spinbutton", { name: "Good records wanted", exact: true }).fill("20");
  // The starter's judge and its criteria, each with a threshold named by its label.
  await expect(page.getByRole("group", { name: "Judge quality" })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "simple_words: minimum score" })).toHaveValue("4");
  await page.getByRole("combobox", { name: "coherent: minimum score" }).selectOption("");
  await expect(page.getByRole("group", { name: "uses_words: accepted scores" }).getByRole("checkbox", { name: "pass" })).toBeChecked();
  await expect(page.getByRole("textbox", { name: "Attempt cap", exact: true })).toHaveAccessibleDescription("default 10× the good records");
  await page.getByRole("combobox", { name: "Connection", exact: true }).selectOption({ label: connection });
  // No target run yet: the yield is unknown, so the cost per attempt and the cap are shown.
  await expect(page.getByTestId("estimate")).toContainText("cannot be known before a run");
  await expect(page.getByTestId("estimate")).toContainText(/per attempt; .* whole cap of 200 attempts/);
  await expectNoSeriousViolations(page, "Generate tab with a good-records launch");
  await page.getByRole("button", { name: "Launch 20 good records" }).click();

  await expect(page.getByRole("heading", { name: "Run of 20 good records" })).toBeVisible();
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 60_000 });
  await expect(page.getByTestId("run-good")).toHaveText("20 of 20 good records");
  const bar = page.getByRole("progressbar", { name: "Good records" });
  await expect(bar).toHaveAttribute("aria-valuenow", "20");
  await expect(page.getByTestId("run-yield")).toHaveText(/^\d+(\.\d)?%$/);
  await expect(page.getByTestId("run-cost-per-good")).toHaveText(/^\$[\d.]+$/);
  await expect(page.getByRole("status").filter({ hasText: "Run completed" })).toHaveText(/^Run completed: 20 of 20 good records after \d+ attempts, yield \d+%, \d+ failed\.$/);
  await expectNoSeriousViolations(page, "completed good-records run");

  // The next launch knows the yield: an expected cost for the good records.
  await page.getByRole("link", { name: /Children's stories/ }).click();
  await page.getByRole("radio", { name: "N good records" }).check();
  await expect(page.getByTestId("estimate")).toContainText(/Expected ≈ \$[\d.]+ for 100 good records/);
});
