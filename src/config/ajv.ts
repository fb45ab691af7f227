/**
 * One Ajv set-up for every JSON Schema the connector checks (the spec, stream schemas): Airbyte's
 * form annotations are declared as known keywords so that strict mode still catches typos.
 */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

type AddFormats = (ajv: Ajv) => Ajv;
/**
 * ajv-formats' plugin, the one import of it for the connector and its tests: the package is
 * CommonJS with a default export, so under NodeNext the callable sits on .default.
 */
export const addFormats: AddFormats = (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats);

export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
  addFormats(ajv);
  ajv.addVocabulary(['airbyte_secret', 'airbyte_hidden', 'airbyte_type', 'order', 'multiline', 'pattern_descriptor', 'always_show', 'x-b1-property']);
  return ajv;
}
