// Live samples: streams newline-delimited JSON events while records generate, so the
// editor shows each field (and each LLM answer token by token) as it arrives.
import { z } from "zod";
import { Blueprint } from "@/lib/blueprints/schema";
import { db } from "@/lib/db/server/prisma";
import { toActionError } from "@/lib/errors/action";
import { DatasetParams, route } from "@/lib/http/route";
import { streamSamples, type SampleEvent } from "@/lib/runs/server/live-samples";

const Input = z.object({
  blueprint: Blueprint,
  connectionId: z.uuid({ message: "Choose a provider connection first." }),
  count: z.number().int().min(1).max(10),
  seed: z.number().int().min(0).max(2 ** 31 - 1),
});

export const POST = route({ access: { role: "editor", project: ({ params }) => ({ datasetId: params.datasetId }) }, params: DatasetParams, body: Input }, async ({ req, params: { datasetId }, body: input }) => {
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
      // Once streaming, failures are events in the stream: the status line has been sent.
      try {
        await streamSamples(db(), { datasetId, ...input }, emit, req.signal);
      } catch (e) {
        emit({ type: "error", message: toActionError(e).message });
      }
      emit({ type: "end" });
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" } });
});
