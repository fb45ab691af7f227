/**
 * An undici dispatcher that answers from a script instead of the network, built as an undici
 * interceptor: the script gets each request in fetch's terms and returns a fetch Response, or
 * throws what the network would (an error with a code, like undici's, possibly in a cause).
 */
import { Dispatcher } from 'undici';

export interface ScriptedRequest {
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export type Script = (url: URL, request: ScriptedRequest) => Response | Promise<Response>;

/** Nothing underneath: every request is answered by the script. */
class NoNetwork extends Dispatcher {
  override dispatch(): boolean {
    throw new Error('the scripted dispatcher has no network underneath');
  }

  override async close(): Promise<void> {}

  override async destroy(): Promise<void> {}
}

export function scriptedDispatcher(script: Script): Dispatcher {
  return new NoNetwork().compose(() => (options, handler) => {
    let aborted: Error | undefined;
    const controller: Dispatcher.DispatchController = {
      get aborted() {
        return aborted !== undefined;
      },
      get paused() {
        return false;
      },
      get reason() {
        return aborted ?? null;
      },
      abort(reason: Error) {
        if (aborted) return;
        aborted = reason;
        handler.onResponseError?.(controller, reason);
      },
      pause() {},
      resume() {},
    };
    handler.onRequestStart?.(controller, {});
    void (async () => {
      try {
        const url = new URL(options.path, options.origin);
        const response = await script(url, {
          method: options.method,
          headers: { ...(options.headers as Record<string, string> | undefined) },
          body: typeof options.body === 'string' ? options.body : undefined,
        });
        const body = Buffer.from(await response.arrayBuffer());
        if (aborted) return;
        const headers: Record<string, string> = {};
        response.headers.forEach((value, name) => (headers[name] = value));
        handler.onResponseStart?.(controller, response.status, headers, response.statusText);
        handler.onResponseData?.(controller, body);
        handler.onResponseEnd?.(controller, {});
      } catch (error) {
        if (!aborted) handler.onResponseError?.(controller, error as Error);
      }
    })();
    return true;
  });
}
