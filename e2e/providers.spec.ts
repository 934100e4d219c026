import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { startFakeLlm } from "../fake-llm/server";

// The fake OpenAI-compatible server runs in this (Node) test process; the studio's
// production server reaches it over loopback. It accepts one key only.
const KEY = `sk-e2e-${randomBytes(16).toString("hex")}`;
const WRONG = `sk-wrong-${randomBytes(16).toString("hex")}`;
let llm: Awaited<ReturnType<typeof startFakeLlm>>;

test.beforeAll(async () => {
  llm = await startFakeLlm({ apiKeys: [KEY] });
});
test.afterAll(async () => {
  await llm?.close();
});

async function expectNoKeyInPage(page: Page, ...keys: string[]) {
  const rendered = await page.content();
  const served = await (await page.request.get("/settings/providers")).text();
  for (const k of keys) {
    expect(rendered).not.toContain(k);
    expect(served).not.toContain(k);
    expect(rendered).not.toContain(k.slice(0, -4)); // not even most of it
  }
}

test("custom connection to the fake server: test, save, wrong key explained, key never in the page", async ({ page }) => {
  const name = `Fake ${Date.now().toString(36)}`;
  await page.goto("/");
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Providers" })).toBeVisible();

  await page.getByRole("button", { name: "Add connection" }).click();
  const form = page.getByRole("form", { name: "New connection" });
  // A preset pre-fills the URL, model and concurrency.
  await form.getByLabel("Preset").selectOption({ label: "Ollama" });
  await expect(form.getByLabel("Base URL")).toHaveValue("http://127.0.0.1:11434/v1");
  await expect(form.getByLabel("Max concurrency")).toHaveValue("2");
  await form.getByLabel("Preset").selectOption({ label: "Custom (OpenAI-compatible)" });
  // Custom keeps nothing of the preset before it: a local server's requests must not go to Ollama's (or OpenAI's) URL.
  await expect(form.getByRole("textbox", { name: "Base URL", exact: true })).toHaveValue("");
  await expect(form.getByRole("textbox", { name: "Base URL", exact: true })).toHaveAccessibleDescription("ends in /v1 on most servers");
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Base URL").fill(llm.url);
  await form.getByLabel("API key").fill(KEY);
  await form.getByLabel("Default model").fill("gpt-4o-mini");
  await form.getByLabel("Max concurrency").fill("4");

  // Unsaved values are tested as typed.
  await form.getByRole("button", { name: "Test connection" }).click();
  await expect(form.getByTestId("test-result")).toContainText(/Connected: 4 models, gpt-4o-mini answered in \d+ ms/);
  await expect(form.getByTestId("test-result")).toHaveAttribute("data-tone", "success");

  await form.getByRole("button", { name: "Save connection" }).click();
  const row = page.getByTestId("connection").filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row.getByTestId("key-status")).toHaveText(`key ••••${KEY.slice(-4)}`);
  await expect(row).toContainText(llm.url);

  await row.getByRole("button", { name: `Test ${name}` }).click();
  await expect(row.getByTestId("test-result")).toContainText("Connected: 4 models");
  await expectNoKeyInPage(page, KEY);

  // Edit with a wrong key: the form's test explains it, and so does the saved connection.
  await row.getByRole("button", { name: `Edit ${name}` }).click();
  const edit = page.getByRole("form", { name: `Edit ${name}` });
  await expect(edit.getByText("leave empty to keep the current key")).toBeVisible();
  await expect(edit.getByLabel("Base URL")).toHaveValue(llm.url);
  await expect(edit.getByLabel("API key")).toHaveValue("");
  // Empty key field: the stored key is used.
  await edit.getByRole("button", { name: "Test connection" }).click();
  await expect(edit.getByTestId("test-result")).toContainText("Connected");
  await edit.getByLabel("API key").fill(WRONG);
  await edit.getByRole("button", { name: "Test connection" }).click();
  await expect(edit.getByTestId("test-result")).toContainText("The API key was rejected (401)");
  await expect(edit.getByTestId("test-result")).toHaveAttribute("data-tone", "error");
  await expect(edit.getByTestId("test-result")).not.toContainText(WRONG);
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(row.getByTestId("key-status")).toHaveText(`key ••••${WRONG.slice(-4)}`);
  await row.getByRole("button", { name: `Test ${name}` }).click();
  await expect(row.getByTestId("test-result")).toContainText("The API key was rejected (401)");

  await page.reload();
  await expect(row).toBeVisible();
  await expectNoKeyInPage(page, KEY, WRONG);

  // Remove the key, then delete the connection.
  await row.getByRole("button", { name: `Edit ${name}` }).click();
  await edit.getByLabel("Remove the saved key").check();
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(row.getByTestId("key-status")).toHaveText("no key");

  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: `Delete ${name}` }).click();
  await expect(row).toHaveCount(0);
});

