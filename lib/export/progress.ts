// What the download progress endpoint answers; shared by the route and the page.
export type ExportProgress = {
  state: "running" | "done" | "failed";
  /** Records written so far, over all files. */
  rows: number;
  /**
   * Records the filter matched, when the export counted them (splits are counted to be
   * cut); null otherwise, and the page uses the count its preview showed.
   */
  total: number | null;
  /** The file being written (zip exports). */
  file: string | null;
  /** OpenAI examples left out as invalid. */
  skipped: number;
  error: string | null;
};
