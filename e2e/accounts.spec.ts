import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { query } from "./db";

// Issue 17, items 1-2: the owner creates the owner account (still no sign-in with one
// account), invites an annotator by link; the annotator joins in a second browser; from
// the second account on everyone signs in, and the annotator cannot open export or
// provider settings even by typing the address. The other specs run in single-user mode:
// the accounts made here are removed at the end.
const OWNER = { name: "Olga Owner", email: "olga@example.com", password: "owner password 1" };
let projectId = "";
let datasetId = "";

test.beforeAll(async () => {
  // A studio's project and dataset, made directly: this journey is about people.
  projectId = (await query<{ id: string }>(`insert into "Project" (id, name, "updatedAt") values (gen_random_uuid(), 'Team reviews', now()) returning id`))[0]!.id;
  datasetId = (await query<{ id: string }>(`insert into "Dataset" (id, "projectId", name, draft, "updatedAt") values (gen_random_uuid(), $1, 'Tickets', '{"fields":[]}', now()) returning id`, [projectId]))[0]!.id;
  // One imported record with an earlier version, so the detail panel has a Restore button
  // for whoever may use it.
  const recordId = (await query<{ id: string }>(`insert into "Record" (id, "datasetId", index, source, status, values, "updatedAt") values (gen_random_uuid(), $1, 0, 'import', 'succeeded', '{"text":"now"}', now()) returning id`, [datasetId]))[0]!.id;
  await query(`insert into "RecordVersion" (id, "recordId", kind, values, "reviewState") values (gen_random_uuid(), $1, 'regenerate', '{"text":"before"}', 'unreviewed')`, [recordId]);
});

test.afterAll(async () => {
  await query(`delete from "user"`);
  await query(`delete from "Project" where id = $1`, [projectId]);
});

async function fill(page: Page, label: string, value: string) {
  await page.getByLabel(label, { exact: true }).fill(value);
}

