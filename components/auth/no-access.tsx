import Link from "next/link";

/** What a page shows a signed-in person whose role does not reach it. */
export function NoAccess({ message }: { message: string }) {
  return (
    <div className="mx-auto max-w-xl rounded-lg border border-amber-300 bg-amber-50 p-6">
      <h1 className="mb-2 text-lg font-semibold">You do not have access to this page</h1>
      <p className="text-sm text-stone-700">{message}</p>
      <p className="mt-4 text-sm">
        <Link href="/" className="text-indigo-700 underline">Back to projects</Link>
      </p>
    </div>
  );
}
