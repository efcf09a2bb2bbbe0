/**
 * Turns the paths on the command line into the files to read, and reads
 * them with a size limit. Directories are walked recursively in sorted
 * order so that output is stable from run to run.
 */
import type { Dirent } from 'node:fs';
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { describeThrown } from '../../core/errors';
import { UsageError } from '../args';
import { STDIN_LABEL, type InputError } from './types';

/** Files found in directories must end in one of these. */
export const MANIFEST_EXTENSIONS: readonly string[] = [
  '.yaml',
  '.yml',
  '.json',
];

/** Larger inputs are rejected rather than parsed. */
export const MAX_INPUT_BYTES = 10 * 1024 * 1024;

/**
 * Expands `paths` into files. A path that does not exist is a usage error:
 * a typo in CI must not check nothing and pass. The same file reached twice
 * is read once.
 */
export async function listFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  const seen = new Set<string>();
  const add = async (file: string) => {
    const key = file === '-' ? '-' : await realpath(file).catch(() => file);
    if (seen.has(key)) return;
    seen.add(key);
    files.push(file);
  };

  for (const path of paths) {
    if (path === '-') {
      await add(path);
      continue;
    }
    const stats = await stat(path).catch((err: unknown) => {
      throw new UsageError(`cannot read ${path}: ${reason(err)}`);
    });
    const found = stats.isDirectory() ? await walk(path, new Set()) : [path];
    for (const file of found) await add(file);
  }
  return files;
}

async function walk(dir: string, visited: Set<string>): Promise<string[]> {
  // Symlinked directories are followed, but each real directory is walked
  // once, so a link back up the tree cannot loop.
  const real = await realpath(dir);
  if (visited.has(real)) return [];
  visited.add(real);

  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const kind = await kindOf(entry, path);
    if (kind === 'dir') files.push(...(await walk(path, visited)));
    if (kind === 'file' && MANIFEST_EXTENSIONS.includes(extname(path))) {
      files.push(path);
    }
  }
  return files;
}

async function kindOf(
  entry: Dirent,
  path: string,
): Promise<'dir' | 'file' | 'other'> {
  if (entry.isDirectory()) return 'dir';
  if (entry.isFile()) return 'file';
  if (!entry.isSymbolicLink()) return 'other';
  const target = await stat(path).catch(() => undefined);
  if (target?.isDirectory()) return 'dir';
  return target?.isFile() ? 'file' : 'other';
}

/** Reads one file, or stdin for `-`, as text; too large is an error. */
export async function readInput(
  file: string,
  stdin: NodeJS.ReadableStream | undefined,
): Promise<string | InputError> {
  if (file === '-' && !stdin) {
    throw new UsageError('- is given but there is no stdin to read');
  }
  const label = file === '-' ? STDIN_LABEL : file;
  try {
    if (stdin && file === '-') return await readStream(label, stdin);
    const { size } = await stat(file);
    if (size > MAX_INPUT_BYTES) return tooLarge(label);
    return await readFile(file, 'utf8');
  } catch (err) {
    return {
      source: { file: label },
      code: 'INPUT_INVALID',
      message: `cannot read the input: ${reason(err)}`,
    };
  }
}

async function readStream(
  label: string,
  stream: NodeJS.ReadableStream,
): Promise<string | InputError> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > MAX_INPUT_BYTES) return tooLarge(label);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(label: string): InputError {
  const mib = MAX_INPUT_BYTES / 1024 / 1024;
  return {
    source: { file: label },
    code: 'INPUT_TOO_LARGE',
    message: `input is over the ${mib} MiB limit; split it into smaller files`,
  };
}

function reason(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return describeThrown(err);
}
