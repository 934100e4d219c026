// What the download progress endpoint answers; shared by the route and the page.
export type ExportProgress = {
  state: "running" | "done" | "failed";
  /** Records written so far, over all files. */
  rows: number;
  /** Records the filter matched when the export started. */
  total: number;
  /** The file being written (zip exports). */
  file: string | null;
  /** OpenAI examples left out as invalid. */
  skipped: number;
  error: string | null;
};
