/**
 * The four real Service Layer `$metadata` documents under ../shared/reference/sap-b1/metadata,
 * read and parsed at most once per test process (each test file runs in its own process). Tests
 * that use them take `{ skip: reference.skip }`.
 */
import { readFileSync } from 'node:fs';
import { parseEdmx, type EdmModel } from '../../src/metadata/edmx.js';
import { referencePath } from '../helpers/paths.js';

export { reference } from '../helpers/paths.js';

export interface ReferenceDocument {
  /** Short label used in test names. */
  label: 'v1-sap-sdk' | 'v1-gregorwolf' | 'v2-gregorwolf' | 'v2-softwaredesign';
  file: string;
  version: 'v3' | 'v4';
  /** Key of this document in derived/entities-summary.json, when it is summarised there. */
  summaryKey?: string;
}

export const REFERENCE_DOCUMENTS: readonly ReferenceDocument[] = [
  {
    label: 'v1-sap-sdk',
    file: 'v1-odata3-with-db-mapping_sap-archive-sdk_metadata.xml',
    version: 'v3',
    summaryKey: 'v1_sap_sdk_2021_with_db_alias',
  },
  { label: 'v1-gregorwolf', file: 'v1-odata3_gregorwolf_SAPB1-v1.edmx', version: 'v3' },
  { label: 'v2-gregorwolf', file: 'v2-odata4_gregorwolf_SAPB1.edmx', version: 'v4', summaryKey: 'v2_gregorwolf_2024' },
  {
    label: 'v2-softwaredesign',
    file: 'v2-odata4_softwaredesign_servicelayer_metadata_v4.xml',
    version: 'v4',
    summaryKey: 'v2_softwaredesign_2026',
  },
];

const texts = new Map<string, string>();
const models = new Map<string, EdmModel>();

export function referenceXml(document: ReferenceDocument): string {
  let text = texts.get(document.file);
  if (text === undefined) {
    text = readFileSync(referencePath('sap-b1', 'metadata', document.file), 'utf8');
    texts.set(document.file, text);
  }
  return text;
}

export function referenceModel(document: ReferenceDocument): EdmModel {
  let model = models.get(document.file);
  if (model === undefined) {
    model = parseEdmx(referenceXml(document));
    models.set(document.file, model);
  }
  return model;
}

export function referenceDocument(label: ReferenceDocument['label']): ReferenceDocument {
  const document = REFERENCE_DOCUMENTS.find((candidate) => candidate.label === label);
  if (document === undefined) throw new Error(`no reference document ${label}`);
  return document;
}

/** A minimal EDMX 4.0 document around the given schema content, for synthetic cases. */
export function edmx4(schemaContent: string, namespace = 'SAPB1'): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="${namespace}" xmlns="http://docs.oasis-open.org/odata/ns/edm">${schemaContent}</Schema>
  </edmx:DataServices>
</edmx:Edmx>`;
}
