import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/forms";
import { currentCaller } from "@/lib/auth/server/access";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in · Datawright" };

export default async function SignInPage() {
  const caller = await currentCaller();
  if (caller.mode === "accounts" && caller.accounts === 0) redirect("/setup");
  if (caller.mode === "single" || caller.user) redirect("/");
  return (
    <div className="mx-auto max-w-sm space-y-6 pt-8">
      <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
      <SignInForm next="/" />
      <p className="text-sm text-stone-500">No account? Ask the studio&apos;s owner for an invitation link.</p>
    </div>
  );
}
