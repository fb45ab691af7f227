import type { ResolvedConfig } from '../config/load.js';
import { configError } from '../errors.js';

/**
 * What the Service Layer client reads from the config, with the spec's defaults already applied
 * by the config loader: the client takes each value as it is.
 */
export type ConnectionConfig = Pick<
  ResolvedConfig,
  'service_layer_url' | 'credentials' | 'tls' | 'request_timeout_seconds' | 'max_retries' | 'max_retry_seconds'
>;

export type Dialect = 'v1' | 'v2';

export interface ConnectionSettings {
  serviceRoot: URL;
  dialect: Dialect;
  requestTimeoutMs: number;
  maxRetries: number;
  maxRetryMs: number;
}

const ROOT_PATH = /\/b1s\/(v[12])\/?$/;

/** Normalises the configured URL to a service root that ends with '/', and reads the dialect from it. */
export function parseServiceRoot(serviceLayerUrl: string): { serviceRoot: URL; dialect: Dialect } {
  let url: URL;
  try {
    url = new URL(serviceLayerUrl.trim());
  } catch {
    throw configError(`service_layer_url "${serviceLayerUrl}" is not a valid URL; expected e.g. https://b1-server:50000/b1s/v2/`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw configError(`service_layer_url must start with https:// or http://, got "${url.protocol}"`);
  }
  const match = ROOT_PATH.exec(url.pathname);
  if (!match || url.search !== '' || url.hash !== '') {
    throw configError(
      `service_layer_url must be the Service Layer root ending in /b1s/v1 or /b1s/v2 (e.g. https://b1-server:50000/b1s/v2/), got "${serviceLayerUrl}"`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    // Credentials in the URL would travel on every request and into logs; they belong in `credentials`.
    throw configError('service_layer_url must not contain a user name or password; put them in credentials');
  }
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return { serviceRoot: url, dialect: match[1] as Dialect };
}

/** The connection settings in the units the client works in; the spec has checked their ranges. */
export function connectionSettings(config: ConnectionConfig): ConnectionSettings {
  const { serviceRoot, dialect } = parseServiceRoot(config.service_layer_url);
  return {
    serviceRoot,
    dialect,
    requestTimeoutMs: config.request_timeout_seconds * 1000,
    maxRetries: config.max_retries,
    maxRetryMs: config.max_retry_seconds * 1000,
  };
}

/**
 * The retry limits of a command a person waits for (check, or generate-lookml's optional $metadata
 * read): a host that does not answer should say so within seconds, not after the long budget a
 * scheduled sync deserves.
 */
export function withInteractiveRetries<T extends ConnectionConfig>(config: T): T {
  return { ...config, max_retries: Math.min(config.max_retries, 2), max_retry_seconds: Math.min(config.max_retry_seconds, 20) };
}
