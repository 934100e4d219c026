import { describe, expect, test } from "vitest";
import { describeFilter, renderDatasetCard, type CardData } from "./card";
import { ExportRequest } from "./schemas";

const base: CardData = {
  dataset: { name: "Support replies", description: "Polite answers to customer questions.", project: "Helpdesk" },
  exportedAt: "2026-11-22T10:30:00.000Z",
  request: ExportRequest.parse({
    format: "openai",
    mapping: { user: { kind: "field", name: "question" }, assistant: { kind: "field", name: "answer" } },
    split: { train: 80, validation: 10, test: 10, seed: 7, stratifyBy: { kind: "label", name: "tone" } },
  }),
  filterText: "accepted",
  total: 1234,
  splits: [
    { name: "train", file: "train.jsonl", rows: 987 },
    { name: "validation", file: "validation.jsonl", rows: 124 },
    { name: "test", file: "test.jsonl", rows: 123 },
  ],
  file: null,
  byReviewState: { accepted: 1234 },
  bySource: { generated: 1200, imported: 34 },
  byStatus: { succeeded: 1234 },
  labels: { tone: { friendly: 1000, formal: 234 } },
  tokensIn: 123456,
  tokensOut: 654321,
  costUsd: 0.4321,
  firstCreatedAt: "2026-11-01T08:00:00.000Z",
  lastCreatedAt: "2026-11-20T08:00:00.000Z",
  lastReviewedAt: "2026-11-21T08:00:00.000Z",
  runs: [{ number: 1, id: "0190f5c2-0000-7000-8000-0000000000aa", createdAt: "2026-11-01T08:00:00.000Z", finishedAt: "2026-11-01T09:00:00.000Z", status: "completed", blueprintVersion: 3, records: 1200 }],
  versions: [
    {
      version: 3,
      createdAt: "2026-11-01T07:00:00.000Z",
      blueprint: {
        fields: [
          { id: "a", kind: "category", name: "tone", options: [{ value: "friendly", weight: 1 }, { value: "formal", weight: 1 }] },
          { id: "b", kind: "llm", name: "answer", system: "You answer support tickets.", prompt: "Answer {{ question }} in a {{ tone }} tone.", model: "gpt-4o-mini", params: { temperature: 0.7 }, output: { type: "text" }, fewShot: { examples: [], k: 0, mode: "turns" } },
          {
            id: "c",
            kind: "judge",
            name: "helpful",
            over: ["answer"],
            criteria: [{ name: "polite", description: "", levels: [{ value: "pass", description: "" }, { value: "fail", description: "" }] }],
            model: "gpt-4o",
            params: { temperature: 0 },
          },
        ],
      },
    },
  ],
  skipped: 0,
};

describe("dataset card", () => {
  test("front matter, files with splits, counts by review state and label, tokens, cost, dates, blueprint", () => {
    const md = renderDatasetCard(base);
    expect(md.startsWith('---\npretty_name: "Support replies"\nsize_categories:\n- 1K<n<10K\n')).toBe(true);
    expect(md).toContain("# Support replies");
    expect(md).toContain("| train | `train.jsonl` | 987 | 80% |");
    expect(md).toContain("stratified by label `tone`");
    expect(md).toContain("| accepted | 1,234 |");
    expect(md).toContain("| imported | 34 |");
    expect(md).toContain("| friendly | 1,000 |");
    expect(md).toContain("- Tokens: 123,456 prompt + 654,321 completion");
    expect(md).toContain("- Cost: $0.4321");
    expect(md).toContain("2026-11-01 to 2026-11-20");
    expect(md).toContain("| #1 (`0190f5c2`) | 2026-11-01 | 2026-11-01 | completed | v3 | 1,200 |");
    expect(md).toContain("- `answer`: LLM `gpt-4o-mini` (temperature=0.7), text output");
    expect(md).toContain("- `helpful`: judge `gpt-4o` over `answer`: polite (pass/fail)");
    expect(md).toContain("Answer {{ question }} in a {{ tone }} tone.");
    expect(md).toContain("- User: field `question`");
    expect(md).toContain("34 records were imported");
  });

  test("single file, no splits", () => {
    const md = renderDatasetCard({ ...base, splits: null, file: "support-replies.jsonl", request: { ...base.request, split: null } });
    expect(md).toContain("| `support-replies.jsonl` | 1,234 |");
  });

  test("CSV: the card says whether formula-like cells were neutralised or kept", () => {
    const csv = (keepFormulas: boolean) =>
      renderDatasetCard({ ...base, splits: null, file: "support-replies.csv", request: ExportRequest.parse({ format: "csv", fields: ["question", "answer"], keepFormulas }) });
    expect(csv(false)).toContain("start with an added single quote (`'`), so spreadsheets show them as text");
    expect(csv(false)).not.toContain("may run them as formulas");
    expect(csv(true)).toContain("Cells are written as they are, including those that begin with `=`, `+`, `-`, `@`, a tab or a carriage return: a spreadsheet may run them as formulas.");
    expect(renderDatasetCard(base)).not.toContain("formulas");
  });

  test("filter in words", () => {
    expect(describeFilter({ reviewState: ["accepted"] })).toBe("accepted");
    expect(describeFilter({ reviewState: ["accepted", "unreviewed"], status: ["succeeded"], source: "imported", runIds: ["0190f5c2-0000-7000-8000-0000000000aa"], labels: { tone: ["formal"] }, search: "refund" }, { "0190f5c2-0000-7000-8000-0000000000aa": 2 })).toBe(
      'accepted or unreviewed, succeeded, imported, run #2, tone = formal, matching "refund"',
    );
  });
});
