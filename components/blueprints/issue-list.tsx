import type { BlueprintIssue } from "@/lib/blueprints/validate";

/** Issues shown beside the input they concern, with the position inside the text when known. */
export function IssueList({ issues }: { issues: BlueprintIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <ul className="mt-1 space-y-0.5" aria-live="polite">
      {issues.map((i, n) => (
        <li
          key={n}
          role={i.severity === "error" ? "alert" : undefined}
          data-severity={i.severity}
          className={`text-xs ${i.severity === "error" ? "text-red-700" : "text-amber-700"}`}
        >
          {i.severity === "error" ? "✕" : "⚠"} {i.line !== undefined && <span className="font-mono">line {i.line}, col {i.column ?? 1}: </span>}
          {i.message}
        </li>
      ))}
    </ul>
  );
}
