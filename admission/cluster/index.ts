/**
 * Cluster lookups for the webhook: watch-fed caches of the kinds the rules
 * read across (claims, volumes, classes, Services, workloads, Namespaces).
 * A request reads the caches only; it never waits on the API server.
 *
 * Loaded on its own (not through admission/index.ts), so that a webhook
 * without cluster access never loads the Kubernetes client.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { pino, type Logger } from 'pino';
import type { ClusterLookup } from '../../core';
import { WatchedCache, type RetryPolicy } from './informers';
import { WATCHED, type WatchedKind } from './kinds';
import { relatedObjects, type ObjectStore } from './related';

export { relatedObjects } from './related';
export type { ObjectStore } from './related';
export { WATCHED, WORKLOAD_KINDS, collectionPath } from './kinds';
export type { WatchedKind, WatchedResource } from './kinds';

export interface ClusterLookupOptions {
  /** A kubeconfig file; absent means the Pod's in-cluster service account. */
  readonly kubeconfigFile?: string;
  /** Defaults to pino JSON on stdout. */
  readonly logger?: Logger;
  /** Backoff after a failed list or watch; 1 s doubling to 30 s. */
  readonly retry?: RetryPolicy;
}

/** A ClusterLookup that owns its watches; stop() ends them. */
export interface ClusterView extends ClusterLookup {
  stop(): Promise<void>;
}

export const CLUSTER_LOOKUP_DEFAULTS = {
  retry: { initialMs: 1000, maxMs: 30_000 },
} as const;

/**
 * Starts one watch per watched kind and returns at once; `synced()` turns
 * true when every first list has arrived.
 *
 * @example
 * const lookup = startClusterLookup({ logger });
 * const server = await startAdmissionServer({ config, lookup, ... });
 * // on shutdown
 * await server.close();
 * await lookup.stop();
 */
export function startClusterLookup(
  options: ClusterLookupOptions = {},
): ClusterView {
  const kubeConfig = loadKubeConfig(options.kubeconfigFile);
  const retry = options.retry ?? CLUSTER_LOOKUP_DEFAULTS.retry;
  const parent = options.logger ?? pino({ name: 'modelgate-cluster' });
  const caches = new Map<WatchedKind, WatchedCache>();
  for (const resource of WATCHED) {
    const logger = parent.child({ watch: resource.resource });
    caches.set(
      resource.kind,
      new WatchedCache(resource, kubeConfig, logger, retry),
    );
  }
  for (const cache of caches.values()) cache.start();

  const store: ObjectStore = {
    list: (kind, namespace) => caches.get(kind)?.list(namespace) ?? [],
    get: (kind, name, namespace) => caches.get(kind)?.get(name, namespace),
  };
  return {
    related: async (query) => relatedObjects(store, query),
    synced: () => [...caches.values()].every((c) => c.synced()),
    stop: async () => {
      await Promise.all([...caches.values()].map((c) => c.stop()));
    },
  };
}

function loadKubeConfig(file: string | undefined): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (file) kubeConfig.loadFromFile(file);
  else kubeConfig.loadFromCluster();
  return kubeConfig;
}
