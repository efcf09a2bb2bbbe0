/**
 * The servers under load: modelgate's webhook in a child node process,
 * OPA's own server with the same Rego and data as the reference, and an
 * HTTPS server that answers without judging, as the floor.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { join } from 'node:path';
import { repoRoot } from './corpus';
import { freePort, waitUntil, type Resources } from './processes';
import type { BenchPki } from './tls';
import type { ChildReady } from './webhook-child';

export interface RunningServer {
  readonly name: string;
  readonly port: number;
  readonly pid: number;
  /** Path that takes the POSTed requests. */
  readonly path: string;
}

export interface WebhookOptions {
  /** pino level of the child; `silent` keeps logging out of the figures. */
  readonly logLevel: string;
  readonly logFile?: string;
}

export const opaBinary = join(repoRoot, '.tools', 'bin', 'opa');
const policyDir = join(repoRoot, 'policies', 'modelgate');

/** Forks dist/bench/webhook-child.js and waits until it is ready. */
export async function startWebhookChild(
  resources: Resources,
  pki: BenchPki,
  options: WebhookOptions,
): Promise<RunningServer> {
  const { port, pid, child } = await forkServer(resources, 'webhook-child.js', {
    ...tlsEnv(pki),
    BENCH_LOG_LEVEL: options.logLevel,
    ...(options.logFile && { BENCH_LOG_FILE: options.logFile }),
  });
  await waitUntil('webhook /readyz', () => isUp(pki, port, '/readyz'), child);
  return { name: 'modelgate', port, pid, path: '/validate' };
}

/** Forks dist/bench/echo-child.js, the HTTPS floor. */
export async function startEchoChild(
  resources: Resources,
  pki: BenchPki,
): Promise<RunningServer> {
  const { port, pid } = await forkServer(resources, 'echo-child.js', {
    ...tlsEnv(pki),
  });
  return { name: 'HTTPS floor', port, pid, path: '/' };
}

/** Starts a compiled bench script in its own node; it sends `{ port }`. */
async function forkServer(
  resources: Resources,
  script: string,
  env: Readonly<Record<string, string>>,
) {
  const child = resources.spawn(process.execPath, [join(__dirname, script)], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, ...env },
  });
  let port = 0;
  child.on('message', (m: ChildReady) => (port = m.port));
  await waitUntil(script, async () => port > 0, child);
  return { port, pid: pidOf(child), child };
}

function tlsEnv(pki: BenchPki) {
  return { BENCH_TLS_CERT: pki.certFile, BENCH_TLS_KEY: pki.keyFile };
}

/**
 * Starts `opa run --server` over HTTPS on the policy folder (tests left
 * out) with `{config: data}` as its data document.
 */
export async function startOpaServer(
  resources: Resources,
  pki: BenchPki,
  data: unknown,
): Promise<RunningServer> {
  if (!existsSync(opaBinary)) {
    throw new Error(`${opaBinary} not found; run npm run tools`);
  }
  const dataFile = join(pki.dir, 'data.json');
  writeFileSync(dataFile, JSON.stringify({ config: data }));
  const port = await freePort();
  const child = resources.spawn(opaBinary, opaArgs(pki, port, dataFile), {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await waitUntil('opa server', () => isUp(pki, port, '/health'), child);
  return {
    name: 'OPA',
    port,
    pid: pidOf(child),
    path: '/v1/data/modelgate/result',
  };
}

function opaArgs(pki: BenchPki, port: number, dataFile: string): string[] {
  return [
    'run',
    '--server',
    '--addr',
    `127.0.0.1:${port}`,
    '--tls-cert-file',
    pki.certFile,
    '--tls-private-key-file',
    pki.keyFile,
    '--log-level',
    'error',
    '--skip-version-check',
    '--ignore',
    '*_test.rego',
    policyDir,
    dataFile,
  ];
}

function isUp(pki: BenchPki, port: number, path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(
      { host: '127.0.0.1', port, path, ca: pki.caPem, agent: false },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
  });
}

function pidOf(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error('child process has no pid');
  return child.pid;
}
