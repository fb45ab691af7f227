import { X509Certificate } from 'node:crypto';
import { connect as tlsConnect, rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import type { ConnectorConfig } from '../protocol/generated/config.js';
import { configError, type ConnectorError } from '../errors.js';
import type { Logger } from '../logging.js';

export type TlsOptions = NonNullable<ConnectorConfig['tls']>;

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM text, each checked to be a certificate, so a bad paste fails at once with a clear message. */
function pinnedCertificates(pem: string): string[] {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) {
    throw configError(
      'tls.certificate_pem holds no certificate: paste the PEM text including the -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- lines',
    );
  }
  blocks.forEach((block, index) => {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw configError(`Certificate ${index + 1} in tls.certificate_pem is not a valid PEM certificate (${(error as Error).message})`);
    }
  });
  return blocks;
}

interface AgentTimeouts {
  requestTimeoutMs: number;
}

function agentFor(connect: { ca?: string[]; rejectUnauthorized: boolean }, timeouts: AgentTimeouts): Agent {
  return new Agent({
    connect: { ...connect, timeout: Math.min(timeouts.requestTimeoutMs, 30_000) },
    // The client's own abort enforces request_timeout_seconds over the whole exchange; these keep
    // undici's defaults (300 s) from cutting a slow page earlier or later than configured.
    headersTimeout: timeouts.requestTimeoutMs,
    bodyTimeout: timeouts.requestTimeoutMs,
  });
}

/**
 * The connection pool for the Service Layer, with its TLS settings. Each client has its own, so the
 * settings never leak into other connections of the process (Looker, the token endpoint of another
 * host) the way NODE_TLS_REJECT_UNAUTHORIZED would.
 */
export function createServiceLayerAgent(tls: TlsOptions | undefined, timeouts: AgentTimeouts, logger: Logger): Agent {
  const mode = tls?.mode ?? 'verify';
  switch (mode) {
    case 'verify':
      return agentFor({ rejectUnauthorized: true }, timeouts);
    case 'trusted_certificate': {
      const pem = (tls as { certificate_pem?: string }).certificate_pem ?? '';
      // The pinned certificates replace the public CAs: only the customer's server (or CA) is trusted.
      // The host name is still checked against the certificate.
      return agentFor({ ca: pinnedCertificates(pem), rejectUnauthorized: true }, timeouts);
    }
    case 'accept_self_signed':
      logger.warn(
        'TLS certificate checks are turned off for the Service Layer connection (tls.mode accept_self_signed): the traffic is encrypted ' +
          'but the server is not authenticated. Pin the server certificate with tls.mode trusted_certificate instead.',
      );
      return agentFor({ rejectUnauthorized: false }, timeouts);
    default:
      throw configError(`tls.mode must be verify, trusted_certificate or accept_self_signed, got "${String(mode)}"`);
  }
}

/**
 * The pool for an OAuth token endpoint on another host than the Service Layer. The TLS settings
 * describe the customer's SAP landscape, so they apply to its identity provider too, with one
 * difference: a pinned certificate is trusted in addition to the public CAs there, because the
 * identity provider of another host may well carry a public certificate.
 */
export function createTokenEndpointAgent(tls: TlsOptions | undefined, timeouts: AgentTimeouts): Agent {
  const mode = tls?.mode ?? 'verify';
  if (mode === 'trusted_certificate') {
    const pem = (tls as { certificate_pem?: string }).certificate_pem ?? '';
    return agentFor({ ca: [...rootCertificates, ...pinnedCertificates(pem)], rejectUnauthorized: true }, timeouts);
  }
  return agentFor({ rejectUnauthorized: mode !== 'accept_self_signed' }, timeouts);
}

const UNTRUSTED_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'CERT_CHAIN_TOO_LONG',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
]);
const DATE_CODES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const NAME_CODES = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH']);
const NOT_TLS_CODES = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'EPROTO', 'ERR_SSL_PACKET_LENGTH_TOO_LONG']);

/**
 * Turns a certificate failure into a config_error that says which tls setting fixes it, or returns
 * undefined when the error is not about certificates.
 */
export function certificateError(code: string, detail: string, url: URL, tls: TlsOptions | undefined): ConnectorError | undefined {
  const mode = tls?.mode ?? 'verify';
  const where = `${url.protocol}//${url.host}`;
  if (UNTRUSTED_CODES.has(code)) {
    if (mode === 'trusted_certificate') {
      return configError(
        `The certificate of ${where} is not signed by the certificate in tls.certificate_pem (${detail}). ` +
          "Pin the server's current certificate, or the CA that signed it, in tls.certificate_pem.",
        { internalMessage: code, endsRun: true },
      );
    }
    return configError(
      `The certificate of ${where} is not trusted by the public certificate authorities (${detail}). ` +
        'If the server uses a self-signed or company certificate, set tls.mode to trusted_certificate and paste that certificate ' +
        '(or its CA) into tls.certificate_pem; tls.mode accept_self_signed turns the check off (not recommended).',
      { internalMessage: code, endsRun: true },
    );
  }
  if (DATE_CODES.has(code)) {
    return configError(
      `The certificate of ${where} is outside its validity period (${detail}). Renew the server certificate, or check the clocks of both machines.`,
      { internalMessage: code, endsRun: true },
    );
  }
  if (NAME_CODES.has(code)) {
    return configError(
      `The certificate of ${where} was not issued for host "${url.hostname}" (${detail}). ` +
        'Use the host name the certificate names in service_layer_url, or pin a certificate issued for this host.',
      { internalMessage: code, endsRun: true },
    );
  }
  if (NOT_TLS_CODES.has(code) && url.protocol === 'https:') {
    return configError(
      `${where} does not speak HTTPS on this port (it answered the TLS handshake with something else). Check https/http and the port in the configured URL.`,
      { internalMessage: `${code}: ${detail}`, endsRun: true },
    );
  }
  return undefined;
}

/** How long the probe below waits for a TLS handshake. */
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
      port: Number(url.port || 80),
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

/** The config_error for an http:// URL whose port speaks HTTPS: no retry can fix it. */
export function plainHttpToTlsPort(url: URL): ConnectorError {
  return configError(
    `${url.hostname} speaks HTTPS on port ${url.port || 80}, but the configured URL http://${url.host}/... starts with http://. ` +
      `Use https://${url.host}/... instead (the Service Layer listens for HTTPS; if its certificate is self-signed, also set tls).`,
    { endsRun: true },
  );
}
