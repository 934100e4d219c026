"use client";
// A textarea for Liquid templates with the variables of earlier fields as clickable
// chips and `{{` autocomplete (arrows/Enter/Tab to pick, Escape to close).
import { useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { inputClass } from "@/components/ui/field";
import type { AvailableVariable, BlueprintIssue } from "@/lib/blueprints/validate";
import { IssueList, issueProps } from "./issue-list";

type Suggestion = { insert: string; label: string; detail: string };

function suggestionsFor(vars: AvailableVariable[]): Suggestion[] {
  const out: Suggestion[] = [];
  for (const v of vars) {
    out.push({ insert: v.name, label: v.name, detail: v.kind });
    for (const p of v.properties ?? []) out.push({ insert: `${v.name}.${p}`, label: `${v.name}.${p}`, detail: "property" });
  }
  return out;
}

/** The partial variable name being typed right after an unclosed `{{`, if any. */
function openTag(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const open = before.lastIndexOf("{{");
  if (open < 0 || before.lastIndexOf("}}") > open) return null;
  const typed = before.slice(open + 2);
  const m = /^\s*([A-Za-z0-9_.]*)$/.exec(typed);
  if (!m) return null;
  return { start: caret - m[1].length, query: m[1] };
}

export function TemplateEditor({
  label,
  value,
  onChange,
  variables,
  issues,
  rows = 6,
  placeholder,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  variables: AvailableVariable[];
  issues: BlueprintIssue[];
  rows?: number;
  placeholder?: string;
}) {
  const id = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const [caret, setCaret] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const all = useMemo(() => suggestionsFor(variables), [variables]);
  const tag = caret === null || dismissed ? null : openTag(value, caret);
  const matches = tag ? all.filter((s) => s.label.toLowerCase().startsWith(tag.query.toLowerCase())).slice(0, 8) : [];

  function insertAt(start: number, end: number, text: string, closing: boolean) {
    const rest = value.slice(end);
    const close = closing && !/^\s*}}/.test(rest) ? " }}" : "";
    const next = value.slice(0, start) + text + close + rest;
    onChange(next);
    const pos = start + text.length + close.length;
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(pos, pos);
      setCaret(pos);
    });
  }

  function accept(s: Suggestion) {
    if (!tag || caret === null) return;
    const needsSpace = value[tag.start - 1] === "{" ? " " : "";
    insertAt(tag.start, caret, needsSpace + s.insert, true);
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (matches.length === 0) return;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setActive((a) => (a + 1) % matches.length);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => (a - 1 + matches.length) % matches.length);
    } else if (e.key === "Enter" || e.key === "Tab") {
      e.preventDefault();
      accept(matches[Math.min(active, matches.length - 1)]);
    } else if (e.key === "Escape") {
      e.preventDefault();
      setDismissed(true);
    }
  }

  return (
    <div>
      <div className="mb-1 flex flex-wrap items-center gap-1.5">
        <label htmlFor={id} className="mr-1 text-xs font-medium text-stone-600">{label}</label>
        {variables.map((v) => (
          <button
            key={v.name}
            type="button"
            title={`Insert {{ ${v.name} }} (${v.kind})`}
            onClick={() => {
              const el = ref.current;
              const s = el?.selectionStart ?? value.length;
              const e = el?.selectionEnd ?? value.length;
              insertAt(s, e, `{{ ${v.name} }}`, false);
            }}
            className="rounded bg-indigo-50 px-1.5 py-0.5 font-mono text-[11px] text-indigo-700 hover:bg-indigo-100"
          >
            {v.name}
          </button>
        ))}
      </div>
      <div className="relative">
        <textarea
          id={id}
          ref={ref}
          rows={rows}
          value={value}
          placeholder={placeholder}
          spellCheck={false}
          {...issueProps(issues, `${id}-issues`)}
          aria-autocomplete="list"
          onChange={(e) => {
            onChange(e.target.value);
            setCaret(e.target.selectionStart);
            setDismissed(false);
            setActive(0);
          }}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
          onBlur={() => setTimeout(() => setCaret(null), 150)}
          onKeyDown={onKeyDown}
          className={`${inputClass} font-mono text-[13px] leading-5`}
        />
        {matches.length > 0 && (
          <ul role="listbox" aria-label="Variables" className="absolute left-2 top-full z-20 mt-1 w-64 overflow-hidden rounded-md border border-stone-200 bg-white text-sm shadow-lg">
            {matches.map((s, n) => (
              <li
                key={s.label}
                role="option"
                aria-selected={n === active}
                onMouseDown={(e) => {
                  e.preventDefault();
                  accept(s);
                }}
                className={`flex cursor-pointer justify-between px-2 py-1 font-mono text-xs ${n === active ? "bg-indigo-600 text-white" : "text-stone-800"}`}
              >
                <span>{s.label}</span>
                <span className="opacity-60">{s.detail}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <IssueList issues={issues} id={`${id}-issues`} />
    </div>
  );
}
