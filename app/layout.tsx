import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { gate, PATH_HEADER } from "@/lib/auth/gate";
import { currentCaller } from "@/lib/auth/server/access";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: "Datawright",
  description: "Design, generate, review and export synthetic training datasets.",
  // Static assets live in public/ (served as is at /); the icon is referenced from there.
  icons: { icon: { url: "/icon.svg", type: "image/svg+xml" } },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const caller = await currentCaller();
  const to = gate((await headers()).get(PATH_HEADER) ?? "/", { mode: caller.mode, accounts: caller.accounts, signedIn: !!caller.user });
  if (to) redirect(to);
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
              {(caller.mode === "single" || caller.user?.studioOwner) && (
                <>
                  <Link href="/settings/providers" className="hover:text-stone-900">Settings</Link>
                  <Link href="/settings/team" className="hover:text-stone-900">Team</Link>
                </>
              )}
              {caller.mode === "accounts" && caller.user && !caller.user.studioOwner && (
                // Everyone's own API tokens (they act with that person's roles).
                <Link href="/settings/api-tokens" className="hover:text-stone-900">API tokens</Link>
              )}
            </nav>
            {caller.user && (
              <Link href="/account" className="ml-auto text-sm text-stone-600 hover:text-stone-900">
                {caller.user.name}
              </Link>
            )}
          </div>
        </header>
        <Providers>
          <main className="mx-auto max-w-[1600px] px-4 py-6">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
