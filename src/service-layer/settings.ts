import type { ConnectorConfig } from '../protocol/generated/config.js';
import { configError } from '../errors.js';

/**
 * The spec's defaults for the connection settings. The config loader may already have filled them
 * in; the client applies them again so that it never depends on who built its config. A unit test
 * keeps these numbers equal to schemas/spec.json.
 */
export const CONNECTION_DEFAULTS = {
  request_timeout_seconds: 120,
  max_retries: 8,
  max_retry_seconds: 600,
} as const;

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

function positiveNumber(value: unknown, fallback: number, field: string): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw configError(`${field} must be a non-negative number, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function connectionSettings(config: ConnectorConfig): ConnectionSettings {
  const { serviceRoot, dialect } = parseServiceRoot(config.service_layer_url);
  const timeoutSeconds = positiveNumber(config.request_timeout_seconds, CONNECTION_DEFAULTS.request_timeout_seconds, 'request_timeout_seconds');
  if (timeoutSeconds === 0) throw configError('request_timeout_seconds must be greater than 0');
  return {
    serviceRoot,
    dialect,
    requestTimeoutMs: timeoutSeconds * 1000,
    maxRetries: Math.floor(positiveNumber(config.max_retries, CONNECTION_DEFAULTS.max_retries, 'max_retries')),
    maxRetryMs: positiveNumber(config.max_retry_seconds, CONNECTION_DEFAULTS.max_retry_seconds, 'max_retry_seconds') * 1000,
  };
}

/**
 * The retry limits of a command a person waits for (check, or generate-lookml's optional $metadata
 * read): a host that does not answer should say so within seconds, not after the long budget a
 * scheduled sync deserves.
 */
export function withInteractiveRetries<T extends ConnectorConfig>(config: T): T {
  return {
    ...config,
    max_retries: Math.min(config.max_retries ?? CONNECTION_DEFAULTS.max_retries, 2),
    max_retry_seconds: Math.min(config.max_retry_seconds ?? CONNECTION_DEFAULTS.max_retry_seconds, 20),
  };
}
