/**
 * Starts the admission webhook: HTTPS only, certificates that follow their
 * files, and a policy that has judged one object before the server reports
 * ready.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import {
  createEngine,
  describeThrown,
  verifierFromConfig,
  type Config,
  type Engine,
} from '../core';
import { createAdmissionApp, type Readiness } from './app';
import {
  loadCertificatePair,
  watchCertificates,
  type CertificatePair,
} from './certificates';
import { codeOf } from './errors';
import { createMetrics } from './metrics';
import {
  resolveOptions,
  type AdmissionServerOptions,
  type ResolvedOptions,
} from './options';

export interface AdmissionServer {
  /** The port listened on, useful when 0 was asked for. */
  readonly port: number;
  /** `https://host:port`, with 127.0.0.1 for a wildcard host. */
  readonly url: string;
  /**
   * Starts shutting down without closing: /readyz turns unready and every
   * answer closes its connection, so clients move to other replicas.
   */
  drain(): void;
  /**
   * Stops accepting, answers the reviews in flight, then drops what is
   * still open after the grace period, and stops the watchers.
   */
  close(): Promise<void>;
}

const TLS_SETTINGS = { minVersion: 'TLSv1.2' } as const;
/** Slow clients must not hold sockets for long; the API server is quick. */
const HEADERS_TIMEOUT_MS = 10_000;
const SOCKET_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Starts the server and resolves once it listens. Rejects with
 * TLS_UNAVAILABLE when the certificate pair does not load, or with
 * POLICY_LOAD_FAILED when no engine was given and the policy does not load.
 *
 * @example
 * const server = await startAdmissionServer({
 *   config: loadConfigFile('/etc/modelgate/config.yaml'),
 *   port: 8443,
 *   tlsCertFile: '/tls/tls.crt',
 *   tlsKeyFile: '/tls/tls.key',
 * });
 */
export async function startAdmissionServer(
  options: AdmissionServerOptions,
): Promise<AdmissionServer> {
  const o = resolveOptions(options);
  const pair = loadCertificatePair({
    certFile: o.tlsCertFile,
    keyFile: o.tlsKeyFile,
  });
  const engine = o.engine ?? (await defaultEngine(o.config));
  const readiness: { -readonly [K in keyof Readiness]: Readiness[K] } = {
    policyLoaded: await warmUp(engine, o.logger),
    draining: false,
  };

  const app = createAdmissionApp({
    config: o.config,
    engine,
    lookup: o.lookup,
    logger: o.logger,
    metrics: createMetrics(),
    limits: { maxBytes: o.maxBodyBytes, maxDepth: o.maxDepth },
    requestTimeoutMs: o.requestTimeoutMs,
    readiness,
  });
  const server = createServer({ ...pair, ...TLS_SETTINGS }, app);
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = SOCKET_REQUEST_TIMEOUT_MS;
  await listen(server, o.host, o.port);

  const certificates = watchTlsFiles(server, o, pair);
  const port = (server.address() as AddressInfo).port;
  o.logger.info({ port, host: o.host }, 'admission server listening');
  return {
    port,
    url: `https://${urlHost(o.host)}:${port}`,
    drain: () => {
      readiness.draining = true;
      server.closeIdleConnections();
    },
    close: async () => {
      readiness.draining = true;
      certificates.close();
      await shutDown(server, CLOSE_GRACE_MS);
    },
  };
}

/** The bundled policy with the config's cosign verifier. */
function defaultEngine(config: Config): Promise<Engine> {
  return createEngine({ config, verifier: verifierFromConfig(config) });
}

/**
 * Judges an object no rule applies to, so that a policy that loads but
 * cannot evaluate keeps the server unready, and the first real review does
 * not pay for warming the wasm.
 */
async function warmUp(engine: Engine, logger: Logger): Promise<boolean> {
  try {
    await engine.judge({
      operation: 'CREATE',
      object: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'modelgate-warm-up', namespace: 'modelgate' },
      },
    });
    return true;
  } catch (err) {
    logger.error(
      { code: codeOf(err), reason: describeThrown(err) },
      'policy failed its warm-up evaluation; the server stays unready',
    );
    return false;
  }
}

function watchTlsFiles(
  server: Server,
  o: ResolvedOptions,
  initial: CertificatePair,
) {
  return watchCertificates({
    certFile: o.tlsCertFile,
    keyFile: o.tlsKeyFile,
    initial,
    logger: o.logger,
    pollMs: o.certPollMs,
    debounceMs: o.certDebounceMs,
    onChange: (pair) => server.setSecureContext({ ...pair, ...TLS_SETTINGS }),
  });
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Reviews in flight get this long to be answered when the server closes. */
const CLOSE_GRACE_MS = 5_000;

function shutDown(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close((err) => {
      clearTimeout(force);
      if (err) reject(err);
      else resolve();
    });
    server.closeIdleConnections();
  });
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
