import type { InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from "react";

export const inputClass =
  "w-full rounded-md border border-stone-300 bg-white px-2.5 py-1.5 text-sm shadow-xs placeholder:text-stone-500 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200 aria-[invalid=true]:border-red-400";

export function Input(props: InputHTMLAttributes<HTMLInputElement>) {
  return <input {...props} className={`${inputClass} ${props.className ?? ""}`} />;
}

export function Textarea(props: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea {...props} className={`${inputClass} font-mono text-[13px] leading-5 ${props.className ?? ""}`} />;
}

/** The id of a control's hint (see Label): pass it to the control's aria-describedby. */
export const hintId = (controlId: string) => `${controlId}-hint`;

/** aria-describedby from the ids that apply (hint, error): undefined when none does. */
export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const list = ids.filter(Boolean);
  return list.length ? list.join(" ") : undefined;
}

/**
 * A control's visible label. The label alone names the control; the hint sits outside the
 * <label> (else screen readers read "Concurrency records at once" as the name) with the id
 * `hintId(htmlFor)`, for the control's aria-describedby.
 */
export function Label({ children, htmlFor, hint }: { children: ReactNode; htmlFor?: string; hint?: ReactNode }) {
  return (
    <div className="mb-1 flex items-baseline justify-between gap-2 text-xs font-medium text-stone-600">
      <label htmlFor={htmlFor}>{children}</label>
      {hint && (
        <span id={htmlFor ? hintId(htmlFor) : undefined} className="font-normal text-stone-500">
          {hint}
        </span>
      )}
    </div>
  );
}

export function ErrorText({ children, id }: { children: ReactNode; id?: string }) {
  if (!children) return null;
  return (
    <p id={id} role="alert" className="mt-1 text-xs text-red-700">
      {children}
    </p>
  );
}
