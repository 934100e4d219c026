// OpenAI's error body, used for every error the fake answers.

export interface ApiError {
  status: number;
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export const invalid = (message: string, param: string | null = null, code: string | null = null, status = 400): ApiError => ({
  status,
  message,
  type: "invalid_request_error",
  param,
  code,
});

export function errorJson(e: Omit<ApiError, "status">): string {
  return JSON.stringify({ error: { message: e.message, type: e.type, param: e.param, code: e.code } });
}
