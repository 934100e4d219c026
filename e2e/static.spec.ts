import { expect, test } from "@playwright/test";

// Static assets live in public/ and pages point at them there (the design card's layout).
test("the icon is served from public/ and every page links to it", async ({ page }) => {
  await page.goto("/");
  const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(href).toBe("/icon.svg");
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("image/svg+xml");
  expect(await res.text()).toContain("<svg");
});
