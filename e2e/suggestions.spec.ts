import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { addFakeConnection, fakeLlmForSpec, unique } from "./connections";

// Judge-suggested labels and who decided (lib/review/README.md): a label takes its default
// from the starter's judge, the grid shows it as a suggestion until Shift+C confirms it,
// u takes the confirmation back, and the progress says how many records a person reviewed
// beside how many only the judge scored.
const ctx = fakeLlmForSpec({ latencyMs: 5 });

test("a judge's score suggests a label; Shift+C confirms it, u takes it back; reviewed vs judged alone", async ({ page }) => {
  test.setTimeout(120_000);
  const connection = unique("Fake for suggestions");
  await addFakeConnection(page, { name: connection, url: ctx.llm.url, apiKey: "sk-e2e-suggest-key", maxConcurrency: 8 });
  await page.addInitScript(() => localStorage.setItem("datawright.reviewer", "Ria"));

  await page.goto("/");
  await page.getByLabel("New project name").fill(unique("Suggest"));
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("button", { name: /Children's stories/ }).click();
  await expect(page.getByTestId("preview-record")).toHaveCount(5);
  const datasetPath = new URL(page.url()).pathname;
  await page.getByRole("link", { name: "Generate", exact: true }).click();
  await page.getByRole("spinbutton", { name: "Records to generate", exact: true }).fill("6");
  await page.getByRole("combobox", { name: "Connection", exact: true }).selectOption({ label: connection });
  await page.getByRole("button", { name: "Launch 6 records" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 60_000 });
  await expect(page.getByTestId("run-succeeded")).toHaveText("6");

  await page.goto(`${datasetPath}/records`);
  const row0 = page.locator('[data-testid="record-row"][data-index="0"]');
  await expect(row0).toBeVisible();
  await expect(page.getByTestId("judge-only")).toHaveText("0 reviewed by a person · 6 judged by the judge alone");

  // A label whose default is the judge's "uses_words": its levels are named like the options.
  await page.getByRole("button", { name: "Labels…" }).click();
  const editor = page.getByRole("dialog", { name: "Labels for this dataset" });
  await editor.getByRole("button", { name: "+ Label" }).click();
  await editor.getByRole("textbox", { name: "Label name" }).fill("words");
  await editor.getByRole("textbox", { name: "Options" }).fill("pass, fail");
  await editor.getByRole("combobox", { name: "Suggest from judge" }).selectOption("quality.uses_words");
  await expect(editor.getByRole("combobox", { name: "Judge score pass suggests for words" })).toHaveValue("");
  await expect(editor.getByRole("combobox", { name: "Judge score pass suggests for words" }).locator("option:checked")).toHaveText("pass (same name)");
  await expectNoSeriousViolations(page, "label editor with a judge suggestion");
  await editor.getByRole("button", { name: "Save labels" }).click();
  await expect(editor).toHaveCount(0);

  // Not a label yet: drawn apart, "suggested" in its name.
  const suggestion = row0.getByTestId("suggested-label");
  await expect(suggestion).toHaveText(/^suggested by the judge: words: (pass|fail)\?$/);
  const word = (await suggestion.textContent())!.match(/words: (pass|fail)/)![1];
  await expectNoSeriousViolations(page, "grid with a suggested label");

  await page.getByTestId("records-grid").focus();
  await page.keyboard.press("Shift+C");
  await expect(row0.getByTestId("labels")).toHaveText(`words: ${word}`);
  await expect(suggestion).toHaveCount(0);
  await page.keyboard.press("u");
  await expect(suggestion).toHaveText(`suggested by the judge: words: ${word}?`);

  await page.keyboard.press("a");
  await expect(page.getByTestId("judge-only")).toHaveText("1 reviewed by a person · 5 judged by the judge alone");
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog").getByText("Confirm the judge's suggested labels (shown in italics, outlined)")).toBeVisible();
});
