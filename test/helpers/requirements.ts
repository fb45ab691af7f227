/**
 * Tests that need something a user's machine may lack: the public reference documents in
 * ../shared/reference, PostgreSQL's server binaries, a Docker engine. On such a machine they skip
 * with the reason; in CI, where .ci/run sets the REQUIRE_* variable, a missing resource is a
 * failure instead, so CI never skips them.
 */
export type RequireVariable = 'REQUIRE_REFERENCE' | 'REQUIRE_POSTGRES' | 'REQUIRE_DOCKER';

export interface Requirement {
  /** For node:test's `skip` option: why the test is skipped, or false when it runs. */
  readonly skip: string | false;
  /** Throws, naming the variable and what is missing, unless the resource is there. */
  assertAvailable(): void;
}

/** `missing` is undefined when the resource is there, else a sentence that says what is missing. */
export function requirement(variable: RequireVariable, missing: string | undefined): Requirement {
  const required = process.env[variable] === '1';
  return {
    skip: missing !== undefined && !required ? `${missing} (${variable}=1 makes this a failure)` : false,
    assertAvailable() {
      if (missing !== undefined) throw new Error(`${missing}${required ? ` and ${variable}=1 requires it` : ''}`);
    },
  };
}
