// Provider presets and the input schemas for connections and prices. Pure: shared by the
// form (pre-filling), the actions (validation) and the services.
import { z } from "zod";

export type Preset = {
  id: PresetId;
  label: string;
  baseUrl: string;
  /** Whether the server refuses requests without an API key. */
  keyRequired: boolean;
  defaultModel: string;
  maxConcurrency: number;
  /** One line for the form: where to get a key, how to start the server. */
  hint: string;
  /**
   * The server has OpenAI's Files and Batch API (/v1/files, /v1/batches), so a run can be
   * launched in batch mode (lib/runs/server/batch-executor.ts). Custom servers may: a batch
   * run against one that does not fails with the server's answer.
   */
  batch?: boolean;
};

export const PRESET_IDS = ["openai", "ollama", "vllm", "llamacpp", "lmstudio", "openrouter", "custom"] as const;
export type PresetId = (typeof PRESET_IDS)[number];

export const PRESETS: readonly Preset[] = [
  {
    id: "openai",
    label: "OpenAI",
    baseUrl: "https://api.openai.com/v1",
    keyRequired: true,
    defaultModel: "gpt-4o-mini",
    maxConcurrency: 16,
    hint: "Create a key at platform.openai.com/api-keys.",
    batch: true,
  },
  {
    id: "ollama",
    label: "Ollama",
    baseUrl: "http://127.0.0.1:11434/v1",
    keyRequired: false,
    defaultModel: "llama3.1:8b",
    maxConcurrency: 2,
    hint: "Run `ollama serve` and `ollama pull llama3.1:8b`. Raise OLLAMA_NUM_PARALLEL before raising concurrency.",
  },
  {
    id: "vllm",
    label: "vLLM",
    baseUrl: "http://127.0.0.1:8000/v1",
    keyRequired: false,
    defaultModel: "meta-llama/Llama-3.1-8B-Instruct",
    maxConcurrency: 32,
    hint: "Run `vllm serve <model>`; the model name is the one you served. A key is needed only with --api-key.",
  },
  {
    id: "llamacpp",
    label: "llama.cpp server",
    baseUrl: "http://127.0.0.1:8080/v1",
    keyRequired: false,
    defaultModel: "default",
    maxConcurrency: 4,
    hint: "Run `llama-server -m model.gguf --parallel 4`; keep concurrency at or below --parallel.",
  },
  {
    id: "lmstudio",
    label: "LM Studio",
    baseUrl: "http://127.0.0.1:1234/v1",
    keyRequired: false,
    defaultModel: "llama-3.1-8b-instruct",
    maxConcurrency: 2,
    hint: "Start the local server in LM Studio's Developer tab and load a model.",
  },
  {
    id: "openrouter",
    label: "OpenRouter",
    baseUrl: "https://openrouter.ai/api/v1",
    keyRequired: true,
    defaultModel: "openai/gpt-4o-mini",
    maxConcurrency: 16,
    hint: "Create a key at openrouter.ai/keys. Model names carry the vendor, e.g. openai/gpt-4o-mini.",
  },
  {
    id: "custom",
    label: "Custom (OpenAI-compatible)",
    baseUrl: "",
    keyRequired: false,
    defaultModel: "",
    maxConcurrency: 8,
    hint: "Any server that speaks the OpenAI chat completions API. The base URL usually ends in /v1.",
    batch: true,
  },
];

export function presetById(id: string): Preset {
  return PRESETS.find((p) => p.id === id) ?? PRESETS[PRESETS.length - 1];
}

/** The form's values that a preset pre-fills. */
export type PresetValues = { name: string; baseUrl: string; defaultModel: string; maxConcurrency: string };

/**
 * The form after choosing preset `to` while on `from`. A named server's preset fills its
 * URL, model and concurrency. Custom fills nothing, so it clears what the previous preset
 * filled in: a Custom connection left with OpenAI's URL would send a local server's
 * requests (and key) to OpenAI. What the user typed themselves is kept. A name still equal
 * to the old preset's label follows the preset.
 */
export function applyPreset(current: PresetValues, from: string, to: string): PresetValues {
  const old = presetById(from);
  const next = presetById(to);
  const name = !current.name.trim() || current.name === old.label ? next.label : current.name;
  if (next.id !== "custom") return { name, baseUrl: next.baseUrl, defaultModel: next.defaultModel, maxConcurrency: String(next.maxConcurrency) };
  const fromPreset = (value: string, presetValue: string) => value.trim() === "" || value === presetValue;
  return {
    name,
    baseUrl: fromPreset(current.baseUrl, old.baseUrl) ? next.baseUrl : current.baseUrl,
    defaultModel: fromPreset(current.defaultModel, old.defaultModel) ? next.defaultModel : current.defaultModel,
    maxConcurrency: fromPreset(current.maxConcurrency, String(old.maxConcurrency)) ? String(next.maxConcurrency) : current.maxConcurrency,
  };
}

