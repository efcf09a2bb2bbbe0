/**
 * `kubernetes:*` resources from @pulumi/kubernetes. Their properties are the
 * object itself, so they normalize exactly as the webhook and the CLI see
 * the same object; field paths are the same too.
 */
import { normalizeKubernetes } from '../kubernetes';
import { isObject } from '../walk';
import type { PolicyObject } from '../types';
import { usesOf, type Input } from './resource';

/**
 * Components of @pulumi/kubernetes: the objects they render are registered
 * as resources of their own, with the component as parent, and are judged
 * there. The component's own properties are no evidence either way.
 */
const COMPONENT_TYPES = new Set([
  'kubernetes:helm.sh/v3:Chart',
  'kubernetes:helm.sh/v4:Chart',
  'kubernetes:yaml:ConfigFile',
  'kubernetes:yaml:ConfigGroup',
  'kubernetes:yaml/v2:ConfigFile',
  'kubernetes:yaml/v2:ConfigGroup',
  'kubernetes:kustomize:Directory',
  'kubernetes:kustomize/v2:Directory',
]);

/**
 * Custom resources of the provider that are not Kubernetes objects: a Helm
 * release renders its objects inside the provider, out of the pack's sight.
 */
const NOT_OBJECTS = /^kubernetes:helm\.sh\/v\d+:Release$/;

export function isKubernetesComponent(type: string): boolean {
  return COMPONENT_TYPES.has(type);
}

export function isKubernetesObjectType(type: string): boolean {
  return (
    type.startsWith('kubernetes:') &&
    !COMPONENT_TYPES.has(type) &&
    !NOT_OBJECTS.test(type) &&
    parseToken(type) !== undefined
  );
}

/** `kubernetes:apps/v1:Deployment` → `apps/v1`, `Deployment`. */
function parseToken(
  type: string,
): { apiVersion: string; kind: string } | undefined {
  const match = /^kubernetes:([^:]+):([A-Za-z0-9]+)$/.exec(type);
  if (!match || !match[1]!.includes('/')) return undefined;
  const [group, version] = match[1]!.split('/') as [string, string];
  return {
    apiVersion: group === 'core' ? version : `${group}/${version}`,
    kind: match[2]!,
  };
}

export function kubernetesObject(input: Input): PolicyObject {
  const { resource, value, decoded } = input;
  const token = parseToken(resource.type)!;
  const metadata = isObject(value.metadata) ? value.metadata : {};
  const raw = {
    ...value,
    apiVersion: token.apiVersion,
    kind: token.kind,
    metadata: {
      ...metadata,
      // Autonamed objects have no name until the provider picks one.
      name: typeof metadata.name === 'string' ? metadata.name : resource.name,
    },
  };
  return {
    ...normalizeKubernetes(raw),
    urn: resource.urn,
    uses: usesOf(resource),
    unknown: decoded.unknown,
    secret: decoded.secret,
  };
}
