/**
 * The policy input: one shape for every kind, so that the Rego rules never
 * need to know where a given kind keeps its pod template.
 */
import type { CloudFacts } from './pulumi/facts';

export type * from './pulumi/facts';

export type ImageRole =
  'container' | 'init' | 'ephemeral' | 'volume' | 'model-uri' | 'other';

export interface ImageUse {
  /** Field path of the reference, `spec.template.spec.containers[0].image`. */
  readonly path: string;
  readonly role: ImageRole;
  /** Container or volume name, when there is one. */
  readonly container?: string;
  /** The reference as written. */
  readonly raw: string;
  /** Normalized `registry/repository[:tag][@digest]`; absent when invalid. */
  readonly ref?: string;
  /** Normalized `registry/repository`, what trust globs match. */
  readonly name?: string;
  readonly tag?: string;
  readonly digest?: string;
  /** Why the reference could not be parsed. */
  readonly error?: string;
}

export interface VolumeUse {
  readonly name: string;
  readonly path: string;
  /** The volume source key: `emptyDir`, `hostPath`, `persistentVolumeClaim`… */
  readonly source: string;
  readonly claimName?: string;
  readonly hostPath?: string;
  /** Class of a generic ephemeral volume's claim template. */
  readonly storageClassName?: string;
}

/** A StatefulSet's `volumeClaimTemplates` entry. */
export interface ClaimTemplate {
  readonly name: string;
  readonly path: string;
  readonly storageClassName?: string;
}

export interface PodTemplate {
  /** Path of the pod spec, `spec.template.spec` (`spec` for a Pod). */
  readonly specPath: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly volumes: readonly VolumeUse[];
  /** Extended resource names requested or limited by any container. */
  readonly resources: readonly string[];
  /** Names of environment variables set on any container. */
  readonly env: readonly string[];
  /** The pod shares the node's network: its ports are the node's. */
  readonly hostNetwork?: boolean;
  /** Paths of container ports bound on the node (`hostPort`). */
  readonly hostPorts?: readonly string[];
}

export interface ModelUri {
  readonly path: string;
  readonly uri: string;
  readonly scheme: string;
}

export interface Storage {
  readonly type: 'pvc' | 'pv' | 'storageclass';
  readonly reclaimPolicy?: string;
  readonly storageClassName?: string;
  readonly volumeName?: string;
  readonly claim?: { readonly name: string; readonly namespace: string };
  /** Volume source of a PV: `hostPath`, `local`, `csi`, `nfs`… */
  readonly source?: string;
}

export interface Backend {
  readonly path: string;
  readonly kind: string;
  readonly group: string;
  readonly name: string;
}

export interface Exposure {
  readonly type: 'ingress' | 'httproute' | 'service';
  readonly serviceType?: string;
  readonly selector?: Readonly<Record<string, string>>;
  readonly backends: readonly Backend[];
  /** Gateways a route attaches to, with their namespace resolved. */
  readonly parents?: readonly {
    readonly name: string;
    readonly namespace: string;
  }[];
  /** Addresses a Service is reachable on from outside the cluster. */
  readonly externalIPs?: readonly string[];
}

/** A gateway or plugin object that may enforce a rate limit. */
export interface TrafficPolicy {
  readonly rateLimit: boolean;
  /** Objects the policy attaches to (`targetRef`, `targetRefs`). */
  readonly targets: readonly { readonly kind: string; readonly name: string }[];
}

export interface Scale {
  readonly replicas: number;
  readonly oldReplicas: number;
}

export interface PolicyObject {
  readonly apiVersion: string;
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Pod templates found anywhere in the object. */
  readonly templates: readonly PodTemplate[];
  /** Every image the object would run or mount. */
  readonly images: readonly ImageUse[];
  readonly modelUris: readonly ModelUri[];
  /**
   * Which detection globs the object matched (`image:<name>`, `env:<name>`,
   * `accelerator:<name>`), set by the engine from config.
   */
  readonly modelSignals?: readonly string[];
  /** True for kinds that answer requests; false for batch Jobs. */
  readonly serves: boolean;
  readonly storage?: Storage;
  readonly exposure?: Exposure;
  readonly scale?: Scale;
  /** StatefulSet claim templates and what happens to their claims. */
  readonly claimTemplates?: readonly ClaimTemplate[];
  readonly claimRetention?: {
    readonly whenDeleted: string;
    readonly whenScaled: string;
  };
  readonly policy?: TrafficPolicy;
  /** Pulumi: the resource's URN. */
  readonly urn?: string;
  /** Pulumi: URNs of the resources this one depends on. */
  readonly uses?: readonly string[];
  /**
   * Pulumi preview: field paths whose values were left out, because they are
   * not known until apply or are secrets the gate does not read.
   */
  readonly unknown?: readonly string[];
  /** Pulumi: field paths that hold secrets. */
  readonly secret?: readonly string[];
  /** Pulumi: what a cloud resource is to modelgate (absent for Kubernetes). */
  readonly cloud?: CloudFacts;
}
