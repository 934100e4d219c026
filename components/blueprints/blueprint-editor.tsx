"use client";
// The dataset designer. Owns the draft blueprint in the browser: validation runs on
// every keystroke (pure, no server), the draft autosaves (drafts with errors save too),
// and the preview re-renders from the unsaved state.
import { useMutation } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { newField } from "@/lib/blueprints/defaults";
import type { Blueprint, Field, FieldKind } from "@/lib/blueprints/schema";
import { availableVariables, seedTableInfo, validateBlueprint } from "@/lib/blueprints/validate";
import { blueprintTooLarge } from "@/lib/blueprints/limits";
import { saveDraftAction } from "@/lib/datasets/actions";
import { ActionFailed, unwrap } from "@/lib/errors/client";
import { FieldCard, KIND_LABELS } from "./field-card";
import type { SeedTableMeta } from "./field-editors";
import { LiveSamplesPanel, type ConnectionOption } from "./live-samples-panel";
import { PreviewPanel } from "./preview-panel";
import { SeedTablesPanel } from "./seed-tables-panel";

const ADDABLE: { kind: FieldKind; hint: string }[] = [
  { kind: "category", hint: "weighted values" },
  { kind: "subset", hint: "k of n" },
  { kind: "number", hint: "uniform int/float" },
  { kind: "seed", hint: "column of a table" },
  { kind: "llm", hint: "model call" },
  { kind: "expression", hint: "template, no model" },
  { kind: "validator", hint: "check each record" },
  { kind: "judge", hint: "model scores a rubric" },
  { kind: "conversation", hint: "simulated multi-turn chat" },
  { kind: "evolve", hint: "Evol-Instruct: harder instructions over generations" },
  { kind: "grammar", hint: "rules, no model" },
  { kind: "transform", hint: "noise over a text, no model" },
  { kind: "mask", hint: "hide details, no model" },
  { kind: "pool", hint: "Self-Instruct: examples from a pool a run grows" },
];

function uniqueName(kind: FieldKind, fields: Field[]): string {
  const base = kind === "llm" ? "output" : kind;
  const names = new Set(fields.map((f) => f.name));
  if (!names.has(base)) return base;
  let i = 2;
  while (names.has(`${base}_${i}`)) i++;
  return `${base}_${i}`;
}

type SaveState = "saved" | "dirty" | "saving" | "error" | "conflict";
const PANELS = ["prompts", "samples"] as const;

