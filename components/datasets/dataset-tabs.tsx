"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

export function DatasetTabs({ datasetId }: { datasetId: string }) {
  const path = usePathname();
  const tabs = [
    { href: `/datasets/${datasetId}`, label: "Design" },
    { href: `/datasets/${datasetId}/runs`, label: "Generate" },
    { href: `/datasets/${datasetId}/records`, label: "Records" },
    { href: `/datasets/${datasetId}/health`, label: "Health" },
    { href: `/datasets/${datasetId}/queue`, label: "My queue" },
    { href: `/datasets/${datasetId}/team`, label: "Team" },
    { href: `/datasets/${datasetId}/export`, label: "Export" },
  ];
  return (
    <nav aria-label="Dataset sections" className="mb-5 flex gap-1 border-b border-stone-200">
      {tabs.map((t) => {
        const active = path === t.href;
        return (
          <Link
            key={t.href}
            href={t.href}
            aria-current={active ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${active ? "border-indigo-600 text-indigo-700" : "border-transparent text-stone-500 hover:text-stone-800"}`}
          >
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}
