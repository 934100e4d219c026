"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorText, Input } from "@/components/ui/field";
import { ActionFailed, unwrap } from "@/lib/errors/client";
import { resetPriceAction, setPriceAction } from "@/lib/providers/actions";
import type { PriceView } from "./types";

const money = (n: number) => `$${n.toLocaleString("en-US", { maximumFractionDigits: 4 })}`;

/** Prices per million tokens, used for cost estimates and run totals. Edited inline. */
export function PriceTable({ prices }: { prices: PriceView[] }) {
  return (
    <div className="space-y-3">
      <div>
        <h2 className="text-sm font-semibold uppercase tracking-wide text-stone-500">Prices</h2>
        <p className="mt-1 text-sm text-stone-500">
          US dollars per million tokens, for cost estimates and run totals. Models not listed are counted as free (local servers).
        </p>
      </div>
      {prices.length === 0 ? (
        <EmptyState title="No prices">Add a model below to estimate what its runs cost.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
          <table className="w-full text-sm" aria-label="Model prices">
            <thead className="border-b border-stone-200 bg-stone-50 text-left text-xs font-medium text-stone-500">
              <tr>
                <th scope="col" className="px-4 py-2">Model</th>
                <th scope="col" className="w-40 px-2 py-2">Input $/1M tokens</th>
                <th scope="col" className="w-40 px-2 py-2">Output $/1M tokens</th>
                <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {prices.map((p) => (
                // Keyed by the values so a saved or reset row starts from the new ones.
                <PriceRow key={`${p.model}|${p.inputPerMTok}|${p.outputPerMTok}|${p.custom}`} price={p} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AddPrice existing={prices.map((p) => p.model)} />
    </div>
  );
}

function PriceRow({ price: p }: { price: PriceView }) {
  const router = useRouter();
  const [input, setInput] = useState(String(p.inputPerMTok));
  const [output, setOutput] = useState(String(p.outputPerMTok));
  const dirty = input !== String(p.inputPerMTok) || output !== String(p.outputPerMTok);
  const save = useMutation({
    mutationFn: () => unwrap(setPriceAction({ model: p.model, inputPerMTok: input, outputPerMTok: output })),
    onSuccess: () => router.refresh(),
  });
  const reset = useMutation({
    mutationFn: () => unwrap(resetPriceAction({ model: p.model })),
    onSuccess: () => router.refresh(),
  });
  const fieldErrors = save.error instanceof ActionFailed ? (save.error.error.fieldErrors ?? {}) : {};
  const error = fieldErrors.inputPerMTok ?? fieldErrors.outputPerMTok ?? save.error?.message ?? reset.error?.message;
  const errorId = useId();
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Enter" && dirty) save.mutate();
    if (e.key === "Escape") {
      setInput(String(p.inputPerMTok));
      setOutput(String(p.outputPerMTok));
    }
  };

  return (
    <tr data-testid="price-row" data-model={p.model} className="align-middle">
      <th scope="row" className="px-4 py-2 text-left font-normal">
        <span className="font-mono text-[13px] text-stone-800">{p.model}</span>
        {p.custom && (
          <span className="ml-2 rounded bg-indigo-50 px-1.5 py-0.5 text-xs text-indigo-700">
            {p.defaultPrice ? "edited" : "added"}
          </span>
        )}
        {p.custom && p.defaultPrice && (
          <span className="ml-2 text-xs text-stone-500">
            default {money(p.defaultPrice.inputPerMTok)} / {money(p.defaultPrice.outputPerMTok)}
          </span>
        )}
        <ErrorText id={errorId}>{error}</ErrorText>
      </th>
      <td className="px-2 py-1.5">
        <DollarInput label={`Input price of ${p.model}`} value={input} onChange={setInput} onKeyDown={onKeyDown} invalid={!!fieldErrors.inputPerMTok} errorId={error ? errorId : undefined} />
      </td>
      <td className="px-2 py-1.5">
        <DollarInput label={`Output price of ${p.model}`} value={output} onChange={setOutput} onKeyDown={onKeyDown} invalid={!!fieldErrors.outputPerMTok} errorId={error ? errorId : undefined} />
      </td>
      <td className="whitespace-nowrap px-4 py-1.5 text-right">
        {dirty && (
          <Button size="sm" variant="primary" disabled={save.isPending} onClick={() => save.mutate()} aria-label={`Save price of ${p.model}`}>
            {save.isPending ? "Saving…" : "Save"}
          </Button>
        )}
        {p.custom && !dirty && (
          <Button
            size="sm"
            variant="ghost"
            disabled={reset.isPending}
            onClick={() => reset.mutate()}
            aria-label={p.defaultPrice ? `Reset price of ${p.model} to default` : `Remove price of ${p.model}`}
          >
            {p.defaultPrice ? "Reset to default" : "Remove"}
          </Button>
        )}
      </td>
    </tr>
  );
}

function DollarInput(props: { label: string; value: string; onChange: (v: string) => void; onKeyDown: (e: KeyboardEvent) => void; invalid?: boolean; errorId?: string }) {
  return (
    <div className="relative">
      <span aria-hidden className="pointer-events-none absolute inset-y-0 left-2.5 flex items-center text-sm text-stone-500">$</span>
      <Input
        aria-label={props.label}
        aria-invalid={props.invalid}
        aria-describedby={props.errorId}
        type="number"
        min={0}
        step="any"
        inputMode="decimal"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        onKeyDown={props.onKeyDown}
        className="pl-5 tabular-nums"
      />
    </div>
  );
}

function AddPrice({ existing }: { existing: string[] }) {
  const router = useRouter();
  const [model, setModel] = useState("");
  const [input, setInput] = useState("");
  const [output, setOutput] = useState("");
  const add = useMutation({
    mutationFn: () => {
      if (existing.includes(model.trim())) throw new Error(`"${model.trim()}" is already in the table: edit its row.`);
      return unwrap(setPriceAction({ model, inputPerMTok: input, outputPerMTok: output }));
    },
    onSuccess: () => {
      setModel("");
      setInput("");
      setOutput("");
      router.refresh();
    },
  });
  const fe = add.error instanceof ActionFailed ? (add.error.error.fieldErrors ?? {}) : {};
  const id = useId();
  const modelError = fe.model ?? (add.error && !fe.inputPerMTok && !fe.outputPerMTok ? add.error.message : null);

  return (
    <form
      aria-label="Add a model price"
      noValidate
      className="flex flex-wrap items-start gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      <div className="min-w-48 flex-1">
        <Input aria-label="Model to price" placeholder="Model name, e.g. openai/gpt-4.1" value={model} onChange={(e) => setModel(e.target.value)} aria-invalid={!!fe.model} aria-describedby={modelError ? `${id}-model` : undefined} className="font-mono" />
        <ErrorText id={`${id}-model`}>{modelError}</ErrorText>
      </div>
      <div className="w-36">
        <Input aria-label="New input price" placeholder="Input $/1M" type="number" min={0} step="any" value={input} onChange={(e) => setInput(e.target.value)} aria-invalid={!!fe.inputPerMTok} aria-describedby={fe.inputPerMTok ? `${id}-input` : undefined} />
        <ErrorText id={`${id}-input`}>{fe.inputPerMTok}</ErrorText>
      </div>
      <div className="w-36">
        <Input aria-label="New output price" placeholder="Output $/1M" type="number" min={0} step="any" value={output} onChange={(e) => setOutput(e.target.value)} aria-invalid={!!fe.outputPerMTok} aria-describedby={fe.outputPerMTok ? `${id}-output` : undefined} />
        <ErrorText id={`${id}-output`}>{fe.outputPerMTok}</ErrorText>
      </div>
      <Button type="submit" disabled={add.isPending}>
        {add.isPending ? "Adding…" : "Add price"}
      </Button>
    </form>
  );
}
