import "server-only";
// A zip written as it streams: fflate writes the headers, data descriptors and the
// central directory; the data of each entry is deflated by Node's zlib (native, on the
// thread pool: 20x fflate's JavaScript deflate here) or stored as is (Parquet is
// already compressed). fflate has no ZIP64, so one entry is limited to 4 GiB.
import { once } from "node:events";
import zlib from "node:zlib";
import { Zip, type ZipInputFile } from "fflate";

const MAX_ENTRY = 0xffffffff;

export class ZipStream {
  private readonly zip: Zip;
  private out: Uint8Array[] = [];
  private failure: Error | null = null;

  constructor() {
    this.zip = new Zip((err, data) => {
      if (err) this.failure = err;
      else if (data.length) this.out.push(data);
    });
  }

  /** Bytes of the archive produced so far. */
  take(): Uint8Array[] {
    if (this.failure) throw this.failure;
    const o = this.out;
    this.out = [];
    return o;
  }

  entry(name: string, opts: { deflate: boolean }): ZipEntry {
    return new ZipEntry(this.zip, name, opts.deflate);
  }

  end(): void {
    this.zip.end();
  }
}

export class ZipEntry {
  private readonly file: ZipInputFile & { ondata?: (err: Error | null, data: Uint8Array, final: boolean) => void };
  private readonly deflate: zlib.DeflateRaw | null;
  private size = 0;
  private crc = 0;

  constructor(zip: Zip, name: string, deflate: boolean) {
    this.file = { filename: name, size: 0, crc: 0, compression: deflate ? 8 : 0, mtime: new Date() };
    zip.add(this.file);
    this.deflate = deflate ? zlib.createDeflateRaw({ level: 1 }) : null;
    this.deflate?.on("data", (c: Buffer) => this.file.ondata!(null, c, false));
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (chunk.length === 0) return;
    this.size += chunk.length;
    if (this.size > MAX_ENTRY) throw new Error(`${this.file.filename} is larger than 4 GB, more than a zip entry can hold here; export without splits or as Parquet.`);
    this.crc = zlib.crc32(chunk, this.crc);
    if (this.deflate) {
      if (!this.deflate.write(chunk)) await once(this.deflate, "drain");
    } else {
      this.file.ondata!(null, chunk, false);
    }
  }

  async end(): Promise<void> {
    if (this.deflate) {
      const ended = once(this.deflate, "end");
      this.deflate.end();
      await ended;
    }
    this.file.size = this.size;
    this.file.crc = this.crc;
    this.file.ondata!(null, new Uint8Array(0), true);
  }
}
