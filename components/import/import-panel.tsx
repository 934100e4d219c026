"use client";
// Import real data as records: choose a file, see its header and first rows (parsed in
// the browser with the same parser the server uses), map columns to fields, upload. The
// server streams the file into one transaction, so a bad line leaves nothing behind.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { num } from "@/components/runs/format";
import { readAnswer, unwrap } from "@/lib/errors/client";
import { deleteImportAction, listImportsAction } from "@/lib/import/actions";
import { defaultImportMapping, ImportMapping } from "@/lib/import/mapping";
import type { ImportResult } from "@/lib/import/schemas";
import { detectFormat, parseSeedTable, type SeedTableFormat } from "@/lib/tabular/parse";

const PREVIEW_ROWS = 3;
const SKIP = "\u0000skip";
const MAX_BYTES = 1024 * 1024 * 1024;

type Picked = { file: File; format: SeedTableFormat; columns: string[]; rows: Record<string, string>[] };

async function readHead(file: File): Promise<Picked> {
  const head = new Uint8Array(await file.slice(0, 64 * 1024).arrayBuffer());
  const format = detectFormat(file.name, head);
  if (!format) throw new Error(`"${file.name}" is not a CSV or JSONL file. Use .csv, .tsv, .jsonl or .ndjson.`);
  if (file.size > MAX_BYTES) throw new Error(`The file is ${(file.size / 1e6).toFixed(0)} MB; an import can be at most 1 GB. Split it into smaller files.`);
  const gen = parseSeedTable(file.stream(), { format, batchSize: PREVIEW_ROWS, maxBytes: MAX_BYTES, maxColumns: 500, delimiter: /\.(tsv|tab)$/i.test(file.name) ? "\t" : "auto" });
  try {
    const first = await gen.next();
    if (first.done) throw new Error("The file has no rows.");
    return { file, format, columns: first.value.columns, rows: first.value.rows.slice(0, PREVIEW_ROWS) };
  } finally {
    await gen.return(undefined as never).catch(() => {});
  }
}

/**
 * Sends the file with XMLHttpRequest, which (unlike fetch) reports upload progress. The
 * server writes rows as the bytes arrive (the body streams into COPY, with backpressure),
 * so bytes sent follow rows imported; after the last byte it commits.
 */
function upload(datasetId: string, file: File, mapping: ImportMapping, onSent: (bytes: number) => void, signal: AbortSignal): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    // Stopping mid-upload leaves the body short of its Content-Length: the server rolls back.
    // Once every byte has gone, the server may already be committing.
    let sent = 0;
    signal.addEventListener("abort", () => xhr.abort());
    xhr.onabort = () =>
      reject(new Error(sent < file.size ? "Import stopped: nothing was imported." : "Import stopped after the whole file was sent: the server may have finished it; see the imported files below."));
    xhr.open("POST", `/api/datasets/${datasetId}/import?name=${encodeURIComponent(file.name)}&mapping=${encodeURIComponent(JSON.stringify(mapping))}`);
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    xhr.upload.onprogress = (e) => onSent((sent = e.loaded));
    xhr.onload = () => {
      try {
        resolve(readAnswer<ImportResult>(xhr.status, xhr.responseText, (status) => `The server answered ${status}; the file was not imported.`));
      } catch (e) {
        reject(e);
      }
    };
    // The transaction commits only after the last byte, so a broken connection imports nothing.
    xhr.onerror = () => reject(new Error("The upload was cut off (network error), so nothing was imported. Try again."));
    xhr.send(file);
  });
}

