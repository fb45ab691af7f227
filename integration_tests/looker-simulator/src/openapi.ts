/**
 * Checks HTTP exchanges against the official Looker API 4.0 OpenAPI 3.0 document: that the
 * operation exists, that query parameters and request bodies are ones it declares, and that
 * answers match its response schemas. Object schemas are closed (no undeclared properties) and
 * readOnly properties are refused in request bodies, so "matches the spec" means the exact shape.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext the callable is the module's .default at run time.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats);

/**
 * The spec in the shared reference folder beside the repository (../shared/reference); tests may
 * read it, the connector never does. This file sits at integration_tests/looker-simulator/src/.
 */
export const LOOKER_SPEC_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/reference/looker/Looker.4.0.oas.json');

export function lookerSpecAvailable(): boolean {
  return existsSync(LOOKER_SPEC_PATH);
}

interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header';
  required?: boolean;
  schema?: unknown;
}
interface MediaTypes {
  [contentType: string]: { schema?: unknown };
}
export interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: MediaTypes };
  responses: Record<string, { content?: MediaTypes }>;
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

export interface ExchangeToCheck {
  method: string;
  /** OpenAPI path template, e.g. /datagroups/{datagroup_id}. */
  route: string;
  query: Record<string, string>;
  contentType: string | undefined;
  requestBody: unknown;
  status: number;
  responseBody: unknown;
}

/** Statuses Looker answers on any operation without listing them in the spec (authentication failures, outages). */
export const UNDECLARED_LOOKER_STATUSES: ReadonlySet<number> = new Set([401, 500, 502, 503, 504]);

/** An exchange as a server recorded it: its route is undefined when it matched no operation. */
export type RecordedExchangeToCheck = Omit<ExchangeToCheck, 'route'> & { path: string; route: string | undefined };

const RESPONSE_ID = 'urn:looker-oas:response';
const REQUEST_ID = 'urn:looker-oas:request';

export class LookerSpec {
  readonly document: OpenApiDocument;
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(path = LOOKER_SPEC_PATH) {
    this.document = JSON.parse(readFileSync(path, 'utf8')) as OpenApiDocument;
    if (!this.document.openapi.startsWith('3.')) throw new Error(`expected an OpenAPI 3 document, found ${this.document.openapi}`);
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: RESPONSE_ID, components: { schemas: closeSchemas(this.document.components.schemas, false) } });
    this.ajv.addSchema({ $id: REQUEST_ID, components: { schemas: closeSchemas(this.document.components.schemas, true) } });
  }

  operation(method: string, route: string): Operation | undefined {
    return this.document.paths[route]?.[method.toLowerCase()];
  }

  /** Validates a body against a schema taken from the spec (refs resolved into the closed copy). */
  validate(schema: unknown, body: unknown, direction: 'request' | 'response'): string[] {
    const key = `${direction}:${JSON.stringify(schema)}`;
    let validate = this.compiled.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile(rebaseRefs(schema, direction === 'request' ? REQUEST_ID : RESPONSE_ID) as object);
      this.compiled.set(key, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}${e.params ? ' ' + JSON.stringify(e.params) : ''}`);
  }

  schemaRef(name: string): unknown {
    return { $ref: `#/components/schemas/${name}` };
  }

  /** Every way a series of recorded exchanges departs from the spec; one on no served route is one. */
  checkAll(exchanges: readonly RecordedExchangeToCheck[], undeclaredStatuses = UNDECLARED_LOOKER_STATUSES): string[] {
    return exchanges.flatMap((exchange) =>
      exchange.route === undefined ? [`${exchange.method} ${exchange.path}: not a served route`] : this.check({ ...exchange, route: exchange.route }, undeclaredStatuses),
    );
  }

  /**
   * Every way the exchange departs from the spec. Statuses the spec does not list for the
   * operation are accepted only from `undeclaredStatuses` (Looker sends 401 and 5xx everywhere
   * without declaring them) and must then carry Looker's Error body.
   */
  check(exchange: ExchangeToCheck, undeclaredStatuses = UNDECLARED_LOOKER_STATUSES): string[] {
    const label = `${exchange.method} ${exchange.route} -> ${exchange.status}`;
    const op = this.operation(exchange.method, exchange.route);
    if (op === undefined) return [`${label}: no such operation in the spec`];
    const problems: string[] = [];
    const queryNames = new Set((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
    for (const name of Object.keys(exchange.query)) {
      if (!queryNames.has(name)) problems.push(`${label}: query parameter "${name}" is not declared`);
    }
    if (exchange.requestBody !== undefined) {
      const media = op.requestBody?.content;
      const type = exchange.contentType?.split(';')[0]?.trim() ?? '';
      const declared = media?.[type];
      if (declared === undefined) {
        problems.push(`${label}: request body of type "${type}" is not declared (declared: ${Object.keys(media ?? {}).join(', ') || 'none'})`);
      } else {
        for (const p of this.validate(declared.schema, exchange.requestBody, 'request')) problems.push(`${label}: request body ${p}`);
        if (type === 'application/x-www-form-urlencoded') {
          // The login body is typed only as "object"; its fields are the operation's documented parameters.
          const names = new Set((op.parameters ?? []).map((p) => p.name));
          for (const field of Object.keys(exchange.requestBody as object)) {
            if (!names.has(field)) problems.push(`${label}: form field "${field}" is not a documented parameter`);
          }
        }
      }
    } else if (op.requestBody?.required === true) {
      problems.push(`${label}: the spec requires a request body`);
    }
    const response = op.responses[String(exchange.status)];
    if (response === undefined) {
      if (!undeclaredStatuses.has(exchange.status)) problems.push(`${label}: status not declared for this operation`);
      for (const p of this.validate(this.schemaRef('Error'), exchange.responseBody, 'response')) problems.push(`${label}: error body ${p}`);
      return problems;
    }
    if (exchange.status === 204) {
      if (exchange.responseBody !== undefined) problems.push(`${label}: 204 must have no body`);
      return problems;
    }
    const schema = response.content?.['application/json']?.schema;
    if (schema === undefined) {
      if (exchange.responseBody !== undefined) problems.push(`${label}: the spec declares no body`);
    } else {
      for (const p of this.validate(schema, exchange.responseBody, 'response')) problems.push(`${label}: response body ${p}`);
    }
    return problems;
  }
}

/**
 * A copy of the component schemas where every object schema with declared properties refuses
 * others, and (for requests) where readOnly properties are removed, so sending one is an error.
 */
function closeSchemas(schemas: Record<string, unknown>, forRequests: boolean): Record<string, unknown> {
  const close = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(close);
    if (node === null || typeof node !== 'object') return node;
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) copy[key] = close(value);
    if (typeof copy.properties === 'object' && copy.properties !== null && !Array.isArray(copy.properties)) {
      let properties = copy.properties as Record<string, unknown>;
      if (forRequests) {
        properties = Object.fromEntries(Object.entries(properties).filter(([, p]) => (p as { readOnly?: unknown }).readOnly !== true));
        copy.properties = properties;
      }
      if (copy.additionalProperties === undefined) copy.additionalProperties = false;
    }
    return copy;
  };
  return close(schemas) as Record<string, unknown>;
}

/** Points the spec's local refs (#/components/schemas/X) at the closed copy registered under `base`. */
function rebaseRefs(node: unknown, base: string): unknown {
  if (Array.isArray(node)) return node.map((n) => rebaseRefs(n, base));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? base + value : rebaseRefs(value, base)]),
  );
}
