"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorText, Input } from "@/components/ui/field";
import { renameDatasetAction } from "@/lib/datasets/actions";
import { unwrap } from "@/lib/errors/client";

export function DatasetTitle({ id, name, description }: { id: string; name: string; description: string }) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(name);
  const rename = useMutation({
    mutationFn: () => unwrap(renameDatasetAction({ id, name: value })),
    onSuccess: () => {
      setEditing(false);
      router.refresh();
    },
  });
  return (
    <div className="mb-5">
      {editing ? (
        <form className="flex max-w-lg items-start gap-2" onSubmit={(e) => { e.preventDefault(); rename.mutate(); }}>
          <div className="flex-1">
            <Input autoFocus aria-label="Dataset name" aria-invalid={!!rename.error} aria-describedby={rename.error ? "dataset-name-error" : undefined} value={value} onChange={(e) => setValue(e.target.value)} onKeyDown={(e) => e.key === "Escape" && setEditing(false)} />
            <ErrorText id="dataset-name-error">{rename.error?.message}</ErrorText>
          </div>
          <Button type="submit" variant="primary">Save</Button>
          <Button onClick={() => setEditing(false)}>Cancel</Button>
        </form>
      ) : (
        <div className="flex items-baseline gap-3">
          <h1 className="text-2xl font-semibold tracking-tight">{name}</h1>
          <Button size="sm" variant="ghost" onClick={() => setEditing(true)}>Rename</Button>
        </div>
      )}
      {description && <p className="mt-1 max-w-3xl text-sm text-stone-500">{description}</p>}
    </div>
  );
}
