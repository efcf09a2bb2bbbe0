/**
 * Cluster lookups: the objects a single admitted object refers to but does
 * not contain (its claims, volumes and classes, the Services in front of it,
 * the workload behind a scale request).
 */

export interface LookupQuery {
  readonly namespace: string;
  readonly object: unknown;
  readonly oldObject?: unknown;
}

export interface ClusterLookup {
  /** Raw objects the rules may read across for this request. */
  related(query: LookupQuery): Promise<readonly unknown[]>;
  /** False until the view of the cluster is complete enough to answer. */
  synced(): boolean;
}

/** A lookup over a fixed set of objects (tests, offline replays). */
export function staticLookup(objects: readonly unknown[]): ClusterLookup {
  return { related: async () => objects, synced: () => true };
}

/** No cluster view: every request is judged on its own. */
export const noLookup: ClusterLookup = staticLookup([]);
