"use client";
import { useEffect, useRef, type ReactNode } from "react";

/** A modal dialog on the native <dialog>: focus is trapped and Escape closes it. */
export function Dialog({ title, children, onClose, wide }: { title: string; children: ReactNode; onClose?: () => void; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d || d.open) return;
    d.showModal();
    // showModal focuses the first focusable element (the Close button); a field marked
    // data-autofocus is where the user is expected to type. (React's autoFocus runs before
    // showModal, while the dialog is still closed, and is lost.)
    d.querySelector<HTMLElement>("[data-autofocus]")?.focus();
  }, []);
  return (
    <dialog
      ref={ref}
      aria-label={title}
      onCancel={(e) => {
        e.preventDefault();
        onClose?.();
      }}
      className={`m-auto rounded-lg border border-stone-200 bg-white p-0 shadow-xl backdrop:bg-stone-900/30 ${wide ? "w-[min(48rem,92vw)]" : "w-[min(28rem,92vw)]"}`}
    >
      <div className="flex items-center justify-between border-b border-stone-200 px-4 py-2.5">
        <h2 className="font-semibold text-stone-900">{title}</h2>
        {onClose && (
          <button type="button" aria-label="Close" className="rounded px-1.5 text-stone-500 hover:bg-stone-100" onClick={onClose}>
            ✕
          </button>
        )}
      </div>
      <div className="max-h-[75vh] overflow-auto px-4 py-3" tabIndex={0}>{children}</div>
    </dialog>
  );
}
