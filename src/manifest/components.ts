/**
 * The shapes of the declarative components this generator writes, typed loosely: the manifest is
 * validated against Airbyte's declarative_component_schema.yaml by the tests, not by these types.
 * Every component carries its `type`, as Connector Builder writes it.
 */
export interface Component {
  type: string;
  [key: string]: unknown;
}

/** `$ref` into the manifest's definitions, resolved by the engine before it builds components. */
export interface Reference {
  $ref: string;
}

export function definitionRef(name: string): Reference {
  return { $ref: `#/definitions/${name}` };
}
