"use client";
// Settings → API tokens (lib/api/README.md): create a token (shown once, to copy), see
// when each was last used, revoke one. The list comes from the server page.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorText, Input, Label } from "@/components/ui/field";
import { createApiTokenAction, revokeApiTokenAction } from "@/lib/api/actions";
import { unwrap } from "@/lib/errors/client";

export type TokenView = {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  /** Whose token it is, as shown: "you", or the person's name (the studio owner's list). */
  owner: string;
};

const EXPIRY = [
  { value: "7", label: "in 7 days" },
  { value: "30", label: "in 30 days" },
  { value: "90", label: "in 90 days" },
  { value: "365", label: "in a year" },
  { value: "never", label: "never" },
];

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" }) : "never");

export function ApiTokens({ tokens, showOwners = false }: { tokens: TokenView[]; showOwners?: boolean }) {
  const router = useRouter();
  const id = useId();
  const [name, setName] = useState("");
  const [days, setDays] = useState("90");
  const [shown, setShown] = useState<{ name: string; token: string; expiresAt: string | null } | null>(null);
  const [copied, setCopied] = useState(false);
  const create = useMutation({
    mutationFn: () => unwrap(createApiTokenAction({ name, expiresInDays: days === "never" ? null : Number(days) })),
    onSuccess: (t) => {
      setShown({ name: t.name, token: t.token, expiresAt: t.expiresAt });
      setCopied(false);
      setName("");
      router.refresh();
    },
  });
  const revoke = useMutation({ mutationFn: (tokenId: string) => unwrap(revokeApiTokenAction({ id: tokenId })), onSuccess: () => router.refresh() });

  return (
    <div className="space-y-6">
      <form
        className="flex max-w-xl items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <div className="flex-1">
          <Label htmlFor={`${id}-name`}>Token name</Label>
          <Input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. CI, my notebook" aria-invalid={!!create.error} aria-describedby={create.error ? `${id}-error` : undefined} />
        </div>
        <div>
          <Label htmlFor={`${id}-expires`}>Expires</Label>
          <select id={`${id}-expires`} value={days} onChange={(e) => setDays(e.target.value)} className="h-9 rounded-md border border-stone-300 bg-white px-2 text-sm">
            {EXPIRY.map((o) => (
              <option key={o.value} value={o.value}>{o.label}</option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="primary" disabled={create.isPending}>{create.isPending ? "Creating…" : "Create token"}</Button>
      </form>
      <ErrorText id={`${id}-error`}>{create.error?.message}</ErrorText>

      {shown && (
        <div role="status" className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm" data-testid="new-token">
          <p className="font-medium text-amber-900">
            Copy the token &ldquo;{shown.name}&rdquo; now: it is not shown again. {shown.expiresAt ? `It works until ${when(shown.expiresAt)}.` : "It works until you revoke it."}
          </p>
          <code className="block break-all rounded bg-white px-2 py-1 font-mono text-stone-900" data-testid="token-value">{shown.token}</code>
          <div className="flex gap-2">
            <Button
              size="sm"
              onClick={() => {
                void navigator.clipboard?.writeText(shown.token).then(() => setCopied(true));
              }}
            >
              {copied ? "Copied" : "Copy"}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setShown(null)}>I have copied it</Button>
          </div>
          <p className="text-stone-600">
            Use it as <code>Authorization: Bearer …</code>, or with the command line: <code>DATAWRIGHT_TOKEN=… ./studio cli status</code>.
          </p>
        </div>
      )}

      {tokens.length === 0 ? (
        <EmptyState title="No API tokens yet">Create one to script the studio: the HTTP API (its OpenAPI document is at /api/v1/openapi.json) and the command line use it.</EmptyState>
      ) : (
        <table className="w-full overflow-hidden rounded-lg border border-stone-200 bg-white text-left text-sm">
          <caption className="sr-only">API tokens</caption>
          <thead className="bg-stone-50 text-stone-600">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">Name</th>
              <th scope="col" className="px-3 py-2 font-medium">Token</th>
              {showOwners && <th scope="col" className="px-3 py-2 font-medium">Acts as</th>}
              <th scope="col" className="px-3 py-2 font-medium">Created</th>
              <th scope="col" className="px-3 py-2 font-medium">Last used</th>
              <th scope="col" className="px-3 py-2 font-medium">Expires</th>
              <th scope="col" className="px-3 py-2"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id} className="border-t border-stone-100" data-testid="token-row">
                <th scope="row" className="px-3 py-2 font-medium">{t.name}</th>
                <td className="px-3 py-2 font-mono text-stone-600">{t.prefix}…</td>
                {showOwners && <td className="px-3 py-2">{t.owner}</td>}
                <td className="px-3 py-2">{when(t.createdAt)}</td>
                <td className="px-3 py-2">{when(t.lastUsedAt)}</td>
                <td className="px-3 py-2">{t.expiresAt ? (new Date(t.expiresAt).getTime() <= Date.now() ? `Expired ${when(t.expiresAt)}` : when(t.expiresAt)) : "never"}</td>
                <td className="px-3 py-2 text-right">
                  {t.revokedAt ? (
                    <span className="text-stone-500">Revoked {when(t.revokedAt)}</span>
                  ) : (
                    <Button
                      size="sm"
                      variant="ghost"
                      className="text-red-700"
                      aria-label={showOwners && t.owner !== "you" ? `Revoke ${t.name} (${t.owner})` : `Revoke ${t.name}`}
                      disabled={revoke.isPending}
                      onClick={() => {
                        if (confirm(`Revoke the token "${t.name}"? Scripts using it stop working at once.`)) revoke.mutate(t.id);
                      }}
                    >
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorText>{revoke.error?.message}</ErrorText>
    </div>
  );
}
