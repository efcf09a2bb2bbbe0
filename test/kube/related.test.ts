/**
 * relatedObjects: which cached objects a request is judged with. A table
 * of requests over one fixed cluster.
 */
import {
  relatedObjects,
  type ObjectStore,
} from '../../admission/cluster/related';
import type { WatchedKind } from '../../admission/cluster/kinds';
import {
  claimVolume,
  deployment,
  ingress,
  namespace,
  pod,
  pv,
  pvc,
  service,
  storageClass,
} from '../support/kube-manifests';

type Json = Record<string, any>;

function withKind(kind: string, o: Json): Json {
  return { ...o, kind };
}

const cluster: Json[] = [
  namespace('ml', { 'modelgate.io/mode': 'warn' }),
  namespace('other'),
  {
    ...deployment('ml', 'llm', { volumes: [claimVolume('w', 'weights')] }),
    metadata: { name: 'llm', namespace: 'ml', uid: 'uid-llm' },
  },
  deployment('ml', 'idle'),
  pod('ml', 'llm-abc', {
    labels: { app: 'llm' },
    volumes: [claimVolume('w', 'weights')],
  }),
  deployment('other', 'llm'),
  service('ml', 'llm', { app: 'llm' }),
  service('ml', 'unrelated', { app: 'nothing' }),
  service('other', 'llm', { app: 'llm' }),
  pvc('ml', 'weights', { storageClassName: 'keep', volumeName: 'pv-weights' }),
  pvc('ml', 'spare', { storageClassName: 'fast' }),
  pvc('other', 'weights', { storageClassName: 'keep' }),
  pv('pv-weights', {
    reclaimPolicy: 'Retain',
    claim: { namespace: 'ml', name: 'weights' },
    storageClassName: 'keep',
  }),
  pv('pv-free', { reclaimPolicy: 'Delete' }),
  storageClass('keep', 'Retain'),
  storageClass('fast', 'Delete'),
  {
    ...storageClass('standard', 'Retain'),
    metadata: {
      name: 'standard',
      annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
    },
  },
];

const store: ObjectStore = {
  list: (kind: WatchedKind, ns?: string) =>
    cluster.filter(
      (o) =>
        o.kind === kind && (ns === undefined || o.metadata.namespace === ns),
    ),
  get: (kind: WatchedKind, name: string, ns?: string) =>
    cluster.find(
      (o) =>
        o.kind === kind &&
        o.metadata.name === name &&
        (o.metadata.namespace ?? undefined) === ns,
    ),
};

const names = (objects: Json[]) =>
  objects
    .map(
      (o) =>
        `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`,
    )
    .sort();

const statefulSet = (claimSpec: Json): Json => {
  const d = withKind('StatefulSet', deployment('ml', 'sts'));
  return {
    ...d,
    spec: {
      ...d.spec,
      volumeClaimTemplates: [{ metadata: { name: 'w' }, spec: claimSpec }],
    },
  };
};

describe('relatedObjects', () => {
  it.each([
    {
      when: 'a StatefulSet claim template names no class',
      object: statefulSet({}),
      related: ['Namespace ml', 'StorageClass standard'],
    },
    {
      when: 'a StatefulSet claim template names a class',
      object: statefulSet({ storageClassName: 'fast' }),
      related: ['Namespace ml', 'StorageClass fast'],
    },
    {
      when: 'a pod template has a generic ephemeral volume',
      object: deployment('ml', 'scratch', {
        volumes: [
          {
            name: 's',
            ephemeral: {
              volumeClaimTemplate: { spec: { storageClassName: 'keep' } },
            },
          },
        ],
      }),
      related: ['Namespace ml', 'StorageClass keep'],
    },
    {
      when: 'a claim names no class',
      object: pvc('ml', 'classless', {}),
      related: ['Namespace ml', 'StorageClass standard'],
    },
    {
      when: 'a model Deployment mounts a claim',
      object: deployment('ml', 'new', {
        volumes: [claimVolume('w', 'weights')],
      }),
      related: [
        'Deployment ml/llm',
        'Namespace ml',
        'PersistentVolume pv-weights',
        'PersistentVolumeClaim ml/weights',
        'Pod ml/llm-abc',
        'StorageClass keep',
      ],
    },
    {
      when: 'a pod is selected by a Service',
      object: pod('ml', 'llm-def', { labels: { app: 'llm' } }),
      related: ['Namespace ml', 'Service ml/llm'],
    },
    {
      when: 'a claim is judged (create, update or delete)',
      object: pvc('ml', 'weights', {
        storageClassName: 'keep',
        volumeName: 'pv-weights',
      }),
      related: [
        'Deployment ml/llm',
        'Namespace ml',
        'PersistentVolume pv-weights',
        'Pod ml/llm-abc',
        'StorageClass keep',
      ],
    },
    {
      when: 'a volume is judged',
      object: pv('pv-weights', {
        reclaimPolicy: 'Retain',
        claim: { namespace: 'ml', name: 'weights' },
        storageClassName: 'keep',
      }),
      related: [
        'Deployment ml/llm',
        'PersistentVolumeClaim ml/weights',
        'Pod ml/llm-abc',
        'StorageClass keep',
      ],
    },
    {
      when: 'a StorageClass is judged',
      object: storageClass('keep', 'Retain'),
      related: [
        'Deployment ml/llm',
        'PersistentVolumeClaim ml/weights',
        'PersistentVolumeClaim other/weights',
        'Pod ml/llm-abc',
      ],
    },
    {
      when: 'a Service is judged',
      object: service('ml', 'public', { app: 'llm' }, 'LoadBalancer'),
      related: ['Deployment ml/llm', 'Namespace ml', 'Pod ml/llm-abc'],
    },
    {
      when: 'an Ingress routes to a Service',
      object: ingress('ml', 'web', 'llm'),
      related: [
        'Deployment ml/llm',
        'Namespace ml',
        'Pod ml/llm-abc',
        'Service ml/llm',
      ],
    },
    {
      when: 'a scale request names a Deployment by its uid',
      object: {
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name: 'llm', namespace: 'ml', uid: 'uid-llm' },
        spec: { replicas: 3 },
      },
      related: [
        'Deployment ml/llm',
        'Namespace ml',
        'PersistentVolume pv-weights',
        'PersistentVolumeClaim ml/weights',
        'Pod ml/llm-abc',
        'Service ml/llm',
        'StorageClass keep',
      ],
    },
    {
      when: 'an object names nothing in the cluster',
      object: withKind('ConfigMap', {
        apiVersion: 'v1',
        metadata: { name: 'c', namespace: 'ml' },
      }),
      related: ['Namespace ml'],
    },
  ])(
    'when $when: returns what the rules read across',
    ({ object, related }) => {
      const found = relatedObjects(store, {
        namespace: object.metadata.namespace ?? '',
        object,
      });
      expect(names(found)).toEqual(related.sort());
    },
  );

  it('returns nothing for a request without an object', () => {
    expect(
      relatedObjects(store, { namespace: 'ml', object: undefined }),
    ).toEqual([]);
  });
});
