// DuckDB for tests that read exported files back with a reader that shares no code with
// ours (its own Parquet, CSV and JSON readers, as used from Python, R and the CLI).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll } from "vitest";

/**
 * One in-memory DuckDB for the file's (or describe block's) tests. `read(sql, bytes, ext)`
 * writes the bytes to a temporary file and runs `sql` with `$file` naming it.
 */
export function duckDbReader(prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  let instance: DuckDBInstance;
  let duckdb: DuckDBConnection;
  beforeAll(async () => {
    // Extensions are linked in; never reach for the network.
    instance = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false" });
    duckdb = await instance.connect();
  });
  afterAll(() => {
    duckdb.closeSync();
    instance.closeSync();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return async function read<T = Record<string, unknown>>(sql: string, file: Uint8Array | string, ext: string): Promise<T[]> {
    const f = path.join(dir, `${crypto.randomUUID()}.${ext}`);
    fs.writeFileSync(f, file);
    return (await duckdb.runAndReadAll(sql.replaceAll("$file", `'${f}'`))).getRowObjectsJson() as T[];
  };
}
