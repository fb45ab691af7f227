import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requirement } from './requirements.js';

/** The repository root, found from this file whether it runs from test/ or elsewhere. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** ../shared/reference: public reference material that tests (never the product) may read. */
export const referenceDir = join(repoRoot, '..', 'shared', 'reference');

/** Tests that read ../shared/reference skip without it, unless REQUIRE_REFERENCE=1 (set by .ci/run). */
export const reference = requirement(
  'REQUIRE_REFERENCE',
  existsSync(referenceDir) ? undefined : `the public reference folder ${referenceDir} is not next to this clone`,
);

export function referencePath(...parts: string[]): string {
  reference.assertAvailable();
  const path = join(referenceDir, ...parts);
  if (!existsSync(path)) throw new Error(`Reference file missing: ${path}.`);
  return path;
}

export const connectorEntrypoint = join(repoRoot, 'dist', 'main.js');
