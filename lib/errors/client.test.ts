import { describe, expect, test } from "vitest";
import { ActionFailed, readAnswer, readJson } from "./client";

function failureOf(f: () => unknown): ActionFailed {
  try {
    f();
  } catch (e) {
    if (e instanceof ActionFailed) return e;
    throw e;
  }
  throw new Error("did not throw");
}

describe("readAnswer", () => {
  test("returns the data of a 2xx { ok: true }", () => {
    expect(readAnswer(200, JSON.stringify({ ok: true, data: { id: 1 } }))).toEqual({ id: 1 });
  });

  test("keeps the code and message of an error answer", () => {
    const e = failureOf(() => readAnswer(413, JSON.stringify({ ok: false, error: { code: "too_large", message: "At most 100 MB." } })));
    expect(e.error).toEqual({ code: "too_large", message: "At most 100 MB." });
    expect(e.message).toBe("At most 100 MB.");
  });

  test("an answer that is not ours is `internal` with the caller's wording", () => {
    for (const [status, text] of [[502, "<html>Bad gateway</html>"], [500, ""], [500, JSON.stringify({ ok: true, data: 1 })]] as const) {
      const e = failureOf(() => readAnswer(status, text, (s) => `Answered ${s}.`));
      expect(e.error).toEqual({ code: "internal", message: `Answered ${status}.` });
    }
    expect(failureOf(() => readAnswer(502, "")).message).toContain("502");
  });
});

test("readJson reads a fetch Response the same way", async () => {
  await expect(readJson(Response.json({ ok: true, data: [1] }))).resolves.toEqual([1]);
  await expect(readJson(Response.json({ ok: false, error: { code: "not_found", message: "Gone." } }, { status: 404 }))).rejects.toMatchObject({
    error: { code: "not_found", message: "Gone." },
  });
});
