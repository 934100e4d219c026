"use client";
// The download itself is the browser's: a link to the streaming route, so a file of any
// size goes straight to disk. The server writes how far it got under a random id, which
// this hook polls to draw the progress bar.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { readJson } from "@/lib/errors/client";
import type { ExportProgress } from "@/lib/export/progress";
import { encodeRequestParam, type ExportRequestInput } from "@/lib/export/schemas";

/** `expected`: the count the page showed for these settings, for the bar when the server did not count. */
export type DownloadJob = { id: string; fileName: string; startedAt: number; expected: number | null };

export function useExportDownload(datasetId: string) {
  const [job, setJob] = useState<DownloadJob | null>(null);
  const progress = useQuery({
    queryKey: ["export-progress", datasetId, job?.id],
    enabled: job !== null,
    queryFn: async (): Promise<ExportProgress | null> => {
      // data null: the download has not reached the server yet.
      return readJson<ExportProgress | null>(await fetch(`/api/datasets/${datasetId}/export/progress?id=${job!.id}`, { cache: "no-store" }));
    },
    refetchInterval: (q) => (q.state.data && q.state.data.state !== "running" ? false : 400),
  });

  function start(request: ExportRequestInput, fileName: string, expected: number | null) {
    const id = crypto.randomUUID().replaceAll("-", "");
    const a = document.createElement("a");
    a.href = `/api/datasets/${datasetId}/export?request=${encodeRequestParam(request)}&progress=${id}`;
    a.download = fileName;
    a.rel = "noopener";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setJob({ id, fileName, startedAt: Date.now(), expected });
  }

  return { start, job, progress: progress.data ?? null, clear: () => setJob(null) };
}
