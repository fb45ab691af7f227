import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { configError } from '../errors.js';

/** Reads a JSON file given on the command line; every failure is a config_error naming the file and the flag. */
export async function readJsonFile(path: string, flag: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES') throw configError(unreadableFileMessage(path, flag, ownerAndMode(path), process.getuid?.(), runsInContainer()));
    const reason = code === 'ENOENT' ? 'the file does not exist' : String((error as Error).message);
    throw configError(`Cannot read the ${flag} file ${path}: ${reason}.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw configError(`The ${flag} file ${path} is not valid JSON: ${(error as Error).message}.`);
  }
}

/**
 * Why a file cannot be read and how to fix it. The usual case: a config with secrets kept at mode
 * 600 on the host, mounted into the image, which runs as the unprivileged user node (uid 1000, as
 * the Dockerfile says), not as the file's owner.
 */
export function unreadableFileMessage(
  path: string,
  flag: string,
  file: { uid: number; mode: number } | undefined,
  processUid: number | undefined,
  inContainer: boolean,
): string {
  const owner = file === undefined ? '' : ` It belongs to uid ${file.uid} and has mode ${(file.mode & 0o777).toString(8)}.`;
  const runner =
    inContainer && processUid === 1000
      ? 'The container runs as uid 1000 (user node), not as the owner'
      : `This process runs as uid ${processUid ?? 'unknown'}, not as the owner`;
  return (
    `Cannot read the ${flag} file ${path}: permission denied.${owner} ${runner}: make the file readable ` +
    `(chmod 644 on the host, in a folder only you can open if it holds secrets), or run the container as the file's owner ` +
    `(docker run --user "$(id -u)" ...).`
  );
}

function ownerAndMode(path: string): { uid: number; mode: number } | undefined {
  try {
    const stats = statSync(path);
    return { uid: stats.uid, mode: stats.mode };
  } catch {
    return undefined;
  }
}

/** Docker and Podman leave these marker files in every container. */
function runsInContainer(): boolean {
  return existsSync('/.dockerenv') || existsSync('/run/.containerenv');
}
