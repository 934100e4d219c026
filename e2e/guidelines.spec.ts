import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { seededDataset } from "./db";

// Guidelines (issue 17 item 6): written in Markdown by an editor beside the grid, shown to
// reviewers beside the record, with the author's raw HTML shown as text, never run.
test("write guidelines in Markdown beside the grid; they render safely and are there on the next visit", async ({ page }) => {
  const datasetId = await seededDataset("Guidelines", 5);
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`/datasets/${datasetId}/records`);
  await expect(page.getByTestId("record-row").first()).toBeVisible();

  await page.getByRole("button", { name: "Guidelines" }).click();
  const panel = page.getByRole("complementary", { name: "Guidelines" });
  await expect(panel.getByText("No guidelines yet.")).toBeVisible();
  // The close button keeps to the header's right edge, with Edit beside it or without it.
  const close = panel.getByRole("button", { name: "Close the guidelines" });
  const rightGap = async () => {
    const [c, p] = [(await close.boundingBox())!, (await panel.boundingBox())!];
    return p.x + p.width - (c.x + c.width);
  };
  const withEdit = await rightGap();
  expect(withEdit).toBeLessThan(24);
  const edit = await panel.getByRole("button", { name: "Edit" }).boundingBox();
  expect(edit!.x + edit!.width).toBeLessThanOrEqual((await close.boundingBox())!.x);
  await panel.getByRole("button", { name: "Edit" }).click();
  await expect(panel.getByRole("button", { name: "Edit" })).toHaveCount(0);
  expect(await rightGap()).toBeCloseTo(withEdit, 0);
  await panel.getByLabel("Guidelines (Markdown)").fill(
    [
      "## Accept",
      "- the story uses only **simple** words",
      "- see [the style guide](https://example.com/style)",
      "",
      "## Reject",
      '<script>alert("x")</script> <img src="nope" onerror="alert(1)">',
      "[click me](javascript:alert(2))",
    ].join("\n"),
  );
  await panel.getByRole("button", { name: "Save guidelines" }).click();
  await expect(panel.getByRole("status")).toHaveText("Guidelines saved.");

  const html = panel.getByTestId("guidelines-html");
  await expect(html.getByRole("heading", { name: "Accept" })).toBeVisible();
  await expect(html.getByRole("link", { name: "the style guide" })).toHaveAttribute("href", "https://example.com/style");
  // The author's HTML is text, and a script address is not a link.
  await expect(html.getByText('<script>alert("x")</script>', { exact: false })).toBeVisible();
  await expect(html.locator("script, img")).toHaveCount(0);
  await expect(html.getByRole("link", { name: "click me" })).toHaveCount(0);
  await expect(html.getByText("click me")).toBeVisible();
  await expectNoSeriousViolations(page, "guidelines beside the grid");

  // Beside the record too: the detail panel opens next to them.
  await page.getByTestId("records-grid").focus();
  await page.keyboard.press("Enter");
  await expect(panel).toBeVisible();

  await page.reload();
  await expect(page.getByTestId("record-row").first()).toBeVisible();
  await page.getByRole("button", { name: "Guidelines" }).click();
  await expect(page.getByRole("complementary", { name: "Guidelines" }).getByRole("heading", { name: "Reject" })).toBeVisible();
  // The panel's text is reachable by keyboard (a named, focusable region).
  await page.getByRole("region", { name: "Guidelines text" }).focus();
  await expect(page.getByRole("region", { name: "Guidelines text" })).toBeFocused();
  expect(dialogs).toEqual([]);
});
