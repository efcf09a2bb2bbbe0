/**
 * Reads the manifests named on the command line into Kubernetes objects
 * and per-document errors.
 */
import { listFiles, readInput } from './collect';
import { parseManifests } from './parse';
import {
  STDIN_LABEL,
  type InputError,
  type InputObject,
  type Inputs,
} from './types';

export type { InputError, InputObject, Inputs, SourceRef } from './types';
export { MAX_INPUT_BYTES } from './collect';
export { STDIN_LABEL } from './types';

/**
 * Reads files, directories and `-` (stdin). Throws UsageError when a path
 * does not exist; anything wrong inside a file is an InputError.
 */
export async function readInputs(
  paths: readonly string[],
  stdin?: NodeJS.ReadableStream,
): Promise<Inputs> {
  const files = await listFiles(paths);
  const objects: InputObject[] = [];
  const errors: InputError[] = [];

  for (const file of files) {
    const text = await readInput(file, stdin);
    if (typeof text !== 'string') {
      errors.push(text);
      continue;
    }
    const parsed = parseManifests(text, file === '-' ? STDIN_LABEL : file);
    objects.push(...parsed.objects);
    errors.push(...parsed.errors);
  }
  return {
    files: files.map((f) => (f === '-' ? STDIN_LABEL : f)),
    objects,
    errors,
  };
}
