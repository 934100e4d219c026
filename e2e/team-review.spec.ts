import fs from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { query } from "./db";

// Issue 17, items 3-5, in three browsers: the owner invites two annotators, assigns 20
// records with two reviewers each; both review by keyboard in their queues and disagree
// on three records; the owner reads the agreement, settles the three by keyboard, and
// the export carries the settled decisions. Annotators cannot open export or provider
// settings, even by address. The accounts made here are removed at the end (the other
// specs run in single-user mode).
const OWNER = { name: "Tess Owner", email: "tess@example.com", password: "owner password 1" };
let projectId = "";
let datasetId = "";

test.beforeAll(async () => {
  projectId = (await query<{ id: string }>(`insert into "Project" (id, name, "updatedAt") values (gen_random_uuid(), 'Labelling crew', now()) returning id`))[0]!.id;
  datasetId = (await query<{ id: string }>(`insert into "Dataset" (id, "projectId", name, draft, "updatedAt") values (gen_random_uuid(), $1, 'Support answers', '{"fields":[]}', now()) returning id`, [projectId]))[0]!.id;
  await query(
    `insert into "Record" (id, "datasetId", index, source, status, values, "updatedAt")
     select gen_random_uuid(), $1, i, 'imported', 'succeeded', jsonb_build_object('question', 'Question ' || i || ': where is my parcel?', 'answer', 'Answer ' || i), now()
     from generate_series(0, 19) i`,
    [datasetId],
  );
});

test.afterAll(async () => {
  await query(`delete from "user"`);
  await query(`delete from "Project" where id = $1`, [projectId]);
});

async function invite(page: Page, email: string): Promise<string> {
  const section = page.getByRole("region", { name: "Add someone to Labelling crew" });
  await section.getByRole("region", { name: "Invite by link" }).getByLabel("Their e-mail").fill(email);
  const shown = section.getByTestId("invitation-link");
  const before = (await shown.count()) ? await shown.textContent() : "";
  await section.getByRole("button", { name: "Make invitation link" }).click();
  await expect(shown).toHaveText(/\/invite\//);
  await expect(shown).not.toHaveText(before ?? "");
  return (await shown.textContent())!;
}

async function join(browser: Browser, link: string, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(link);
  await page.getByLabel("Your name", { exact: true }).fill(name);
  await page.getByLabel("Password", { exact: true }).fill(`${name} password`);
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page).toHaveURL(/\/$/);
  return page;
}

/** Decides the whole queue by keyboard: "r" for the records (1-based) in `rejects`, "a" otherwise. */
async function review(page: Page, rejects: number[]) {
  await page.goto(`/datasets/${datasetId}/queue`);
  const progress = page.getByTestId("queue-progress");
  await expect(progress).toHaveText("0 of 20 decided");
  await page.getByRole("listbox", { name: "Records assigned to you" }).focus();
  for (let n = 1; n <= 20; n++) {
    await expect(page.getByRole("option", { selected: true })).toContainText(`Record ${n}`);
    await page.keyboard.press(rejects.includes(n) ? "r" : "a");
    await expect(progress).toHaveText(`${n} of 20 decided`);
  }
}

test("owner assigns with overlap 2, two annotators disagree, the owner settles it and export carries the final decisions", async ({ page, browser }) => {
  test.setTimeout(420_000); // three browsers, 40 decisions one key at a time, on a shared 2-core machine
  await page.goto("/settings/team");
  await page.getByLabel("Your name", { exact: true }).fill(OWNER.name);
  await page.getByLabel("E-mail", { exact: true }).fill(OWNER.email);
  await page.getByLabel("Password", { exact: true }).fill(OWNER.password);
  await page.getByRole("button", { name: "Create the owner account" }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/settings/team");
  const annLink = await invite(page, "ann@example.com");
  const benLink = await invite(page, "ben@example.com");
  const ann = await join(browser, annLink, "Ann");
  const ben = await join(browser, benLink, "Ben");

  // Assign all 20 records, two reviewers each.
  await page.goto(`/datasets/${datasetId}/team`);
  await page.getByRole("checkbox", { name: "Ann (annotator)" }).check();
  await page.getByRole("checkbox", { name: "Ben (annotator)" }).check();
  await page.getByLabel("Reviewers per record").fill("2");
  await page.getByRole("button", { name: "Assign", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Assigned 20 records (40 assignments)." })).toBeVisible();
  await expectNoSeriousViolations(page, "team tab");

  // Ann rejects records 19-20, Ben 16-20: they disagree on 16, 17 and 18.
  await review(ann, [19, 20]);
  await expectNoSeriousViolations(ann, "my queue");
  await review(ben, [16, 17, 18, 19, 20]);

  // An annotator sees only the queue: no grid of all records, no export, no providers.
  await ann.goto(`/datasets/${datasetId}/records`);
  await expect(ann).toHaveURL(new RegExp(`/datasets/${datasetId}/queue$`));
  for (const path of [`/datasets/${datasetId}/export`, `/datasets/${datasetId}/team`, "/settings/providers"]) {
    await ann.goto(path);
    await expect(ann.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  }

  // Agreement: 17 of 20 agree; Ann accepts 18, Ben 15: pe = 0.9·0.75 + 0.1·0.25 = 0.7, kappa = 0.15 / 0.3 = 0.5.
  await page.reload();
  await expect(page.getByText("20 of 20 assigned records complete")).toBeVisible();
  await expect(page.getByRole("row", { name: "Ann 20 of 20 decided" })).toBeVisible();
  const row = page.getByRole("table", { name: "Agreement per question" }).getByRole("row", { name: /Accept \/ reject/ });
  await expect(row).toContainText("85.0%");
  await expect(row).toContainText("0.50");
  await expect(page.getByRole("table", { name: "Kappa per pair of people: Accept / reject" })).toContainText("Ann × Ben");

  // Settle by keyboard: 16 accept, 17 reject, 18 accept.
  const list = page.getByRole("listbox", { name: "Records people disagree on" });
  await expect(list.getByRole("option")).toHaveCount(3);
  for (const [n, key] of [[16, "a"], [17, "r"], [18, "a"]] as const) {
    await list.focus();
    await expect(list.getByRole("option", { selected: true })).toContainText(`Record ${n}`);
    await page.keyboard.press(key);
    await expect(page.getByLabel("Reason")).toBeFocused();
    await page.keyboard.type(`Record ${n}: checked against the policy.`);
    await page.keyboard.press("Enter");
    await expect(list.getByRole("option", { name: new RegExp(`Record ${n}\\b`) })).toContainText("Settled");
  }
  await expectNoSeriousViolations(page, "settled disagreements");

  // Export (accepted by default): 15 agreed + 2 settled as accepted.
  await page.goto(`/datasets/${datasetId}/export`);
  await page.getByRole("radio", { name: /^CSV/ }).click();
  await expect(page.getByText("17 records match")).toBeVisible();
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download 17 records" }).click();
  const csv = fs.readFileSync((await (await downloadPromise).path())!, "utf8");
  expect(csv).toContain("Question 15:");
  expect(csv).not.toContain("Question 16:");
  expect(csv).toContain("Question 17:");
  expect(csv).not.toContain("Question 18:");
  const settled = await query<{ reason: string; reviewer: string }>(`select reason, reviewer from "Adjudication" where "datasetId" = $1 order by reason`, [datasetId]);
  expect(settled).toEqual([16, 17, 18].map((n) => ({ reason: `Record ${n}: checked against the policy.`, reviewer: OWNER.name })));
  await ann.context().close();
  await ben.context().close();
});
