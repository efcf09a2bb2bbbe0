/**
 * At preview, a Kubernetes reference that names another resource of the
 * stack (a claim's storage class, a workload's claim, an Ingress backend) is
 * often an output of that resource, and unknown. Pulumi's dependency graph
 * says which resource the property depends on; the reference is resolved to
 * that resource's name, so the rules can read across the two.
 */
import { isObject } from '../walk';
import { UNKNOWN_SENTINELS, childPath } from './decode';
import type { PulumiResource } from './types';

interface Reference {
  readonly path: RegExp;
  readonly target: string;
}

const REFERENCES: readonly Reference[] = [
  {
    path: /\.persistentVolumeClaim\.claimName$/,
    target: 'kubernetes:core/v1:PersistentVolumeClaim',
  },
  {
    path: /^spec\.storageClassName$/,
    target: 'kubernetes:storage.k8s.io/v1:StorageClass',
  },
  { path: /^spec\.volumeName$/, target: 'kubernetes:core/v1:PersistentVolume' },
  {
    path: /^spec\.claimRef\.name$/,
    target: 'kubernetes:core/v1:PersistentVolumeClaim',
  },
  { path: /\.backend\.service\.name$/, target: 'kubernetes:core/v1:Service' },
  { path: /\.backendRefs\[\d+\]\.name$/, target: 'kubernetes:core/v1:Service' },
];

interface Leaf {
  readonly steps: readonly (string | number)[];
  readonly path: string;
  readonly value: unknown;
}

/** Resolves unknown references of every Kubernetes resource in a stack. */
export function resolveStackReferences(
  resources: readonly PulumiResource[],
): PulumiResource[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  return resources.map((r) =>
    r.type.startsWith('kubernetes:') ? resolveOne(r, byUrn) : r,
  );
}

function resolveOne(
  resource: PulumiResource,
  byUrn: ReadonlyMap<string | undefined, PulumiResource>,
): PulumiResource {
  const leaves = referenceLeaves(resource.props);
  let props: Record<string, unknown> = resource.props as Record<
    string,
    unknown
  >;
  for (const ref of REFERENCES) {
    const matching = leaves.filter((l) => ref.path.test(l.path));
    const unknown = matching.filter((l) => isUnknown(l.value));
    if (unknown.length === 0) continue;
    const named = new Set(matching.map((l) => l.value));
    const candidates = dependenciesOf(resource, unknown[0]!.steps[0])
      .map((urn) => byUrn.get(urn))
      .filter((t): t is PulumiResource => t?.type === ref.target)
      .map(nameOf)
      .filter((name) => !named.has(name));
    unknown.forEach((leaf, i) => {
      const name = candidates[i];
      if (name !== undefined) props = setAt(props, leaf.steps, name);
    });
  }
  return props === resource.props ? resource : { ...resource, props };
}

function isUnknown(value: unknown): boolean {
  return typeof value === 'string' && UNKNOWN_SENTINELS.has(value);
}

function dependenciesOf(
  resource: PulumiResource,
  property: string | number | undefined,
): readonly string[] {
  const byProperty = resource.propertyDependencies?.[String(property)];
  return byProperty ?? resource.dependencies ?? [];
}

/** The name the rules know a Kubernetes resource by. */
function nameOf(resource: PulumiResource): string {
  const metadata = resource.props.metadata;
  const name = isObject(metadata) ? metadata.name : undefined;
  return typeof name === 'string' && !UNKNOWN_SENTINELS.has(name)
    ? name
    : resource.name;
}

/** Every string leaf, with its path; bounded like the decoder. */
function referenceLeaves(props: unknown): Leaf[] {
  const out: Leaf[] = [];
  const visit = (value: unknown, steps: (string | number)[], path: string) => {
    if (steps.length > 32) return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, [...steps, i], childPath(path, i)));
    } else if (isObject(value)) {
      for (const [k, v] of Object.entries(value)) {
        visit(v, [...steps, k], childPath(path, k));
      }
    } else if (typeof value === 'string') {
      out.push({ steps, path, value });
    }
  };
  visit(props, [], '');
  return out;
}

/** A copy of `root` with `value` at `steps`, sharing what did not change. */
function setAt<T>(
  root: T,
  steps: readonly (string | number)[],
  value: unknown,
): T {
  if (steps.length === 0) return value as T;
  const [head, ...rest] = steps;
  if (Array.isArray(root)) {
    const copy = [...root];
    copy[head as number] = setAt(copy[head as number], rest, value);
    return copy as T;
  }
  const obj = root as Record<string, unknown>;
  return { ...obj, [head!]: setAt(obj[head as string], rest, value) } as T;
}
