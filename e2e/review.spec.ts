import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import pg from "pg";
import { createSeedDataset } from "../lib/testing/seed-records";
import { query, seededDataset } from "./db";

// Each test seeds its own dataset straight in SQL (no generation needed).
const LABELS = {
  labels: [
    { name: "quality", kind: "single", options: ["good", "bad"], key: "q" },
    { name: "stars", kind: "rating", key: "g" },
  ],
};

const seeded = (n: number) => seededDataset("Review", n, (c, id) => c.query(`update "Dataset" set "labelSchema" = $2 where id = $1`, [id, JSON.stringify(LABELS)]));

async function openAs(page: Page, datasetId: string, name: string) {
  await page.addInitScript((n) => localStorage.setItem("datawright.reviewer", n), name);
  await page.goto(`/datasets/${datasetId}/records`);
  await expect(page.getByTestId("record-row").first()).toBeVisible();
  await expect(page.getByTestId("records-grid")).toBeFocused();
}

const row = (page: Page, index: number) => page.locator(`[data-testid="record-row"][data-index="${index}"]`);

test("review twenty records with the keyboard only", async ({ page }) => {
  const datasetId = await seeded(30);
  await page.goto(`/datasets/${datasetId}/records`);
  // The name is asked once per browser, when the first decision needs it: arriving, and
  // moving with the keys, leave the focus in the grid.
  const grid = page.getByTestId("records-grid");
  await expect(grid).toBeFocused();
  await page.keyboard.press("j");
  await expect(row(page, 1)).toHaveAttribute("data-focused", "true");
  await page.keyboard.press("k");
  await expect(row(page, 0)).toHaveAttribute("data-focused", "true");
  await expect(grid).toBeFocused();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await page.keyboard.press("2"); // quality: bad, the first change to record 0
  const nameBox = page.getByRole("dialog", { name: "Who is reviewing?" }).getByRole("textbox", { name: "Your name", exact: true });
  await expect(nameBox).toBeFocused();
  await nameBox.fill("Kim");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("reviewer-name")).toHaveText("Reviewing as Kim");
  await expect(grid).toBeFocused();
  // The key that asked for the name was not lost; the save is announced.
  await expect(row(page, 0).getByTestId("labels")).toHaveText("quality: bad");
  await expect(page.getByRole("status").filter({ hasText: "Saved the labels of record 0." })).toBeAttached();

  // The cursor row is the grid's active row, not a selected one: selection is the checkboxes.
  await expect(row(page, 0)).toHaveAttribute("aria-current", "true");
  await expect(row(page, 0)).toHaveAttribute("aria-selected", "false");
  await expect(grid).toHaveAttribute("aria-activedescendant", (await row(page, 0).getAttribute("id"))!);
  await page.keyboard.press("s");
  await expect(row(page, 0).getByRole("checkbox")).toBeChecked();
  await expect(row(page, 0)).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("s");
  await expect(row(page, 0)).toHaveAttribute("aria-selected", "false");

  await expectNoSeriousViolations(page, "records grid");
  await page.keyboard.press("?");
  const shortcuts = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(shortcuts).toBeVisible();
  await expect(shortcuts.getByRole("columnheader")).toHaveText(["Keys", "Action"]);
  await expectNoSeriousViolations(page, "records grid with the shortcuts dialog open");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);

  for (let i = 0; i < 20; i++) {
    await expect(row(page, i)).toHaveAttribute("data-focused", "true");
    if (i % 5 === 0) await page.keyboard.press("1"); // quality: good
    if (i % 5 === 1) {
      await page.keyboard.press("g"); // stars take the digits now
      await page.keyboard.press("4");
      await page.keyboard.press("q");
    }
    await page.keyboard.press(i % 4 === 3 ? "r" : "a"); // decides and moves on
  }
  await expect(row(page, 20)).toHaveAttribute("data-focused", "true");
  await page.keyboard.press("k");
  await expect(row(page, 19)).toHaveAttribute("data-focused", "true");
  await page.keyboard.press("j");

  await expect(page.getByTestId("review-progress")).toHaveText("20 / 30 reviewed");
  await expect(page.getByTestId("accept-rate")).toHaveText("75% accepted");
  // Back to the first record: the grid renders only a few rows beyond those on screen.
  await page.keyboard.press("Home");
  await expect(row(page, 0)).toHaveAttribute("data-focused", "true");
  await expect(row(page, 0).getByTestId("labels")).toHaveText("quality: good");
  await expect(row(page, 1).getByTestId("labels")).toHaveText("stars: ★★★★");
  await expect(row(page, 3).getByTestId("review-state")).toHaveText("rejected");

  // Stored with who and when.
  const rows = await query<{ reviewState: string; reviewedBy: string; n: number }>(
    `select "reviewState"::text, "reviewedBy", count(*)::int as n from "Record" where "datasetId" = $1 and "reviewedAt" > now() - interval '10 minutes' group by 1, 2 order by 1`,
    [datasetId],
  );
  expect(rows).toEqual([
    { reviewState: "accepted", reviewedBy: "Kim", n: 15 },
    { reviewState: "rejected", reviewedBy: "Kim", n: 5 },
  ]);

  // Reload: the name is remembered, the decisions are there.
  await page.reload();
  await expect(page.getByTestId("reviewer-name")).toHaveText("Reviewing as Kim");
  await expect(page.getByTestId("review-progress")).toHaveText("20 / 30 reviewed");
});

