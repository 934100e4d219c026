import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { addFakeConnection, fakeLlmForSpec, unique } from "./connections";
import { emptyDataset, recordCounts } from "./db";

// The HTTP API and the command line (issue 18): a token made in Settings → API tokens
// drives a run to completion from a terminal, exports and imports, and stops working the
// moment it is revoked.
const fake = fakeLlmForSpec({ latencyMs: 5 });

function cli(baseURL: string, token: string, args: string[], timeout = 90_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "scripts/cli.ts", ...args],
      { env: { ...process.env, DATAWRIGHT_URL: baseURL, DATAWRIGHT_TOKEN: token }, timeout },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Creates an API token in Settings → API tokens and returns it as shown (once). */
async function createToken(page: Page, name: string): Promise<string> {
  await page.goto("/settings/api-tokens");
  await page.getByLabel("Token name").fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  return (await page.getByTestId("token-value").textContent())!;
}

test("a token from Settings drives a run, an export and an import from the command line, and is refused once revoked", async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  const connection = unique("Fake for CLI");
  await addFakeConnection(page, { name: connection, url: fake.llm.url, apiKey: "sk-e2e-cli-key" });

  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "API tokens" }).click();
  const tokenName = unique("CI");
  await page.getByLabel("Token name").fill(tokenName);
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("token-value").textContent())!;
  expect(token).toMatch(/^dw_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByTestId("new-token")).toContainText("it is not shown again");
  await expect(page.getByTestId("token-row").filter({ hasText: tokenName })).toContainText(`${token.slice(0, 9)}…`);
  await expectNoSeriousViolations(page, "Settings → API tokens with a new token");

  await page.goto("/");
  await page.getByLabel("New project name").fill(unique("CLI"));
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("button", { name: /Children's stories/ }).click();
  await expect(page).toHaveURL(/\/datasets\/[0-9a-f-]{36}/);
  const datasetId = /\/datasets\/([0-9a-f-]{36})/.exec(page.url())![1];

  // A run from the terminal: progress on stderr, the run's id on stdout, exit 0 when it completes.
  const run = await cli(baseURL!, token, ["run", datasetId, "--records", "12", "--connection", connection, "--wait"]);
  expect(run.stderr).toContain("launched");
  expect(run.stderr).toMatch(/12\/12 · 0 failed · \$[\d.]+ · completed/);
  expect(run.code).toBe(0);
  const runId = run.stdout.trim();
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("run-status")).toHaveText("completed");

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dw-cli-"));
  const out = path.join(dir, "stories.json");
  const exported = await cli(baseURL!, token, ["export", datasetId, "--format", "sharegpt", "--filter", "unreviewed", "-o", out]);
  expect(exported.code).toBe(0);
  const lines = fs.readFileSync(out, "utf8").trim().split("\n");
  expect(lines).toHaveLength(12);
  expect(JSON.parse(lines[0]).conversations.map((t: { from: string }) => t.from)).toEqual(["human", "gpt"]);

  const input = path.join(dir, "real.jsonl");
  fs.writeFileSync(input, ['{"story":"A real story about a cat."}', '{"story":"A real story about a dog."}'].join("\n") + "\n");
  const imported = await cli(baseURL!, token, ["import", datasetId, input]);
  expect(imported.code).toBe(0);
  expect(JSON.parse(imported.stdout)).toMatchObject({ rows: 2, fields: ["story"] });

  // Wrong arguments are a usage error: nothing sent.
  expect((await cli(baseURL!, token, ["export", datasetId, "--format", "xml", "-o", out])).code).toBe(2);

  await page.goto("/settings/api-tokens");
  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: `Revoke ${tokenName}` }).click();
  await expect(page.getByTestId("token-row").filter({ hasText: tokenName })).toContainText("Revoked");
  const refused = await cli(baseURL!, token, ["status", runId]);
  expect(refused.code).toBe(3);
  expect(refused.stderr).toContain(`401: This API token ("${tokenName}") was revoked.`);
});

test("a 10,000-record batch run from the command line completes against the fake Batch API: every record stored once, no online request", async ({ page, baseURL }) => {
  // A 10,000-request batch (three 1 s steps at the fake server), then 10,000 records stored.
  test.setTimeout(420_000);
  const connection = unique("Fake batch for CLI");
  await addFakeConnection(page, { name: connection, url: fake.llm.url, apiKey: "sk-e2e-cli-batch" });
  const token = await createToken(page, unique("CI batch"));
  const datasetId = await emptyDataset(unique("CLI batch"));
  const before = fake.llm.stats();

  // --batch with --good is refused before anything is sent.
  expect((await cli(baseURL!, token, ["run", datasetId, "--records", "10", "--good", "5", "--batch", "--connection", connection])).code).toBe(2);

  const started = Date.now();
  const run = await cli(baseURL!, token, ["run", datasetId, "--records", "10000", "--batch", "--connection", connection, "--wait"], 400_000);
  console.log(`10,000-record batch run through the CLI: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  expect(run.stderr).toMatch(/10000\/10000 · 0 failed · \$[\d.]+ · completed/);
  expect(run.code).toBe(0);
  expect(await recordCounts(datasetId)).toEqual({ records: 10_000, distinct: 10_000 });
  const after = fake.llm.stats();
  expect(after.chatCompletions - before.chatCompletions).toBe(0);
  expect(after.batches.requests - before.batches.requests).toBe(10_000);
});
