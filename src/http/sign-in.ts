/**
 * Signing in once for many requests: what the Service Layer session, the OAuth token and the
 * Looker API token have in common. The retry loop (client.ts) asks an Authenticator for the
 * headers of each attempt and, when the classification table says a 401 ended the session or
 * token, asks it to renew.
 */
import { endsRun, type ConnectorError } from '../errors.js';
import type { Clock } from './clock.js';
import type { HttpResponse, ResponseHeaders } from './message.js';
import { abortable } from './retry.js';
import { Turns } from './turns.js';

/** The headers that authenticate one request, and which sign-in they came from. */
export interface Credentials {
  headers: Record<string, string>;
  /** Increases with every sign-in, so that a 401 renews the session or token only once however many requests saw it. */
  generation: number;
}

/** How a signed-in call is authenticated, as the retry loop sees it. */
export interface Authenticator {
  /** Credentials for the next attempt; signs in first when there is no usable session or token. */
  credentials(signal?: AbortSignal): Promise<Credentials>;
  /** An attempt sent with `generation` got a 401: sign in again, unless another request already did. */
  renew(generation: number, signal?: AbortSignal): Promise<void>;
  /** Sees the headers of every response to an attempt made with `generation` (a session cookie may change). */
  observe?(headers: ResponseHeaders, generation: number): void;
  /** The error for a 401 that persisted after a fresh sign-in. */
  refusedAfterRenewal(description: string, response: HttpResponse): ConnectorError;
}

/**
 * A refused sign-in ends the command. SAP Business One locks a user after a set number of failed
 * logons (and an identity provider may lock a client), so a refusal is remembered: every later
 * caller, whichever stream or session it is for, gets the same error without another attempt. Any
 * other run-ending failure of the sign-in (no Service Layer at the URL, an untrusted certificate) is
 * remembered the same way; a transient one is not. The sessions of a command that reads several
 * entity sets at once share one gate, which lets one sign-in through at a time: after a refusal no
 * other session's sign-in is already on its way.
 */
export class SignInGate {
  private refusal: ConnectorError | undefined;
  private readonly turns = new Turns();

  /** Throws the remembered refusal, if there is one. */
  throwIfRefused(): void {
    if (this.refusal) throw this.refusal;
  }

  /** Runs one sign-in attempt once the one before it has ended, unless a sign-in was refused; remembers a refusal. */
  attempt<T>(signIn: () => Promise<T>): Promise<T> {
    return this.turns.take(async () => {
      this.throwIfRefused();
      try {
        return await signIn();
      } catch (error) {
        if (endsRun(error)) this.refusal = error;
        throw error;
      }
    });
  }
}

/** What a sign-in produced (a session, a token), and which sign-in it was. */
export interface Grant<T> {
  value: T;
  generation: number;
}

/**
 * The current session or token, shared by every caller until it is dropped: one sign-in at a time
 * however many callers need one, a refusal remembered (SignInGate), and a generation per sign-in.
 * The sign-in belongs to no single caller, so one caller's abort does not fail the others: each
 * waits with its own signal.
 */
export class SharedSignIn<T> {
  private current: Grant<T> | undefined;
  private pending: Promise<void> | undefined;
  private generation = 0;
  private closed = false;

  /**
   * `signIn` gets the grant it replaces (to sign out of it), if any, and why a new one is needed
   * (undefined for the first); `closedError` is what a caller gets after close(); `refusal` is
   * shared with the other sessions of the command, if it has several.
   */
  constructor(
    private readonly signIn: (previous: T | undefined, reason: string | undefined) => Promise<T>,
    private readonly closedError: () => Error,
    private readonly refusal: SignInGate = new SignInGate(),
  ) {}

  /** The current grant while `usable` accepts it; otherwise, a new sign-in, because `staleReason`. */
  async get(usable: (value: T) => boolean, staleReason: string, signal?: AbortSignal): Promise<Grant<T>> {
    for (;;) {
      if (this.closed) throw this.closedError();
      this.refusal.throwIfRefused();
      const current = this.current;
      if (current && usable(current.value)) return current;
      await abortable(this.obtain(current === undefined ? undefined : staleReason, current?.value), signal);
    }
  }

  /** A call signed in with `generation` got a 401: sign in again, because `reason`, unless another caller already did. */
  async renew(generation: number, reason: string, signal?: AbortSignal): Promise<void> {
    if (this.pending) {
      await abortable(this.pending, signal);
      return;
    }
    this.refusal.throwIfRefused();
    if (this.current && this.current.generation !== generation) return;
    // The server has ended it already: there is nothing to sign out of.
    this.current = undefined;
    await abortable(this.obtain(reason, undefined), signal);
  }

  /** The grant of `generation`, while it is the current one. */
  ofGeneration(generation: number): T | undefined {
    return this.current?.generation === generation ? this.current.value : undefined;
  }

  /** No more sign-ins; returns the grant to sign out of, once a sign-in still running has ended. */
  async close(): Promise<T | undefined> {
    this.closed = true;
    try {
      await this.pending;
    } catch {
      // A failed sign-in leaves nothing to sign out of.
    }
    const value = this.current?.value;
    this.current = undefined;
    return value;
  }

  private obtain(reason: string | undefined, previous: T | undefined): Promise<void> {
    if (!this.pending) {
      this.current = undefined;
      const signIn = (async () => {
        const value = await this.refusal.attempt(() => this.signIn(previous, reason));
        this.current = { value, generation: ++this.generation };
      })().finally(() => {
        this.pending = undefined;
      });
      // Every caller may have stopped waiting (aborted); the failure must not go unhandled.
      signIn.catch(() => undefined);
      this.pending = signIn;
    }
    return this.pending;
  }
}

/** An access token, and when to stop using it: undefined when the issuer gave no lifetime (then only a 401 renews it). */
export interface AccessToken {
  value: string;
  renewAt: number | undefined;
}

/**
 * When to stop using a token issued at `now` for `lifetimeMs`: shortly before it expires, so that
 * no request carries it past its expiry; a minute, or a tenth of a short lifetime.
 */
export function renewalTime(now: number, lifetimeMs: number): number {
  return now + lifetimeMs - Math.min(60_000, lifetimeMs / 10);
}

/**
 * The credentials of an access token (an OAuth token for the Service Layer, a Looker API token):
 * one token request for all callers, the token used until shortly before it expires, and renewed
 * then or once when a 401 says it is no longer accepted.
 */
export abstract class AccessTokenAuth implements Authenticator {
  protected readonly token: SharedSignIn<AccessToken>;

  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    /** Why a 401 renews the token, for the log line of the new token request. */
    private readonly refusalReason: string,
    closedError: () => Error,
    gate?: SignInGate,
  ) {
    this.token = new SharedSignIn((_previous, reason) => this.requestToken(reason), closedError, gate);
  }

  async credentials(signal?: AbortSignal): Promise<Credentials> {
    const { value: token, generation } = await this.token.get(
      (current) => current.renewAt === undefined || this.clock.now() < current.renewAt,
      'the access token is about to expire',
      signal,
    );
    return { headers: this.headers(token.value), generation };
  }

  renew(generation: number, signal?: AbortSignal): Promise<void> {
    return this.token.renew(generation, this.refusalReason, signal);
  }

  abstract refusedAfterRenewal(description: string, response: HttpResponse): ConnectorError;

  /** The headers that carry the token. */
  protected abstract headers(token: string): Record<string, string>;

  /** Obtains a new token; `reason` says why a token in use is replaced (undefined for the first). */
  protected abstract requestToken(reason: string | undefined): Promise<AccessToken>;
}
