"use client";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import type { Field } from "@/lib/blueprints/schema";
import { describeCheck } from "@/lib/quality/validators/describe";
import type { AvailableVariable, BlueprintIssue } from "@/lib/blueprints/validate";
import {
  CategoryEditor,
  ExpressionEditor,
  LlmEditor,
  NumberEditor,
  SeedEditor,
  SubsetEditor,
  type SeedTableMeta,
} from "./field-editors";
import { IssueList } from "./issue-list";
import { ConversationEditor } from "./conversation-editor";
import { EvolveEditor } from "./evolve-editor";
import { JudgeEditor } from "./judge-editor";
import { ValidatorEditor } from "./validator-editor";
import { GrammarEditor, MaskEditor, TransformEditor } from "./rule-editors";
import { PoolEditor } from "./pool-editor";

export const KIND_LABELS: Record<Field["kind"], { label: string; tone: string }> = {
  category: { label: "Category", tone: "bg-sky-100 text-sky-800" },
  subset: { label: "k of n", tone: "bg-sky-100 text-sky-800" },
  number: { label: "Number", tone: "bg-sky-100 text-sky-800" },
  seed: { label: "Seed table", tone: "bg-teal-100 text-teal-800" },
  llm: { label: "LLM", tone: "bg-violet-100 text-violet-800" },
  expression: { label: "Expression", tone: "bg-amber-100 text-amber-800" },
  validator: { label: "Validator", tone: "bg-rose-100 text-rose-800" },
  judge: { label: "Judge", tone: "bg-fuchsia-100 text-fuchsia-800" },
  conversation: { label: "Conversation", tone: "bg-indigo-100 text-indigo-800" },
  evolve: { label: "Evol-Instruct", tone: "bg-lime-100 text-lime-800" },
  grammar: { label: "Grammar", tone: "bg-lime-100 text-lime-800" },
  transform: { label: "Transform", tone: "bg-lime-100 text-lime-800" },
  mask: { label: "Mask", tone: "bg-lime-100 text-lime-800" },
  pool: { label: "Pool examples", tone: "bg-teal-100 text-teal-800" },
};

export function FieldCard({
  field,
  index,
  count,
  issues,
  variables,
  earlierFields,
  seedTables,
  open,
  onToggle,
  onChange,
  onMove,
  onRemove,
}: {
  field: Field;
  index: number;
  count: number;
  issues: BlueprintIssue[];
  variables: AvailableVariable[];
  earlierFields: Field[];
  seedTables: SeedTableMeta[];
  open: boolean;
  onToggle: () => void;
  onChange: (f: Field) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}) {
  const errors = issues.filter((i) => i.severity === "error").length;
  const warnings = issues.length - errors;
  const kind = KIND_LABELS[field.kind];
  const common = {
    issues,
    variables,
    earlierFields,
    seedTables,
  };
  // Each editor patches only properties of its own kind, which `field.kind` selected.
  const update = (patch: object) => onChange({ ...field, ...patch } as Field);
  const props = { ...common, update };

  return (
    <section
      aria-label={`Field ${field.name || index + 1}`}
      data-testid="field-card"
      className={`rounded-lg border bg-white shadow-xs ${errors ? "border-red-300" : "border-stone-200"}`}
    >
      <header className="flex items-center gap-2 px-3 py-2">
        <span className="w-5 text-right font-mono text-xs text-stone-500">{index + 1}</span>
        <span className={`rounded px-1.5 py-0.5 text-[11px] font-medium ${kind.tone}`}>{kind.label}</span>
        <Input
          aria-label="Field name"
          value={field.name}
          onChange={(e) => onChange({ ...field, name: e.target.value })}
          className="h-8 max-w-56 font-mono"
          aria-invalid={issues.some((i) => i.path === "name" && i.severity === "error")}
        />
        {!open && <span className="hidden truncate text-xs text-stone-500 md:inline md:max-w-80">{summary(field)}</span>}
        <span className="flex-1 text-xs">
          {errors > 0 && <span className="text-red-700">{errors} error{errors > 1 ? "s" : ""}</span>}
          {errors > 0 && warnings > 0 && " · "}
          {warnings > 0 && <span className="text-amber-700">{warnings} warning{warnings > 1 ? "s" : ""}</span>}
        </span>
        <Button size="sm" variant="ghost" aria-label="Move up" disabled={index === 0} onClick={() => onMove(-1)}>↑</Button>
        <Button size="sm" variant="ghost" aria-label="Move down" disabled={index === count - 1} onClick={() => onMove(1)}>↓</Button>
        <Button size="sm" variant="ghost" aria-expanded={open} onClick={onToggle}>{open ? "Collapse" : "Edit"}</Button>
        <Button size="sm" variant="ghost" className="text-red-700" aria-label={`Remove field ${field.name}`} onClick={onRemove}>Remove</Button>
      </header>
      <div className="px-11">
        <IssueList issues={issues.filter((i) => i.path === "name")} />
      </div>
      {open && (
        <div className="border-t border-stone-100 px-4 py-3">
          {field.kind === "category" && <CategoryEditor {...props} field={field} />}
          {field.kind === "subset" && <SubsetEditor {...props} field={field} />}
          {field.kind === "number" && <NumberEditor {...props} field={field} />}
          {field.kind === "seed" && <SeedEditor {...props} field={field} />}
          {field.kind === "llm" && <LlmEditor {...props} field={field} />}
          {field.kind === "expression" && <ExpressionEditor {...props} field={field} />}
          {field.kind === "validator" && <ValidatorEditor {...props} field={field} />}
          {field.kind === "judge" && <JudgeEditor {...props} field={field} />}
          {field.kind === "conversation" && <ConversationEditor {...props} field={field} />}
          {field.kind === "evolve" && <EvolveEditor {...props} field={field} />}
          {field.kind === "grammar" && <GrammarEditor {...props} field={field} />}
          {field.kind === "transform" && <TransformEditor {...props} field={field} />}
          {field.kind === "mask" && <MaskEditor {...props} field={field} />}
          {field.kind === "pool" && <PoolEditor {...props} field={field} />}
        </div>
      )}
      {!open && issues.some((i) => i.path !== "name") && (
        <div className="px-11 pb-2">
          <IssueList issues={issues.filter((i) => i.path !== "name").slice(0, 3)} />
        </div>
      )}
    </section>
  );
}

