import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file whether it runs from test/ or elsewhere. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** ../shared/reference: public reference material that tests (never the product) may read. */
export const referenceDir = join(repoRoot, '..', 'shared', 'reference');

export function referencePath(...parts: string[]): string {
  const path = join(referenceDir, ...parts);
  if (!existsSync(path)) throw new Error(`Reference file missing: ${path}. The tests need ../shared/reference next to the repository.`);
  return path;
}

export const connectorEntrypoint = join(repoRoot, 'dist', 'main.js');
