import Link from "next/link";

const PAGES = [
  { href: "/settings/providers", label: "Providers", owner: true },
  { href: "/settings/api-tokens", label: "API tokens", owner: false },
  { href: "/settings/team", label: "Team", owner: true },
  { href: "/settings/audit", label: "Audit", owner: true },
];

/** The settings pages' tabs; `current` is the page's own href. `all: false` (not the studio's owner): only the pages anyone signed in may open. */
export function SettingsNav({ current, all = true }: { current: string; all?: boolean }) {
  return (
    <nav aria-label="Settings" className="mb-4 flex gap-4 border-b border-stone-200 text-sm">
      {PAGES.filter((p) => all || !p.owner).map((p) => (
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
