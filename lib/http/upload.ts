// The file name and format of a CSV / JSONL upload streamed to a route (`?name=`), with the
// messages every upload route gives for a missing name or another kind of file.
import { DomainError } from "@/lib/errors/domain-error";
import { detectFormat, type SeedTableFormat } from "@/lib/tabular/parse";

export function uploadedTable(rawName: string): { fileName: string; format: SeedTableFormat } {
  const fileName = rawName.trim().slice(0, 200);
  if (!fileName) throw new DomainError("invalid_input", "The file has no name.");
  const format = detectFormat(fileName);
  if (!format) throw new DomainError("invalid_input", `"${fileName}" is not a CSV or JSONL file. Use .csv, .tsv, .jsonl or .ndjson.`);
  return { fileName, format };
}
