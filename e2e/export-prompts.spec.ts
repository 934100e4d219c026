import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { startFakeLlm } from "../fake-llm/server";
import { expectNoSeriousViolations } from "./axe";
import { addFakeConnection } from "./connections";

// The children's-stories starter, generated for real through the fake OpenAI-compatible
// server (which tells this test every request it received), then exported as OpenAI chat
// with the mapping the page chooses: each example must be the system prompt and the user
// prompt exactly as sent, then the story.
type Msg = { role: string; content: string };
const received: Msg[][] = [];
let llm: Awaited<ReturnType<typeof startFakeLlm>>;
test.beforeAll(async () => {
  llm = await startFakeLlm({ latencyMs: 5, onChatRequest: (m) => received.push(m as Msg[]) });
});
test.afterAll(async () => {
  await llm?.close();
});

const unique = (s: string) => `${s} ${Date.now().toString(36)}`;

test("children's stories as OpenAI chat: system prompt, the exact user prompt sent, the story; no console errors", async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(`${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => consoleErrors.push(e.message));

  const connection = unique("Fake for chat export");
  await addFakeConnection(page, { name: connection, url: llm.url, apiKey: "sk-e2e-export-key" });

  await page.goto("/");
  await page.getByLabel("New project name").fill(unique("Chat export"));
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("button", { name: /Children's stories/ }).click();
  await expect(page).toHaveURL(/\/datasets\/[0-9a-f-]{36}/);
  const datasetId = /\/datasets\/([0-9a-f-]{36})/.exec(page.url())![1];
  await page.getByRole("textbox", { name: "System prompt" }).fill("You write very short stories for small children.");
  await expect(page.getByTestId("save-state")).toHaveText("Saved");

  await page.getByRole("link", { name: "Generate", exact: true }).click();
  await page.getByLabel("Records to generate").fill("12");
  await page.getByRole("combobox", { name: "Connection", exact: true }).selectOption({ label: connection });
  await page.getByRole("button", { name: "Launch 12 records" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 30_000 });

  await page.goto(`/datasets/${datasetId}/export`);
  // Generated records wait for review; take them all.
  await page.getByRole("button", { name: /^unreviewed/ }).click();
  await page.getByRole("radio", { name: /OpenAI chat/ }).click();
  await expect(page.getByLabel("System from")).toHaveValue("prompt:system:story");
  await expect(page.getByLabel("User from")).toHaveValue("prompt:user:story");
  await expect(page.getByLabel("Assistant from")).toHaveValue("field:story");
  await expect(page.getByText("12 records match")).toBeVisible();
  await expectNoSeriousViolations(page, "export page with prompts as sources");
  await expect(page.getByTestId("export-preview")).toContainText('{"messages":[{"role":"system","content":"You write very short stories for small children."},{"role":"user","content":"Write a short story');

  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download 12 records" }).click();
  const download = await downloadPromise;
  await expect(page.getByTestId("export-progress")).toContainText("Done: 12 records written");

  const examples = fs
    .readFileSync((await download.path())!, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { messages: Msg[] });
  expect(examples).toHaveLength(12);
  const sent = new Set(received.map((m) => JSON.stringify(m)));
  for (const { messages } of examples) {
    expect(messages.map((m) => m.role)).toEqual(["system", "user", "assistant"]);
    // The system and user messages are one request the server received, verbatim.
    expect(sent.has(JSON.stringify(messages.slice(0, 2)))).toBe(true);
    expect(messages[1].content).toMatch(/^Write a short story .* use the verb "[^"]+", the noun "[^"]+" and the adjective "[^"]+"/s);
    expect(messages[2].content.length).toBeGreaterThan(0);
  }
  expect(new Set(examples.map((e) => e.messages[1].content)).size).toBe(12);
  expect(consoleErrors).toEqual([]);
});
