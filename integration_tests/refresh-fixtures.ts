/**
 * Regenerates the Airbyte-conventional fixtures from the connector itself, against the simulator
 * company described in cat-fixtures.ts (started here on the documented port): configured_catalog.json
 * (every stream as discover offers it; incremental with append_dedup where offered, else full
 * refresh with overwrite), sample_state.json (the states a first read of that catalog ends with),
 * abnormal_state.json, expected_records.jsonl and acceptance-test-config.yml for Airbyte's own
 * acceptance suite. A test keeps the committed files in step.
 *
 *   npm run build && npx tsx integration_tests/refresh-fixtures.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCatFixtures } from './cat-fixtures.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const fixtures = await makeCatFixtures();
for (const [name, text] of Object.entries(fixtures)) {
  writeFileSync(join(here, name), text);
  console.log(`${name}: ${text.split('\n').length - 1} lines`);
}
