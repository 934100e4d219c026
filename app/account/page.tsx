import { redirect } from "next/navigation";
import { ChangePasswordForm, SignOutButton } from "@/components/auth/forms";
import { currentCaller } from "@/lib/auth/server/access";

export const dynamic = "force-dynamic";
export const metadata = { title: "Account · Datawright" };

export default async function AccountPage() {
  const caller = await currentCaller();
  if (!caller.user) redirect(caller.mode === "single" ? "/settings/team" : "/sign-in");
  return (
    <div className="mx-auto max-w-xl space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Your account</h1>
        <p className="mt-1 text-sm text-stone-500">Signed in as {caller.user.name} ({caller.user.email}).</p>
      </div>
      <section aria-labelledby="password-heading" className="space-y-3">
        <h2 id="password-heading" className="text-lg font-medium">Change password</h2>
        <ChangePasswordForm />
      </section>
      <SignOutButton />
    </div>
  );
}
