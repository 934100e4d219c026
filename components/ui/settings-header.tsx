import type { ReactNode } from "react";

/** The top of a Settings page: where it is, its name, what it is for. */
export function SettingsHeader({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div>
      <p className="mb-2 text-sm text-stone-500">Settings</p>
      <h1 className="mb-1 text-2xl font-semibold tracking-tight">{title}</h1>
      <p className="text-sm text-stone-500">{children}</p>
    </div>
  );
}
