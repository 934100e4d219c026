"use client";
// Settings → Team: withdraw an open invitation (its link stops working; the audit keeps it).
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { revokeInvitationAction } from "@/lib/auth/actions";
import { unwrap } from "@/lib/errors/client";

export function RevokeInvitation({ projectId, invitationId, email }: { projectId: string; invitationId: string; email: string }) {
  const router = useRouter();
  const revoke = useMutation({ mutationFn: () => unwrap(revokeInvitationAction({ projectId, invitationId })), onSuccess: () => router.refresh() });
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        size="sm"
        variant="ghost"
        className="text-red-700"
        aria-label={`Revoke the invitation for ${email}`}
        disabled={revoke.isPending}
        onClick={() => {
          if (confirm(`Revoke the invitation for ${email}? Its link stops working.`)) revoke.mutate();
        }}
      >
        Revoke
      </Button>
      {revoke.error && <span role="alert" className="text-xs text-red-700">{revoke.error.message}</span>}
    </span>
  );
}