test("bulk-accept everything matching a filter, then undo it", async ({ page }) => {
  const datasetId = await seeded(500);
  await openAs(page, datasetId, "Lee");
  await page.getByLabel("Value field").selectOption("topic");
  await page.getByLabel("Value", { exact: true }).fill("music");
  await page.getByRole("button", { name: "Filter", exact: true }).click();
  await expect(page.getByTestId("match-count")).toHaveText("62 records");
  await page.getByRole("button", { name: "Select all 62 matching" }).click();
  await expect(page.getByTestId("bulk-bar")).toContainText("All 62 matching records");
  await page.getByRole("button", { name: "Accept all" }).click();
  await expect(page.getByTestId("toast")).toContainText("Changed 62 records.");
  await expect(page.getByTestId("review-progress")).toHaveText("62 / 500 reviewed");
  const accepted = await query<{ topic: string; n: number }>(
    `select values->>'topic' as topic, count(*)::int as n from "Record" where "datasetId" = $1 and "reviewState" = 'accepted' group by 1`,
    [datasetId],
  );
  expect(accepted).toEqual([{ topic: "music", n: 62 }]);

  await page.getByTestId("toast").getByRole("button", { name: "Undo" }).click();
  await expect(page.getByTestId("toast")).toContainText('Undid "accept" on 62 records.');
  await expect(page.getByTestId("review-progress")).toHaveText("0 / 500 reviewed");

  // The grid's filter travels to the export page as is.
  await page.getByRole("link", { name: "Export these 62 →" }).click();
  await expect(page).toHaveURL(/\/export\?filter=/);
  const filter = JSON.parse(new URL(page.url()).searchParams.get("filter")!);
  expect(filter.values).toEqual([{ field: "topic", op: "eq", value: "music" }]);
});

test("edit a field's text, see the original kept, and undo the edit", async ({ page }) => {
  const datasetId = await seeded(5);
  await openAs(page, datasetId, "Mo");
  await page.keyboard.press("j");
  await page.keyboard.press("e");
  const box = page.getByLabel("New value of answer");
  await expect(box).toBeFocused();
  const original = await box.inputValue();
  await box.fill("A better answer.");
  await page.keyboard.press("Control+Enter");
  await expect(row(page, 1).locator('[data-field="answer"]')).toHaveText("A better answer.");
  const detail = page.getByTestId("record-detail");
  await expect(detail.getByTestId("edit-history")).toContainText(`Original: ${original}`);
  await expect(detail.getByTestId("edit-history")).toContainText("Mo,");
  await expect(page.getByRole("status").filter({ hasText: "Saved the edit of record 1." })).toBeAttached();
  await expect(detail).toContainText(/ · 1 attempt · created /);
  await expectNoSeriousViolations(page, "records grid with the detail panel");

  await expect(page.getByTestId("records-grid")).toBeFocused();
  await page.keyboard.press("u");
  await expect(page.getByTestId("toast")).toContainText("Undid an edit on 1 record.");
  await expect(row(page, 1).locator('[data-field="answer"]')).toHaveText(original.slice(0, 400));
  const [r] = await query<{ answer: string }>(`select values->>'answer' as answer from "Record" where "datasetId" = $1 and index = 1`, [datasetId]);
  expect(r.answer).toBe(original);
});

async function reviewer(browser: Browser, datasetId: string, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await openAs(page, datasetId, name);
  return { context, page };
}

