import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { addFakeConnection, fakeLlmForSpec, unique } from "./connections";
import { COMMANDS_GRAMMAR } from "../lib/blueprints/starters/rule-based";

// Rule-based fields (issue 16, item 5): a grammar edited with its problems shown in place,
// previewed and run with no model call for its own values; masking from its recipe.
const fake = fakeLlmForSpec({ latencyMs: 5 });

test("grammar recipe: a broken grammar is reported beside it, the fix previews, and a run shows the values in review", async ({ page }) => {
  test.setTimeout(120_000);
  const connection = unique("Fake for rule fields");
  await addFakeConnection(page, { name: connection, url: fake.llm.url, apiKey: "sk-e2e-rules-key" });

  await page.goto("/");
  await page.getByLabel("New project name").fill(unique("Rules"));
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("button", { name: /^Grammar commands/ }).click();
  await expect(page).toHaveURL(/\/datasets\/[0-9a-f-]{36}/);
  const datasetId = /\/datasets\/([0-9a-f-]{36})/.exec(page.url())![1];

  const card = page.getByRole("region", { name: "Field generated" });
  await card.getByRole("button", { name: "Edit" }).click();
  const grammar = card.getByLabel("Grammar", { exact: true });
  await expect(grammar).toHaveValue(COMMANDS_GRAMMAR);
  // An undefined symbol on line 2, named with its position.
  await grammar.fill(COMMANDS_GRAMMAR.replace('"turn on the" device', '"turn on the" devise'));
  const error = card.getByRole("alert").filter({ hasText: "devise" });
  await expect(error).toBeVisible();
  await expect(error).toContainText("line 3, col");
  await expect(grammar).toHaveAttribute("aria-invalid", "true");
  await expectNoSeriousViolations(page, "grammar field with an error");
  await grammar.fill(COMMANDS_GRAMMAR);
  await expect(card.getByRole("alert")).toHaveCount(0);
  // The Generate tab reads the saved draft: the fixed grammar must be saved before it.
  await expect(page.getByTestId("save-state")).toHaveText("Saved");

  // The seeded preview shows the expansion and the label split from it.
  const first = page.getByTestId("preview-record").first();
  await expect(first.locator('[data-testid="preview-value"][data-field="intent"]')).toContainText(/turn_on|turn_off|set_temperature|dim/);
  await expect(first.locator('[data-testid="preview-value"][data-field="generated"]')).toContainText("|");

  await page.getByRole("link", { name: "Generate", exact: true }).click();
  await page.getByLabel("Records to generate").fill("6");
  await page.getByRole("combobox", { name: "Connection", exact: true }).selectOption({ label: connection });
  await page.getByRole("button", { name: "Launch 6 records" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 60_000 });

  await page.goto(`/datasets/${datasetId}/records`);
  await expect(page.getByRole("columnheader", { name: "command" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "intent" })).toBeVisible();
  await expect(page.getByRole("gridcell", { name: /^(turn_on|turn_off|set_temperature|dim)$/ }).first()).toBeVisible();
  await expectNoSeriousViolations(page, "review of grammar records");
});

test("PII masking recipe previews each text beside its masked copy", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("New project name").fill(unique("Masking"));
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("button", { name: /^PII masking/ }).click();
  const first = page.getByTestId("preview-record").first();
  await expect(first.locator('[data-testid="preview-value"][data-field="original"]')).toContainText("maria.lopez@example.com");
  const masked = first.locator('[data-testid="preview-value"][data-field="masked"]');
  await expect(masked).toContainText("[EMAIL]");
  await expect(masked).toContainText("[ORDER_ID]");
  await expect(masked).not.toContainText("@");
  await expectNoSeriousViolations(page, "PII masking preview");
});