/** One line shown on a collapsed card, so the blueprint reads at a glance. */
function summary(f: Field): string {
  switch (f.kind) {
    case "category": {
      if (f.dependsOn) {
        const lists = Object.values(f.conditionalOptions ?? {});
        const n = lists.reduce((a, l) => a + l.length, 0) + f.options.length;
        return `${n} values in ${lists.length} lists, by ${f.dependsOn}`;
      }
      return `${f.options.length} values: ${f.options.slice(0, 4).map((o) => o.value).join(", ")}${f.options.length > 4 ? ", …" : ""}`;
    }
    case "subset":
      return `${f.k} of ${f.options.length}`;
    case "number":
      return `${f.integer ? "integer" : "number"} ${f.min} to ${f.max}`;
    case "seed":
      return f.column ? `column ${f.column}` : "no column chosen";
    case "llm":
      return `${f.model || "no model"} · ${f.output.type}${f.fewShot.k ? ` · ${f.fewShot.k}-shot` : ""}`;
    case "expression":
      return f.template.replace(/\s+/g, " ").slice(0, 80);
    case "judge":
      return `${f.model || "no model"} · ${f.criteria.length} criteri${f.criteria.length === 1 ? "on" : "a"} over ${f.over.join(", ") || "no fields"}`;
    case "conversation":
      return `${f.model || "no model"} · ${f.turns.min === f.turns.max ? f.turns.min : `${f.turns.min}–${f.turns.max}`} turns`;
    case "evolve":
      return `${f.model || "no model"} · ${f.source || "no source"} · ${f.generations} generation${f.generations === 1 ? "" : "s"}`;
    case "validator":
      return `${f.mode === "reject" ? "rejects" : "flags"} · ${describeCheck(f.check).replace(/`/g, "")}`;
    case "grammar":
      return `${f.grammar.split("\n").filter((l) => /->/.test(l)).length} rules`;
    case "transform":
      return `${f.operation.replace(/_/g, " ")} ${f.amount} over ${f.source || "no field"}`;
    case "pool":
      return `${f.human} seed + ${f.generated} generated per prompt · grow to ${f.targetSize}`;
    case "mask":
      return f.mode === "tokens" ? `${Math.round(f.rate * 100)}% of tokens of ${f.source || "no field"}` : `${[...f.entityTypes, ...f.patterns.map((p) => p.name)].join(", ") || "nothing"} in ${f.source || "no field"}`;
  }
}
