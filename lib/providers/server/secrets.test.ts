import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test, vi } from "vitest";
import { decodeSecretKey } from "@/lib/env";
import { SecretDecryptError, decryptWithKey, encryptWithKey, loadOrCreateKeyFile } from "./secrets";

// The marker package throws outside a React server bundle; this module is plain Node here.
vi.mock("server-only", () => ({}));

const key = randomBytes(32);
const secret = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789";

describe("secrets", () => {
  test("round trip, with a fresh IV each time and nothing of the plaintext visible", () => {
    const a = encryptWithKey(key, secret);
    const b = encryptWithKey(key, secret);
    expect(a).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret);
    expect(a).not.toContain(Buffer.from(secret).toString("base64").slice(0, 12));
    expect(decryptWithKey(key, a)).toBe(secret);
    expect(decryptWithKey(key, b)).toBe(secret);
    expect(decryptWithKey(key, encryptWithKey(key, "ünïcødé 🔑"))).toBe("ünïcødé 🔑");
    expect(decryptWithKey(key, encryptWithKey(key, ""))).toBe("");
  });

  test("tampering with the ciphertext, the tag or the IV is detected", () => {
    const payload = encryptWithKey(key, secret);
    const [v, iv, tag, data] = payload.split(":");
    const flip = (b64: string) => {
      const buf = Buffer.from(b64, "base64");
      buf[0] ^= 1;
      return buf.toString("base64");
    };
    for (const bad of [
      [v, iv, tag, flip(data)],
      [v, iv, flip(tag), data],
      [v, flip(iv), tag, data],
      [v, iv, tag, data.slice(0, -4)],
    ]) {
      expect(() => decryptWithKey(key, bad.join(":"))).toThrow(SecretDecryptError);
    }
    expect(() => decryptWithKey(key, `v2:${iv}:${tag}:${data}`)).toThrow(/unknown format/);
    expect(() => decryptWithKey(key, "plaintext-key")).toThrow(/unknown format/);
  });

  test("a wrong key or another context fails without revealing anything", () => {
    const payload = encryptWithKey(key, secret, "connection-1");
    let error: unknown;
    try {
      decryptWithKey(randomBytes(32), payload, "connection-1");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SecretDecryptError);
    expect(String((error as Error).message)).not.toContain(secret);
    expect(() => decryptWithKey(key, payload, "connection-2")).toThrow(SecretDecryptError);
    expect(() => decryptWithKey(key, payload)).toThrow(SecretDecryptError);
    expect(decryptWithKey(key, payload, "connection-1")).toBe(secret);
    expect(() => encryptWithKey(randomBytes(16), secret)).toThrow(/32 bytes/);
  });

  test("the key file is created once with mode 0600 and reused", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "datawright-secret-"));
    try {
      const file = path.join(dir, "nested", "secret.key");
      const first = loadOrCreateKeyFile(file);
      expect(first.length).toBe(32);
      if (process.platform !== "win32") expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(loadOrCreateKeyFile(file).equals(first)).toBe(true);
      fs.writeFileSync(file, "not a key");
      expect(() => loadOrCreateKeyFile(file)).toThrow(/does not hold a 32-byte/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("DATAWRIGHT_SECRET_KEY accepts 32 bytes as base64, base64url or hex only", () => {
    const raw = randomBytes(32);
    expect(decodeSecretKey(raw.toString("base64"))?.equals(raw)).toBe(true);
    expect(decodeSecretKey(raw.toString("base64url"))?.equals(raw)).toBe(true);
    expect(decodeSecretKey(raw.toString("hex"))?.equals(raw)).toBe(true);
    expect(decodeSecretKey(randomBytes(16).toString("base64"))).toBeNull();
    expect(decodeSecretKey("correct horse battery staple")).toBeNull();
  });
});
