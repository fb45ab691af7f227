import { Agent } from 'undici';

/**
 * A connection pool of its own, so that TLS settings never leak into other connections of the
 * process (Looker, the token endpoint of another host) the way NODE_TLS_REJECT_UNAUTHORIZED would.
 * Without `ca`, Node's trust store applies: the public certificate authorities and
 * NODE_EXTRA_CA_CERTS.
 */
export function createAgent(connect: { ca?: string[]; rejectUnauthorized: boolean }, requestTimeoutMs: number): Agent {
  return new Agent({
    connect: { ...connect, timeout: Math.min(requestTimeoutMs, 30_000) },
    // The exchange's own abort enforces the request timeout over the whole exchange; these keep
    // undici's defaults (300 s) from cutting a slow page earlier or later than configured.
    headersTimeout: requestTimeoutMs,
    bodyTimeout: requestTimeoutMs,
  });
}
