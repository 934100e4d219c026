import { redirect } from "next/navigation";
import { OwnerForm } from "@/components/auth/forms";
import { currentCaller } from "@/lib/auth/server/access";

export const dynamic = "force-dynamic";
export const metadata = { title: "Create the owner account · Datawright" };

/** The first person to open a studio with accounts creates its owner. */
export default async function SetupPage() {
  const caller = await currentCaller();
  if (caller.accounts > 0) redirect(caller.user || caller.mode === "single" ? "/" : "/sign-in");
  return (
    <div className="mx-auto max-w-sm space-y-6 pt-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Create the owner account</h1>
        <p className="mt-1 text-sm text-stone-500">
          The owner holds the provider keys and costs and invites the others. You sign in with this e-mail and password.
        </p>
      </div>
      <OwnerForm />
    </div>
  );
}
