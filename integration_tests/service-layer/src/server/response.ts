/**
 * Writing responses. Small bodies go out whole with a Content-Length; a body that grows past a threshold (a huge
 * page, or paging turned off) switches to chunked streaming with back-pressure, so memory stays flat. A
 * "truncate" fault sends part of a body whose Content-Length promises more, then closes the connection.
 */
import type { ServerResponse } from 'node:http';
import type { Piece } from '../odata/json-writer.js';

const STREAM_THRESHOLD = 8 * 1024 * 1024;
const CHUNK = 256 * 1024;

export interface ResponseOptions {
  status: number;
  headers: Record<string, string | string[]>;
  /** Send half of the body, then destroy the socket. */
  truncate?: boolean;
}

/**
 * Resolves when the server's modelled work for what was appended so far is done, so no byte leaves before it.
 * `intermediate` is true while more is to come (the wait may then be skipped when it would be very short).
 */
export type WorkDone = (intermediate: boolean) => Promise<void>;

export class BodyWriter {
  /** Output appended by the caller since the last commit. */
  readonly parts: Piece[] = [];
  private buffers: Buffer[] = [];
  private bytes = 0;
  private streaming = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: ResponseOptions,
    private readonly workDone: WorkDone = async () => {},
  ) {}

  /** Encodes what was appended; resolves when it is safe to append more. */
  async commit(): Promise<void> {
    if (this.parts.length === 0) return;
    const buffer = encode(this.parts);
    this.parts.length = 0;
    this.buffers.push(buffer);
    this.bytes += buffer.length;
    if (this.options.truncate) return;
    const startStreaming = !this.streaming && this.bytes > STREAM_THRESHOLD;
    if (!startStreaming && !(this.streaming && this.bytes >= CHUNK)) return;
    await this.workDone(true);
    if (startStreaming) {
      this.streaming = true;
      this.res.writeHead(this.options.status, this.options.headers);
    }
    await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.buffers.length === 1 ? this.buffers[0]! : Buffer.concat(this.buffers);
    this.buffers = [];
    this.bytes = 0;
    if (this.res.write(chunk) || this.res.destroyed) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }

  async end(): Promise<void> {
    await this.commit();
    await this.workDone(false);
    if (this.streaming) {
      if (this.bytes > 0) await this.flush();
      this.res.end();
      return;
    }
    const body = this.buffers;
    this.buffers = [];
    sendBuffers(this.res, this.options, body);
  }
}

/** One buffer of the pieces: runs of text encoded together, encoded pieces copied as they are. */
function encode(parts: readonly Piece[]): Buffer {
  const buffers: Buffer[] = [];
  let text = '';
  for (const p of parts) {
    if (typeof p === 'string') {
      text += p;
      continue;
    }
    if (text !== '') {
      buffers.push(Buffer.from(text, 'utf8'));
      text = '';
    }
    buffers.push(p);
  }
  if (text !== '') buffers.push(Buffer.from(text, 'utf8'));
  return buffers.length === 1 ? buffers[0]! : Buffer.concat(buffers);
}

/** Sends a body made of buffers with its Content-Length (or half of it and a closed connection when truncating). */
export function sendBuffers(res: ServerResponse, options: ResponseOptions, body: Buffer[]): void {
  const length = body.reduce((n, b) => n + b.length, 0);
  res.writeHead(options.status, { ...options.headers, 'Content-Length': String(length) });
  if (options.truncate) {
    let room = Math.max(1, Math.floor(length / 2));
    res.cork();
    for (const b of body) {
      if (room <= 0) break;
      res.write(b.length <= room ? b : b.subarray(0, room));
      room -= b.length;
    }
    res.uncork();
    res.write('', () => setTimeout(() => res.socket?.destroy(), 10));
    return;
  }
  res.cork();
  for (const b of body) res.write(b);
  res.end();
  res.uncork();
}

export function sendText(res: ServerResponse, options: ResponseOptions, text: string): void {
  sendBuffers(res, options, [Buffer.from(text, 'utf8')]);
}
