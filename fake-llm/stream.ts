// The 200 answer of a chat completion: OpenAI's JSON body, or its SSE stream with the
// latency spread over the chunks; the disconnect fault cuts either one halfway.
import type http from "node:http";
import type { Answer } from "./answer";
import { tokenize, tokenLogprobs, type TokenLogprob } from "./logprobs";
import { later, type Responder } from "./http";
import type { FaultKind } from "./options";
import type { ParsedChat } from "./request";

/** What an answer needs from its server. */
export interface ChatOutput {
  http: Responder;
  fingerprint: string;
  maxStreamChunks(): number;
  /** A stream is starting. */
  streamed(): void;
  /** The whole answer was sent: its tokens count as used. */
  delivered(a: Answer): void;
}

export function respondChat(
  out: ChatOutput,
  res: http.ServerResponse,
  p: ParsedChat,
  a: Answer,
  fault: FaultKind | null,
  latency: number,
  started: number,
) {
  const id = `chatcmpl-${out.http.idPrefix}${out.http.nextId().toString(36)}`;
  const created = Math.floor(Date.now() / 1000);
  if (!p.stream) {
    later(res, latency, () => {
      const body = completionBody(out, id, created, p, a);
      if (fault === "disconnect") {
        const h = out.http.baseHeaders("application/json", started, true);
        h["content-length"] = Buffer.byteLength(body);
        out.http.countStatus(200);
        res.writeHead(200, h);
        res.write(body.slice(0, body.length >> 1), () => res.destroy());
        return;
      }
      out.http.sendJson(res, 200, body, started);
      out.delivered(a);
    });
    return;
  }
  out.streamed();
  const groups = streamGroups(out, id, created, p, a);
  // Spread the latency over at most one tick per group, each at least ~4 ms apart.
  const ticks = latency > 0 ? Math.max(1, Math.min(groups.length, Math.floor(latency / 4))) : 1;
  const payloads: string[] = new Array(ticks).fill("");
  for (let gi = 0; gi < groups.length; gi++) payloads[Math.floor((gi * ticks) / groups.length)] += groups[gi];
  const lastTick = fault === "disconnect" ? Math.max(1, ticks >> 1) : ticks;
  if (fault === "disconnect" && ticks === 1) {
    // Single payload: cut it in half.
    payloads[0] = payloads[0]!.slice(0, payloads[0]!.length >> 1);
  }
  let t = 0;
  let timer: NodeJS.Timeout | undefined;
  const interval = latency / ticks;
  if (latency > 0) res.once("close", () => clearTimeout(timer));
  const step = () => {
    if (res.destroyed) return;
    if (t === 0) {
      const h = out.http.baseHeaders("text/event-stream; charset=utf-8", started, true);
      h["cache-control"] = "no-cache";
      out.http.countStatus(200);
      res.writeHead(200, h);
    }
    const chunk = payloads[t++]!;
    if (t >= lastTick) {
      if (fault === "disconnect") {
        res.write(chunk, () => res.destroy());
        return;
      }
      res.end(chunk);
      out.delivered(a);
      return;
    }
    res.write(chunk);
    timer = setTimeout(step, interval);
  };
  if (latency > 0) timer = setTimeout(step, interval);
  else step();
}

export function completionBody(out: ChatOutput, id: string, created: number, p: ParsedChat, a: Answer): string {
  let choices = "";
  for (let i = 0; i < a.choices.length; i++) {
    const c = a.choices[i]!;
    choices +=
      (i ? "," : "") +
      `{"index":${i},"message":{"role":"assistant","content":${JSON.stringify(c.content)},"refusal":null,"annotations":[]},"logprobs":${logprobsJson(p, tokenLogprobsOf(p, c.content))},"finish_reason":"${c.finishReason}"}`;
  }
  return (
    `{"id":"${id}","object":"chat.completion","created":${created},"model":${JSON.stringify(p.model)},"choices":[${choices}],` +
    `"usage":${usageJson(a)},"service_tier":"default","system_fingerprint":"${out.fingerprint}"}`
  );
}

