/**
 * Service Layer sessions: created by Login, ended by Logout, expired after an idle timeout measured on the server
 * clock (every use restarts it), or expired on purpose by a test.
 */
import { randomBytes } from 'node:crypto';
import type { ServerClock } from './clock.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A GUID-like id in the style the Service Layer hands out, e.g. PTRzIjYK-weN6-1Lx1-ZG0J-3ARxfjcU0Shy. */
function newSessionId(): string {
  const bytes = randomBytes(32);
  let text = '';
  for (let i = 0; i < 32; i++) text += ALPHABET[bytes[i]! % ALPHABET.length];
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20, 32)}`;
}

export class SessionStore {
  private readonly lastUsed = new Map<string, number>();
  /** Login order of every session ever created, so statistics can name sessions without their ids. */
  private readonly numbers = new Map<string, number>();
  logins = 0;
  failedLogins = 0;
  logouts = 0;

  constructor(
    private readonly clock: ServerClock,
    private readonly timeoutMinutes: number,
  ) {}

  create(): string {
    const id = newSessionId();
    this.lastUsed.set(id, this.clock.nowMs());
    this.numbers.set(id, ++this.logins);
    return id;
  }

  /** Counts a Login refused for wrong credentials. */
  refuse(): void {
    this.failedLogins++;
  }

  /** 1-based login order of a session, expired or not; undefined for ids never handed out. */
  number(id: string | undefined): number | undefined {
    return id === undefined ? undefined : this.numbers.get(id);
  }

  /** True when the session is alive; restarts its idle time. An expired session is forgotten. */
  use(id: string | undefined): boolean {
    if (id === undefined) return false;
    const last = this.lastUsed.get(id);
    if (last === undefined) return false;
    const now = this.clock.nowMs();
    if (now - last > this.timeoutMinutes * 60_000) {
      this.lastUsed.delete(id);
      return false;
    }
    this.lastUsed.set(id, now);
    return true;
  }

  logout(id: string): void {
    if (this.lastUsed.delete(id)) this.logouts++;
  }

  expire(id: string | undefined): void {
    if (id !== undefined) this.lastUsed.delete(id);
  }

  expireAll(): void {
    this.lastUsed.clear();
  }

  get active(): number {
    const now = this.clock.nowMs();
    let n = 0;
    for (const last of this.lastUsed.values()) if (now - last <= this.timeoutMinutes * 60_000) n++;
    return n;
  }
}

/** The B1SESSION value of a Cookie header, if any. */
export function sessionIdFromCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === 'B1SESSION') return part.slice(eq + 1).trim();
  }
  return undefined;
}
