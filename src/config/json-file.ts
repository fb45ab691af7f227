import { readFile } from 'node:fs/promises';
import { configError } from '../errors.js';

/** Reads a JSON file given on the command line; every failure is a config_error naming the file and the flag. */
export async function readJsonFile(path: string, flag: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'the file does not exist' : code === 'EACCES' ? 'permission denied' : String((error as Error).message);
    throw configError(`Cannot read the ${flag} file ${path}: ${reason}.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw configError(`The ${flag} file ${path} is not valid JSON: ${(error as Error).message}.`);
  }
}
