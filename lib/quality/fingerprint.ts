// What the dedupe service stores per record: the exact-duplicate key and the LSH band
// hashes of the normalised text of the chosen fields. One function for the full pass and
// for records checked as they land, so both agree to the bit.
import { bandHashes, type Banding } from "./lsh";
import { ophSignature, SIGNATURE_SIZE } from "./minhash";
import { exactKey, normalizeText } from "./normalize";
import { shingleHashes } from "./shingles";

export type Fingerprint = { text: string; key: string; bands: Int32Array };

/** The chosen fields' texts (null when a record lacks one), normalised and joined in order. */
export function joinedText(parts: readonly (string | null)[]): string {
  let out = "";
  for (const p of parts) {
    if (p === null) continue;
    const n = normalizeText(p);
    if (n) out = out ? `${out} ${n}` : n;
  }
  return out;
}

let shingleScratch = new Uint32Array(4096);
const sigScratch = new Uint32Array(SIGNATURE_SIZE);

/** Fingerprint of a record; an empty text gets no band hashes (it is only ever an exact duplicate). */
export function fingerprint(parts: readonly (string | null)[], banding: Banding): Fingerprint {
  const text = joinedText(parts);
  if (shingleScratch.length < text.length) shingleScratch = new Uint32Array(text.length * 2);
  const sig = ophSignature(shingleHashes(text, shingleScratch), SIGNATURE_SIZE, sigScratch);
  return { text, key: exactKey(text), bands: sig ? bandHashes(sig, banding) : new Int32Array(0) };
}
