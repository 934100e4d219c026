import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/**
 * Runs axe-core on the page as it is now (open dialogs, tabs and panels included) and
 * fails on any serious or critical violation. Moderate and minor findings are left to
 * review: several are best-practice advice (e.g. one <main> per page) rather than barriers.
 * `context` names the state in the failure message ("records grid with detail panel").
 */
export async function expectNoSeriousViolations(page: Page, context: string) {
  // Colours are checked as they settle, not halfway through a 150 ms transition (a button
  // just re-enabled still showed its disabled colour and failed contrast on a fresh clone).
  await page.addStyleTag({ content: "*, *::before, *::after { transition: none !important; animation: none !important; }" });
  // And with the document's title in place: Next streams a dynamic page's metadata after its
  // body, and twice in full runs (never alone) the team tab was checked, right after an
  // action and its router.refresh(), with no title, which axe reports as serious. A page
  // that never gets a title still fails, here and in axe.
  await expect.soft(page, `${context}: the document has a title`).toHaveTitle(/\S/);
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = serious.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(" ")}: ${n.failureSummary?.replace(/\n/g, " ")}`).join("\n")}`);
  // Soft: the journey goes on, so one run lists the violations of every page it visits.
  expect.soft(report, `axe: serious accessibility violations on ${context}`).toEqual([]);
}
