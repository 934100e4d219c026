"use client";
// Until sign-in exists: the reviewer's name, asked once per browser and kept in localStorage.
import { useState, useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";
import { ErrorText, Input } from "@/components/ui/field";
import { ReviewerName } from "@/lib/review/schemas";
import { Dialog } from "./dialog";

const KEY = "datawright.reviewer";
const listeners = new Set<() => void>();
const subscribe = (fn: () => void) => {
  listeners.add(fn);
  window.addEventListener("storage", fn);
  return () => {
    listeners.delete(fn);
    window.removeEventListener("storage", fn);
  };
};

/** The stored name; "" before hydration and when none was given. */
export function useReviewer(): [string, (name: string) => void] {
  const name = useSyncExternalStore(subscribe, () => localStorage.getItem(KEY) ?? "", () => "");
  const set = (n: string) => {
    localStorage.setItem(KEY, n);
    listeners.forEach((l) => l());
  };
  return [name, set];
}

export function ReviewerDialog({ initial, onSave, onCancel }: { initial: string; onSave: (name: string) => void; onCancel?: () => void }) {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title="Who is reviewing?" onClose={onCancel}>
      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          const parsed = ReviewerName.safeParse(name);
          if (!parsed.success) return setError(parsed.error.issues[0].message);
          onSave(parsed.data);
        }}
      >
        <p className="text-sm text-stone-600">Every decision you make is saved with this name and the time. It is kept in this browser.</p>
        <Input data-autofocus aria-label="Your name" placeholder="e.g. Ana" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!error} aria-describedby={error ? "reviewer-name-error" : undefined} />
        <ErrorText id="reviewer-name-error">{error}</ErrorText>
        <div className="flex justify-end gap-2">
          {onCancel && <Button onClick={onCancel}>Cancel</Button>}
          <Button type="submit" variant="primary">Start reviewing</Button>
        </div>
      </form>
    </Dialog>
  );
}
