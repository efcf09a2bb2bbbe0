/**
 * Pulumi resources for the suites, as a program would register them:
 * Kubernetes objects under their `kubernetes:<group>/<version>:<Kind>` type,
 * cloud resources with their provider's property names.
 */
import type { TestResource } from '../../../pulumi-policies/engine-client';

export const DIGEST = `sha256:${'6e381d6979403d753c300ec0598ac7711c27abd1af1e737d5c255db4ae4b263b'}`;

export function urnOf(stack: string, type: string, name: string): string {
  return `urn:pulumi:${stack}::serving::${type}::${name}`;
}

/** `apps/v1` + `Deployment` → `kubernetes:apps/v1:Deployment`. */
export function kubernetesType(apiVersion: string, kind: string): string {
  const groupVersion = apiVersion.includes('/')
    ? apiVersion
    : `core/${apiVersion}`;
  return `kubernetes:${groupVersion}:${kind}`;
}

/** A Kubernetes manifest as the resource @pulumi/kubernetes registers. */
export function fromManifest(
  stack: string,
  manifest: any,
  extra: Partial<TestResource> = {},
): TestResource {
  const type = kubernetesType(manifest.apiVersion, manifest.kind);
  const ns = manifest.metadata?.namespace;
  const name = ns ? `${ns}/${manifest.metadata.name}` : manifest.metadata?.name;
  return {
    type,
    name,
    urn: urnOf(stack, type, name),
    props: manifest,
    ...extra,
  };
}

export function cloud(
  stack: string,
  type: string,
  name: string,
  props: Record<string, unknown>,
  extra: Partial<TestResource> = {},
): TestResource {
  return { type, name, urn: urnOf(stack, type, name), props, ...extra };
}

export const CONTRACT = {
  'modelgate.io/model': 'true',
  'modelgate.io/decommission': 'wipe',
  'modelgate.io/data-custodian': 'ml-platform',
};

export function modelDeployment(
  image: string,
  options: {
    name?: string;
    labels?: Record<string, unknown> | { $unknown: true };
    annotations?: Record<string, unknown>;
    volumes?: unknown[];
  } = {},
) {
  const name = options.name ?? 'llm';
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'inference' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: {
          labels: options.labels ?? { app: name, ...CONTRACT },
          annotations: options.annotations ?? {
            'modelgate.io/rate-limit': '50rps',
          },
        },
        spec: {
          containers: [{ name: 'server', image }],
          ...(options.volumes ? { volumes: options.volumes } : {}),
        },
      },
    },
  };
}

/** Rule ids named in diagnostics (`[MG-PROV-001] …`), sorted. */
export function rulesOf(diagnostics: readonly { message: string }[]): string[] {
  const ids = diagnostics.flatMap((d) =>
    [...d.message.matchAll(/\[(MG-[A-Z]+-\d{3})\]/g)].map((m) => m[1]!),
  );
  return [...new Set(ids)].sort();
}

/** deny when any diagnostic is mandatory, warn when any is advisory. */
export function decisionOf(diagnostics: readonly { level: string }[]): string {
  if (diagnostics.some((d) => d.level === 'mandatory')) return 'deny';
  return diagnostics.length > 0 ? 'warn' : 'allow';
}
