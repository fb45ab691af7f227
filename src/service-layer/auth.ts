import { endsRun, type ConnectorError } from '../errors.js';
import type { ResponseHeaders } from './http.js';

/** The headers that authenticate one request, and which sign-in they came from. */
export interface Credentials {
  headers: Record<string, string>;
  /** Increases with every sign-in, so that a 401 renews the session or token only once however many requests saw it. */
  generation: number;
}

/**
 * How requests are authenticated: a Service Layer session or an OAuth bearer token. The client
 * knows only this interface; the session module alone knows about session cookies.
 */
export interface Authenticator {
  /** Signs in now, unless already signed in. */
  connect(signal?: AbortSignal): Promise<void>;
  /** Credentials for the next request; signs in first when there is no usable session or token. */
  credentials(signal?: AbortSignal): Promise<Credentials>;
  /** A request sent with `generation` got a 401: sign in again, unless another request already did. */
  renew(generation: number, signal?: AbortSignal): Promise<void>;
  /** Sees the headers of every Service Layer response made with `generation`. */
  observe(headers: ResponseHeaders, generation: number): void;
  /** The error for a 401 that persisted after a fresh sign-in. */
  refusedAfterRenewal(description: string, answer: string): Error;
  /** Signs out where that means something. Never throws. */
  close(): Promise<void>;
}

export interface Counters {
  requests: number;
  retries: number;
  logins: number;
}

/**
 * A refused sign-in ends the command. SAP Business One locks a user after a set number of failed
 * logons (and an identity provider may lock a client), so a refusal is remembered: every later
 * caller, whichever stream it reads, gets the same error without another attempt. Any other
 * run-ending failure of the sign-in (no Service Layer at the URL, an untrusted certificate) is
 * remembered the same way; a transient one is not.
 */
export class SignInRefusal {
  private refusal: ConnectorError | undefined;

  /** Throws the remembered refusal, if there is one. */
  throwIfRefused(): void {
    if (this.refusal) throw this.refusal;
  }

  /** Runs one sign-in attempt, unless an earlier one was refused; remembers a refusal. */
  async attempt<T>(signIn: () => Promise<T>): Promise<T> {
    this.throwIfRefused();
    try {
      return await signIn();
    } catch (error) {
      if (endsRun(error)) this.refusal = error;
      throw error;
    }
  }
}
