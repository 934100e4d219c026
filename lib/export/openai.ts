// OpenAI's rules for chat fine-tuning files, checked per example before anyone uploads
// 10,000 lines and waits for OpenAI to reject them. From OpenAI's fine-tuning guide and
// its data-preparation cookbook: every line is {"messages": [...]}; each message has a
// role of system, user or assistant (tool messages are not produced here) and string
// content; there is at least one assistant message; a system message comes first; an
// example fits the model's context for training (65,536 tokens for gpt-4o-mini, other
// models differ: a setting); and a file holds at least 10 examples. We also refuse empty
// or whitespace-only content: OpenAI rejects an assistant message without content and an
// empty turn teaches nothing. Pure.
import { countChatTokens, TOKENS_PER_MESSAGE, REPLY_PRIMING_TOKENS } from "@/lib/generation/tokens";

export const OPENAI_MIN_EXAMPLES = 10;
const ROLES = new Set(["system", "user", "assistant"]);
const KNOWN_KEYS = new Set(["role", "content", "name", "weight"]);

export type ChatIssueCode =
  | "not_object"
  | "no_messages"
  | "bad_role"
  | "unknown_key"
  | "content_not_string"
  | "empty_content"
  | "system_not_first"
  | "no_assistant"
  | "too_many_tokens"
  | "too_few_examples";

export const ISSUE_TITLES: Record<ChatIssueCode, string> = {
  not_object: "Line is not a JSON object",
  no_messages: "No messages list",
  bad_role: "Role is not system, user or assistant",
  unknown_key: "Message has a key OpenAI does not accept",
  content_not_string: "Content is not a string",
  empty_content: "Content is empty",
  system_not_first: "System message is not first",
  no_assistant: "No assistant message",
  too_many_tokens: "Example is over the token limit",
  too_few_examples: "Too few examples",
};

export type ChatIssue = { code: ChatIssueCode; message: string };

export type ChatCheckOptions = {
  maxTokens: number;
  /** Tokenizer choice (o200k_base for gpt-4o-family); unknown models are estimated with o200k. */
  model?: string;
};

/**
 * Problems of one example, and its token count when it was needed (null when the cheap
 * bound already proved the example fits: a token is at least one UTF-8 byte and a UTF-16
 * code unit is at most three, so 3 x characters bounds the tokens without tokenising).
 */
export function checkChatExample(example: unknown, opts: ChatCheckOptions): { issues: ChatIssue[]; tokens: number | null } {
  const issues: ChatIssue[] = [];
  if (typeof example !== "object" || example === null || Array.isArray(example)) {
    return { issues: [{ code: "not_object", message: "Each line must be a JSON object like {\"messages\": [...]}." }], tokens: null };
  }
  const messages = (example as { messages?: unknown }).messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    return { issues: [{ code: "no_messages", message: "The example needs a non-empty \"messages\" list." }], tokens: null };
  }
  let assistant = false;
  let chars = 0;
  const counted: { role: string; content: string }[] = [];
  messages.forEach((m, i) => {
    const at = `Message ${i + 1}`;
    if (typeof m !== "object" || m === null || Array.isArray(m)) {
      issues.push({ code: "not_object", message: `${at} is not an object with a role and content.` });
      return;
    }
    const { role, content } = m as { role?: unknown; content?: unknown };
    if (typeof role !== "string" || !ROLES.has(role)) {
      issues.push({ code: "bad_role", message: `${at} has role ${JSON.stringify(role ?? null)}; use system, user or assistant.` });
    }
    for (const k of Object.keys(m)) {
      if (!KNOWN_KEYS.has(k)) issues.push({ code: "unknown_key", message: `${at} has the key "${k}", which OpenAI does not accept.` });
    }
    if (typeof content !== "string") {
      issues.push({ code: "content_not_string", message: `${at} (${String(role)}) has ${content === undefined || content === null ? "no" : typeof content} content; it must be text.` });
    } else {
      if (content.trim() === "") issues.push({ code: "empty_content", message: `${at} (${String(role)}) is empty.` });
      chars += content.length;
      counted.push({ role: String(role), content });
    }
    if (role === "assistant") assistant = true;
    if (role === "system" && i > 0) issues.push({ code: "system_not_first", message: `${at} is a system message; it must come first.` });
  });
  if (!assistant) issues.push({ code: "no_assistant", message: "There is no assistant message: nothing to learn from." });

  let tokens: number | null = null;
  const framing = REPLY_PRIMING_TOKENS + counted.length * (TOKENS_PER_MESSAGE + 1);
  if (3 * chars + framing > opts.maxTokens) {
    // +1 per message: the role's own token, as OpenAI's cookbook counts it.
    tokens = countChatTokens(counted, opts.model ?? "gpt-4o-mini").tokens + counted.length;
    if (tokens > opts.maxTokens) {
      issues.push({
        code: "too_many_tokens",
        message: `The example has ${tokens.toLocaleString("en-US")} tokens; the limit is ${opts.maxTokens.toLocaleString("en-US")}. OpenAI would cut it off.`,
      });
    }
  }
  return { issues, tokens };
}

/** File-level rules, given how many examples the file holds. */
export function checkChatFile(examples: number): ChatIssue[] {
  if (examples >= OPENAI_MIN_EXAMPLES) return [];
  return [
    {
      code: "too_few_examples",
      message: `OpenAI needs at least ${OPENAI_MIN_EXAMPLES} examples in a training file; this export has ${examples}.`,
    },
  ];
}

export type ChatReport = {
  checked: number;
  failing: number;
  /** Failing examples per rule. */
  byCode: Partial<Record<ChatIssueCode, number>>;
  /** The first failing examples, to show and to open in the review grid. */
  samples: { recordId: string | null; issues: ChatIssue[] }[];
  /** Problems of the file as a whole (too few examples). */
  file: ChatIssue[];
  maxTokens: number;
};

export const REPORT_SAMPLES = 20;

export function emptyReport(maxTokens: number): ChatReport {
  return { checked: 0, failing: 0, byCode: {}, samples: [], file: [], maxTokens };
}

export function addToReport(report: ChatReport, recordId: string | null, issues: ChatIssue[]): void {
  report.checked++;
  if (issues.length === 0) return;
  report.failing++;
  for (const code of new Set(issues.map((i) => i.code))) report.byCode[code] = (report.byCode[code] ?? 0) + 1;
  if (report.samples.length < REPORT_SAMPLES) report.samples.push({ recordId, issues });
}
