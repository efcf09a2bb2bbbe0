/**
 * The built pack, laid out as the repository lays it out after `npm run
 * build`: `dist/` beside `pulumi-policies/` (whose package.json points its
 * main at ../dist/pulumi-policies/index.js) and `policies/dist/`. It is
 * compiled into its own folder, keyed by the sources it was built from, so
 * parallel suites never read a half-written dist/.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'modelgate-pack');
const SOURCES = ['core', 'pulumi-policies'];
const ENTRIES = [
  'pulumi-policies/index.ts',
  'pulumi-policies/engine-client/index.ts',
];
const WASM = 'policies/dist/modelgate.wasm';
const PACK_FILES = ['package.json', 'PulumiPolicy.yaml'];

export interface BuiltPack {
  /** Folder holding dist/, policies/ and pulumi-policies/. */
  readonly root: string;
  /** The pack's folder, where Pulumi starts it. */
  readonly packDir: string;
}

export function buildPack(): BuiltPack {
  const root = join(CACHE, sourceHash());
  const built = { root, packDir: join(root, 'pulumi-policies') };
  if (existsSync(join(root, 'done'))) return built;
  const tmp = `${root}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  compile(join(tmp, 'dist'));
  mkdirSync(join(tmp, 'policies', 'dist'), { recursive: true });
  copyFileSync(join(ROOT, WASM), join(tmp, WASM));
  mkdirSync(join(tmp, 'pulumi-policies'));
  for (const f of PACK_FILES) {
    copyFileSync(
      join(ROOT, 'pulumi-policies', f),
      join(tmp, 'pulumi-policies', f),
    );
  }
  writeFileSync(join(tmp, 'done'), '');
  try {
    renameSync(tmp, root);
  } catch {
    // Another suite finished the same build first; use that one.
    rmSync(tmp, { recursive: true, force: true });
  }
  return built;
}

function compile(outDir: string): void {
  const tsc = require.resolve('typescript/bin/tsc');
  const r = spawnSync(
    process.execPath,
    [
      tsc,
      ...['--outDir', outDir, '--rootDir', ROOT],
      ...['--target', 'ES2022', '--module', 'commonjs'],
      ...['--moduleResolution', 'node', '--strict', '--esModuleInterop'],
      ...['--skipLibCheck', '--resolveJsonModule', '--types', 'node'],
      ...ENTRIES.map((e) => join(ROOT, e)),
    ],
    { cwd: ROOT, encoding: 'utf8', timeout: 180_000 },
  );
  if (r.status !== 0) {
    throw new Error(`tsc failed (${r.status}): ${r.stdout}${r.stderr}`);
  }
}

function sourceHash(): string {
  const hash = createHash('sha256');
  const files = SOURCES.flatMap((d) => listFiles(join(ROOT, d))).sort();
  for (const file of [...files, join(ROOT, WASM)]) {
    hash.update(relative(ROOT, file)).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return listFiles(full);
    return /\.(ts|json|yaml)$/.test(name) ? [full] : [];
  });
}
