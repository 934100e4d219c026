// Parsing and validating a chat-completions request, with OpenAI's messages, `param`
// and `code` for each invalid one.
import { type ApiError, invalid } from "./errors";
import { strictSchemaError } from "./schema/strict";

const KNOWN_PARAMS = new Set([
  "messages", "model", "audio", "frequency_penalty", "function_call", "functions", "logit_bias", "logprobs",
  "max_completion_tokens", "max_tokens", "metadata", "modalities", "moderation", "n", "parallel_tool_calls",
  "prediction", "presence_penalty", "prompt_cache_key", "prompt_cache_options", "prompt_cache_retention",
  "reasoning_effort", "response_format", "safety_identifier", "seed", "service_tier", "stop", "store", "stream",
  "stream_options", "temperature", "tool_choice", "tools", "top_logprobs", "top_p", "user", "verbosity",
  "web_search_options",
]);
const ROLES = ["system", "assistant", "user", "function", "tool", "developer"];
const PART_TYPES = ["text", "image_url", "input_audio", "file", "refusal"];

function describeType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "number") return Number.isInteger(v) ? "an integer" : "a decimal";
  if (typeof v === "string") return "a string";
  if (typeof v === "boolean") return "a boolean";
  if (typeof v === "object") return "an object";
  return typeof v;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const present = (v: unknown) => v !== undefined && v !== null;

function checkInt(body: Record<string, unknown>, name: string, min?: number, max?: number): ApiError | null {
  const v = body[name];
  if (!present(v)) return null;
  if (typeof v !== "number" || !Number.isInteger(v)) {
    return invalid(`Invalid type for '${name}': expected an integer, but got ${describeType(v)} instead.`, name, "invalid_type");
  }
  if (min !== undefined && v < min) {
    return invalid(`Invalid '${name}': integer below minimum value. Expected a value >= ${min}, but got ${v} instead.`, name, "integer_below_min_value");
  }
  if (max !== undefined && v > max) {
    return invalid(`Invalid '${name}': integer above maximum value. Expected a value <= ${max}, but got ${v} instead.`, name, "integer_above_max_value");
  }
  return null;
}

function checkNumber(body: Record<string, unknown>, name: string, min: number, max: number): ApiError | null {
  const v = body[name];
  if (!present(v)) return null;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    return invalid(`Invalid type for '${name}': expected a decimal, but got ${describeType(v)} instead.`, name, "invalid_type");
  }
  if (v < min) {
    return invalid(`Invalid '${name}': decimal below minimum value. Expected a value >= ${min}, but got ${v} instead.`, name, "decimal_below_min_value");
  }
  if (v > max) {
    return invalid(`Invalid '${name}': decimal above maximum value. Expected a value <= ${max}, but got ${v} instead.`, name, "decimal_above_max_value");
  }
  return null;
}

export interface ParsedChat {
  model: string;
  /** Text of each message (parts joined), for hashing and token estimates. */
  texts: string[];
  /** Index of the last user message (or last message). */
  lastUser: number;
  nameCount: number;
  n: number;
  maxTokens: number | undefined;
  seed: number | undefined;
  stream: boolean;
  includeUsage: boolean;
  stop: string[];
  format: "text" | "json_object" | "json_schema";
  schema: unknown;
  schemaText: string;
  /** Alternatives per token when logprobs were asked for (0-20); null when they were not. */
  logprobs: number | null;
}

function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    let s = "";
    for (const part of content) {
      if (isObj(part) && typeof part.text === "string") s += (s ? "\n" : "") + part.text;
      else if (isObj(part) && typeof part.refusal === "string") s += (s ? "\n" : "") + part.refusal;
    }
    return s;
  }
  return "";
}