// ---- Connection input ----------------------------------------------------------------

export const ConnectionName = z.string().trim().min(1, "Give the connection a name.").max(120, "Keep the name under 120 characters.");

export const BaseUrl = z
  .string()
  .trim()
  .min(1, "Enter the server's base URL, e.g. http://127.0.0.1:11434/v1.")
  .max(2000, "That URL is too long.")
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === "http:" || u.protocol === "https:") && u.hostname.length > 0;
    } catch {
      return false;
    }
  }, "Enter a full http:// or https:// URL, e.g. http://127.0.0.1:11434/v1.")
  .refine((s) => {
    try {
      const u = new URL(s);
      return !u.username && !u.password;
    } catch {
      return true;
    }
  }, "Put credentials in the API key field, not in the URL.")
  // The SDK appends paths such as /chat/completions; a trailing slash would double it.
  .transform((s) => s.replace(/\/+$/, ""));

export const ModelName = z.string().trim().min(1, "Name the model to use, e.g. gpt-4o-mini.").max(200, "That model name is too long.");

/** Form values arrive as strings; an empty one is missing, not zero. */
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const MaxConcurrency = z.preprocess(
  blankToUndefined,
  z.coerce
    .number({ message: "Enter a whole number between 1 and 1024." })
    .int("Enter a whole number between 1 and 1024.")
    .min(1, "At least 1 request at a time.")
    .max(1024, "At most 1024 requests at a time."),
);

/** An API key as typed: surrounding whitespace (from copy-paste) dropped. */
export const ApiKey = z
  .string()
  .trim()
  .max(4000, "That API key is too long.")
  .refine((s) => !/\s/.test(s), "An API key has no spaces or line breaks: check what was pasted.")
  // It travels in an HTTP header, which takes printable ASCII only (and fetch would echo a bad value in its error).
  .refine((s) => /^[\x21-\x7e]*$/.test(s), "An API key uses only plain ASCII letters, digits and symbols: check what was pasted.");

const connectionFields = {
  name: ConnectionName,
  preset: z.enum(PRESET_IDS, { message: "Pick a preset." }),
  baseUrl: BaseUrl,
  defaultModel: ModelName,
  maxConcurrency: MaxConcurrency,
};

function requireKeyForPreset(v: { preset: PresetId; apiKey?: string }, ctx: z.RefinementCtx) {
  const preset = presetById(v.preset);
  if (preset.keyRequired && v.apiKey === "") {
    ctx.addIssue({ code: "custom", path: ["apiKey"], message: `${preset.label} needs an API key.` });
  }
}

/** Create: an absent or empty key means "no key". */
export const ConnectionInput = z
  .object({ ...connectionFields, apiKey: ApiKey.optional() })
  .superRefine((v, ctx) => requireKeyForPreset({ ...v, apiKey: v.apiKey ?? "" }, ctx));
export type ConnectionInput = z.infer<typeof ConnectionInput>;

/** Update: apiKey absent = keep the stored key, empty string = remove it, else replace it. */
export const UpdateConnectionInput = z
  .object({ id: z.uuid(), ...connectionFields, apiKey: ApiKey.optional() })
  .superRefine(requireKeyForPreset);
export type UpdateConnectionInput = z.infer<typeof UpdateConnectionInput>;

export const ConnectionId = z.object({ id: z.uuid() });

/**
 * What "Test connection" checks: a saved connection by id, or the form's unsaved values.
 * With an id and no apiKey, the unsaved values are tested with the stored key.
 */
export const TestConnectionInput = z.union([
  z.object({ id: z.uuid() }).strict(),
  z.object({ id: z.uuid().optional(), baseUrl: BaseUrl, defaultModel: ModelName, apiKey: ApiKey.optional() }),
]);
export type TestConnectionInput = z.infer<typeof TestConnectionInput>;

// ---- Prices -------------------------------------------------------------------------

const Dollars = z.preprocess(
  blankToUndefined,
  z.coerce
    .number({ message: "Enter a price in dollars, e.g. 0.15." })
    .min(0, "A price cannot be negative.")
    .max(10_000, "That price is above $10,000 per million tokens: check the number."),
);

export const SetPriceInput = z.object({ model: ModelName, inputPerMTok: Dollars, outputPerMTok: Dollars });
export type SetPriceInput = z.infer<typeof SetPriceInput>;
export const ResetPriceInput = z.object({ model: ModelName });

/** The parts of a key that may be shown: the last four characters, only when that reveals little. */
export function keyLast4(apiKey: string): string | null {
  return apiKey.length >= 12 ? apiKey.slice(-4) : null;
}
