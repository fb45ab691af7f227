import type { Authenticator } from '../http/sign-in.js';

/**
 * How the Service Layer client authenticates its requests: a Service Layer session or an OAuth
 * bearer token. The client knows only this interface; the session module alone knows about
 * session cookies.
 */
export interface ServiceLayerAuth extends Authenticator {
  /** Signs in now, unless already signed in. */
  connect(signal?: AbortSignal): Promise<void>;
  /** Signs out where that means something. Never throws. */
  close(): Promise<void>;
}