test("two people changing the same record: the second gets a conflict and sees the current value", async ({ browser }) => {
  const datasetId = await seeded(3);
  const ana = await reviewer(browser, datasetId, "Ana");
  const bo = await reviewer(browser, datasetId, "Bo");
  try {
    await ana.page.keyboard.press("a");
    await expect(row(ana.page, 0).getByTestId("review-state")).toHaveText("accepted");
    await expect.poll(async () => (await query(`select 1 from "Record" where "datasetId" = $1 and "reviewState" = 'accepted'`, [datasetId])).length).toBe(1);

    // Bo still sees it unreviewed and rejects it.
    await expect(row(bo.page, 0).getByTestId("review-state")).toHaveText("unreviewed");
    await bo.page.keyboard.press("r");
    await expect(bo.page.getByTestId("toast")).toContainText("Ana accepted this record after you loaded it, so your change was not saved");
    await expect(row(bo.page, 0).getByTestId("review-state")).toHaveText("accepted");
    const [r] = await query<{ reviewState: string; reviewedBy: string }>(
      `select "reviewState"::text, "reviewedBy" from "Record" where "datasetId" = $1 and index = 0`,
      [datasetId],
    );
    expect(r).toEqual({ reviewState: "accepted", reviewedBy: "Ana" });
  } finally {
    await ana.context.close();
    await bo.context.close();
  }
});

test("a dataset without records says how to get some", async ({ page }) => {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  const ds = await createSeedDataset(c, `Empty ${Date.now().toString(36)}`);
  await c.end();
  await page.goto(`/datasets/${ds.datasetId}/records`);
  await expect(page.getByText("Generate a batch or import data")).toBeVisible();
});

test("scrolling hands the rows that leave the window to the records that enter, each showing its own record", async ({ page }) => {
  const datasetId = await seeded(500);
  await openAs(page, datasetId, "Kim");
  const grid = page.getByTestId("records-grid");
  const rendered = () => grid.locator('[role="row"][data-index]');
  // Away from the top, so the rows kept above the viewport are all there and the window
  // keeps its size as it moves.
  await grid.evaluate((g) => (g.scrollTop = 36 * 60));
  await expect(row(page, 60)).toBeVisible();
  const before = await rendered().count();
  const last = Number(await rendered().last().getAttribute("data-index"));
  // Remember every row element the grid has now.
  await grid.evaluate((g) => {
    (window as unknown as { seenRows: WeakSet<Element> }).seenRows = new WeakSet(g.querySelectorAll('[role="row"][data-index]'));
  });
  await grid.evaluate((g) => (g.scrollTop += 36 * 4));
  await expect(row(page, last + 4)).toBeVisible();
  expect(await rendered().count()).toBe(before);
  const built = await grid.evaluate(
    (g) => [...g.querySelectorAll('[role="row"][data-index]')].filter((r) => !(window as unknown as { seenRows: WeakSet<Element> }).seenRows.has(r)).length,
  );
  expect(built).toBe(0);
  // A handed-over row shows the record of its new place, not the one it showed before.
  for (const i of [last + 1, last + 4]) {
    await expect(row(page, i).getByRole("gridcell").nth(1)).toHaveText(`#${i + 1}`);
    await expect(row(page, i).locator('[data-field="n"]')).toHaveText(String(i % 1000));
  }
});

test("working through a filter, records decided on screen leave it without the next pages skipping any", async ({ page }) => {
  const datasetId = await seeded(300);
  await openAs(page, datasetId, "Kim");
  await page.getByRole("group", { name: "Review state" }).getByRole("button", { name: "unreviewed" }).click();
  await expect(page.getByTestId("match-count")).toHaveText("300 records");
  // Three records leave "unreviewed"; their rows stay where they are until a refresh.
  const grid = page.getByTestId("records-grid");
  await grid.focus();
  await expect(row(page, 0)).toHaveAttribute("data-focused", "true");
  for (let i = 0; i < 3; i++) await page.keyboard.press("a");
  await expect(page.getByTestId("review-progress")).toHaveText("3 / 300 reviewed");
  await expect(row(page, 2).getByRole("gridcell").nth(1)).toHaveText("#3");
  // The page read next follows on from the rows on screen: counted from the top instead,
  // it would start three records later, and those three would never be shown.
  for (const top of [36 * 90, 36 * 190]) {
    await grid.evaluate((g, t) => (g.scrollTop = t), top);
    await expect(row(page, top / 36 + 5)).toBeVisible();
  }
  for (const i of [199, 200, 201, 202]) await expect(row(page, i).getByRole("gridcell").nth(1)).toHaveText(`#${i + 1}`);
});