export function BlueprintEditor({
  datasetId,
  initial,
  initialRevision,
  previewSeed,
  seedTables,
  connections,
}: {
  connections: ConnectionOption[];
  datasetId: string;
  initial: Blueprint;
  initialRevision: number;
  previewSeed: number;
  seedTables: SeedTableMeta[];
}) {
  const [blueprint, setBlueprint] = useState<Blueprint>(initial);
  const [open, setOpen] = useState<Set<string>>(() => new Set(initial.fields.filter((f) => f.kind === "llm" || f.kind === "conversation" || f.kind === "evolve").map((f) => f.id)));
  const revision = useRef(initialRevision);
  const [saveState, setSaveState] = useState<SaveState>("saved");
  const [saveError, setSaveError] = useState<string | null>(null);
  const [panel, setPanel] = useState<(typeof PANELS)[number]>("prompts");
  const tabsId = useId();
  const latest = useRef(blueprint);
  latest.current = blueprint;

  const tableInfo = useMemo(() => seedTableInfo(seedTables), [seedTables]);
  const issues = useMemo(() => validateBlueprint(blueprint, { seedTables: tableInfo }), [blueprint, tableInfo]);
  const errorCount = issues.filter((i) => i.severity === "error").length;

  const save = useMutation({
    mutationFn: (bp: Blueprint) => {
      // Checked before sending: a body past the server's limit never reaches the action.
      const tooLarge = blueprintTooLarge(bp);
      if (tooLarge) throw new Error(tooLarge);
      return unwrap(saveDraftAction({ id: datasetId, blueprint: bp, baseRevision: revision.current }));
    },
    onSuccess: (r, bp) => {
      revision.current = r.revision;
      setSaveError(null);
      setSaveState(latest.current === bp ? "saved" : "dirty");
    },
    onError: (e) => {
      setSaveError(e.message);
      setSaveState(e instanceof ActionFailed && e.error.code === "conflict" ? "conflict" : "error");
    },
  });

  // Debounced autosave of the newest draft; a save in flight is never overlapped.
  useEffect(() => {
    if (saveState !== "dirty" || save.isPending) return;
    const t = setTimeout(() => {
      setSaveState("saving");
      save.mutate(latest.current);
    }, 600);
    return () => clearTimeout(t);
  }, [blueprint, saveState, save]);

  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (saveState !== "saved") e.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [saveState]);

  function edit(next: Blueprint) {
    setBlueprint(next);
    if (saveState !== "conflict") setSaveState("dirty");
  }
  const setField = (i: number, f: Field) => edit({ fields: blueprint.fields.map((x, j) => (j === i ? f : x)) });
  const move = (i: number, d: -1 | 1) => {
    const fields = [...blueprint.fields];
    [fields[i], fields[i + d]] = [fields[i + d], fields[i]];
    edit({ fields });
  };
  const add = (kind: FieldKind) => {
    const f = newField(kind, uniqueName(kind, blueprint.fields));
    edit({ fields: [...blueprint.fields, f] });
    setOpen((s) => new Set(s).add(f.id));
  };

  // The tab pattern's keys: arrows (wrapping), Home and End select and focus a tab.
  function onTabKey(e: KeyboardEvent<HTMLDivElement>) {
    const i = PANELS.indexOf(panel);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: PANELS.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = PANELS[(to + PANELS.length) % PANELS.length];
    setPanel(next);
    document.getElementById(`${tabsId}-tab-${next}`)?.focus();
  }

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,34rem)]">
      <div className="space-y-3">
        <div className="flex flex-wrap items-center gap-3 rounded-lg border border-stone-200 bg-white px-3 py-2 text-sm">
          <SaveBadge state={saveState} savedOnce={save.isSuccess} />
          {errorCount > 0 ? (
            <span className="text-red-700" data-testid="blueprint-status">
              {errorCount} error{errorCount > 1 ? "s" : ""}: the draft is saved, but it cannot be launched until they are fixed.
            </span>
          ) : (
            <span className="text-emerald-700" data-testid="blueprint-status">
              {blueprint.fields.length === 0 ? "Empty blueprint" : "No errors: ready to launch"}
            </span>
          )}
          {saveError && (
            <span role="alert" className="basis-full text-red-700">
              {saveError}{" "}
              {saveState === "conflict" ? (
                <Button size="sm" onClick={() => window.location.reload()}>Reload latest</Button>
              ) : (
                <Button size="sm" onClick={() => setSaveState("dirty")}>Retry</Button>
              )}
            </span>
          )}
        </div>

        <SeedTablesPanel datasetId={datasetId} tables={seedTables} />

        {blueprint.fields.length === 0 && (
          <EmptyState title="This blueprint has no fields yet">
            Add sampler fields for what should vary between records, then an LLM field whose prompt uses them.
          </EmptyState>
        )}
        {blueprint.fields.map((f, i) => (
          <FieldCard
            key={f.id}
            field={f}
            index={i}
            count={blueprint.fields.length}
            issues={issues.filter((x) => x.fieldId === f.id)}
            variables={availableVariables(blueprint, i)}
            earlierFields={blueprint.fields.slice(0, i)}
            seedTables={seedTables}
            open={open.has(f.id)}
            onToggle={() => setOpen((s) => {
              const n = new Set(s);
              if (n.has(f.id)) n.delete(f.id);
              else n.add(f.id);
              return n;
            })}
            onChange={(nf) => setField(i, nf)}
            onMove={(d) => move(i, d)}
            onRemove={() => edit({ fields: blueprint.fields.filter((_, j) => j !== i) })}
          />
        ))}
        <div className="flex flex-wrap items-center gap-2 rounded-lg border border-dashed border-stone-300 p-3">
          <span className="text-sm text-stone-500">Add a field:</span>
          {ADDABLE.map((a) => (
            <Button key={a.kind} size="sm" onClick={() => add(a.kind)} title={a.hint}>
              + {KIND_LABELS[a.kind].label}
            </Button>
          ))}
        </div>
      </div>
      <aside className="lg:sticky lg:top-4 lg:h-[calc(100vh-6rem)]" aria-label="Prompt preview">
        <div role="tablist" aria-label="Preview" className="mb-2 flex gap-1" onKeyDown={onTabKey}>
          {PANELS.map((p) => (
            <button
              key={p}
              id={`${tabsId}-tab-${p}`}
              role="tab"
              type="button"
              aria-selected={panel === p}
              aria-controls={`${tabsId}-panel-${p}`}
              // Roving tab stop: Tab enters the selected tab, the arrows move between tabs.
              tabIndex={panel === p ? 0 : -1}
              onClick={() => setPanel(p)}
              className={`rounded-md px-2.5 py-1 text-sm font-medium ${panel === p ? "bg-stone-900 text-white" : "text-stone-600 hover:bg-stone-200"}`}
            >
              {p === "prompts" ? "Prompt preview" : "Live samples"}
            </button>
          ))}
        </div>
        {/* Both stay mounted so switching tabs keeps streamed samples and the preview seed. */}
        <div role="tabpanel" id={`${tabsId}-panel-prompts`} aria-labelledby={`${tabsId}-tab-prompts`} hidden={panel !== "prompts"} className="h-full">
          <PreviewPanel datasetId={datasetId} blueprint={blueprint} initialSeed={previewSeed} />
        </div>
        <div role="tabpanel" id={`${tabsId}-panel-samples`} aria-labelledby={`${tabsId}-tab-samples`} hidden={panel !== "samples"} className="h-full">
          <LiveSamplesPanel datasetId={datasetId} blueprint={blueprint} connections={connections} />
        </div>
      </aside>
    </div>
  );
}

function SaveBadge({ state, savedOnce }: { state: SaveState; savedOnce: boolean }) {
  const text = { saved: "Saved", dirty: "Unsaved changes", saving: "Saving…", error: "Not saved", conflict: "Not saved" }[state];
  const tone = state === "saved" ? "text-stone-500" : state === "error" || state === "conflict" ? "text-red-700" : "text-amber-700";
  // Screen readers hear the outcome of each autosave, not every keystroke's "Unsaved
  // changes": the region is empty while editing and saving, so each "Saved" is news.
  // (A failure is announced by its alert.)
  const outcome = state === "saved" && savedOnce ? "Saved" : "";
  return (
    <>
      <span data-testid="save-state" className={`font-medium ${tone}`}>{text}</span>
      <span role="status" className="sr-only" data-testid="save-announcement">{outcome}</span>
    </>
  );
}

