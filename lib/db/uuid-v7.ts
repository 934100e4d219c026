// Pure: no I/O.
/**
 * Time-ordered UUIDs (RFC 9562 version 7), strictly increasing from one generator even
 * within a millisecond. Imported records use them so consecutive ids land next to each
 * other in the primary-key index instead of on random pages (an import of 200,000 records
 * wrote half the WAL); review actions use them to order actions made in the same
 * millisecond, which their timestamps cannot tell apart.
 */
export function createUuidV7(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)) {
  const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
  const pool = new Uint8Array(8 * 1024);
  let poolAt = pool.length;
  let lastMs = -1;
  let seq = 0;
  return function uuidv7(now = Date.now()): string {
    let ms = now;
    if (ms <= lastMs) {
      ms = lastMs;
      seq++;
      if (seq > 0xfff) {
        ms = ++lastMs;
        seq = 0;
      }
    } else {
      lastMs = ms;
      seq = 0;
    }
    if (poolAt + 8 > pool.length) {
      random(pool);
      poolAt = 0;
    }
    const r = pool.subarray(poolAt, poolAt + 8);
    poolAt += 8;
    const hi = Math.floor(ms / 2 ** 16);
    const lo = ms % 2 ** 16;
    const t = hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(4, "0");
    return (
      `${t.slice(0, 8)}-${t.slice(8, 12)}-` +
      `7${HEX[seq >> 8].slice(1)}${HEX[seq & 0xff]}-` +
      `${HEX[0x80 | (r[0] & 0x3f)]}${HEX[r[1]]}-` +
      `${HEX[r[2]]}${HEX[r[3]]}${HEX[r[4]]}${HEX[r[5]]}${HEX[r[6]]}${HEX[r[7]]}`
    );
  };
}
