/**
 * `modelgate serve`: the dispatch point for the admission webhook. The
 * server lives in admission/; it is loaded only here, so `check` never
 * loads express.
 */
import { describeThrown } from '../../core/errors';
import { noLookup, type ClusterLookup } from '../../core/facts';
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
  { name: 'kubeconfig', takesValue: true },
  { name: 'cluster', takesValue: false },
  { name: 'no-cluster', takesValue: false },
  { name: 'drain-seconds', takesValue: true },
  { name: 'help', takesValue: false, short: 'h' },
];

export const DEFAULT_PORT = 8443;
export const DEFAULT_HOST = '0.0.0.0';

/** The part of admission/ the CLI uses; tests pass a fake. */
export type AdmissionModule = Pick<
  typeof import('../../admission'),
  'startAdmissionServer'
>;

/** The part of admission/cluster the CLI uses; tests pass a fake. */
export type ClusterModule = Pick<
  typeof import('../../admission/cluster'),
  'startClusterLookup'
>;

type AdmissionServer = Awaited<
  ReturnType<AdmissionModule['startAdmissionServer']>
>;
type ClusterView = ReturnType<ClusterModule['startClusterLookup']>;

/** Where cluster lookups read from; `none` judges each object alone. */
export type ClusterSource =
  | { readonly kind: 'none' }
  | { readonly kind: 'in-cluster' }
  | { readonly kind: 'kubeconfig'; readonly file: string };

export interface ServeDeps {
  /** Loads admission/; tests pass a fake. */
  readonly loadAdmission?: () => Promise<AdmissionModule>;
  /** Loads admission/cluster; tests pass a fake. */
  readonly loadCluster?: () => Promise<ClusterModule>;
  /** Resolves with the signal's name when the server should stop. */
  readonly waitForStop?: () => Promise<string>;
  /** Process environment, read to tell whether we run in a Pod. */
  readonly env?: NodeJS.ProcessEnv;
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
  const source = clusterSource(flags, deps.env ?? process.env);
  const drainMs = parseDrain(flags['drain-seconds']);
  let draining = false;

  let server: AdmissionServer;
  let cluster: ClusterView | undefined;
  try {
    cluster = await startCluster(source, deps);
    const admission = await (deps.loadAdmission ?? loadAdmission)();
    server = await admission.startAdmissionServer({
      ...options,
      lookup: drainable(cluster, () => draining),
    });
  } catch (err) {
    await cluster?.stop();
    if (isConfigError(err)) throw err;
    diagnose(io, `serve: cannot start: ${describeThrown(err)}`);
    return EXIT.failed;
  }
  diagnose(io, `admission webhook listening on ${server.url}`);
  if (source.kind !== 'none') {
    diagnose(io, `reading cluster state through ${describeSource(source)}`);
  }

  const signal = await (deps.waitForStop ?? waitForSignal)();
  if (drainMs > 0) {
    draining = true;
    await drain(server, drainMs, () =>
      diagnose(io, `${signal} received, draining for ${drainMs / 1000} s`),
    );
  }
  diagnose(io, `${signal} received, closing`);
  await server.close();
  await cluster?.stop();
  return EXIT.ok;
}

/**
 * Unready first, so the Service stops sending new connections here, while
 * the reviews already on their way are still answered; then the wait.
 */
async function drain(
  server: AdmissionServer,
  ms: number,
  announce: () => void,
): Promise<void> {
  if ('drain' in server && typeof server.drain === 'function') server.drain();
  announce();
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * `--kubeconfig FILE` or `--cluster` turn cluster lookups on; in a Pod they
 * are on by default, through its service account, unless `--no-cluster`.
 */
export function clusterSource(
  flags: Readonly<Record<string, string | true>>,
  env: NodeJS.ProcessEnv,
): ClusterSource {
  const chosen = ['kubeconfig', 'cluster', 'no-cluster'].filter(
    (f) => f in flags,
  );
  if (chosen.length > 1) {
    throw new UsageError(
      `--${chosen[0]} and --${chosen[1]} cannot be used together`,
    );
  }
  if (flags['no-cluster']) return { kind: 'none' };
  const file = flags.kubeconfig;
  if (file !== undefined) {
    return { kind: 'kubeconfig', file: required(file, 'kubeconfig') };
  }
  if (flags.cluster || env.KUBERNETES_SERVICE_HOST) {
    return { kind: 'in-cluster' };
  }
  return { kind: 'none' };
}

async function startCluster(
  source: ClusterSource,
  deps: ServeDeps,
): Promise<ClusterView | undefined> {
  if (source.kind === 'none') return undefined;
  const cluster = await (deps.loadCluster ?? loadCluster)();
  return cluster.startClusterLookup(
    source.kind === 'kubeconfig' ? { kubeconfigFile: source.file } : {},
  );
}

/**
 * The lookup handed to the server: the cluster view (or none), reporting
 * unready once draining so that /readyz turns the replica out of rotation.
 */
// LIMITATION: /readyz then names "cluster lookup" as the part it waits
// for; the admission server has no readiness flag of its own for draining.
function drainable(
  cluster: ClusterView | undefined,
  isDraining: () => boolean,
): ClusterLookup {
  return {
    related: (query) =>
      cluster ? cluster.related(query) : noLookup.related(query),
    synced: () => !isDraining() && (cluster ? cluster.synced() : true),
  };
}

function parseDrain(value: string | true | undefined): number {
  if (value === undefined) return 0;
  if (!/^\d{1,3}$/.test(String(value))) {
    throw new UsageError(
      `--drain-seconds must be a whole number of seconds, got "${value}"`,
    );
  }
  return Number(value) * 1000;
}

function describeSource(source: ClusterSource): string {
  return source.kind === 'kubeconfig'
    ? `kubeconfig ${source.file}`
    : "the Pod's service account";
}

function loadCluster(): Promise<ClusterModule> {
  return import('../../admission/cluster');
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
