/**
 * The simulators are self-contained npm workspace packages: each declares one public entry point,
 * its own tests, tsconfig and README; nothing outside a package reaches into its files, and
 * nothing inside a package reaches out of it (in particular not into the connector's src/).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { repoRoot } from '../helpers/paths.js';

interface PackageJson {
  name: string;
  private?: boolean;
  workspaces?: string[];
  exports?: Record<string, string>;
  scripts?: Record<string, string>;
}

const readJson = (path: string): PackageJson => JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
const root = readJson(join(repoRoot, 'package.json'));
const workspaces = (root.workspaces ?? []).map((folder) => ({ folder: resolve(repoRoot, folder), manifest: readJson(join(repoRoot, folder, 'package.json')) }));

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Module specifiers of static imports, re-exports and dynamic imports. */
function importSpecifiers(source: string): string[] {
  return [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)].map((m) => m[1] as string);
}

const inside = (folder: string, path: string): boolean => path === folder || path.startsWith(folder + sep);

describe('simulator workspaces', () => {
  test('both simulators are workspaces of the root package', () => {
    assert.deepEqual(workspaces.map((w) => w.manifest.name).sort(), ['@sap-b1-airbyte/looker-api-simulator', '@sap-b1-airbyte/service-layer-simulator']);
  });

  for (const { folder, manifest } of workspaces) {
    test(`${manifest.name} is a private package with one entry point, its own tests, tsconfig and README`, () => {
      assert.equal(manifest.private, true);
      assert.deepEqual(Object.keys(manifest.exports ?? {}), ['.']);
      assert.ok(existsSync(join(folder, manifest.exports?.['.'] ?? 'missing')), 'the entry point exists');
      assert.match(manifest.scripts?.test ?? '', /node --import tsx --test/);
      assert.match(manifest.scripts?.typecheck ?? '', /tsc -p tsconfig\.json/);
      for (const file of ['tsconfig.json', 'README.md']) assert.ok(existsSync(join(folder, file)), `${file} is missing`);
      assert.ok(typeScriptFiles(folder).some((file) => file.endsWith('.test.ts')), 'it has tests');
    });
  }

  test('imports respect package boundaries', () => {
    const violations: string[] = [];
    for (const file of typeScriptFiles(repoRoot)) {
      const home = workspaces.find((w) => inside(w.folder, file));
      for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
        const where = `${relative(repoRoot, file)} imports '${specifier}'`;
        const byName = workspaces.find((w) => specifier === w.manifest.name || specifier.startsWith(w.manifest.name + '/'));
        if (byName && specifier !== byName.manifest.name) violations.push(`${where}: only the package's entry point is public`);
        if (!specifier.startsWith('.')) continue;
        const target = resolve(dirname(file), specifier);
        if (home && !inside(home.folder, target)) violations.push(`${where}: a package must not reach out of its folder`);
        const entered = workspaces.find((w) => w !== home && inside(w.folder, target));
        if (entered) violations.push(`${where}: import the package by name ('${entered.manifest.name}')`);
      }
    }
    assert.deepEqual(violations, []);
  });

  test('the boundary check sees imports in every form it must catch', () => {
    const source = [
      "import { a } from '../../src/x.js';",
      "export { b } from './y.js';",
      "import type { C } from '@sap-b1-airbyte/service-layer-simulator';",
      "const d = await import('../z.js');",
      "import './side-effect.js';",
    ].join('\n');
    assert.deepEqual(importSpecifiers(source), ['../../src/x.js', './y.js', '@sap-b1-airbyte/service-layer-simulator', '../z.js', './side-effect.js']);
  });
});
