import "server-only";
// API keys at rest: AES-256-GCM with a random 96-bit IV per value, stored as
// `v1:<iv>:<tag>:<ciphertext>` (each part base64). The GCM tag makes any change to the
// stored value (or decrypting with another key) fail loudly instead of yielding garbage.
// An optional context string (the connection id) is bound as additional authenticated
// data, so a ciphertext copied onto another row does not decrypt either.
//
// The 32-byte key comes from DATAWRIGHT_SECRET_KEY, or else from <data dir>/secret.key,
// generated on first use with mode 0600. Nothing here ever logs a key or a plaintext.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDir, decodeSecretKey, env } from "@/lib/env";

const VERSION = "v1";
const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SECRET_KEY_FILE = "secret.key";

/** Decryption failed: wrong key, tampered value or unknown format. Carries no secret material. */
export class SecretDecryptError extends Error {
  constructor(reason: string) {
    super(`The stored secret could not be decrypted: ${reason}.`);
    this.name = "SecretDecryptError";
  }
}

export function encryptWithKey(key: Buffer, plaintext: string, context = ""): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  if (context) cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64"), tag.toString("base64"), ciphertext.toString("base64")].join(":");
}

export function decryptWithKey(key: Buffer, payload: string, context = ""): string {
  assertKey(key);
  const parts = payload.split(":");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretDecryptError("unknown format");
  const [, ivB64, tagB64, dataB64] = parts;
  const iv = Buffer.from(ivB64, "base64");
  const tag = Buffer.from(tagB64, "base64");
  const data = Buffer.from(dataB64, "base64");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretDecryptError("malformed value");
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    if (context) decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretDecryptError("it was encrypted with another secret key, or it was altered");
  }
}

/** Encrypts with the studio's secret key. */
export function encryptSecret(plaintext: string, context = ""): string {
  return encryptWithKey(secretKey(), plaintext, context);
}

/** Decrypts with the studio's secret key; throws SecretDecryptError. */
export function decryptSecret(payload: string, context = ""): string {
  return decryptWithKey(secretKey(), payload, context);
}

let cachedKey: Buffer | undefined;

/** The studio's 32-byte key: DATAWRIGHT_SECRET_KEY, else <data dir>/secret.key (created once). */
export function secretKey(): Buffer {
  if (cachedKey) return cachedKey;
  const fromEnv = env().DATAWRIGHT_SECRET_KEY;
  cachedKey = fromEnv ? decodeSecretKey(fromEnv)! : loadOrCreateKeyFile(path.join(dataDir(), SECRET_KEY_FILE));
  return cachedKey;
}

/** Where the key comes from, for messages (never the key itself). */
export function secretKeySource(): string {
  return env().DATAWRIGHT_SECRET_KEY ? "DATAWRIGHT_SECRET_KEY" : path.join(dataDir(), SECRET_KEY_FILE);
}

/**
 * Reads a base64 key file, or creates it with a random key (mode 0600, folder 0700).
 * Creation uses O_EXCL, so two processes starting together agree on one key.
 */
export function loadOrCreateKeyFile(file: string): Buffer {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      fs.writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  const key = decodeSecretKey(fs.readFileSync(file, "utf8"));
  if (!key) {
    throw new Error(
      `${file} does not hold a 32-byte base64 or hex key. Restore it from a backup: without it the saved API keys cannot be decrypted.`,
    );
  }
  if (process.platform !== "win32" && (fs.statSync(file).mode & 0o077) !== 0) {
    console.warn(`[datawright] ${file} is readable by other users; restrict it with: chmod 600 ${file}`);
  }
  return key;
}

function assertKey(key: Buffer) {
  if (key.length !== 32) throw new Error("The secret key must be 32 bytes.");
}
