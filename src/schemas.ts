/**
 * Locates and reads the JSON files under schemas/. The same code runs from src/ (tests, tsx) and
 * from dist/ (the built connector and the Docker image, which ships dist/ next to schemas/), so
 * the folder is found by walking up from this module rather than by a fixed relative path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedDir: string | undefined;

export function schemasDir(): string {
  if (cachedDir) return cachedDir;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'schemas');
    if (existsSync(join(candidate, 'spec.json'))) return (cachedDir = candidate);
    const parent = dirname(dir);
    if (parent === dir) throw new Error('The schemas/ folder was not found next to the connector: the installation is incomplete.');
    dir = parent;
  }
}

// The only module-level state the connector keeps, on purpose: schemas/ is part of the
// installation and never changes while a process runs, and callers get copies, so two runs in one
// process cannot see each other's edits through it.
const cache = new Map<string, unknown>();

/** Reads and caches a JSON file from schemas/, e.g. readSchema('streams/document.json'). */
export function readSchema<T = unknown>(relativePath: string): T {
  let value = cache.get(relativePath);
  if (value === undefined) {
    value = JSON.parse(readFileSync(join(schemasDir(), relativePath), 'utf8'));
    cache.set(relativePath, value);
  }
  // Callers get their own copy: schemas are merged and edited per run (user-defined fields).
  return structuredClone(value) as T;
}
