"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { deleteSeedTableAction, seedTableRowsAction, seedTableValueAction } from "@/lib/datasets/actions";
import { readAnswer, unwrap } from "@/lib/errors/client";
import type { SeedTableMeta } from "./field-editors";

/** XHR rather than fetch: it reports upload progress, which matters for a 100 MB file. */
function upload(datasetId: string, file: File, onProgress: (f: number) => void): Promise<SeedTableMeta> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/datasets/${datasetId}/seed-tables?name=${encodeURIComponent(file.name)}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new Error("The upload was interrupted. Check that the studio is running and try again."));
    xhr.onload = () => {
      try {
        resolve(readAnswer<SeedTableMeta>(xhr.status, xhr.responseText, (status) => `The server answered ${status} without a readable message.`));
      } catch (e) {
        reject(e);
      }
    };
    xhr.send(file);
  });
}

export function SeedTablesPanel({ datasetId, tables }: { datasetId: string; tables: SeedTableMeta[] }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const up = useMutation({
    mutationFn: (file: File) => upload(datasetId, file, setProgress),
    onSuccess: (t) => {
      setOpenId(t.id);
      router.refresh();
    },
    onSettled: () => setProgress(null),
  });
  const del = useMutation({ mutationFn: (id: string) => unwrap(deleteSeedTableAction({ id })), onSuccess: () => router.refresh() });

  return (
    <section className="rounded-lg border border-stone-200 bg-white p-3" aria-label="Seed tables">
      <div className="flex items-center gap-2">
        <h2 className="text-sm font-semibold">Seed tables</h2>
        <span className="text-xs text-stone-500">CSV or JSONL, up to 100 MB; seed fields draw rows from them.</span>
        <input
          ref={input}
          type="file"
          accept=".csv,.tsv,.jsonl,.ndjson"
          className="hidden"
          aria-label="Upload seed table"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) up.mutate(f);
            e.target.value = "";
          }}
        />
        <Button size="sm" className="ml-auto" disabled={up.isPending} onClick={() => input.current?.click()}>
          {up.isPending ? `Uploading ${Math.round((progress ?? 0) * 100)}%…` : "Upload table"}
        </Button>
      </div>
      {up.isPending && (
        <div className="mt-2 h-1.5 overflow-hidden rounded bg-stone-100" role="progressbar" aria-valuenow={Math.round((progress ?? 0) * 100)}>
          <div className="h-full bg-indigo-500 transition-all" style={{ width: `${(progress ?? 0) * 100}%` }} />
        </div>
      )}
      {up.error && <p role="alert" className="mt-2 text-sm text-red-700">{up.error.message}</p>}
      {tables.length > 0 && (
        <ul className="mt-2 divide-y divide-stone-100 text-sm">
          {tables.map((t) => (
            <li key={t.id} className="py-1.5">
              <div className="flex items-center gap-2">
                <button type="button" className="font-medium hover:underline" onClick={() => setOpenId(openId === t.id ? null : t.id)} aria-expanded={openId === t.id}>
                  {t.name}
                </button>
                <span className="text-xs text-stone-500">
                  {t.rowCount.toLocaleString()} rows · {t.columns.length} columns: {t.columns.join(", ")}
                </span>
                <Button size="sm" variant="ghost" className="ml-auto text-red-700" aria-label={`Delete table ${t.name}`} onClick={() => confirm(`Delete the seed table "${t.name}"?`) && del.mutate(t.id)}>
                  Delete
                </Button>
              </div>
              {openId === t.id && <RowsPreview id={t.id} columns={t.columns} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RowsPreview({ id, columns }: { id: string; columns: string[] }) {
  const q = useQuery({ queryKey: ["seed-rows", id], queryFn: () => unwrap(seedTableRowsAction({ id, offset: 0, limit: 10 })) });
  // Cells over 10,000 characters arrive cut (lib/records/long-values.ts); one is fetched
  // whole when asked, and shown below the table.
  const [whole, setWhole] = useState<{ index: number; column: string; text: string } | null>(null);
  const load = useMutation({
    mutationFn: (c: { index: number; column: string }) => unwrap(seedTableValueAction({ id, ...c })),
    onSuccess: (text, c) => setWhole({ ...c, text }),
  });
  if (q.error) return <p className="text-xs text-red-700">{q.error.message}</p>;
  if (!q.data) return <p className="text-xs text-stone-500">Loading rows…</p>;
  return (
    <>
      <div className="mt-1 max-h-64 overflow-auto rounded border border-stone-200" tabIndex={0}>
        <table className="w-full text-left text-xs">
          <thead className="sticky top-0 bg-stone-100">
            <tr>{columns.map((c) => <th key={c} className="px-2 py-1 font-mono font-medium">{c}</th>)}</tr>
          </thead>
          <tbody>
            {q.data.rows.map((r, i) => (
              <tr key={i} className="border-t border-stone-100">
                {columns.map((c) => {
                  const long = q.data.long[i]?.[c];
                  return (
                    <td key={c} className="max-w-64 px-2 py-1">
                      <span className="block truncate" title={long === undefined ? r[c] : undefined}>{r[c]}</span>
                      {long !== undefined && (
                        <Button size="sm" aria-label={`Show all ${long.toLocaleString()} characters of ${c} in row ${i + 1}`} disabled={load.isPending} onClick={() => load.mutate({ index: i, column: c })}>
                          Show all {long.toLocaleString()} characters
                        </Button>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {load.error && <p role="alert" className="mt-1 text-xs text-red-700">{load.error.message}</p>}
      {whole && (
        <section aria-label="Whole value" className="mt-1 rounded border border-stone-200 p-2 text-xs">
          <div className="mb-1 flex items-center gap-2">
            <span className="font-mono">{whole.column}</span>
            <span className="text-stone-600">row {whole.index + 1} · {whole.text.length.toLocaleString()} characters</span>
            <Button size="sm" className="ml-auto" onClick={() => setWhole(null)}>Close</Button>
          </div>
          <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-words font-sans" tabIndex={0} data-testid="seed-whole-value">{whole.text}</pre>
        </section>
      )}
    </>
  );
}
