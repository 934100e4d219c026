"use client";
import { Button } from "./button";

/** The row "Delete" of the project, dataset and connection lists: asks first, then calls onDelete. */
export function DeleteButton({ name, question, pending, onDelete }: { name: string; question: string; pending?: boolean; onDelete: () => void }) {
  return (
    <Button
      size="sm"
      variant="ghost"
      className="text-red-700"
      aria-label={`Delete ${name}`}
      disabled={pending}
      onClick={() => {
        if (confirm(question)) onDelete();
      }}
    >
      Delete
    </Button>
  );
}
