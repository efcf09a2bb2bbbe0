/**
 * A real OCI registry for tests: Debian's `docker-registry` on 127.0.0.1,
 * with crane to push images and cosign (v2, key-based, no transparency log)
 * to sign them. Build the tools with `bash scripts/tools.sh crane cosign
 * registry`; suites skip with `registryToolsMissing()` as the reason.
 *
 * @example
 * const d = registryToolsMissing() ? describe.skip : describe;
 * let registry: TestRegistry;
 * beforeAll(async () => { registry = await startRegistry(); });
 * afterAll(() => registry.stop());
 * const image = await registry.pushRandomImage('demo/app', 'v1');
 * const key = await registry.generateKeyPair('release');
 * await registry.signImage(image.refAtDigest, key);
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const ROOT = resolve(__dirname, '../..');
export const CRANE = join(ROOT, '.tools/bin/crane');
export const COSIGN = join(ROOT, '.tools/bin/cosign');
const TOOL_TIMEOUT_MS = 60_000;

/** The fixed htpasswd user: the hash is bcrypt of HTPASSWD_USER.password. */
export const HTPASSWD_USER = {
  username: 'modelgate',
  password: 'SLYIKJ1zYsBr3vHc-mM7bZA9SchHC29cO5_WZsq6pBA',
} as const;
const HTPASSWD_HASH =
  '$2a$10$KNgw3cjhtPg8MbUDevWJcOvx4sg8.QPxixwM6dBnSmSA/r3zn7fUS';

export type RegistryAuth =
  | { readonly kind: 'htpasswd' }
  | {
      readonly kind: 'token';
      readonly realm: string;
      readonly service: string;
      readonly issuer: string;
      /** PEM certificate(s) the token signing key chains to. */
      readonly rootCertBundle: string;
    };

export interface RegistryOptions {
  readonly auth?: RegistryAuth;
  /** Credentials crane and cosign push with (htpasswd: HTPASSWD_USER). */
  readonly credentials?: {
    readonly username: string;
    readonly password: string;
  };
}

export interface PushedImage {
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
  /** `host/repository:tag` */
  readonly ref: string;
  /** `host/repository@digest` */
  readonly refAtDigest: string;
}

export interface KeyPair {
  readonly name: string;
  readonly privateKeyPath: string;
  readonly publicKeyPath: string;
  readonly publicKeyPem: string;
}

export interface SignatureEntry {
  readonly payload: Buffer;
  /** Base64 signature, as the cosign annotation holds it. */
  readonly signature: string;
}

export interface TestRegistry {
  /** `127.0.0.1:<port>` */
  readonly host: string;
  /** Scratch directory (keys, logs); removed by stop(). */
  readonly dir: string;
  readonly credentials?: RegistryOptions['credentials'];
  /** Pushes a one-layer image of random bytes with crane. */
  pushRandomImage(repository: string, tag?: string): Promise<PushedImage>;
  /** `cosign generate-key-pair` (ECDSA P-256), empty password. */
  generateKeyPair(name: string): Promise<KeyPair>;
  /** `cosign import-key-pair` of a PKCS#8 PEM (Ed25519, RSA, ECDSA). */
  importKeyPair(name: string, privateKeyPem: string): Promise<KeyPair>;
  /** `cosign sign --key … --tlog-upload=false`, as a new `.sig` entry. */
  signImage(refAtDigest: string, keyPair: KeyPair): Promise<void>;
  /** `crane copy` between two references on this registry. */
  copy(from: string, to: string): Promise<void>;
  /**
   * `cosign attach signature`: adds an entry with this payload and base64
   * signature, unchecked (for signatures cosign would not make).
   */
  attachSignature(refAtDigest: string, entry: SignatureEntry): Promise<void>;
  /** Where the registry stores a blob on disk (to tamper with it). */
  blobFile(digest: string): string;
  /**
   * Restarts the registry on the same address and storage with other
   * auth. With token auth, crane and cosign refuse a loopback realm on
   * another port, so push and sign first, then restart with `{ kind:
   * 'token', … }` to test readers.
   */
  restart(auth?: RegistryAuth): Promise<void>;
  /** Kills the registry's process group and removes `dir`. Idempotent. */
  stop(): Promise<void>;
}

