/**
 * The tls setting of the config, resolved by the config loader (tls.mode defaults to verify), in
 * one place: the connection pools of the Service Layer and of its OAuth token endpoint, and what
 * to tell the user when a certificate is not trusted.
 */
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type { Agent } from 'undici';
import type { ConnectorConfig } from '../protocol/generated/config.js';
import { configError } from '../errors.js';
import type { Logger } from '../logging.js';
import { createAgent } from '../http/agent.js';

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

/** The connection pool for the Service Layer, with its TLS settings. */
export function createServiceLayerAgent(tls: TlsOptions, requestTimeoutMs: number, logger: Logger): Agent {
  switch (tls.mode) {
    case 'verify':
      return createAgent({ rejectUnauthorized: true }, requestTimeoutMs);
    case 'trusted_certificate':
      // The pinned certificates replace the public CAs: only the customer's server (or CA) is trusted.
      // The host name is still checked against the certificate.
      return createAgent({ ca: pinnedCertificates(tls.certificate_pem), rejectUnauthorized: true }, requestTimeoutMs);
    case 'accept_self_signed':
      logger.warn(
        'TLS certificate checks are turned off for the Service Layer connection (tls.mode accept_self_signed): the traffic is encrypted ' +
          'but the server is not authenticated. Pin the server certificate with tls.mode trusted_certificate instead.',
      );
      return createAgent({ rejectUnauthorized: false }, requestTimeoutMs);
    default:
      throw configError(`tls.mode must be verify, trusted_certificate or accept_self_signed, got "${String((tls as { mode: unknown }).mode)}"`);
  }
}

/**
 * The pool for an OAuth token endpoint on another host than the Service Layer. The TLS settings
 * describe the customer's SAP landscape, so they apply to its identity provider too, with one
 * difference: a pinned certificate is trusted in addition to the public CAs there, because the
 * identity provider of another host may well carry a public certificate.
 */
export function createTokenEndpointAgent(tls: TlsOptions, requestTimeoutMs: number): Agent {
  if (tls.mode === 'trusted_certificate') {
    return createAgent({ ca: [...rootCertificates, ...pinnedCertificates(tls.certificate_pem)], rejectUnauthorized: true }, requestTimeoutMs);
  }
  return createAgent({ rejectUnauthorized: tls.mode !== 'accept_self_signed' }, requestTimeoutMs);
}

/** What to do when the Service Layer's (or its token endpoint's) certificate is not trusted, by tls.mode. */
export function untrustedCertificateAdvice(tls: TlsOptions, endpoint: 'service_layer' | 'token_endpoint'): string {
  if (tls.mode === 'trusted_certificate') {
    const signers = endpoint === 'token_endpoint' ? 'signed neither by a public certificate authority nor by' : 'not signed by';
    return `It is ${signers} the certificate in tls.certificate_pem: pin the server's current certificate, or the CA that signed it, there.`;
  }
  return (
    'It is not signed by a public certificate authority. If the server uses a self-signed or company certificate, set tls.mode to ' +
    'trusted_certificate and paste that certificate (or its CA) into tls.certificate_pem; tls.mode accept_self_signed turns the check off (not recommended).'
  );
}
