/**
 * Objects and reviews the admission suites send. A model workload is marked
 * by its pod template label; "compliant" means it carries every label and
 * annotation the rules ask for, so only signature rules can still fire.
 */
import { buildConfig } from '../../core/config';

export const NAMESPACE = 'team-a';

/** Signature rules off, so that a compliant workload is a clean allow. */
export const noSignatureRules = { rules: { 'MG-PROV': 'off' } };

export const configs = {
  /** The embedded default: every rule enforces, faults deny. */
  strict: buildConfig({}),
  clean: buildConfig(noSignatureRules),
  warnOnly: buildConfig({ defaultMode: 'warn' }),
  open: buildConfig({ failurePolicy: 'open' }),
};

export interface WorkloadOptions {
  readonly name?: string;
  /** Null leaves the namespace to the request. */
  readonly namespace?: string | null;
  readonly compliant?: boolean;
  readonly model?: boolean;
  readonly env?: readonly { name: string; value: string }[];
}

export interface Workload {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
  spec: {
    selector: unknown;
    template: {
      metadata: {
        labels: Record<string, string>;
        annotations: Record<string, string>;
      };
      spec: Record<string, unknown>;
    };
  };
}

export const DIGEST = `sha256:${'a'.repeat(64)}`;

/** A Deployment whose pod template is labelled as a model workload. */
export function modelDeployment(o: WorkloadOptions = {}): Workload {
  const labels: Record<string, string> = { app: 'llm' };
  if (o.model !== false) labels['modelgate.io/model'] = 'true';
  const annotations: Record<string, string> = {};
  if (o.compliant) {
    labels['modelgate.io/decommission'] = 'wipe';
    labels['modelgate.io/data-custodian'] = 'ml-platform';
    annotations['modelgate.io/rate-limit'] = '50rps';
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: o.name ?? 'llm',
      ...(o.namespace !== null && { namespace: o.namespace ?? NAMESPACE }),
    },
    spec: {
      selector: { matchLabels: { app: 'llm' } },
      template: {
        metadata: { labels, annotations },
        spec: {
          containers: [
            {
              name: 'server',
              image: `registry.example.com/ml/llm-server@${DIGEST}`,
              env: o.env ?? [],
            },
          ],
        },
      },
    },
  };
}

interface Kind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface ReviewOptions {
  readonly uid?: string;
  readonly operation?: string;
  readonly object?: unknown;
  readonly oldObject?: unknown;
  readonly subResource?: string;
  readonly namespace?: string;
  readonly dryRun?: boolean;
  /** Defaults to what the object (or old object) says it is. */
  readonly kind?: Kind;
  readonly name?: string;
}

export interface ReviewBody {
  apiVersion: string;
  kind: string;
  request: Record<string, unknown>;
}

interface Described {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
}

let counter = 0;

/** Wraps objects in an AdmissionReview as the API server sends it. */
export function review(o: ReviewOptions): ReviewBody {
  const subject = (o.object ?? o.oldObject ?? {}) as Described;
  const apiVersion = subject.apiVersion ?? 'v1';
  const [group, version] = apiVersion.includes('/')
    ? apiVersion.split('/')
    : ['', apiVersion];
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: o.uid ?? `uid-${++counter}`,
      kind: o.kind ?? { group, version, kind: subject.kind ?? 'Unknown' },
      resource: { group, version, resource: 'things' },
      ...(o.subResource && { subResource: o.subResource }),
      name: o.name ?? subject.metadata?.name ?? '',
      namespace: o.namespace ?? subject.metadata?.namespace ?? NAMESPACE,
      operation: o.operation ?? 'CREATE',
      userInfo: { username: 'alice' },
      object: o.object ?? null,
      oldObject: o.oldObject ?? null,
      dryRun: o.dryRun ?? false,
    },
  };
}
