// What the settings page passes to its client components (dates as ISO strings).
// A connection view has no key material beyond hasKey and apiKeyLast4.
export type ConnectionView = {
  id: string;
  name: string;
  preset: string;
  baseUrl: string;
  defaultModel: string;
  maxConcurrency: number;
  hasKey: boolean;
  apiKeyLast4: string | null;
  updatedAt: string;
};

export type PriceView = {
  model: string;
  inputPerMTok: number;
  outputPerMTok: number;
  defaultPrice: { inputPerMTok: number; outputPerMTok: number } | null;
  custom: boolean;
};
