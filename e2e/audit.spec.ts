import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { addFakeConnection, unique } from "./connections";
import { seededDataset } from "./db";

// Issue 17 item 7: the owner (here the local owner: one person, no sign-in) accepts a
// record and changes a provider key, then finds both in Settings → Audit, newest first,
// filters it with the keyboard, and never sees the key. (Refusal by URL for an annotator:
// accounts.spec.ts.)
test("owner's decision and key change appear in Settings → Audit, filterable, without the key", async ({ page }) => {
  const datasetId = await seededDataset("Audit", 3);
  const conn = unique("Audited");
  const first = `sk-first-${randomBytes(12).toString("hex")}`;
  const second = `sk-second-${randomBytes(12).toString("hex")}`;

  // A decision in the grid, by the keyboard.
  await page.addInitScript(() => localStorage.setItem("datawright.reviewer", "Kim"));
  await page.goto(`/datasets/${datasetId}/records`);
  await expect(page.getByTestId("records-grid")).toBeFocused();
  await page.keyboard.press("a");
  await expect(page.locator('[data-testid="record-row"][data-index="0"]').getByTestId("review-state")).toHaveText("accepted");

  // A key change.
  await addFakeConnection(page, { name: conn, url: "http://127.0.0.1:9/v1", apiKey: first });
  const row = page.getByTestId("connection").filter({ hasText: conn });
  await row.getByRole("button", { name: `Edit ${conn}` }).click();
  const edit = page.getByRole("form", { name: `Edit ${conn}` });
  await edit.getByLabel("API key").fill(second);
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(row.getByTestId("key-status")).toHaveText(`key ••••${second.slice(-4)}`);

  // Settings → Audit, from the settings tabs.
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Audit" }).click();
  await expect(page.getByRole("heading", { name: "Audit" })).toBeVisible();
  const events = page.getByTestId("audit-event");
  await expect(events.nth(0)).toContainText(`changed API key of the provider connection “${conn}”`);
  await expect(events.nth(1)).toContainText(`added the provider connection “${conn}”`);
  await expect(events.nth(2)).toContainText("accepted record #1");
  await expect(events.nth(2)).toContainText("Audit ");
  // Times in the browser's locale (the server's UTC rendering is replaced).
  await expect(events.nth(0).locator("time")).not.toContainText("UTC");
  const html = await page.content();
  for (const k of [first, second]) expect(html).not.toContain(k.slice(0, -4));
  await expectNoSeriousViolations(page, "audit");

  // Filters by the keyboard: this dataset only, then decisions only, then nothing matches.
  const dataset = page.getByLabel("Dataset", { exact: true });
  await dataset.focus();
  await dataset.selectOption(datasetId);
  await expect(events).toHaveCount(1);
  await expect(events.first()).toContainText("accepted record #1");
  await page.getByLabel("Action", { exact: true }).selectOption({ label: "Decision" });
  await expect(events).toHaveCount(1);
  await page.getByLabel("Action", { exact: true }).selectOption({ label: "Run cancelled" });
  await expect(page.getByText("No events match these filters")).toBeVisible();
  await expectNoSeriousViolations(page, "audit, nothing matches");
  await page.getByRole("button", { name: "Clear filters" }).focus();
  await page.keyboard.press("Enter");
  await expect(events.nth(0)).toContainText(`“${conn}”`);
});