test("form errors are shown beside the fields; a missing model gets suggestions", async ({ page }) => {
  await page.goto("/settings/providers");
  await page.getByRole("button", { name: "Add connection" }).click();
  const form = page.getByRole("form", { name: "New connection" });
  // OpenAI is the first preset and needs a key.
  await form.getByRole("button", { name: "Save connection" }).click();
  await expect(form.getByRole("alert").filter({ hasText: "OpenAI needs an API key." })).toBeVisible();
  await expectNoSeriousViolations(page, "settings/providers with a form error");
  await expect(form.getByLabel("API key")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("API key", { exact: true })).toHaveAccessibleDescription(/OpenAI needs an API key\./);

  await form.getByLabel("Preset").selectOption({ label: "Custom (OpenAI-compatible)" });
  await expect(form.getByLabel("Base URL", { exact: true })).toHaveValue("");
  await form.getByLabel("Base URL").fill("localhost:1234");
  await form.getByRole("button", { name: "Save connection" }).click();
  await expect(form.getByRole("alert").filter({ hasText: "Enter a full http:// or https:// URL" })).toBeVisible();

  await form.getByLabel("Base URL").fill(llm.url);
  await form.getByLabel("API key").fill(KEY);
  await form.getByLabel("Default model").fill("gpt-4o-mnii");
  await form.getByRole("button", { name: "Test connection" }).click();
  await expect(form.getByTestId("test-result")).toContainText('does not have the model "gpt-4o-mnii". Did you mean "gpt-4o-mini"');
  await form.getByRole("button", { name: "Cancel" }).click();
  await expect(form).toHaveCount(0);
});

test("prices: edit inline, reset to default, add and remove a model", async ({ page }) => {
  await page.goto("/settings/providers");
  const row = page.locator('[data-testid="price-row"][data-model="gpt-4.1-nano"]');
  const input = row.getByLabel("Input price of gpt-4.1-nano");
  await expect(input).toHaveValue("0.1");
  await input.fill("0.2");
  await input.press("Enter");
  await expect(row).toContainText("edited");
  await page.reload();
  await expect(input).toHaveValue("0.2");
  await row.getByRole("button", { name: "Reset price of gpt-4.1-nano to default" }).click();
  await expect(input).toHaveValue("0.1");
  await expect(row).not.toContainText("edited");

  const model = `e2e-model-${Date.now().toString(36)}`;
  await page.getByLabel("Model to price").fill(model);
  await page.getByLabel("New input price").fill("1.25");
  await page.getByLabel("New output price").fill("-1");
  await page.getByRole("button", { name: "Add price" }).click();
  await expect(page.getByText("A price cannot be negative.")).toBeVisible();
  await expect(page.getByLabel("New output price")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("New output price")).toHaveAccessibleDescription("A price cannot be negative.");
  await page.getByLabel("New output price").fill("5");
  await page.getByRole("button", { name: "Add price" }).click();
  const added = page.locator(`[data-testid="price-row"][data-model="${model}"]`);
  await expect(added.getByLabel(`Output price of ${model}`)).toHaveValue("5");
  await added.getByRole("button", { name: `Remove price of ${model}` }).click();
  await expect(added).toHaveCount(0);
});
