"use client";
import Link from "next/link";
import { num } from "@/components/runs/format";
import { ISSUE_TITLES, type ChatIssueCode } from "@/lib/export/openai";
import type { ChatCheck } from "@/lib/export/types";

export function CheckReport({ report, datasetId, skipInvalid }: { report: ChatCheck; datasetId: string; skipInvalid: boolean }) {
  const codes = Object.entries(report.byCode) as [ChatIssueCode, number][];
  const ok = report.failing === 0 && report.file.length === 0;
  return (
    <div data-testid="openai-report" className={`rounded-md border p-3 text-sm ${ok ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-amber-200 bg-amber-50 text-amber-950"}`}>
      <p className="font-medium">
        {report.failing === 0
          ? `All ${num(report.checked)} examples pass OpenAI's chat fine-tuning rules.`
          : `${num(report.failing)} of ${num(report.checked)} examples break OpenAI's rules${skipInvalid ? " and will be left out." : "."}`}
      </p>
      {report.file.map((f) => (
        <p key={f.code} className="mt-1">{f.message}</p>
      ))}
      {codes.length > 0 && (
        <ul className="mt-2 space-y-0.5">
          {codes.map(([code, n]) => (
            <li key={code}>
              {ISSUE_TITLES[code]}: <span className="font-medium">{num(n)}</span>
            </li>
          ))}
        </ul>
      )}
      {report.samples.length > 0 && (
        <details className="mt-2">
          <summary className="cursor-pointer">First {report.samples.length} failing examples</summary>
          <ul className="mt-1 space-y-1 text-xs">
            {report.samples.map((s, i) => (
              <li key={i}>
                {s.recordId ? (
                  <Link className="font-mono underline" href={`/datasets/${datasetId}/records?record=${s.recordId}`}>
                    {s.recordId.slice(0, 8)}
                  </Link>
                ) : (
                  "—"
                )}
                : {s.issues.map((x) => x.message).join(" ")}
              </li>
            ))}
          </ul>
        </details>
      )}
      <p className="mt-2 text-xs opacity-75">Limit: {num(report.maxTokens)} tokens per example (o200k tokenizer, chat framing included).</p>
    </div>
  );
}
