import { AcceptInvitationForm } from "@/components/auth/forms";
import { NoAccess } from "@/components/auth/no-access";
import { readInvitation } from "@/lib/auth/server/accounts";
import { ROLE_LABEL } from "@/lib/auth/roles";
import { db } from "@/lib/db/server/prisma";
import { DomainError } from "@/lib/errors/domain-error";

export const dynamic = "force-dynamic";
export const metadata = { title: "Invitation · Datawright" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let inv;
  try {
    inv = await readInvitation(db(), token);
  } catch (e) {
    if (e instanceof DomainError) return <NoAccess message={e.message} />;
    throw e;
  }
  return (
    <div className="mx-auto max-w-sm space-y-6 pt-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Join {inv.projectName}</h1>
        <p className="mt-1 text-sm text-stone-500">
          As {ROLE_LABEL[inv.role].toLowerCase()}, signing in as {inv.email}. Choose your name and a password.
        </p>
      </div>
      <AcceptInvitationForm token={token} />
    </div>
  );
}
