/**
 * The kinds the webhook watches, and where the API serves them. The chart's
 * ClusterRole grants list and watch on exactly these resources.
 */

export interface WatchedResource {
  readonly kind: WatchedKind;
  /** `v1` or `group/version`, stamped on listed items that lack it. */
  readonly apiVersion: string;
  /** Plural resource name, as RBAC and the URL path spell it. */
  readonly resource: string;
}

export type WatchedKind =
  | 'Namespace'
  | 'Pod'
  | 'Service'
  | 'PersistentVolumeClaim'
  | 'PersistentVolume'
  | 'StorageClass'
  | 'Deployment'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'ReplicaSet'
  | 'Job'
  | 'CronJob';

// LIMITATION: rate-limit policy kinds (Traefik Middleware, KongPlugin,
// Envoy Gateway BackendTrafficPolicy, Kuadrant RateLimitPolicy) and Gateway
// API objects are custom resources a cluster may lack, so they are not
// watched: an Ingress or route that relies on one of them (rather than on
// an annotation) is judged without it and refused with MG-RATE-003.

/** Kinds that carry a pod template (or are a pod). */
export const WORKLOAD_KINDS = [
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
] as const satisfies readonly WatchedKind[];

export const WATCHED: readonly WatchedResource[] = [
  { kind: 'Namespace', apiVersion: 'v1', resource: 'namespaces' },
  { kind: 'Pod', apiVersion: 'v1', resource: 'pods' },
  { kind: 'Service', apiVersion: 'v1', resource: 'services' },
  {
    kind: 'PersistentVolumeClaim',
    apiVersion: 'v1',
    resource: 'persistentvolumeclaims',
  },
  {
    kind: 'PersistentVolume',
    apiVersion: 'v1',
    resource: 'persistentvolumes',
  },
  {
    kind: 'StorageClass',
    apiVersion: 'storage.k8s.io/v1',
    resource: 'storageclasses',
  },
  { kind: 'Deployment', apiVersion: 'apps/v1', resource: 'deployments' },
  { kind: 'StatefulSet', apiVersion: 'apps/v1', resource: 'statefulsets' },
  { kind: 'DaemonSet', apiVersion: 'apps/v1', resource: 'daemonsets' },
  { kind: 'ReplicaSet', apiVersion: 'apps/v1', resource: 'replicasets' },
  { kind: 'Job', apiVersion: 'batch/v1', resource: 'jobs' },
  { kind: 'CronJob', apiVersion: 'batch/v1', resource: 'cronjobs' },
];

/** The collection URL path: `/api/v1/pods`, `/apis/apps/v1/deployments`. */
export function collectionPath(r: WatchedResource): string {
  const base = r.apiVersion.includes('/') ? '/apis' : '/api';
  return `${base}/${r.apiVersion}/${r.resource}`;
}
