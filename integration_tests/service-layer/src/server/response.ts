/**
 * Writing responses. Small bodies go out whole with a Content-Length; a body that grows past a threshold (a huge
 * page, or paging turned off) switches to chunked streaming with back-pressure, so memory stays flat. A
 * "truncate" fault sends part of a body whose Content-Length promises more, then closes the connection.
 */
import type { ServerResponse } from 'node:http';
import { once } from 'node:events';

const STREAM_THRESHOLD = 8 * 1024 * 1024;
const CHUNK = 256 * 1024;

export interface ResponseOptions {
  status: number;
  headers: Record<string, string | string[]>;
  /** Send half of the body, then destroy the socket. */
  truncate?: boolean;
}

export class BodyWriter {
  private parts: string[] = [];
  private size = 0;
  private streaming = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: ResponseOptions,
  ) {}

  /** Appends text; resolves when it is safe to write more. */
  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.options.truncate) return;
    if (!this.streaming && this.size > STREAM_THRESHOLD) {
      this.streaming = true;
      this.res.writeHead(this.options.status, this.options.headers);
    }
    if (this.streaming && this.size >= CHUNK) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.res.write(chunk) && !this.res.destroyed) await Promise.race([once(this.res, 'drain'), once(this.res, 'close')]);
  }

  async end(): Promise<void> {
    if (this.streaming) {
      if (this.size > 0) await this.flush();
      this.res.end();
      return;
    }
    const body = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    sendBuffer(this.res, this.options, body);
  }
}

export function sendBuffer(res: ServerResponse, options: ResponseOptions, body: Buffer): void {
  res.writeHead(options.status, { ...options.headers, 'Content-Length': String(body.length) });
  if (options.truncate) {
    const part = body.subarray(0, Math.max(1, Math.floor(body.length / 2)));
    res.write(part, () => setTimeout(() => res.socket?.destroy(), 10));
    return;
  }
  res.end(body);
}

export function sendText(res: ServerResponse, options: ResponseOptions, text: string): void {
  sendBuffer(res, options, Buffer.from(text, 'utf8'));
}
