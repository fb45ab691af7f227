/**
 * Writes a generated project into a LookML project folder without touching what the user owns:
 * generated files are replaced, and those a previous run generated that this run no longer
 * produces (the view of a stream since deselected) are removed so that the model's includes do
 * not pick them up; the manifest and the model file are written only when absent and are
 * otherwise checked, with a warning naming what to change. A model file from an earlier version
 * of the generator (it carries the marker) is generator-owned and is replaced by the user's model.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GENERATED_MARKER, type LookmlProject } from './project.js';

export interface WriteOutcome {
  written: string[];
  /** User-owned files that existed and were left alone. */
  kept: string[];
  removed: string[];
  warnings: string[];
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function checkRelative(relative: string): void {
  if (relative.startsWith('/') || relative.split(/[\\/]/).includes('..')) throw new Error(`Refusing to write outside the project: ${relative}`);
}

export async function writeLookmlProject(project: LookmlProject, outDir: string): Promise<WriteOutcome> {
  const outcome: WriteOutcome = { written: [], kept: [], removed: [], warnings: [] };
  const write = async (relative: string, content: string) => {
    checkRelative(relative);
    const path = join(outDir, relative);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
    outcome.written.push(relative);
  };
  for (const [relative, content] of project.userFiles) {
    const existing = await readIfExists(join(outDir, relative));
    if (existing === undefined || existing.slice(0, 300).includes(GENERATED_MARKER)) {
      await write(relative, content);
      continue;
    }
    outcome.kept.push(relative);
    const warning = project.userFileChecks.find((c) => c.path === relative)?.check(existing);
    if (warning) outcome.warnings.push(warning);
  }
  for (const [relative, content] of project.files) await write(relative, content);

  const wanted = new Set([...project.files.keys()].map((f) => join(outDir, f)));
  const generatedFolders = [join(project.generatedDir, 'views'), join(project.generatedDir, 'explores'), 'views'];
  for (const folder of generatedFolders) {
    let names: string[];
    try {
      names = await readdir(join(outDir, folder));
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(outDir, folder, name);
      if (!name.endsWith('.lkml') || wanted.has(path)) continue;
      const head = (await readFile(path, 'utf8')).slice(0, 300);
      if (head.includes(GENERATED_MARKER)) {
        await rm(path);
        outcome.removed.push(join(folder, name));
      }
    }
  }
  return outcome;
}
