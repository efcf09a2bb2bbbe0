/**
 * Objects the end-to-end suites send to the API server. `compliant` holds
 * the labels and annotations every model workload needs; `bare` has none.
 */

type Json = Record<string, any>;

export const DIGEST = `sha256:${'ab'.repeat(32)}`;
/**
 * Images live on a loopback port nothing listens on: a signature lookup is
 * refused at once and never leaves the machine.
 */
export const REGISTRY = '127.0.0.1:1';
export const MODEL_IMAGE = `${REGISTRY}/ml/llm@${DIGEST}`;
export const PLAIN_IMAGE = `${REGISTRY}/web/nginx@${DIGEST}`;

export const COMPLIANT_LABELS = {
  'modelgate.io/model': 'true',
  'modelgate.io/decommission': 'wipe',
  'modelgate.io/data-custodian': 'ml-platform',
};
export const RATE = { 'modelgate.io/rate-limit': '120/m' };
/** Marks a model and nothing else: every contract label is missing. */
export const BARE = { 'modelgate.io/model': 'true' };
export const MODEL_DATA = {
  'modelgate.io/model-data': 'true',
  'modelgate.io/data-custodian': 'ml-platform',
  'modelgate.io/decommission': 'wipe',
};

export interface PodOptions {
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly image?: string;
  readonly volumes?: Json[];
}

function podSpec(o: PodOptions): Json {
  return {
    containers: [
      {
        name: 'server',
        image: o.image ?? MODEL_IMAGE,
        ...(o.volumes?.length
          ? {
              volumeMounts: o.volumes.map((v) => ({
                name: v.name,
                mountPath: `/data/${v.name}`,
              })),
            }
          : {}),
      },
    ],
    ...(o.volumes?.length ? { volumes: o.volumes } : {}),
  };
}

export function pod(ns: string, name: string, o: PodOptions = {}): Json {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      labels: { app: name, ...o.labels },
      annotations: o.annotations ?? {},
    },
    spec: podSpec(o),
  };
}

/** A serving model Deployment with every label it needs, unless overridden. */
export function deployment(ns: string, name: string, o: PodOptions = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: {
          labels: { app: name, ...(o.labels ?? COMPLIANT_LABELS) },
          annotations: o.annotations ?? RATE,
        },
        spec: podSpec(o),
      },
    },
  };
}

export function cronJob(ns: string, name: string, labels: Json): Json {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: ns },
    spec: {
      schedule: '0 3 * * *',
      jobTemplate: {
        spec: {
          template: {
            metadata: { labels },
            spec: { ...podSpec({}), restartPolicy: 'OnFailure' },
          },
        },
      },
    },
  };
}

export function inferenceService(ns: string, name: string, labels: Json) {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name, namespace: ns, labels, annotations: RATE },
    spec: {
      predictor: {
        model: {
          modelFormat: { name: 'huggingface' },
          storageUri: `oci://${MODEL_IMAGE}`,
        },
      },
    },
  };
}

/** Just enough of KServe's CRD for the API server to store the kind. */
export const INFERENCE_SERVICE_CRD: Json = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'inferenceservices.serving.kserve.io' },
  spec: {
    group: 'serving.kserve.io',
    scope: 'Namespaced',
    names: {
      kind: 'InferenceService',
      plural: 'inferenceservices',
      singular: 'inferenceservice',
      shortNames: ['isvc'],
    },
    versions: [
      {
        name: 'v1beta1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            'x-kubernetes-preserve-unknown-fields': true,
          },
        },
      },
    ],
  },
};

export function service(
  ns: string,
  name: string,
  selector: Json,
  type = 'ClusterIP',
): Json {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: { type, selector, ports: [{ port: 80, targetPort: 8080 }] },
  };
}

export function ingress(
  ns: string,
  name: string,
  backend: string,
  annotations: Json = {},
): Json {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: ns, annotations },
    spec: {
      rules: [
        {
          host: 'models.example.com',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: backend, port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    },
  };
}

export function storageClass(
  name: string,
  reclaimPolicy: 'Delete' | 'Retain',
): Json {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name },
    provisioner: 'example.com/none',
    reclaimPolicy,
  };
}

export function pvc(
  ns: string,
  name: string,
  o: { storageClassName?: string; volumeName?: string; labels?: Json } = {},
): Json {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: ns, labels: o.labels ?? {} },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
      ...(o.storageClassName !== undefined
        ? { storageClassName: o.storageClassName }
        : {}),
      ...(o.volumeName ? { volumeName: o.volumeName } : {}),
    },
  };
}

export function pv(
  name: string,
  o: {
    reclaimPolicy: 'Delete' | 'Retain';
    claim?: { namespace: string; name: string };
    labels?: Json;
    storageClassName?: string;
  },
): Json {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, labels: o.labels ?? {} },
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: o.reclaimPolicy,
      storageClassName: o.storageClassName ?? '',
      csi: { driver: 'csi.example.com', volumeHandle: name },
      ...(o.claim
        ? { claimRef: { ...o.claim, kind: 'PersistentVolumeClaim' } }
        : {}),
    },
  };
}

export function namespace(name: string, labels: Json = {}): Json {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function claimVolume(name: string, claimName: string): Json {
  return { name, persistentVolumeClaim: { claimName } };
}
