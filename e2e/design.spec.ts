import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";

const unique = (s: string) => `${s} ${Date.now().toString(36)}`;

async function newProject(page: Page, name: string) {
  await page.goto("/");
  await page.getByLabel("New project name").fill(name);
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}

async function emptyDataset(page: Page, project: string, dataset: string) {
  await newProject(page, unique(project));
  await page.getByLabel("New dataset name").fill(dataset);
  await page.getByRole("button", { name: "Create empty dataset" }).click();
  await expect(page.getByText("This blueprint has no fields yet")).toBeVisible();
}

test("children's stories starter: preview, unknown variable error, fix, persisted", async ({ page }) => {
  const project = unique("Stories");
  await page.goto("/");
  await expectNoSeriousViolations(page, "projects list");
  await newProject(page, project);
  await expectNoSeriousViolations(page, "project page");
  await page.getByRole("button", { name: /Children's stories/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Children's stories" })).toBeVisible();

  const records = page.getByTestId("preview-record");
  await expect(records).toHaveCount(5);
  await expectNoSeriousViolations(page, "dataset design with the preview tab");

  // The preview and live samples are tabs over their panels; the arrows move between tabs.
  const previewTab = page.getByRole("tab", { name: "Prompt preview" });
  const samplesTab = page.getByRole("tab", { name: "Live samples" });
  await expect(previewTab).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("tabpanel", { name: "Prompt preview" })).toContainText("Record 1");
  await previewTab.focus();
  await page.keyboard.press("ArrowRight");
  await expect(samplesTab).toBeFocused();
  await expect(samplesTab).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("tabpanel", { name: "Live samples" })).toBeVisible();
  await expectNoSeriousViolations(page, "dataset design with the live-samples tab, no connection");
  await page.keyboard.press("ArrowRight"); // wraps around
  await expect(previewTab).toBeFocused();
  await expect(page.getByRole("tabpanel", { name: "Prompt preview" })).toBeVisible();
  await expect(page.getByRole("tabpanel", { name: "Live samples" })).toBeHidden();
  // Controls are named by their visible labels.
  await expect(page.getByRole("tabpanel", { name: "Prompt preview" }).getByRole("spinbutton", { name: "Seed", exact: true })).toBeVisible();
  const seen = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const r = records.nth(i);
    const prompt = await r.getByTestId("preview-llm").innerText();
    for (const name of ["verb", "noun", "adjective"]) {
      const chip = r.locator(`[data-testid="preview-value"][data-field="${name}"] dd`);
      const value = (await chip.innerText()).trim();
      expect(value.length).toBeGreaterThan(0);
      // Each record's prompt carries its own draws, quoted as the template puts them.
      expect(prompt).toContain(`"${value}"`);
      seen.add(`${name}:${value}`);
    }
  }
  expect(seen.size).toBeGreaterThan(5);

  // Same seed, same draws; a re-roll changes them.
  const first = (await records.first().textContent()) ?? "";
  await page.reload();
  await expect(records.first()).toHaveText(first);
  await page.getByRole("button", { name: "Re-roll" }).click();
  await expect(records.first()).not.toHaveText(first);

  const prompt = page.getByRole("textbox", { name: "Prompt", exact: true });
  await prompt.click();
  await prompt.press("End");
  await prompt.pressSequentially(" Mention {{ colour }}.");
  await expect(page.getByRole("alert").filter({ hasText: 'Unknown variable "colour"' })).toBeVisible();
  await expect(page.getByTestId("blueprint-status")).toContainText("1 error");
  // The message is tied to the input it is about.
  await expect(prompt).toHaveAttribute("aria-invalid", "true");
  await expect(prompt).toHaveAccessibleDescription(/Unknown variable "colour"/);
  await expectNoSeriousViolations(page, "dataset design with a template error");

  await prompt.fill((await prompt.inputValue()).replace("{{ colour }}", "{{ adjective }}"));
  await expect(page.getByRole("alert").filter({ hasText: "Unknown variable" })).toHaveCount(0);
  await expect(page.getByTestId("blueprint-status")).toContainText("No errors");
  await expect(page.getByTestId("save-state")).toHaveText("Saved");
  await expect(page.getByRole("status").filter({ hasText: /^Saved$/ })).toBeAttached();

  await page.reload();
  await expect(page.getByRole("textbox", { name: "Prompt", exact: true })).toHaveValue(/Mention \{\{ adjective \}\}\./);
});

