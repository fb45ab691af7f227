/**
 * A temporary folder for files that hold a password (configs for the connector): only this user
 * can open the folder (mkdtemp makes it 0700) and read the files (0600), and it is removed when the
 * caller is done, so no plaintext secret is left in a world-readable place.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivateFolder {
  readonly path: string;
  /** Writes a JSON document into the folder (mode 0600) and returns its path. */
  writeJson(name: string, value: unknown): string;
  /** Removes the folder and everything in it. */
  remove(): void;
}

export function privateFolder(prefix: string): PrivateFolder {
  const path = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(path, 0o700);
  return {
    path,
    writeJson(name, value) {
      const file = join(path, name);
      writeFileSync(file, JSON.stringify(value, null, 2), { mode: 0o600 });
      return file;
    },
    remove() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}
