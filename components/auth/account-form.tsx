"use client";
// One form for the account pages (sign-in, first owner, invitation, password, new
// account): labelled fields, errors beside the field and in a live region, and where to
// go when the action succeeds.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { describedBy, ErrorText, hintId, Input, Label } from "@/components/ui/field";
import type { ActionResult } from "@/lib/errors/domain-error";
import { ActionFailed, unwrap } from "@/lib/errors/client";

export type FieldSpec = { name: string; label: string; type?: "text" | "email" | "password"; autoComplete?: string; hint?: string };

export function AccountForm<T>({
  fields,
  submitLabel,
  pendingLabel,
  run,
  extra,
  then,
  done,
}: {
  fields: FieldSpec[];
  submitLabel: string;
  pendingLabel: string;
  run: (values: Record<string, unknown>) => Promise<ActionResult<T>>;
  extra?: Record<string, unknown>;
  /** Where to go after success (a full load, so the header and the session match). */
  then?: string;
  /** Shown after success instead of navigating. */
  done?: (data: T) => ReactNode;
}) {
  const id = useId();
  const router = useRouter();
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.name, ""])));
  const mutation = useMutation({
    mutationFn: (v: Record<string, string>) => unwrap(run({ ...v, ...extra })),
    onSuccess: () => {
      if (then) {
        window.location.assign(then);
        return;
      }
      setValues(Object.fromEntries(fields.map((f) => [f.name, ""])));
      router.refresh();
    },
  });
  const fieldErrors = mutation.error instanceof ActionFailed ? (mutation.error.error.fieldErrors ?? {}) : {};
  const general = mutation.error && !fields.some((f) => fieldErrors[f.name]) ? mutation.error.message : null;
  return (
    <form
      className="max-w-sm space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        mutation.mutate(values);
      }}
    >
      {fields.map((f) => {
        const controlId = `${id}-${f.name}`;
        const err = fieldErrors[f.name];
        return (
          <div key={f.name}>
            <Label htmlFor={controlId} hint={f.hint}>
              {f.label}
            </Label>
            <Input
              id={controlId}
              name={f.name}
              type={f.type ?? "text"}
              autoComplete={f.autoComplete}
              value={values[f.name]}
              onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
              aria-invalid={!!err}
              aria-describedby={describedBy(f.hint && hintId(controlId), err && `${controlId}-error`)}
            />
            <ErrorText id={`${controlId}-error`}>{err}</ErrorText>
          </div>
        );
      })}
      {/* Always present, so screen readers hear the message when it appears. */}
      <div aria-live="polite">{general && <ErrorText>{general}</ErrorText>}</div>
      {mutation.isSuccess && done ? <div role="status">{done(mutation.data as T)}</div> : null}
      <Button type="submit" variant="primary" disabled={mutation.isPending}>
        {mutation.isPending ? pendingLabel : submitLabel}
      </Button>
    </form>
  );
}
