import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { addFakeConnection, fakeLlmForSpec, unique } from "./connections";
import { SELF_INSTRUCT_SEEDS } from "../lib/recipes/self-instruct-seeds";

// Self-Instruct (issue 16, item 1): from the recipe picker, a pool of 20 seed instructions
// (a table the user uploads) grown to 200 against the fake server; the run page shows the
// per-round counts and a rejected candidate's closest pool instruction.
const fake = fakeLlmForSpec({ latencyMs: 5 });

test("Self-Instruct from the recipe picker: 20 seeds grown to a pool of 200, per-round stats, a rejected candidate's closest match", async ({ page }) => {
  // 180 kept instructions take ~10 rounds; on a shared 2-core machine the run alone took minutes.
  test.setTimeout(600_000);
  const connection = unique("Fake for self-instruct");
  await addFakeConnection(page, { name: connection, url: fake.llm.url, apiKey: "sk-e2e-self-instruct-key" });

  await page.goto("/");
  await page.getByLabel("New project name").fill(unique("SelfInstruct"));
  await page.getByRole("button", { name: "Create project" }).click();
  const recipe = page.getByRole("button", { name: /^Self-Instruct/ });
  await expect(recipe).toBeVisible();
  await recipe.click();
  await expect(page).toHaveURL(/\/datasets\/[0-9a-f-]{36}/);

  // The user's own 20 seeds as the pool.
  const jsonl = SELF_INSTRUCT_SEEDS.slice(0, 20).map((instruction) => JSON.stringify({ instruction })).join("\n");
  await page.getByLabel("Upload seed table").setInputFiles({ name: "twenty-seeds.jsonl", mimeType: "application/x-ndjson", buffer: Buffer.from(`${jsonl}\n`) });
  await expect(page.getByText("20 rows · 1 columns: instruction")).toBeVisible();
  const card = page.getByRole("region", { name: "Field pool_examples" });
  await card.getByRole("button", { name: "Edit" }).click();
  await card.getByLabel("Pool table").selectOption({ label: "twenty-seeds.jsonl (20 rows)" });
  await expect(card.getByLabel("Target pool size")).toHaveValue("200");

  // A human share larger than the seeds is an error beside the input.
  const human = card.getByLabel("Seed examples per prompt");
  await human.fill("21");
  await expect(card.getByText("The pool has 20 seed instructions; each prompt shows 21.", { exact: false })).toBeVisible();
  await expect(human).toHaveAttribute("aria-invalid", "true");
  await human.fill("6");
  await expect(card.getByText("each prompt shows", { exact: false })).toBeHidden();
  await expectNoSeriousViolations(page, "design with a pool field");

  await page.getByRole("link", { name: "Generate", exact: true }).click();
  await page.getByLabel("Records to generate").fill("400");
  await page.getByRole("combobox", { name: "Connection", exact: true }).selectOption({ label: connection });
  await expect(page.getByTestId("estimate")).toContainText("$");
  await page.getByRole("button", { name: "Launch 400 records" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 420_000 });

  const rounds = page.getByTestId("pool-rounds");
  await expect(rounds.getByRole("heading")).toHaveText(/^Self-Instruct: pool of 2\d\d of 200 instructions$/);
  const table = rounds.getByRole("table", { name: /per round of the pool pool_examples/ });
  await expect(table.getByRole("columnheader", { name: "Rejected: novel" })).toBeVisible();
  const first = table.getByRole("row").nth(1);
  await expect(first.getByRole("rowheader")).toHaveText("1");
  await expect(first.getByRole("cell").first()).toHaveText("20");
  const closest = rounds.getByTestId("pool-closest");
  await expect(closest).toContainText(/ROUGE-L F1 0\.(7[1-9]|[89]\d)|ROUGE-L F1 1\.00/);
  await expect(closest).toContainText("Closest in the pool:");
  await expectNoSeriousViolations(page, "run page with Self-Instruct rounds");
});
