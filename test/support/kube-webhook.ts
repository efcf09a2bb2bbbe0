/**
 * The webhook side of the end-to-end suites: `modelgate serve` processes
 * (bin/modelgate.js on the compiled dist/) reading a real API server, the
 * chart rendered with helm, and a front that spreads connections over the
 * ready replicas as a Service would.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  ROOT,
  freePorts,
  getStatus,
  run,
  startLoggedProcess,
  stopProcess,
  toolPath,
  type CommandResult,
} from './kube';

/** Compiles dist/ as `npm run build` does (tsc emits despite type errors). */
export function buildDist(): void {
  spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    { cwd: ROOT, encoding: 'utf8', timeout: 300_000 },
  );
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('npm run build wrote no dist/cli/main.js');
  }
}

export interface Replica {
  readonly port: number;
  readonly process: ChildProcess;
  /** Everything the process wrote, for failure messages. */
  output(): string;
}

export interface ReplicaOptions {
  readonly dir: string;
  readonly kubeconfig: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly caPem: string;
  readonly config: string;
  readonly port?: number;
  readonly drainSeconds?: number;
}

/** Starts `modelgate serve` and resolves once its /readyz says ready. */
export async function startReplica(o: ReplicaOptions): Promise<Replica> {
  const port = o.port ?? (await freePorts(1))[0]!;
  const configFile = join(o.dir, `config-${port}.yaml`);
  writeFileSync(configFile, o.config);
  const args = [
    join(ROOT, 'bin', 'modelgate.js'),
    'serve',
    `--config=${configFile}`,
    '--host=127.0.0.1',
    `--port=${port}`,
    `--tls-cert=${o.certFile}`,
    `--tls-key=${o.keyFile}`,
    `--kubeconfig=${o.kubeconfig}`,
    `--drain-seconds=${o.drainSeconds ?? 0}`,
  ];
  const child = startLoggedProcess(
    `webhook-${port}`,
    process.execPath,
    o.dir,
    args,
  );
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const replica = { port, process: child, output: () => out };
  await waitUntil(
    async () =>
      (await getStatus(`https://127.0.0.1:${port}/readyz`, {
        ca: o.caPem,
      })) === 200,
    () => child.exitCode !== null,
    () => `webhook on ${port} never became ready: ${out.slice(-2000)}`,
  );
  return replica;
}

export async function stopReplica(r: Replica): Promise<void> {
  await stopProcess(r.process);
}

/**
 * Polls `done` every 250 ms, up to 480 times (bounded, not timed: the
 * count is the limit). Throws with `why` when `dead` says the thing waited
 * for cannot come any more, or the polls run out.
 */
export async function waitUntil(
  done: () => Promise<boolean>,
  dead: () => boolean,
  why: string | (() => string),
): Promise<void> {
  const fail = async () => {
    // Let a dead process's last output arrive before it is quoted.
    await new Promise((r) => setTimeout(r, 100));
    return new Error(typeof why === 'string' ? why : why());
  };
  for (let i = 0; i < 480; i++) {
    if (await done()) return;
    if (dead()) throw await fail();
    await new Promise((r) => setTimeout(r, 250));
  }
  throw await fail();
}

/** `helm template` of the chart; resolves with the parsed documents. */
export async function renderChart(
  args: readonly string[],
): Promise<{ result: CommandResult; docs: Record<string, any>[] }> {
  const result = await run(toolPath('helm'), [
    'template',
    'modelgate',
    join(ROOT, 'charts', 'modelgate'),
    '--namespace',
    'modelgate-system',
    ...args,
  ]);
  const docs = parseAllDocuments(result.stdout)
    .map((d) => d.toJS() as Record<string, any> | null)
    .filter((d): d is Record<string, any> => d !== null);
  return { result, docs };
}

/**
 * A TCP front on 127.0.0.1 that hands each new connection to a ready
 * replica, in turn, as a Service does with its endpoints. Readiness is
 * polled from /readyz, as the kubelet's probe would.
 */
export interface Front {
  readonly port: number;
  close(): Promise<void>;
}

export async function startFront(
  replicas: readonly Replica[],
  caPem: string,
): Promise<Front> {
  const ready = new Set<number>(replicas.map((r) => r.port));
  const sockets = new Set<Socket>();
  let next = 0;
  let closed = false;
  const poll = async () => {
    while (!closed) {
      for (const r of replicas) {
        const url = `https://127.0.0.1:${r.port}/readyz`;
        if ((await getStatus(url, { ca: caPem })) === 200) ready.add(r.port);
        else ready.delete(r.port);
      }
      await new Promise((res) => setTimeout(res, 100));
    }
  };
  const server: Server = createServer((client) => {
    const ports = [...ready];
    if (ports.length === 0) {
      client.destroy();
      return;
    }
    const port = ports[next++ % ports.length]!;
    const upstream = connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  const [port] = await freePorts(1);
  await new Promise<void>((resolve) =>
    server.listen(port, '127.0.0.1', resolve),
  );
  const polling = poll();
  return {
    port: port!,
    close: async () => {
      closed = true;
      await polling;
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
