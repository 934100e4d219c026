import "server-only";
// COPY ... TO STDOUT read straight off the connection's socket, the rows left where they
// arrived.
//
// PostgreSQL sends COPY data as protocol messages: a 5-byte header ("d" + length) and one
// row each. pg-copy-streams strips the headers by copying every payload into a fresh,
// zero-filled buffer per socket chunk: a second gigabyte of memory traffic per million
// 1 KB rows, plus the garbage. Here each socket chunk is handed over as it is, with the
// payload ranges of the complete CopyData messages in it (`Frames`); only a message cut by
// a chunk boundary is copied, into a buffer of its own. The binary COPY parser reads the
// rows in place (CopyBinaryParser.pushFrames).
//
// The protocol handling follows pg-copy-streams: pg's `Client` runs this as a custom
// query (`submit`); it takes the socket's data from pg's parser while the COPY lasts,
// and gives back what follows CopyDone (CommandComplete, ReadyForQuery) or an
// ErrorResponse, so pg reports completion or the error as for any query.
// That leans on pg's internals (its one data listener, Connection's `stream`), so `pg` is
// pinned to the exact version this was tested on; copy-out.db.test.ts is the canary.
import type { Readable } from "node:stream";
import type { CopyFrames } from "../binary";

/** The CopyData payloads in one socket chunk: payload i is buf[starts[i], ends[i]). */
export type Frames = CopyFrames & { buf: Buffer };

type PgConnection = { stream: Readable; query(text: string): void };

const COPY_DATA = 0x64; // d
const COPY_DONE = 0x63; // c
const ERROR_RESPONSE = 0x45; // E

/** Socket chunks held while the consumer is busy, before the socket is paused. */
const QUEUE_CHUNKS = 4;
const EMPTY = Buffer.alloc(0);

export class CopyOut {
  private connection: PgConnection | null = null;
  private pgHandler: ((chunk: Buffer) => void) | null = null;
  private readonly queue: Buffer[] = [];
  private carry: Buffer | null = null;
  private detached = false;
  private copyDone = false;
  private finished = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  private readonly onData = (chunk: Buffer) => {
    this.queue.push(chunk);
    if (this.queue.length >= QUEUE_CHUNKS) this.connection!.stream.pause();
    this.notify();
  };

  constructor(readonly text: string) {}

  /** Called by pg's Client when this query's turn comes; an Error returned is reported through handleError. */
  submit(connection: PgConnection): Error | undefined {
    this.connection = connection;
    const stream = connection.stream;
    const listeners = stream.listeners("data") as ((chunk: Buffer) => void)[];
    if (listeners.length !== 1) return new Error(`COPY needs pg's one data listener on the socket; found ${listeners.length}`);
    this.pgHandler = listeners[0];
    // Swapped in the same tick: a flowing socket without a data listener would drop bytes.
    stream.removeListener("data", this.pgHandler);
    stream.on("data", this.onData);
    connection.query(this.text);
    return undefined;
  }

  handleError(err: Error): void {
    this.failure = err;
    this.finished = true;
    this.notify();
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    this.finished = true;
    this.notify();
  }

  /** The COPY data as it arrives: one Frames per socket chunk (and per message cut by one). */
  async *frames(): AsyncGenerator<Frames, void, undefined> {
    const stream = this.connection?.stream;
    if (!stream) throw new Error("CopyOut.frames() before the query was submitted");
    // A failure (the connection ended: a cancelled download) stops at once, with chunks still queued.
    while (!this.detached && !this.failure) {
      const chunk = this.queue.shift();
      if (chunk === undefined) {
        if (this.finished) break; // the connection failed before CopyDone
        if (stream.isPaused()) stream.resume();
        await this.next();
        continue;
      }
      yield* this.split(chunk);
    }
    while (!this.finished) await this.next();
    if (this.failure) throw this.failure;
    if (!this.copyDone) throw new Error("The connection ended in the middle of COPY");
  }

  private *split(chunk: Buffer): Generator<Frames> {
    let pos = 0;
    if (this.carry) {
      // Complete the cut message in a buffer of its own, then go on in the chunk.
      const have = this.carry.length;
      const header = have >= 5 ? this.carry : Buffer.concat([this.carry, chunk.subarray(0, 5 - have)]);
      const need = header.length < 5 ? Infinity : 1 + header.readUInt32BE(1) - have;
      if (need > chunk.length) {
        this.carry = Buffer.concat([this.carry, chunk]);
        return;
      }
      const whole = Buffer.concat([this.carry, chunk.subarray(0, need)]);
      this.carry = null;
      if ((yield* this.take(whole, 0, chunk.subarray(need))) < 0) return;
      pos = need;
    }
    const end = yield* this.take(chunk, pos, EMPTY);
    if (end >= 0 && end < chunk.length) this.carry = Buffer.from(chunk.subarray(end));
  }

  /**
   * Yields the complete CopyData messages of buf from pos. At CopyDone or an ErrorResponse
   * it gives the socket back with what follows (then `after`) and returns -1; otherwise it
   * returns where the complete messages end.
   */
  private *take(buf: Buffer, pos: number, after: Buffer): Generator<Frames, number> {
    let starts = new Int32Array(64);
    let ends = new Int32Array(64);
    let count = 0;
    let stop = -1;
    while (buf.length - pos >= 5) {
      const type = buf[pos];
      if (type === ERROR_RESPONSE) {
        stop = pos;
        break;
      }
      const total = 1 + buf.readUInt32BE(pos + 1);
      if (buf.length - pos < total) break;
      if (type === COPY_DATA) {
        if (count === starts.length) {
          starts = grow(starts);
          ends = grow(ends);
        }
        starts[count] = pos + 5;
        ends[count] = pos + total;
        count++;
      }
      pos += total;
      if (type === COPY_DONE) {
        this.copyDone = true;
        stop = pos;
        break;
      }
      // Anything else (CopyOutResponse, a notice, a parameter change) carries no data.
    }
    if (count > 0) yield { buf, starts, ends, count };
    if (stop < 0) return pos;
    this.detach(Buffer.concat([buf.subarray(stop), after]));
    return -1;
  }

  /** Gives the socket back to pg with the bytes it has not seen: what follows CopyDone, or the error. */
  private detach(rest: Buffer): void {
    this.detached = true;
    const stream = this.connection!.stream;
    stream.removeListener("data", this.onData);
    stream.on("data", this.pgHandler!);
    const unread = Buffer.concat([rest, ...this.queue.splice(0)]);
    if (unread.length > 0) this.pgHandler!(unread);
    if (stream.isPaused()) stream.resume();
  }

  private next(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
