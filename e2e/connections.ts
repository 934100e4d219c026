import { expect, test, type Page } from "@playwright/test";
import { startFakeLlm, type FakeLlm, type FakeLlmOptions } from "../fake-llm/server";

/** Adds a Custom (OpenAI-compatible) connection to a fake server through Settings → Providers. */
export async function addFakeConnection(page: Page, opts: { name: string; url: string; apiKey: string; maxConcurrency?: number }) {
  await page.goto("/settings/providers");
  await page.getByRole("button", { name: "Add connection" }).click();
  const form = page.getByRole("form", { name: "New connection" });
  await form.getByLabel("Preset").selectOption({ label: "Custom (OpenAI-compatible)" });
  await form.getByLabel("Name").fill(opts.name);
  await form.getByLabel("Base URL").fill(opts.url);
  await form.getByLabel("API key").fill(opts.apiKey);
  await form.getByLabel("Default model").fill("gpt-4o-mini");
  if (opts.maxConcurrency !== undefined) await form.getByLabel("Max concurrency").fill(String(opts.maxConcurrency));
  await form.getByRole("button", { name: "Save connection" }).click();
  await expect(page.getByTestId("connection").filter({ hasText: opts.name })).toBeVisible();
}

/** A fake server for the spec file's tests, started before them and closed after; read `llm` inside tests. */
export function fakeLlmForSpec(options: FakeLlmOptions = {}) {
  const ctx = {} as { llm: FakeLlm };
  test.beforeAll(async () => {
    ctx.llm = await startFakeLlm(options);
  });
  test.afterAll(async () => {
    await ctx.llm?.close();
  });
  return ctx;
}

/** A name no earlier run of the suite used. */
export const unique = (s: string) => `${s} ${Date.now().toString(36)}`;
