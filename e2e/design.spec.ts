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
