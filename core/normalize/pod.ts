/** What a pod spec holds that the rules read: volumes and extended resources. */
import { isObject } from './walk';
import type { PodTemplate, VolumeUse } from './types';

type Json = Record<string, unknown>;

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

/** Builds a template from a pod spec at `specPath` inside `root`. */
export function podTemplate(
  root: Json,
  specPath: string,
  spec: Json,
): PodTemplate {
  const metadata = templateMetadata(root, specPath);
  return {
    specPath,
    labels: stringMap(metadata?.labels),
    annotations: stringMap(metadata?.annotations),
    volumes: volumes(spec, specPath),
    resources: resourceNames(spec),
    env: envNames(spec),
    hostNetwork: spec.hostNetwork === true,
    hostPorts: hostPorts(spec, specPath),
  };
}

/** `spec.template.spec` has its metadata at `spec.template.metadata`. */
function templateMetadata(root: Json, specPath: string): Json | undefined {
  if (!specPath.endsWith('spec')) return undefined;
  const parentPath = specPath.slice(0, -'spec'.length).replace(/\.$/, '');
  const parent = parentPath === '' ? root : at(root, parentPath);
  return isObject(parent) && isObject(parent.metadata)
    ? parent.metadata
    : undefined;
}

function volumes(spec: Json, specPath: string): VolumeUse[] {
  if (!Array.isArray(spec.volumes)) return [];
  return spec.volumes.filter(isObject).map((v, i) => {
    const source = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
    const claim = isObject(v.persistentVolumeClaim)
      ? v.persistentVolumeClaim
      : {};
    const host = isObject(v.hostPath) ? v.hostPath : {};
    const template = at(
      v,
      'ephemeral.volumeClaimTemplate.spec.storageClassName',
    );
    return {
      name: typeof v.name === 'string' ? v.name : `#${i}`,
      path: `${specPath}.volumes[${i}]`,
      source,
      claimName:
        typeof claim.claimName === 'string' ? claim.claimName : undefined,
      hostPath: typeof host.path === 'string' ? host.path : undefined,
      storageClassName: typeof template === 'string' ? template : undefined,
    };
  });
}

function containersOf(spec: Json): Json[] {
  return CONTAINER_LISTS.flatMap((list) => {
    const containers = spec[list];
    return Array.isArray(containers) ? containers.filter(isObject) : [];
  });
}

/** Paths of container ports bound on the node itself. */
function hostPorts(spec: Json, specPath: string): string[] {
  const out: string[] = [];
  for (const list of CONTAINER_LISTS) {
    const containers = Array.isArray(spec[list])
      ? (spec[list] as unknown[])
      : [];
    containers.forEach((c, i) => {
      const ports = isObject(c) && Array.isArray(c.ports) ? c.ports : [];
      ports.forEach((p, j) => {
        if (isObject(p) && typeof p.hostPort === 'number' && p.hostPort > 0) {
          out.push(`${specPath}.${list}[${i}].ports[${j}].hostPort`);
        }
      });
    });
  }
  return out;
}

function envNames(spec: Json): string[] {
  const names = new Set<string>();
  for (const c of containersOf(spec)) {
    const env = Array.isArray(c.env) ? c.env.filter(isObject) : [];
    for (const e of env) if (typeof e.name === 'string') names.add(e.name);
  }
  return [...names].sort();
}

function resourceNames(spec: Json): string[] {
  const names = new Set<string>();
  for (const c of containersOf(spec)) {
    const res = isObject(c.resources) ? c.resources : {};
    for (const part of [res.limits, res.requests]) {
      if (isObject(part)) Object.keys(part).forEach((n) => names.add(n));
    }
  }
  return [...names].sort();
}

export function stringMap(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean')
      out[k] = String(v);
  }
  return out;
}

/** Reads `a.b[2].c` from an object; undefined when any step is missing. */
export function at(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const step of path.split('.').flatMap(splitIndex)) {
    if (typeof step === 'number')
      cur = Array.isArray(cur) ? cur[step] : undefined;
    else cur = isObject(cur) ? cur[step] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

function splitIndex(part: string): (string | number)[] {
  const out: (string | number)[] = [];
  const name = part.replace(/\[(\d+)\]/g, (_, i: string) => {
    out.push(Number(i));
    return '';
  });
  return [name, ...out];
}
