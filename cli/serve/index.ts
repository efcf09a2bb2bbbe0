/**
 * `modelgate serve`: the dispatch point for the admission webhook. The
 * server lives in admission/; it is loaded only here, so `check` never
 * loads express.
 */
import { describeThrown } from '../../core/errors';
import { UsageError, parseArgs, type FlagSpec } from '../args';
import { isConfigError, loadCliConfig } from '../config';
import { EXIT, SERVE_USAGE, type ExitCode } from '../help';
import { diagnose, type CliIo } from '../io';

export const SERVE_FLAGS: readonly FlagSpec[] = [
  { name: 'config', takesValue: true },
  { name: 'port', takesValue: true },
  { name: 'host', takesValue: true },
  { name: 'tls-cert', takesValue: true },
  { name: 'tls-key', takesValue: true },
  { name: 'help', takesValue: false, short: 'h' },
];

export const DEFAULT_PORT = 8443;
export const DEFAULT_HOST = '0.0.0.0';

/** The part of admission/ the CLI uses; tests pass a fake. */
export type AdmissionModule = Pick<
  typeof import('../../admission'),
  'startAdmissionServer'
>;

type AdmissionServer = Awaited<
  ReturnType<AdmissionModule['startAdmissionServer']>
>;

export interface ServeDeps {
  /** Loads admission/; tests pass a fake. */
  readonly loadAdmission?: () => Promise<AdmissionModule>;
  /** Resolves with the signal's name when the server should stop. */
  readonly waitForStop?: () => Promise<string>;
}

export async function runServe(
  argv: readonly string[],
  io: CliIo,
  deps: ServeDeps = {},
): Promise<ExitCode> {
  const { flags, positionals } = parseArgs(argv, SERVE_FLAGS);
  if (flags.help) {
    io.stdout.write(SERVE_USAGE);
    return EXIT.ok;
  }
  if (positionals.length > 0) {
    throw new UsageError(`serve takes no arguments, got "${positionals[0]}"`);
  }
  const options = {
    port: parsePort(flags.port),
    host: typeof flags.host === 'string' ? flags.host : DEFAULT_HOST,
    tlsCertFile: required(flags['tls-cert'], 'tls-cert'),
    tlsKeyFile: required(flags['tls-key'], 'tls-key'),
    config: loadCliConfig(flags.config),
  };

  let server: AdmissionServer;
  try {
    const admission = await (deps.loadAdmission ?? loadAdmission)();
    server = await admission.startAdmissionServer(options);
  } catch (err) {
    if (isConfigError(err)) throw err;
    diagnose(io, `serve: cannot start: ${describeThrown(err)}`);
    return EXIT.failed;
  }
  diagnose(io, `admission webhook listening on ${server.url}`);

  const signal = await (deps.waitForStop ?? waitForSignal)();
  diagnose(io, `${signal} received, closing`);
  await server.close();
  return EXIT.ok;
}

function loadAdmission(): Promise<AdmissionModule> {
  return import('../../admission');
}

/**
 * Resolves on the first SIGTERM or SIGINT. The handlers are removed then,
 * so a second signal during a slow close ends the process the default way.
 */
function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve(signal);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

function parsePort(value: string | true | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(String(value)) || port > 65535) {
    throw new UsageError(
      `--port must be a number from 0 to 65535, got "${value}"`,
    );
  }
  return port;
}

function required(value: string | true | undefined, flag: string): string {
  if (typeof value !== 'string')
    throw new UsageError(`--${flag} FILE is required`);
  return value;
}
