/**
 * Service Layer errors: an HTTP status, the numeric code and the English message, rendered in the shape of
 * the dialect (v1: numeric code and {lang, value} message; v2: string code and string message).
 */
import type { Dialect } from '../types.js';

export class ServiceLayerError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** The error bodies the real product sends, indented with three spaces as it does. */
export function errorBody(dialect: Dialect, code: number, message: string): string {
  const text = JSON.stringify(message);
  if (dialect === 'v1') {
    return (
      `{\n   "error" : {\n      "code" : ${code},\n      "message" : {\n         "lang" : "en-us",\n` +
      `         "value" : ${text}\n      }\n   }\n}`
    );
  }
  return `{\n   "error" : {\n      "code" : "${code}",\n      "message" : ${text}\n   }\n}`;
}

export const ERRORS = {
  invalidSession: () => new ServiceLayerError(401, 301, 'Invalid session or session already timeout.'),
  loginFailed: () => new ServiceLayerError(401, 100000027, 'Login failed'),
  loginFailedSld: () => new ServiceLayerError(401, -304, 'Fail to NONE-SSO login from SLD.'),
  invalidProperty: (name: string) => new ServiceLayerError(400, 201, `Property '${name}' is invalid`),
  invalidFilter: () => new ServiceLayerError(400, 201, 'Query string error - Invalid filter condition'),
  invalidQuery: (what: string) => new ServiceLayerError(400, 201, `Query string error - ${what}`),
  unrecognizedResource: () => new ServiceLayerError(400, -1002, 'Unrecognized resource path.'),
  noMatchingRecords: () => new ServiceLayerError(404, -2028, 'No matching records found (ODBC -2028)'),
  readOnly: () => new ServiceLayerError(405, -5006, 'The requested action is not supported for this object.'),
  badLoginBody: () => new ServiceLayerError(400, -1000, 'Invalid login request body.'),
} as const;
