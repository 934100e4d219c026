import Link from "next/link";

const PAGES = [
  { href: "/settings/providers", label: "Providers" },
  { href: "/settings/api-tokens", label: "API tokens" },
  { href: "/settings/team", label: "Team" },
  { href: "/settings/audit", label: "Audit" },
];

/** The settings pages' tabs; `current` is the page's own href. */
export function SettingsNav({ current }: { current: string }) {
  return (
    <nav aria-label="Settings" className="mb-4 flex gap-4 border-b border-stone-200 text-sm">
      {PAGES.map((p) => (
        <Link
          key={p.href}
          href={p.href}
          aria-current={p.href === current ? "page" : undefined}
          className={`-mb-px border-b-2 px-1 pb-2 ${p.href === current ? "border-indigo-600 font-medium text-stone-900" : "border-transparent text-stone-500 hover:text-stone-800"}`}
        >
          {p.label}
        </Link>
      ))}
    </nav>
  );
}
