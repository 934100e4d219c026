import type { BlueprintIssue } from "@/lib/blueprints/validate";

/**
 * Issues shown beside the input they concern, with the position inside the text when known.
 * Give it an id and point the input's aria-describedby at it (see `issueProps`), so the
 * message is read with the input, not only when it appears.
 */
export function IssueList({ issues, id }: { issues: BlueprintIssue[]; id?: string }) {
  if (issues.length === 0) return null;
  return (
    <ul id={id} className="mt-1 space-y-0.5" aria-live="polite">
      {issues.map((i, n) => (
        <li key={n} data-severity={i.severity} className={`text-xs ${i.severity === "error" ? "text-red-700" : "text-amber-700"}`}>
          {/* The alert sits inside the item: a list may hold only list items. */}
          <span role={i.severity === "error" ? "alert" : undefined}>
            {i.severity === "error" ? "✕" : "⚠"} {i.line !== undefined && <span className="font-mono">line {i.line}, col {i.column ?? 1}: </span>}
            {i.message}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** aria-invalid and aria-describedby for the input that `issues` concern, shown by <IssueList id={listId}>. */
export function issueProps(issues: BlueprintIssue[], listId: string, ...otherDescriptions: (string | undefined)[]) {
  const described = [...otherDescriptions, issues.length ? listId : undefined].filter(Boolean).join(" ");
  return { "aria-invalid": issues.some((i) => i.severity === "error"), "aria-describedby": described || undefined };
}
