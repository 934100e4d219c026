import "server-only";
// What the export page shows before downloading: the first three rows exactly as the
// file will start (same plan, same query, same encoder), the counts, the OpenAI check
// and the dataset card.
import type { Db } from "@/lib/db/server/prisma";
import { createEncoder, rowTexts } from "../encoders";
import { chatMessages, downloadFileName, fileBase, FORMAT_INFO, planExport } from "../formats";
import { addToReport, checkChatExample, checkChatFile, emptyReport, type ChatReport } from "../openai";
import type { ExportRequest } from "../schemas";
import type { ExportPreview } from "../types";
import { buildCard, countWithoutPrompt, datasetFacts, exportWhere, selectSql } from "./export";
import type { RawPool } from "@/lib/db/copy/server/raw-pg";
import { ExportSession } from "./session";
import { planSplits } from "./splits";

export const PREVIEW_ROWS = 3;

async function withSession<T>(pool: RawPool, fn: (s: ExportSession) => Promise<T>): Promise<T> {
  const s = await ExportSession.open(pool);
  let ok = false;
  try {
    const out = await fn(s);
    ok = true;
    return out;
  } finally {
    await s.close(ok);
  }
}

export async function previewExport(db: Db, pool: RawPool, datasetId: string, request: ExportRequest): Promise<ExportPreview> {
  const dataset = await datasetFacts(db, datasetId);
  const plan = planExport(request);
  const w = exportWhere(datasetId, request, plan);
  const where = w.where;
  const info = FORMAT_INFO[request.format];
  return withSession(pool, async (s) => {
    const [{ n }] = await s.query<{ n: string }>(`select count(*) as n from "Record" r where ${where}`);
    const total = Number(n);
    const withoutPrompt = await countWithoutPrompt(s, w);
    const splitCounts = request.split && total > 0 ? (await planSplits(s, where, request.split)).counts : null;
    const fileName = downloadFileName(dataset.name, request);
    const enc = createEncoder(plan, { formulas: request.keepFormulas ? "keep" : "neutralise" });
    const chunks: Uint8Array[] = [];
    const table: { columns: string[]; rows: (string | null)[][] } = { columns: plan.columns.map((c) => c.name), rows: [] };
    const batch = await s.firstRows(selectSql(plan, where), PREVIEW_ROWS, plan.kinds);
    if (info.text) chunks.push(...enc.push(batch));
    else for (let r = 0; r < batch.rows; r++) table.rows.push(rowTexts(plan, batch, r));
    if (!info.text) return { total, withoutPrompt, splitCounts, fileName, text: null, table };
    if (request.format === "csv") chunks.push(...enc.finish());
    const text = chunks.map((c) => new TextDecoder().decode(c)).join("");
    return { total, withoutPrompt, splitCounts, fileName, text, table: null };
  });
}

/** Every selected record checked against OpenAI's chat fine-tuning rules. */
export async function checkOpenAiExport(db: Db, pool: RawPool, datasetId: string, request: ExportRequest): Promise<ChatReport> {
  await datasetFacts(db, datasetId);
  const plan = planExport({ ...request, format: "openai", provenance: false }, { withId: true });
  const { where } = exportWhere(datasetId, request, plan);
  const report = emptyReport(request.openai.maxTokens);
  await withSession(pool, async (s) => {
    for await (const batch of s.copy(selectSql(plan, where), plan.kinds)) {
      for (let r = 0; r < batch.rows; r++) {
        const example = { messages: chatMessages(plan, batch, r) };
        const { issues } = checkChatExample(example, { maxTokens: request.openai.maxTokens });
        addToReport(report, plan.idCell === null ? null : batch.text(r, plan.idCell), issues);
      }
    }
  });
  report.file = checkChatFile(request.openai.skipInvalid ? report.checked - report.failing : report.checked);
  return report;
}

/** The card as it would be written now (split sizes as planned). */
export async function previewCard(db: Db, pool: RawPool, datasetId: string, request: ExportRequest): Promise<string> {
  const dataset = await datasetFacts(db, datasetId);
  const { where } = exportWhere(datasetId, request, planExport(request));
  const info = FORMAT_INFO[request.format];
  return withSession(pool, async (s) => {
    const [{ n }] = await s.query<{ n: string }>(`select count(*) as n from "Record" r where ${where}`);
    const total = Number(n);
    let splits = null;
    if (request.split && total > 0) {
      const plan = await planSplits(s, where, request.split);
      splits = plan.files.map((f) => ({ name: f.split, file: `${f.split}.${info.ext}`, rows: plan.counts[f.split] }));
    }
    const file = request.split ? null : `${fileBase(dataset.name, request.format)}.${info.ext}`;
    return buildCard(s, dataset, request, total, new Date().toISOString(), splits, file, 0);
  });
}