test("template autocomplete offers earlier fields only", async ({ page }) => {
  await emptyDataset(page, "Autocomplete", "Empty");
  await page.getByRole("button", { name: "+ Category" }).click();
  await page.getByRole("button", { name: "+ LLM" }).click();
  await page.getByRole("button", { name: "+ Expression" }).click();

  const prompt = page.getByRole("textbox", { name: "Prompt", exact: true });
  await prompt.fill("Topic: {{ ca");
  const list = page.getByRole("listbox", { name: "Variables" });
  await expect(list.getByRole("option")).toHaveText([/category/]);
  await prompt.press("Enter");
  await expect(prompt).toHaveValue("Topic: {{ category }}");
  // The expression below the LLM field sees both fields above it, and nothing below.
  const expression = page.getByRole("textbox", { name: "Template" });
  await expression.fill("{{ ");
  await expect(list.getByRole("option")).toHaveText([/category/, /output/]);
});

test("seed table upload: rows and columns shown, bad file explained, seed field previews", async ({ page }) => {
  await newProject(page, unique("Seeds"));
  await page.getByLabel("New dataset name").fill("FAQ");
  await page.getByRole("button", { name: "Create empty dataset" }).click();
  await expect(page.getByText("This blueprint has no fields yet")).toBeVisible();

  const upload = page.getByLabel("Upload seed table");
  await upload.setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from('q,a\n"open quote,1\n') });
  await expect(page.getByRole("alert").filter({ hasText: /Nothing was saved.*line 2/i })).toBeVisible();

  const csv = "question,answer\n" + Array.from({ length: 30 }, (_, i) => `Question ${i},Answer ${i}`).join("\n");
  await upload.setInputFiles({ name: "faq.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(page.getByText("30 rows · 2 columns: question, answer")).toBeVisible();
  await expect(page.getByRole("cell", { name: "Question 0", exact: true })).toBeVisible();

  await page.getByRole("button", { name: "+ Seed table" }).click();
  await page.getByLabel("Seed table", { exact: true }).selectOption({ label: "faq.csv (30 rows)" });
  await page.getByLabel("Column").selectOption("question");
  const values = page.locator('[data-testid="preview-value"][data-field="seed"] dd');
  await expect(values).toHaveCount(5);
  await expect(values.first()).toHaveText(/^Question \d+$/);
});

test("projects can be renamed and deleted", async ({ page }) => {
  const name = unique("Temp");
  await newProject(page, name);
  await page.goto("/");
  await page.getByRole("button", { name: `Rename ${name}` }).click();
  await page.getByLabel("Project name", { exact: true }).fill(`${name} renamed`);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("link", { name: new RegExp(`${name} renamed`) })).toBeVisible();
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: `Delete ${name} renamed` }).click();
  await expect(page.getByRole("link", { name: new RegExp(`${name} renamed`) })).toHaveCount(0);
});

test("a validator's broken regex and Liquid condition show beside their inputs", async ({ page }) => {
  await emptyDataset(page, "Validators", "Checked");
  await page.getByRole("button", { name: "+ LLM" }).click();
  await page.getByRole("button", { name: "+ Validator" }).click();

  const card = page.getByRole("region", { name: "Field validator" });
  await card.getByLabel("Check", { exact: true }).selectOption({ label: "Matches a pattern (regex)" });
  await card.getByLabel("Field to check").selectOption("output");
  await card.getByLabel("When a record fails").selectOption("reject");
  const pattern = card.getByRole("textbox", { name: "Pattern (RE2 syntax)" });
  await pattern.fill("(unclosed");
  await expect(pattern).toHaveAttribute("aria-invalid", "true");
  await expect(pattern).toHaveAccessibleDescription(/Invalid pattern: missing closing \)/);
  await pattern.fill("once upon a time");
  await expect(pattern).toHaveAttribute("aria-invalid", "false");

  await card.getByLabel("Check", { exact: true }).selectOption({ label: "Custom condition (Liquid)" });
  const condition = card.getByRole("textbox", { name: "Condition" });
  await condition.fill("output.size >");
  await expect(condition).toHaveAccessibleDescription(/A value is missing at the end of the condition/);
  await expect(card.getByText("line 1, col 14:")).toBeVisible();
  await condition.fill("output.size > 100");
  await expect(condition).toHaveAttribute("aria-invalid", "false");
  await expectNoSeriousViolations(page, "blueprint editor with a validator");
});

