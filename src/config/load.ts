/**
 * Reads the user's config file, fills in the spec's defaults and checks it against
 * schemas/spec.json. This is the one place defaults are applied: everything downstream (the TLS
 * mode of the Service Layer connection, the page size, the retry limits) takes the resolved value
 * as it is. Every problem is a config_error that names the field, because the user reading it is
 * looking at a form or a JSON file and needs to know which entry to change.
 */
import type { ErrorObject } from 'ajv';
import type { ConnectorConfig } from '../protocol/generated/config.js';
import { configError } from '../errors.js';
import type { Logger, SecretRedactor } from '../logging.js';
import { createAjv } from './ajv.js';
import { readJsonFile } from './json-file.js';
import { chosenBranch, connectionSpecification, discriminatorOf, type SpecSchema } from './spec-schema.js';
import { configWarnings } from './warnings.js';

/**
 * Optional dates where an empty string, as a cleared form field sends it, means "not set": all
 * history for start_date, no replay for replay_since. The spec's pattern accepts the empty string.
 */
const OPTIONAL_DATES = ['start_date', 'replay_since'] as const;

/** The config with every optional setting resolved to its effective value. */
export interface ResolvedConfig extends ConnectorConfig {
  tls: NonNullable<ConnectorConfig['tls']>;
  page_size: number;
  concurrency: number;
  lookback_days: number;
  reread_window_days: number;
  request_timeout_seconds: number;
  max_retries: number;
  max_retry_seconds: number;
  custom_entity_sets: NonNullable<ConnectorConfig['custom_entity_sets']>;
}

/** Reads, checks and resolves the config file; its secrets are registered with the run's redactor. */
export async function loadConfig(path: string, secrets: SecretRedactor, logger?: Logger): Promise<ResolvedConfig> {
  return parseConfig(await readJsonFile(path, '--config'), secrets, logger);
}

export function parseConfig(raw: unknown, secrets: SecretRedactor, logger?: Logger): ResolvedConfig {
  const schema = connectionSpecification();
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw configError('The config must be a JSON object with at least service_layer_url and credentials.');
  }
  const config = structuredClone(raw) as Record<string, unknown>;
  // Secrets are registered before anything can fail, so that no error message can echo them.
  registerSecrets(schema, config, secrets);

  for (const name of OPTIONAL_DATES) if (config[name] === '') delete config[name];
  applyDefaults(schema, config);

  const problems = [...validateOneOfProperties(schema, config), ...validateRest(schema, config), ...invalidDates(config)];
  if (problems.length > 0) {
    throw configError(`The config is invalid: ${problems.join('; ')}.`);
  }
  const resolved = config as unknown as ResolvedConfig;
  for (const warning of settingWarnings(resolved)) logger?.warn(`${warning}.`);
  return resolved;
}

/**
 * A config built by hand (a test's, with values the spec would refuse such as a 0.3 s timeout)
 * with the spec's defaults filled in, as parseConfig fills them, without validation.
 */
export function withSpecDefaults<T extends ConnectorConfig>(config: T): T & ResolvedConfig {
  const resolved = structuredClone(config) as unknown as Record<string, unknown>;
  applyDefaults(connectionSpecification(), resolved);
  return resolved as unknown as T & ResolvedConfig;
}

/** Fills in the spec's `default` of every absent setting, also inside objects that are present (looker). */
function applyDefaults(schema: SpecSchema, config: Record<string, unknown>): void {
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const value = config[name];
    if (value === undefined && property.default !== undefined) config[name] = structuredClone(property.default);
    else if (property.properties && typeof value === 'object' && value !== null && !Array.isArray(value)) applyDefaults(property, value as Record<string, unknown>);
  }
}

/** What in a valid config is probably a mistake (see warnings.ts); every command logs it, check also answers with it. */
export function settingWarnings(config: ResolvedConfig): string[] {
  return configWarnings(connectionSpecification(), config as unknown as Record<string, unknown>, new Date().toISOString().slice(0, 10));
}

/** The spec's pattern checks the form of a date; this checks that the day exists (no 2024-02-30). */
function invalidDates(config: Record<string, unknown>): string[] {
  return OPTIONAL_DATES.flatMap((name) => {
    const value = config[name];
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return [];
    const day = new Date(`${value}T00:00:00Z`);
    return Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value ? [`${name} ${value} is not a day of the calendar`] : [];
  });
}

/**
 * Airbyte's forms express alternatives as oneOf with a const discriminator (auth_type, mode).
 * Ajv's own oneOf errors list every branch's complaints; the user only cares about the branch
 * they chose, so each such property is checked against its chosen branch here.
 */
function validateOneOfProperties(schema: SpecSchema, config: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (!property.oneOf) continue;
    const value = config[name];
    if (value === undefined) continue;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${name} must be an object`);
      continue;
    }
    const discriminator = discriminatorOf(property.oneOf);
    if (!discriminator) continue;
    const chosen = (value as Record<string, unknown>)[discriminator];
    const branch = chosenBranch(property, value as Record<string, unknown>);
    if (!branch) {
      const allowed = property.oneOf.map((b) => JSON.stringify(b.properties?.[discriminator]?.const)).join(', ');
      problems.push(
        `${name}.${discriminator} must be one of ${allowed}${chosen === undefined ? ' (it is missing)' : ` (got ${JSON.stringify(chosen)})`}`,
      );
      continue;
    }
    const validate = createAjv().compile(branch);
    if (!validate(value)) problems.push(...formatErrors(validate.errors ?? [], name));
  }
  return problems;
}

function validateRest(schema: SpecSchema, config: Record<string, unknown>): string[] {
  const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, property]) => [name, property.oneOf ? {} : property]));
  const validate = createAjv().compile({ ...schema, properties });
  if (validate(config)) return [];
  return formatErrors(validate.errors ?? [], '');
}

/** One message per setting: a value that breaks several rules (pattern and length, say) is reported once. */
function formatErrors(errors: ErrorObject[], prefix: string): string[] {
  const seen = new Set<string>();
  const firstPerSetting = errors.filter((error) => {
    const key = error.keyword === 'required' ? `${error.instancePath}/${(error.params as { missingProperty: string }).missingProperty}` : error.instancePath;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return firstPerSetting.map((error) => {
    const path = [prefix, ...error.instancePath.split('/').filter(Boolean)].filter(Boolean).join('.');
    if (error.keyword === 'required') {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return `${path ? `${path}.` : ''}${missing} is required`;
    }
    const descriptor = (error.parentSchema as SpecSchema | undefined)?.pattern_descriptor;
    const described =
      (error.keyword === 'pattern' || error.keyword === 'format') && typeof descriptor === 'string'
        ? `must look like ${descriptor}`
        : (error.message ?? 'is invalid');
    return `${path || 'config'} ${described} (got ${JSON.stringify(error.data)})`;
  });
}

function registerSecrets(schema: SpecSchema, value: unknown, secrets: SecretRedactor): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) if (schema.items) registerSecrets(schema.items, item, secrets);
    return;
  }
  const record = value as Record<string, unknown>;
  const candidates = [schema, ...(schema.oneOf ?? [])];
  for (const candidate of candidates) {
    for (const [name, property] of Object.entries(candidate.properties ?? {})) {
      const child = record[name];
      if (property.airbyte_secret && typeof child === 'string') secrets.register(child);
      else registerSecrets(property, child, secrets);
    }
  }
}
