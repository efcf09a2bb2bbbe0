/**
 * The admission webhook as the benchmark runs it: a child process of its
 * own, so the load generator does not share its event loop. Started with
 * fork(); it reports `{ port }` over IPC once ready, and exits on SIGTERM or
 * when the parent goes away.
 *
 * Environment: BENCH_TLS_CERT, BENCH_TLS_KEY (required), BENCH_LOG_LEVEL
 * (default `silent`), BENCH_LOG_FILE (pino destination; default stdout).
 */
import { pino, type Logger } from 'pino';
import { startAdmissionServer } from '../admission';
import { defaultConfig } from '../core/config';
import { createEngine } from '../core/engine';
import { unsignedVerifier } from './unsigned-verifier';

/** What a forked bench server sends its parent once it listens. */
export interface ChildReady {
  readonly port: number;
}

async function main(): Promise<void> {
  const config = defaultConfig();
  const engine = await createEngine({ config, verifier: unsignedVerifier() });
  const server = await startAdmissionServer({
    config,
    engine,
    host: '127.0.0.1',
    port: 0,
    tlsCertFile: requiredEnv('BENCH_TLS_CERT'),
    tlsKeyFile: requiredEnv('BENCH_TLS_KEY'),
    logger: benchLogger(),
  });

  const stop = () => {
    server.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
  const ready: ChildReady = { port: server.port };
  process.send?.(ready);
}

function benchLogger(): Logger {
  const level = process.env.BENCH_LOG_LEVEL ?? 'silent';
  const file = process.env.BENCH_LOG_FILE;
  return file
    ? pino({ level }, pino.destination({ dest: file, sync: false }))
    : pino({ level });
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`webhook child: ${name} is not set`);
  return value;
}

main().catch((err: unknown) => {
  process.stderr.write(`webhook child failed: ${String(err)}\n`);
  process.exit(1);
});