test("a judge added to the children's stories starter: rubric edited by keyboard, validated beside its inputs, previewed, saved", async ({ page }) => {
  await newProject(page, unique("Judged stories"));
  await page.getByRole("button", { name: /Children's stories/ }).click();
  await expect(page.getByTestId("preview-record")).toHaveCount(5);
  // The starter's own judge previews its prompt with the record's words.
  await expect(page.getByTestId("preview-judge").first()).toContainText("judge of simple_words, uses_words, coherent");
  await expect(page.getByTestId("preview-judge").first()).toContainText("## story");

  await page.getByRole("button", { name: "+ Judge" }).click();
  const card = page.getByRole("region", { name: "Field judge" });
  await expect(card.getByRole("alert").filter({ hasText: "Choose the fields this judge reads." })).toBeVisible();
  await card.getByRole("checkbox", { name: "story" }).check();
  await card.getByRole("checkbox", { name: "noun" }).check();
  await expect(card.getByRole("alert").filter({ hasText: "Choose the fields" })).toHaveCount(0);

  // A second criterion: unnamed, then a duplicate name, then a good one; each error sits beside the name.
  await card.getByRole("button", { name: "Add criterion" }).click();
  const name2 = card.getByRole("textbox", { name: "Criterion 2 name" });
  await expect(card.getByRole("alert").filter({ hasText: "Criterion 2 needs a name" })).toBeVisible();
  await name2.fill("quality");
  await expect(name2).toHaveAttribute("aria-invalid", "true");
  await expect(name2).toHaveAccessibleDescription(/Two criteria are called "quality"/);
  await name2.fill("fits_age");
  await expect(name2).toHaveAttribute("aria-invalid", "false");
  await card.getByRole("textbox", { name: "Criterion 2 description" }).fill("Right for a 3-year-old.");

  // Duplicate level values are an error on the levels.
  const level2 = card.getByRole("textbox", { name: "Criterion 2 level 2 score" });
  await level2.fill("1");
  await expect(card.getByRole("alert").filter({ hasText: '"fits_age" lists the level 1 more than once' })).toBeVisible();
  await expect(level2).toHaveAccessibleDescription(/lists the level 1 more than once/);
  await card.getByRole("button", { name: "Criterion 2: use pass / fail" }).click();
  await expect(card.getByRole("alert")).toHaveCount(0);

  // By keyboard: from the last level's meaning, past its remove button, to "Add level".
  await card.getByRole("textbox", { name: "Criterion 2 level 2 meaning" }).fill("too hard");
  await page.keyboard.press("Tab");
  await expect(card.getByRole("button", { name: "Remove level 2 of criterion 2" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(card.getByRole("button", { name: "Add level to criterion 2" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(card.getByRole("alert").filter({ hasText: 'Level 3 of "fits_age" has no value.' })).toBeVisible();
  await card.getByRole("textbox", { name: "Criterion 2 level 3 score" }).fill("unsure");
  await card.getByRole("textbox", { name: "Criterion 2 level 3 meaning" }).fill("cannot tell");

  await expect(page.getByTestId("blueprint-status")).toContainText("No errors");
  await expect(page.getByTestId("save-state")).toHaveText("Saved");
  await expectNoSeriousViolations(page, "dataset design with a judge being edited");

  // Moved above the story it reads: an error beside the fields it reads.
  await card.getByRole("button", { name: "Move up" }).click();
  await card.getByRole("button", { name: "Move up" }).click();
  await card.getByRole("button", { name: "Move up" }).click();
  await expect(card.getByRole("alert").filter({ hasText: '"story" is below this judge; move the judge under it.' })).toBeVisible();
  await expect(page.getByTestId("blueprint-status")).toContainText("1 error");
  await expectNoSeriousViolations(page, "dataset design with a judge error");
  for (let i = 0; i < 3; i++) await card.getByRole("button", { name: "Move down" }).click();
  await expect(page.getByTestId("blueprint-status")).toContainText("No errors");
  await expect(page.getByTestId("save-state")).toHaveText("Saved");

  await page.reload();
  await page.getByRole("region", { name: "Field judge" }).getByRole("button", { name: "Edit" }).click();
  await expect(page.getByRole("textbox", { name: "Criterion 2 name" })).toHaveValue("fits_age");
  await expect(page.getByRole("textbox", { name: "Criterion 2 level 3 score" })).toHaveValue("unsure");
  await expect(page.getByTestId("preview-judge").filter({ hasText: "judge of quality, fits_age" }).first()).toContainText("## noun");
});