test("owner invites an annotator, who signs in elsewhere and cannot open export or provider settings", async ({ page, browser }) => {
  // One person: no sign-in; Settings → Team creates the owner account.
  await page.goto("/settings/team");
  await expect(page.getByRole("heading", { name: "Your owner account" })).toBeVisible();
  await expectNoSeriousViolations(page, "team, no account yet");
  await fill(page, "Your name", OWNER.name);
  await fill(page, "E-mail", OWNER.email);
  await fill(page, "Password", "short");
  await page.getByRole("button", { name: "Create the owner account" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Use at least 10 characters." })).toBeVisible();
  await fill(page, "Password", OWNER.password);
  await page.getByRole("button", { name: "Create the owner account" }).click();
  await expect(page).toHaveURL(/\/$/);

  // Still one account: still no sign-in. Invite an annotator to the project.
  await page.goto("/settings/team");
  const section = page.getByRole("region", { name: "Add someone to Team reviews" });
  await section.getByRole("region", { name: "Invite by link" }).getByLabel("Their e-mail").fill("ann@example.com");
  await section.getByRole("button", { name: "Make invitation link" }).click();
  const link = (await section.getByTestId("invitation-link").textContent())!;
  expect(link).toMatch(/\/invite\/[\w-]{40,}$/);
  await expectNoSeriousViolations(page, "team with an invitation");

  // The annotator, in a browser of their own.
  const annCtx = await browser.newContext();
  const ann = await annCtx.newPage();
  await ann.goto(link);
  await expect(ann.getByRole("heading", { name: "Join Team reviews" })).toBeVisible();
  await expectNoSeriousViolations(ann, "invitation");
  await fill(ann, "Your name", "Ann Annotator");
  await fill(ann, "Password", "annotator password");
  await ann.getByRole("button", { name: "Create my account" }).click();
  await expect(ann).toHaveURL(/\/$/);
  await expect(ann.getByRole("link", { name: "Ann Annotator" })).toBeVisible();

  // Even by address: no export, no provider settings.
  await ann.goto(`/datasets/${datasetId}/export`);
  await expect(ann.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  await ann.goto("/settings/providers");
  await expect(ann.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  await expect(ann.getByText("Only the studio's owner can do this.")).toBeVisible();
  // Nor the audit trail, which names everyone and every project.
  await ann.goto("/settings/audit");
  await expect(ann.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  await expect(ann.getByTestId("audit-event")).toHaveCount(0);

  // In review the annotator sees earlier versions but no control an editor's action guards.
  await ann.goto(`/datasets/${datasetId}/records`);
  await ann.getByTestId("record-row").first().click();
  await ann.keyboard.press("Enter");
  const annVersions = ann.getByTestId("record-versions");
  await expect(annVersions.getByTestId("record-version")).toContainText("Before regeneration");
  await expect(annVersions.getByRole("button", { name: /^Restore the version from / })).toHaveCount(0);
  for (const name of ["Regenerate field…", "Labels…"]) await expect(ann.getByRole("button", { name })).toHaveCount(0);
  await expectNoSeriousViolations(ann, "review as an annotator");

  // Anyone signed in makes their own API token, shown once; it acts with their role: the
  // annotator's reads the project's datasets but cannot export, and is refused once revoked.
  await ann.getByRole("link", { name: "API tokens" }).click();
  await ann.getByLabel("Token name").fill("Ann's notebook");
  await ann.getByRole("button", { name: "Create token" }).click();
  const token = (await ann.getByTestId("token-value").textContent())!;
  await expect(ann.getByTestId("new-token")).toContainText("it is not shown again");
  await expectNoSeriousViolations(ann, "API tokens as an annotator");
  const api = (path: string, method = "GET") => ann.request.fetch(`/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, data: method === "POST" ? {} : undefined });
  expect((await api(`/projects/${projectId}/datasets`)).status()).toBe(200);
  const exported = await api(`/datasets/${datasetId}/export`, "POST");
  expect(exported.status()).toBe(403);
  await ann.reload();
  await expect(ann.getByTestId("token-value")).toHaveCount(0); // shown once
  ann.once("dialog", (d) => void d.accept());
  await ann.getByRole("button", { name: "Revoke Ann's notebook" }).click();
  await expect(ann.getByTestId("token-row").filter({ hasText: "Ann's notebook" })).toContainText("Revoked");
  expect(await (await api(`/projects/${projectId}/datasets`)).json()).toMatchObject({ ok: false, error: { message: `This API token ("Ann's notebook") was revoked.` } });

  // The link is spent.
  const again = await browser.newContext();
  const other = await again.newPage();
  await other.goto(link);
  await expect(other.getByText("This invitation has been used already.")).toBeVisible();

  // Creating the owner account signed the owner in: provider settings are theirs.
  await page.goto("/settings/providers");
  await expect(page.getByRole("heading", { name: "Providers" })).toBeVisible();
  // Signed out, with two accounts, every page asks for sign-in.
  await page.goto("/account");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/settings/providers");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expectNoSeriousViolations(page, "sign in");
  await fill(page, "E-mail", OWNER.email);
  await fill(page, "Password", "wrong password!");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "The e-mail or the password is not right." }).first()).toBeVisible();
  await fill(page, "Password", OWNER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/settings/providers");
  await expect(page.getByRole("heading", { name: "Providers" })).toBeVisible();
  // The owner reads the audit: who joined by which invitation, by name.
  await page.goto("/settings/audit");
  await expect(page.getByTestId("audit-event").filter({ hasText: "took the invitation for ann@example.com (annotator)" })).toContainText("Ann Annotator");
  await expect(page.getByTestId("audit-event").filter({ hasText: "invited ann@example.com as annotator" })).toContainText(OWNER.name);
  // The owner has the controls the annotator did not see.
  await page.goto(`/datasets/${datasetId}/records`);
  await page.getByTestId("record-row").first().click();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("record-versions").getByRole("button", { name: /^Restore the version from / })).toHaveCount(1);
  for (const name of ["Regenerate field…", "Labels…"]) await expect(page.getByRole("button", { name })).toHaveCount(1);

  await annCtx.close();
  await again.close();
});
