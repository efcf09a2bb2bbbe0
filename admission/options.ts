/**
 * Options of the admission server, with every default named and resolved
 * once at start-up.
 */
import { pino, type Logger } from 'pino';
import {
  noLookup,
  type ClusterLookup,
  type Config,
  type Engine,
} from '../core';

export interface AdmissionServerOptions {
  /** Validated config; its failurePolicy decides what faults mean. */
  readonly config: Config;
  /** Defaults to the bundled policy with the config's cosign verifier. */
  readonly engine?: Engine;
  /** Cluster state the rules read across; defaults to none. */
  readonly lookup?: ClusterLookup;
  /** Listen address; defaults to 0.0.0.0 (tests use 127.0.0.1). */
  readonly host?: string;
  /** Listen port; 0 picks a free one. */
  readonly port: number;
  /** PEM serving certificate (chain); reloaded when it changes. */
  readonly tlsCertFile: string;
  /** PEM key of the serving certificate; reloaded when it changes. */
  readonly tlsKeyFile: string;
  /** Defaults to pino JSON on stdout. */
  readonly logger?: Logger;
  /** Largest review body accepted; defaults to 3 MiB. */
  readonly maxBodyBytes?: number;
  /** Deepest JSON nesting accepted; defaults to 64. */
  readonly maxDepth?: number;
  /** Answer within this long, below the API server's 10 s; default 9000. */
  readonly requestTimeoutMs?: number;
  /** How often certificate files are polled besides watched; 10000. */
  readonly certPollMs?: number;
}

export const ADMISSION_DEFAULTS = {
  host: '0.0.0.0',
  maxBodyBytes: 3 * 1024 * 1024,
  maxDepth: 64,
  requestTimeoutMs: 9000,
  certPollMs: 10_000,
  /** Quiet time after a certificate event before the files are read. */
  certDebounceMs: 200,
} as const;

export type ResolvedOptions = Required<Omit<AdmissionServerOptions, 'engine'>> &
  Pick<AdmissionServerOptions, 'engine'> & { certDebounceMs: number };

export function resolveOptions(o: AdmissionServerOptions): ResolvedOptions {
  const d = ADMISSION_DEFAULTS;
  return {
    ...o,
    lookup: o.lookup ?? noLookup,
    host: o.host ?? d.host,
    logger: o.logger ?? pino({ name: 'modelgate-admission' }),
    maxBodyBytes: o.maxBodyBytes ?? d.maxBodyBytes,
    maxDepth: o.maxDepth ?? d.maxDepth,
    requestTimeoutMs: o.requestTimeoutMs ?? d.requestTimeoutMs,
    certPollMs: o.certPollMs ?? d.certPollMs,
    certDebounceMs: d.certDebounceMs,
  };
}
