import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: "Datawright",
  description: "Design, generate, review and export synthetic training datasets.",
  // Static assets live in public/ (served as is at /); the icon is referenced from there.
  icons: { icon: { url: "/icon.svg", type: "image/svg+xml" } },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-full font-sans">
        <header className="border-b border-stone-200 bg-white">
          <div className="mx-auto flex h-12 max-w-[1600px] items-center gap-6 px-4">
            <Link href="/" className="font-semibold tracking-tight text-stone-900">
              <span className="text-indigo-600">◆</span> Datawright
            </Link>
            <nav className="flex gap-4 text-sm text-stone-600">
              <Link href="/" className="hover:text-stone-900">Projects</Link>
              <Link href="/settings/providers" className="hover:text-stone-900">Settings</Link>
            </nav>
          </div>
        </header>
        <Providers>
          <main className="mx-auto max-w-[1600px] px-4 py-6">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