export function validateChat(body: unknown, strictParams: boolean): ApiError | ParsedChat {
  if (!isObj(body)) {
    return invalid(`Invalid type for request body: expected an object, but got ${describeType(body)} instead.`, null, "invalid_type");
  }
  if (strictParams) {
    for (const key in body) {
      if (!KNOWN_PARAMS.has(key)) return invalid(`Unrecognized request argument supplied: ${key}`);
    }
  }
  const model = body.model;
  if (!present(model) || model === "") return invalid("you must provide a model parameter");
  if (typeof model !== "string") {
    return invalid(`Invalid type for 'model': expected a string, but got ${describeType(model)} instead.`, "model", "invalid_type");
  }
  const messages = body.messages;
  if (!present(messages)) return invalid("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
  if (!Array.isArray(messages)) {
    return invalid(`Invalid type for 'messages': expected an array of objects, but got ${describeType(messages)} instead.`, "messages", "invalid_type");
  }
  if (messages.length === 0) {
    return invalid(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      "messages",
      "empty_array",
    );
  }
  const texts: string[] = new Array(messages.length);
  let lastUser = -1;
  let nameCount = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    const p = `messages[${i}]`;
    if (!isObj(m)) return invalid(`Invalid type for '${p}': expected an object, but got ${describeType(m)} instead.`, p, "invalid_type");
    const role = m.role;
    if (!present(role)) return invalid(`Missing required parameter: '${p}.role'.`, `${p}.role`, "missing_required_parameter");
    if (typeof role !== "string" || !ROLES.includes(role)) {
      return invalid(
        `Invalid value: '${String(role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
        `${p}.role`,
        "invalid_value",
      );
    }
    const content = m.content;
    const contentOptional = role === "assistant" && (present(m.tool_calls) || present(m.function_call) || present(m.refusal) || present(m.audio));
    if (!present(content)) {
      if (!contentOptional) return invalid(`Missing required parameter: '${p}.content'.`, `${p}.content`, "missing_required_parameter");
    } else if (Array.isArray(content)) {
      for (let j = 0; j < content.length; j++) {
        const part = content[j];
        const pp = `${p}.content[${j}]`;
        if (!isObj(part)) return invalid(`Invalid type for '${pp}': expected an object, but got ${describeType(part)} instead.`, pp, "invalid_type");
        if (!present(part.type)) return invalid(`Missing required parameter: '${pp}.type'.`, `${pp}.type`, "missing_required_parameter");
        if (typeof part.type !== "string" || !PART_TYPES.includes(part.type)) {
          return invalid(
            `Invalid value: '${String(part.type)}'. Supported values are: 'text', 'image_url', 'input_audio', 'file', and 'refusal'.`,
            `${pp}.type`,
            "invalid_value",
          );
        }
        if (part.type === "text" && typeof part.text !== "string") {
          if (!present(part.text)) return invalid(`Missing required parameter: '${pp}.text'.`, `${pp}.text`, "missing_required_parameter");
          return invalid(`Invalid type for '${pp}.text': expected a string, but got ${describeType(part.text)} instead.`, `${pp}.text`, "invalid_type");
        }
      }
    } else if (typeof content !== "string") {
      return invalid(
        `Invalid type for '${p}.content': expected one of a string or array of objects, but got ${describeType(content)} instead.`,
        `${p}.content`,
        "invalid_type",
      );
    }
    if (role === "tool" && !present(m.tool_call_id)) {
      return invalid(`Missing required parameter: '${p}.tool_call_id'.`, `${p}.tool_call_id`, "missing_required_parameter");
    }
    if (typeof m.name === "string") nameCount++;
    texts[i] = messageText(content);
    if (role === "user") lastUser = i;
  }
  if (lastUser < 0) lastUser = messages.length - 1;

  const err =
    checkInt(body, "n", 1, 128) ??
    checkInt(body, "max_tokens", 1) ??
    checkInt(body, "max_completion_tokens", 1) ??
    checkInt(body, "seed") ??
    checkNumber(body, "temperature", 0, 2) ??
    checkNumber(body, "top_p", 0, 1) ??
    checkNumber(body, "presence_penalty", -2, 2) ??
    checkNumber(body, "frequency_penalty", -2, 2);
  if (err) return err;

  if (present(body.logprobs) && typeof body.logprobs !== "boolean") {
    return invalid(`Invalid type for 'logprobs': expected a boolean, but got ${describeType(body.logprobs)} instead.`, "logprobs", "invalid_type");
  }
  const topErr = checkInt(body, "top_logprobs", 0, 20);
  if (topErr) return topErr;
  if (present(body.top_logprobs) && body.logprobs !== true) {
    return invalid("Invalid value for 'top_logprobs': logprobs must be set to true when top_logprobs is used.", "top_logprobs", "invalid_value");
  }

  const stream = body.stream;
  if (present(stream) && typeof stream !== "boolean") {
    return invalid(`Invalid type for 'stream': expected a boolean, but got ${describeType(stream)} instead.`, "stream", "invalid_type");
  }
  let includeUsage = false;
  if (present(body.stream_options)) {
    if (stream !== true) return invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options");
    if (!isObj(body.stream_options)) {
      return invalid(`Invalid type for 'stream_options': expected an object, but got ${describeType(body.stream_options)} instead.`, "stream_options", "invalid_type");
    }
    includeUsage = body.stream_options.include_usage === true;
  }

  let stop: string[] = [];
  if (present(body.stop)) {
    if (typeof body.stop === "string") stop = [body.stop];
    else if (Array.isArray(body.stop) && body.stop.every((s) => typeof s === "string")) {
      if (body.stop.length > 4) {
        return invalid(
          `Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length ${body.stop.length} instead.`,
          "stop",
          "array_above_max_length",
        );
      }
      stop = body.stop as string[];
    } else {
      return invalid(`Invalid type for 'stop': expected one of a string or array of strings, but got ${describeType(body.stop)} instead.`, "stop", "invalid_type");
    }
    stop = stop.filter((s) => s.length > 0);
  }

  let format: ParsedChat["format"] = "text";
  let schema: unknown;
  let schemaText = "";
  const rf = body.response_format;
  if (present(rf)) {
    if (!isObj(rf)) {
      return invalid(`Invalid type for 'response_format': expected an object, but got ${describeType(rf)} instead.`, "response_format", "invalid_type");
    }
    if (!present(rf.type)) return invalid("Missing required parameter: 'response_format.type'.", "response_format.type", "missing_required_parameter");
    if (rf.type === "json_schema") {
      const js = rf.json_schema;
      if (!present(js)) {
        return invalid("Missing required parameter: 'response_format.json_schema'.", "response_format.json_schema", "missing_required_parameter");
      }
      if (!isObj(js)) {
        return invalid(`Invalid type for 'response_format.json_schema': expected an object, but got ${describeType(js)} instead.`, "response_format.json_schema", "invalid_type");
      }
      if (!present(js.name)) {
        return invalid("Missing required parameter: 'response_format.json_schema.name'.", "response_format.json_schema.name", "missing_required_parameter");
      }
      if (typeof js.name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(js.name)) {
        return invalid(
          "Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
          "response_format.json_schema.name",
          "invalid_value",
        );
      }
      if (present(js.schema) && !isObj(js.schema)) {
        return invalid(`Invalid type for 'response_format.json_schema.schema': expected an object, but got ${describeType(js.schema)} instead.`, "response_format.json_schema.schema", "invalid_type");
      }
      schema = js.schema ?? {};
      if (js.strict === true) {
        const e = strictSchemaError(schema);
        if (e) return invalid(`Invalid schema for response_format '${js.name}': ${e}`, "response_format");
      }
      format = "json_schema";
      schemaText = JSON.stringify(schema);
    } else if (rf.type === "json_object") {
      if (!texts.some((t) => /json/i.test(t))) {
        return invalid("'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", "messages");
      }
      format = "json_object";
    } else if (rf.type !== "text") {
      return invalid(
        `Invalid value: '${String(rf.type)}'. Supported values are: 'text', 'json_object', and 'json_schema'.`,
        "response_format.type",
        "invalid_value",
      );
    }
  }

  return {
    model,
    texts,
    lastUser,
    nameCount,
    n: (body.n as number | undefined) ?? 1,
    maxTokens: (body.max_completion_tokens as number | undefined) ?? (body.max_tokens as number | undefined) ?? undefined,
    seed: (body.seed as number | undefined) ?? undefined,
    stream: stream === true,
    includeUsage,
    stop,
    format,
    schema,
    schemaText,
    logprobs: body.logprobs === true ? ((body.top_logprobs as number | undefined) ?? 0) : null,
  };
}
