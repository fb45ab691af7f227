/** The simulator's $metadata documents, for callers that need the model without starting a server. */
import { ENTITY_SET_ORDER } from './company/company.js';
import { metadataDocument } from './model/metadata-xml.js';
import { SchemaModel } from './model/schema.js';
import type { Dialect } from './types.js';

/** The $metadata XML a simulator serves on /b1s/v2 (EDMX 4.0) or /b1s/v1 (EDMX 1.0), whatever its seed and scale. */
export function serviceLayerMetadata(dialect: Dialect = 'v2'): string {
  return metadataDocument(SchemaModel.load(), dialect, ENTITY_SET_ORDER);
}