function usageJson(a: Answer): string {
  return (
    `{"prompt_tokens":${a.promptTokens},"completion_tokens":${a.completionTokens},"total_tokens":${a.promptTokens + a.completionTokens},` +
    `"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},` +
    `"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}`
  );
}

/** SSE payload grouped in time slots: [role chunks], [content chunk k]..., [finish (+usage) + DONE]. */
function streamGroups(out: ChatOutput, id: string, created: number, p: ParsedChat, a: Answer): string[] {
  const head = `data: {"id":"${id}","object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(p.model)},"service_tier":"default","system_fingerprint":"${out.fingerprint}","choices":[`;
  const tail = p.includeUsage ? `],"usage":null}\n\n` : `]}\n\n`;
  // With logprobs, pieces end on token boundaries and each carries its tokens' logprobs.
  const pieces = a.choices.map((c) =>
    p.logprobs === null
      ? splitContent(c.content, Math.min(out.maxStreamChunks(), Math.max(1, Math.ceil(c.content.length / 4))))
      : groupTokens(tokenize(c.content), Math.min(out.maxStreamChunks(), Math.max(1, Math.ceil(c.content.length / 4)))),
  );
  const pieceLogprobs = a.choices.map((c, i) => {
    const all = tokenLogprobsOf(p, c.content);
    let t = 0;
    return pieces[i]!.map((piece) => {
      const mine: TokenLogprob[] = [];
      for (let len = 0; len < piece.length && all && t < all.length; t++) {
        mine.push(all[t]!);
        len += all[t]!.token.length;
      }
      return mine;
    });
  });
  const groups: string[] = [];
  let g = "";
  for (let i = 0; i < a.choices.length; i++) {
    g += `${head}{"index":${i},"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}${tail}`;
  }
  groups.push(g);
  const maxPieces = pieces.reduce((m, ps) => Math.max(m, ps.length), 0);
  for (let k = 0; k < maxPieces; k++) {
    g = "";
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]![k];
      if (piece !== undefined) {
        g += `${head}{"index":${i},"delta":{"content":${JSON.stringify(piece)}},"logprobs":${logprobsJson(p, pieceLogprobs[i]![k]!)},"finish_reason":null}${tail}`;
      }
    }
    groups.push(g);
  }
  g = "";
  for (let i = 0; i < a.choices.length; i++) {
    g += `${head}{"index":${i},"delta":{},"logprobs":null,"finish_reason":"${a.choices[i]!.finishReason}"}${tail}`;
  }
  if (p.includeUsage) g += `${head}],"usage":${usageJson(a)}}\n\n`;
  g += "data: [DONE]\n\n";
  groups.push(g);
  return groups;
}

function tokenLogprobsOf(p: ParsedChat, content: string): TokenLogprob[] | null {
  return p.logprobs === null ? null : tokenLogprobs(content, p.logprobs);
}

function logprobsJson(p: ParsedChat, tokens: TokenLogprob[] | null): string {
  return p.logprobs === null || tokens === null ? "null" : JSON.stringify({ content: tokens, refusal: null });
}

/** Joins tokens into about `parts` pieces, each ending where a token ends. */
function groupTokens(tokens: string[], parts: number): string[] {
  const size = Math.ceil(tokens.length / parts);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i += size) out.push(tokens.slice(i, i + size).join(""));
  return out;
}

/** Splits `s` into about `parts` pieces without breaking surrogate pairs. */
function splitContent(s: string, parts: number): string[] {
  if (!s) return [];
  const size = Math.ceil(s.length / parts);
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    let end = Math.min(s.length, i + size);
    const c = s.charCodeAt(end - 1);
    if (end < s.length && c >= 0xd800 && c <= 0xdbff) end++;
    out.push(s.slice(i, end));
    i = end;
  }
  return out;
}
