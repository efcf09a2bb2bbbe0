/**
 * Everything the benchmark starts is registered here and stopped in reverse
 * order, on success, on error and on Ctrl-C alike.
 */
import {
  spawn,
  type ChildProcess,
  type SpawnOptions,
} from 'node:child_process';
import { createServer } from 'node:net';

export type Stop = () => void | Promise<void>;

export interface Resources {
  /** Registers a stop step; steps run last-in, first-out. */
  defer(stop: Stop): void;
  /** Spawns a process that is killed when the resources are released. */
  spawn(
    command: string,
    args: readonly string[],
    options?: SpawnOptions,
  ): ChildProcess;
  /** Resources of their own, released with these at the latest. */
  scope(): Resources;
  /** Runs every stop step once; later calls do nothing. */
  release(): Promise<void>;
}

/** How long a child gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 2000;

export function createResources(): Resources {
  const stops: Stop[] = [];
  let released = false;
  const resources: Resources = {
    defer: (stop) => void stops.push(stop),
    spawn: (command, args, options = {}) => {
      const child = spawn(command, args, options);
      // A failed spawn is reported by waitUntil; never crash on it.
      child.on('error', () => undefined);
      resources.defer(() => stopChild(child));
      return child;
    },
    scope: () => {
      const inner = createResources();
      resources.defer(inner.release);
      return inner;
    },
    release: async () => {
      if (released) return;
      released = true;
      for (const stop of stops.reverse()) {
        await Promise.resolve()
          .then(stop)
          .catch(() => undefined);
      }
    },
  };
  return resources;
}

/** SIGTERM, then SIGKILL after a grace period; resolves once it exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A port free on 127.0.0.1 right now, for tools that cannot take port 0. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Polls `probe` until it resolves true; rejects after `timeoutMs`, or as
 * soon as `child` exits, with its captured stderr in the message.
 */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  child: ChildProcess,
  timeoutMs = 15_000,
): Promise<void> {
  const stderr = captureStderr(child);
  let failure: Error | undefined;
  child.once('error', (err) => (failure = err));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (failure) throw new Error(`${what}: ${failure.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${what} exited early: ${stderr().trim().slice(-500)}`);
    }
    if (await probe().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function captureStderr(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-4000);
  });
  return () => text;
}
