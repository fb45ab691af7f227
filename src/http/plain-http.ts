/**
 * An http:// URL whose port speaks HTTPS: no retry can fix it, so the classification table needs
 * to tell it from a dropped connection or a bad request.
 */
import { connect as tlsConnect } from 'node:tls';
import { portOf } from './message.js';

/** How long the probe waits for a TLS handshake. */
const TLS_PROBE_TIMEOUT_MS = 5_000;

/**
 * Whether the host and port of an http:// URL complete a TLS handshake. Node and many servers close
 * the connection without a word when a plain HTTP request reaches a TLS port (undici then reports
 * UND_ERR_SOCKET "other side closed"), which would otherwise be retried as a dropped connection.
 */
export function speaksTls(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host: url.hostname,
      port: Number(portOf(url)),
      // Only the protocol is probed; nothing is sent over this connection.
      rejectUnauthorized: false,
      ...(/^[\d.]+$|:/.test(url.hostname) ? {} : { servername: url.hostname }),
    });
    const finish = (result: boolean): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(TLS_PROBE_TIMEOUT_MS, () => finish(false));
    socket.once('secureConnect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/**
 * What Apache httpd ("You're speaking plain HTTP to an SSL-enabled server port") and nginx ("The
 * plain HTTP request was sent to HTTPS port") answer, with 400, to plain HTTP on their TLS port.
 */
const PLAIN_HTTP_REFUSALS = /speaking plain HTTP to an SSL-enabled server port|plain HTTP request was sent to HTTPS port/i;

export function isPlainHttpRefusal(url: URL, status: number, body: string): boolean {
  return url.protocol === 'http:' && status === 400 && PLAIN_HTTP_REFUSALS.test(body);
}
