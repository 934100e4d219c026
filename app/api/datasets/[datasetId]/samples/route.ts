// Live samples: streams newline-delimited JSON events while records generate, so the
// editor shows each field (and each LLM answer token by token) as it arrives.
import type { NextRequest } from "next/server";
import { z } from "zod";
import { Blueprint } from "@/lib/blueprints/schema";
import { db } from "@/lib/db/server/prisma";
import { toActionError } from "@/lib/errors/action";
import { streamSamples, type SampleEvent } from "@/lib/runs/server/live-samples";

const Input = z.object({
  blueprint: Blueprint,
  connectionId: z.uuid({ message: "Choose a provider connection first." }),
  count: z.number().int().min(1).max(10),
  seed: z.number().int().min(0).max(2 ** 31 - 1),
});

export async function POST(req: NextRequest, ctx: { params: Promise<{ datasetId: string }> }) {
  const { datasetId } = await ctx.params;
  const parsed = Input.safeParse(await req.json().catch(() => null));
  if (!parsed.success || !z.uuid().safeParse(datasetId).success) {
    const message = parsed.success ? "The dataset id is not valid." : parsed.error.issues[0]?.message ?? "Invalid request.";
    return Response.json({ ok: false, error: { code: "invalid_input", message } }, { status: 400 });
  }
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const emit = (e: SampleEvent) => {
        try {
          controller.enqueue(encoder.encode(JSON.stringify(e) + "\n"));
        } catch {
          /* the browser went away */
        }
      };
      try {
        await streamSamples(db(), { datasetId, ...parsed.data }, emit, req.signal);
      } catch (e) {
        emit({ type: "error", message: toActionError(e).message });
      }
      emit({ type: "end" });
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" } });
}
