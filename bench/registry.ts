/**
 * A local OCI registry with one signed image, for timing signature
 * verification: Debian's docker-registry on 127.0.0.1, an image pushed with
 * crane, and a signature made offline with a throwaway cosign key pair.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './corpus';
import { freePort, waitUntil, type Resources } from './processes';

export interface SignedImage {
  /** `127.0.0.1:<port>`, served over plain HTTP. */
  readonly host: string;
  /** The image by tag; verifying it resolves the tag first. */
  readonly tagRef: string;
  readonly digestRef: string;
  /** Folder holding `cosign.pub` and the registry's storage. */
  readonly dir: string;
  readonly publicKeyFile: string;
}

export const crane = join(repoRoot, '.tools', 'bin', 'crane');
export const cosign = join(repoRoot, '.tools', 'bin', 'cosign');
const REGISTRY_COMMAND = 'docker-registry';

/** Why the signature section cannot run here, or undefined when it can. */
export function missingTool(): string | undefined {
  if (!onPath(REGISTRY_COMMAND)) return `${REGISTRY_COMMAND} is not on PATH`;
  for (const tool of [crane, cosign]) {
    if (!existsSync(tool)) return `${tool} not found (npm run tools)`;
  }
  return undefined;
}

export async function startSignedRegistry(
  resources: Resources,
): Promise<SignedImage> {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-bench-registry-'));
  resources.defer(() => rmSync(dir, { recursive: true, force: true }));
  const host = await startRegistry(resources, dir);

  const tagRef = `${host}/bench/model:v1`;
  writeFileSync(join(dir, 'weights.bin'), 'not really a model\n');
  await run('tar', ['-cf', 'layer.tar', 'weights.bin'], dir);
  await run(crane, ['append', '-f', 'layer.tar', '-t', tagRef], dir);
  const digest = (await run(crane, ['digest', tagRef], dir)).trim();
  const digestRef = `${host}/bench/model@${digest}`;

  await run(cosign, ['generate-key-pair'], dir);
  await run(cosign, signArgs(digestRef), dir);
  return {
    host,
    tagRef,
    digestRef,
    dir,
    publicKeyFile: join(dir, 'cosign.pub'),
  };
}

async function startRegistry(resources: Resources, dir: string) {
  const port = await freePort();
  const config = join(dir, 'registry.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log: { level: error, accesslog: { disabled: true } }',
      `storage: { filesystem: { rootdirectory: ${join(dir, 'data')} } }`,
      `http: { addr: 127.0.0.1:${port} }`,
    ].join('\n'),
  );
  const child = resources.spawn(REGISTRY_COMMAND, ['serve', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await waitUntil('docker-registry', () => answers(port), child);
  return `127.0.0.1:${port}`;
}

/** Offline signing: no transparency log, no signing config fetched. */
function signArgs(digestRef: string): string[] {
  return [
    'sign',
    '--key',
    'cosign.key',
    '--tlog-upload=false',
    '-y',
    digestRef,
  ];
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    get({ host: '127.0.0.1', port, path: '/v2/', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    }).on('error', () => resolve(false));
  });
}

const execFileAsync = promisify(execFile);

/** Runs a tool in `cwd` with an empty cosign password; returns stdout. */
export async function run(
  command: string,
  args: readonly string[],
  cwd: string,
): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, {
      cwd,
      timeout: 60_000,
      env: { ...process.env, COSIGN_PASSWORD: '' },
    });
    return stdout;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`${command} ${args[0]} failed: ${stderr.trim()}`, {
      cause: err,
    });
  }
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .some((d) => d !== '' && existsSync(join(d, command)));
}