/** Why registry suites cannot run here, in one line, or undefined. */
export function registryToolsMissing(): string | undefined {
  const missing = [
    existsSync(CRANE) ? undefined : 'crane',
    existsSync(COSIGN) ? undefined : 'cosign',
    onPath('docker-registry') ? undefined : 'docker-registry',
  ].filter((t): t is string => t !== undefined);
  if (missing.length === 0) return undefined;
  return (
    `needs ${missing.join(', ')}; ` +
    `run: bash scripts/tools.sh crane cosign registry`
  );
}

/** The cosign simple-signing payload for `digest` (as cosign writes it). */
export function simpleSigningPayload(name: string, digest: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': name },
        image: { 'docker-manifest-digest': digest },
        type: 'cosign container image signature',
      },
      optional: null,
    }),
  );
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});

/** Starts a registry in a temp dir on a free loopback port. */
export async function startRegistry(
  options: RegistryOptions = {},
): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-registry-'));
  const credentials =
    options.credentials ??
    (options.auth?.kind === 'htpasswd' ? HTPASSWD_USER : undefined);
  try {
    const { child, host } = await launch(dir, options.auth);
    const env = await toolEnv(dir, host, credentials);
    return makeRegistry({ dir, host, child, env, credentials });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

interface Parts {
  readonly dir: string;
  readonly host: string;
  readonly child: ChildProcess;
  readonly env: NodeJS.ProcessEnv;
  readonly credentials: RegistryOptions['credentials'];
}

type Tool = (bin: string, args: string[]) => Promise<unknown>;

function makeRegistry(parts: Parts): TestRegistry {
  const { dir, host, env, credentials } = parts;
  let child = parts.child;
  const tool = (bin: string, args: string[]) =>
    run(bin, args, { env, cwd: dir, timeout: TOOL_TIMEOUT_MS });
  let stopped = false;

  return {
    host,
    dir,
    credentials,
    async pushRandomImage(repository, tag = 'latest') {
      const name = `layer-${randomBytes(6).toString('hex')}`;
      await writeFile(join(dir, name), randomBytes(256));
      await run('tar', ['-cf', `${name}.tar`, name], { cwd: dir });
      const layer = join(dir, `${name}.tar`);
      const ref = `${host}/${repository}:${tag}`;
      await tool(CRANE, ['append', '-f', layer, '-t', ref]);
      const digest = (await tool(CRANE, ['digest', ref])).stdout.trim();
      const refAtDigest = `${host}/${repository}@${digest}`;
      return { repository, tag, digest, ref, refAtDigest };
    },
    copy: async (from, to) => void (await tool(CRANE, ['copy', from, to])),
    ...cosignMethods(dir, tool),
    blobFile(digest) {
      const [alg = '', hex = ''] = digest.split(':');
      const blobs = join(dir, 'data/docker/registry/v2/blobs');
      return join(blobs, alg, hex.slice(0, 2), hex, 'data');
    },
    async restart(auth) {
      await terminate(child);
      child = (await launch(dir, auth, host)).child;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await terminate(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function cosignMethods(
  dir: string,
  tool: Tool,
): Pick<
  TestRegistry,
  'generateKeyPair' | 'importKeyPair' | 'signImage' | 'attachSignature'
> {
  const http = '--allow-http-registry';
  return {
    async generateKeyPair(name) {
      const prefix = join(dir, `key-${name}`);
      await tool(COSIGN, ['generate-key-pair', '--output-key-prefix', prefix]);
      return keyPair(name, prefix);
    },
    async importKeyPair(name, privateKeyPem) {
      const prefix = join(dir, `key-${name}`);
      await writeFile(`${prefix}.pem`, privateKeyPem, { mode: 0o600 });
      const args = ['--key', `${prefix}.pem`, '--output-key-prefix', prefix];
      await tool(COSIGN, ['import-key-pair', ...args]);
      return keyPair(name, prefix);
    },
    async signImage(refAtDigest, pair) {
      const args = ['--key', pair.privateKeyPath, '--tlog-upload=false'];
      await tool(COSIGN, ['sign', ...args, http, '-y', refAtDigest]);
    },
    async attachSignature(refAtDigest, entry) {
      const file = join(dir, `entry-${randomBytes(6).toString('hex')}`);
      await writeFile(`${file}.json`, entry.payload);
      await writeFile(`${file}.sig`, entry.signature);
      const args = ['--payload', `${file}.json`, '--signature', `${file}.sig`];
      await tool(COSIGN, ['attach', 'signature', ...args, http, refAtDigest]);
    },
  };
}

async function launch(
  dir: string,
  auth: RegistryAuth | undefined,
  fixedHost?: string,
): Promise<{ child: ChildProcess; host: string }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 200));
    const host = fixedHost ?? `127.0.0.1:${await freePort()}`;
    const config = join(dir, 'config.yml');
    await writeFile(config, await registryConfig(dir, host, auth));
    const log = openSync(join(dir, 'registry.log'), 'a');
    const child = spawn('docker-registry', ['serve', config], {
      detached: true,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    live.add(child);
    try {
      await waitUntilServing(host, child, dir);
      return { child, host };
    } catch (err) {
      lastError = err;
      await terminate(child);
    }
  }
  throw lastError;
}

async function registryConfig(
  dir: string,
  host: string,
  auth: RegistryAuth | undefined,
): Promise<string> {
  const lines = [
    'version: 0.1',
    'log: { level: warn, accesslog: { disabled: true } }',
    'storage:',
    `  filesystem: { rootdirectory: ${join(dir, 'data')} }`,
    '  delete: { enabled: true }',
    `http: { addr: ${host}, secret: ${randomBytes(16).toString('hex')} }`,
  ];
  if (auth?.kind === 'htpasswd') {
    const file = join(dir, 'htpasswd');
    await writeFile(file, `${HTPASSWD_USER.username}:${HTPASSWD_HASH}\n`);
    lines.push('auth:', '  htpasswd:', '    realm: modelgate-test');
    lines.push(`    path: ${file}`);
  } else if (auth?.kind === 'token') {
    const bundle = join(dir, 'token-roots.pem');
    await writeFile(bundle, auth.rootCertBundle);
    lines.push('auth:', '  token:', `    realm: ${auth.realm}`);
    lines.push(`    service: ${auth.service}`, `    issuer: ${auth.issuer}`);
    lines.push(`    rootcertbundle: ${bundle}`);
  }
  return `${lines.join('\n')}\n`;
}

async function waitUntilServing(
  host: string,
  child: ChildProcess,
  dir: string,
): Promise<void> {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if (await answers(`http://${host}/v2/`)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  const log = await readFile(join(dir, 'registry.log'), 'utf8').catch(() => '');
  throw new Error(
    `docker-registry did not serve on ${host}: ${log.slice(-500).trim()}`,
  );
}

function answers(url: string): Promise<boolean> {
  return new Promise((done) => {
    const req = get(url, { timeout: 1_000 }, (res) => {
      res.resume();
      done(res.statusCode === 200 || res.statusCode === 401);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(false));
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  live.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

async function toolEnv(
  dir: string,
  host: string,
  credentials: RegistryOptions['credentials'],
): Promise<NodeJS.ProcessEnv> {
  const docker = join(dir, 'docker');
  await mkdir(docker, { recursive: true });
  const auths = credentials
    ? {
        [host]: {
          auth: Buffer.from(
            `${credentials.username}:${credentials.password}`,
          ).toString('base64'),
        },
      }
    : {};
  await writeFile(join(docker, 'config.json'), JSON.stringify({ auths }));
  return {
    ...process.env,
    DOCKER_CONFIG: docker,
    COSIGN_PASSWORD: '',
    TUF_ROOT: join(dir, 'tuf'),
    SIGSTORE_NO_CACHE: 'true',
  };
}

async function keyPair(name: string, prefix: string): Promise<KeyPair> {
  const publicKeyPath = `${prefix}.pub`;
  return {
    name,
    privateKeyPath: `${prefix}.key`,
    publicKeyPath,
    publicKeyPem: await readFile(publicKeyPath, 'utf8'),
  };
}

/** True when an executable named `bin` is on PATH. */
export function onPath(bin: string): boolean {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .some((d) => d !== '' && existsSync(join(d, bin)));
}
