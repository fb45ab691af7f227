/**
 * The manifest as YAML, the form Connector Builder imports and the public API and Terraform take
 * as a string. js-yaml quotes whatever YAML would otherwise read differently (templates that start
 * with "{", values with ": "), so every Jinja template survives as the exact text written here.
 */
import yaml from 'js-yaml';

export function manifestYaml(document: Record<string, unknown>): string {
  return yaml.dump(document, { noRefs: true, lineWidth: -1, sortKeys: false, quotingType: '"' });
}
