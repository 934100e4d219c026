import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { addFakeConnection, fakeLlmForSpec, unique } from "./connections";

// The conversation recipe (issue 16, item 6): from the picker, a few records generated
// against the fake server, each read as a chat in the record detail, exported to ShareGPT
// as multi-turn examples.
const fake = fakeLlmForSpec({ latencyMs: 5 });

test("conversations from the recipe picker: generated, read as a chat, exported to ShareGPT with every turn", async ({ page }) => {
  test.setTimeout(120_000);
  const connection = unique("Fake for conversations");
  await addFakeConnection(page, { name: connection, url: fake.llm.url, apiKey: "sk-e2e-conversations-key" });

  await page.goto("/");
  await page.getByLabel("New project name").fill(unique("Conversations"));
  await page.getByRole("button", { name: "Create project" }).click();
  const recipe = page.getByRole("button", { name: /^Conversations/ });
  await expect(recipe).toBeVisible();
  await recipe.click();
  await expect(page).toHaveURL(/\/datasets\/[0-9a-f-]{36}/);
  const datasetId = /\/datasets\/([0-9a-f-]{36})/.exec(page.url())![1];
  // The preview shows the persona built from the record's sampled fields, and its turns.
  const preview = page.getByTestId("preview-conversation").first();
  await expect(preview).toContainText(/[234] turns \([468] model calls/);
  await expect(preview).toContainText(/You are \w+, \d+ years old/);
  await expectNoSeriousViolations(page, "design with a conversation field");

  // The field's editor opens with the recipe, like an LLM field's; turns out of range are reported beside the inputs.
  await expect(page.getByRole("region", { name: "Field conversation" }).getByRole("button", { name: "Collapse" })).toHaveAttribute("aria-expanded", "true");
  const most = page.getByLabel("Most turns");
  await most.fill("25");
  await expect(page.getByText("At most 20 turns", { exact: false })).toBeVisible();
  await expect(most).toHaveAttribute("aria-invalid", "true");
  await most.fill("4");
  await expect(page.getByText("At most 20 turns", { exact: false })).toBeHidden();

  await page.getByRole("link", { name: "Generate", exact: true }).click();
  await page.getByLabel("Records to generate").fill("4");
  await page.getByRole("combobox", { name: "Connection", exact: true }).selectOption({ label: connection });
  // The estimate counts the conversation's calls (it is not a run without model calls).
  await expect(page.getByTestId("estimate")).not.toContainText("No LLM fields");
  await expect(page.getByTestId("estimate")).toContainText("$");
  await page.getByRole("button", { name: "Launch 4 records" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 60_000 });

  await page.addInitScript(() => localStorage.setItem("datawright.reviewer", "Lu"));
  await page.goto(`/datasets/${datasetId}/records`);
  await expect(page.getByTestId("records-grid")).toBeFocused();
  await page.keyboard.press("Enter");
  const chat = page.getByTestId("record-detail").getByRole("region", { name: /^Conversation conversation, [234] turns$/ });
  await expect(chat).toBeVisible();
  const bubbles = chat.getByRole("listitem");
  const n = await bubbles.count();
  expect([4, 6, 8]).toContain(n);
  for (let i = 0; i < n; i++) {
    await expect(bubbles.nth(i)).toHaveAttribute("data-role", i % 2 === 0 ? "user" : "assistant");
    await expect(bubbles.nth(i)).toContainText(i % 2 === 0 ? "User" : "Assistant");
  }
  // The chat scrolls by keyboard: its region takes focus.
  await chat.focus();
  await expect(chat).toBeFocused();
  await expectNoSeriousViolations(page, "record detail with a conversation");

  await page.goto(`/datasets/${datasetId}/export`);
  await page.getByRole("button", { name: /^unreviewed/ }).click();
  await page.getByRole("radio", { name: /ShareGPT/ }).click();
  // A chat format takes its messages from the conversation by default.
  await expect(page.getByLabel("Messages from")).toHaveValue("conversation");
  await expect(page.getByText("4 records match")).toBeVisible();
  await expectNoSeriousViolations(page, "export with a conversation's turns");
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download 4 records" }).click();
  const download = await downloadPromise;
  await expect(page.getByTestId("export-progress")).toContainText("Done: 4 records written");
  const rows = fs
    .readFileSync((await download.path())!, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { conversations: { from: string; value: string }[] });
  expect(rows).toHaveLength(4);
  for (const r of rows) {
    const [system, ...turns] = r.conversations;
    expect(system.from).toBe("system");
    expect(system.value).toMatch(/customer-support agent/);
    expect([4, 6, 8]).toContain(turns.length);
    turns.forEach((t, i) => {
      expect(t.from).toBe(i % 2 === 0 ? "human" : "gpt");
      expect(t.value.trim()).not.toBe("");
    });
  }
});