export function ImportPanel({ datasetId, fields }: { datasetId: string; fields: string[] }) {
  const router = useRouter();
  const qc = useQueryClient();
  const inputRef = useRef<HTMLInputElement>(null);
  const [picked, setPicked] = useState<Picked | null>(null);
  const [pickError, setPickError] = useState<string | null>(null);
  const [targets, setTargets] = useState<Record<string, string>>({});
  const [sent, setSent] = useState(0);
  const uploadRef = useRef<AbortController | null>(null);

  const imports = useQuery({ queryKey: ["imports", datasetId], queryFn: () => unwrap(listImportsAction({ datasetId })) });
  const mapping: ImportMapping = Object.fromEntries(Object.entries(targets).filter(([, t]) => t !== SKIP));
  const mappingCheck = ImportMapping.safeParse(mapping);

  const run = useMutation({
    mutationFn: () => {
      setSent(0);
      uploadRef.current = new AbortController();
      return upload(datasetId, picked!.file, mappingCheck.success ? mappingCheck.data : mapping, setSent, uploadRef.current.signal);
    },
    onSuccess: () => {
      setPicked(null);
      setTargets({});
      if (inputRef.current) inputRef.current.value = "";
      void qc.invalidateQueries({ queryKey: ["imports", datasetId] });
      void qc.invalidateQueries({ queryKey: ["export-preview", datasetId] });
      router.refresh();
    },
    onError: () => void qc.invalidateQueries({ queryKey: ["imports", datasetId] }),
  });
  const remove = useMutation({
    mutationFn: (importId: string) => unwrap(deleteImportAction({ datasetId, importId })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["imports", datasetId] });
      void qc.invalidateQueries({ queryKey: ["export-preview", datasetId] });
      router.refresh();
    },
  });

  async function onPick(file: File | undefined) {
    run.reset();
    setPicked(null);
    setPickError(null);
    if (!file) return;
    try {
      const p = await readHead(file);
      setPicked(p);
      const guess = defaultImportMapping(p.columns, fields);
      setTargets(Object.fromEntries(p.columns.map((c) => [c, guess[c] ?? SKIP])));
    } catch (e) {
      setPickError(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <section aria-label="Import records" className="rounded-lg border border-stone-200 bg-white p-4">
      <h2 className="font-semibold">Import records</h2>
      <p className="mb-3 text-sm text-stone-500">
        Bring real data in as records of this dataset (marked as imported), to review and export beside generated ones. CSV or JSON Lines, UTF-8, up to 1 GB.
      </p>
      <input
        ref={inputRef}
        type="file"
        accept=".csv,.tsv,.jsonl,.ndjson,text/csv,application/x-ndjson"
        aria-label="Import file"
        className="block text-sm file:mr-3 file:rounded-md file:border file:border-stone-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-stone-50"
        onChange={(e) => void onPick(e.target.files?.[0])}
      />
      {pickError && <p role="alert" className="mt-3 rounded bg-red-50 p-2 text-sm text-red-800">{pickError}</p>}

      {picked && (
        <div className="mt-4 space-y-3">
          <p className="text-sm text-stone-600">
            <span className="font-medium text-stone-800">{picked.file.name}</span> · {picked.format.toUpperCase()} · {(picked.file.size / 1e6).toFixed(picked.file.size < 1e6 ? 2 : 0)} MB · {picked.columns.length} columns. Choose where each column goes:
          </p>
          <div className="overflow-x-auto rounded-md border border-stone-200">
            <table className="min-w-full text-sm">
              <thead className="bg-stone-50 text-left text-xs text-stone-600">
                <tr>
                  <th className="px-3 py-2 font-medium">Column in the file</th>
                  <th className="px-3 py-2 font-medium">First values</th>
                  <th className="px-3 py-2 font-medium">Becomes the field</th>
                </tr>
              </thead>
              <tbody>
                {picked.columns.map((c) => (
                  <tr key={c} className="border-t border-stone-100 align-top">
                    <td className="px-3 py-2 font-mono text-[13px]">{c}</td>
                    <td className="max-w-72 px-3 py-2 text-xs text-stone-600">
                      {picked.rows.map((r, i) => (
                        <span key={i} className="block truncate" title={r[c]}>{r[c] || <span className="text-stone-500">empty</span>}</span>
                      ))}
                    </td>
                    <td className="px-3 py-2">
                      <select aria-label={`Field for column ${c}`} className={inputClass} value={targets[c] ?? SKIP} onChange={(e) => setTargets({ ...targets, [c]: e.target.value })}>
                        <option value={SKIP}>— skip this column —</option>
                        {fields.length > 0 && (
                          <optgroup label="Dataset fields">
                            {fields.map((f) => <option key={f} value={f}>{f}</option>)}
                          </optgroup>
                        )}
                        {!fields.includes(c.trim()) && <option value={c.trim()}>new field “{c.trim()}”</option>}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {!mappingCheck.success && <p role="alert" className="text-sm text-red-700">{mappingCheck.error.issues[0]?.message}</p>}
          <div className="flex flex-wrap items-center gap-3">
            <Button variant="primary" disabled={!mappingCheck.success || run.isPending} onClick={() => run.mutate()}>
              {run.isPending ? "Importing…" : `Import ${picked.file.name}`}
            </Button>
            {run.isPending && (
              <span className="flex items-center gap-2 text-xs text-stone-600" aria-live="polite">
                <progress className="h-2 w-40" max={picked.file.size || 1} value={sent} aria-label="Import progress" />
                {sent < picked.file.size
                  ? `${Math.floor((100 * sent) / (picked.file.size || 1))}% · ${(sent / 1e6).toFixed(1)} of ${(picked.file.size / 1e6).toFixed(1)} MB`
                  : "All sent; committing the records…"}
              </span>
            )}
            {run.isPending ? (
              // Once every byte is sent the server may already be committing: too late to promise nothing lands.
              <Button variant="ghost" disabled={sent >= picked.file.size} onClick={() => uploadRef.current?.abort()}>
                Stop
              </Button>
            ) : (
              <Button variant="ghost" onClick={() => void onPick(undefined).then(() => inputRef.current && (inputRef.current.value = ""))}>
                Cancel
              </Button>
            )}
          </div>
        </div>
      )}
      {run.error && <p role="alert" className="mt-3 rounded bg-red-50 p-2 text-sm text-red-800">{run.error.message}</p>}
      {run.data && (
        <p role="status" className="mt-3 rounded bg-emerald-50 p-2 text-sm text-emerald-900">
          Imported {num(run.data.rows)} records from {run.data.fileName} ({run.data.fields.join(", ")}).{" "}
          <Link className="underline" href={`/datasets/${datasetId}/records`}>Review them</Link>
        </p>
      )}

      {imports.data && imports.data.length > 0 && (
        <div className="mt-5">
          <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-stone-500">Imported files</h3>
          <ul className="divide-y divide-stone-100 text-sm" aria-label="Imported files">
            {imports.data.map((i) => (
              <li key={i.id} className="flex items-center justify-between gap-3 py-1.5">
                <span>
                  <span className="font-medium">{i.fileName}</span> <span className="text-stone-500">· {num(i.rows)} records · {i.importedAt.slice(0, 16).replace("T", " ")}</span>
                </span>
                <Button
                  size="sm"
                  variant="ghost"
                  disabled={remove.isPending}
                  aria-label={`Delete import ${i.fileName}`}
                  onClick={() => {
                    if (window.confirm(`Delete the ${num(i.rows)} records imported from ${i.fileName}? Their reviews go with them.`)) remove.mutate(i.id);
                  }}
                >
                  Delete
                </Button>
              </li>
            ))}
          </ul>
          {remove.error && <p role="alert" className="mt-1 text-sm text-red-700">{remove.error.message}</p>}
        </div>
      )}
    </section>
  );
}
