/** The parts of the policy input that depend on the kind. */
import { isObject } from './walk';
import { stringMap } from './pod';
import type {
  Backend,
  ClaimTemplate,
  Exposure,
  Scale,
  Storage,
  TrafficPolicy,
} from './types';

type Json = Record<string, unknown>;

/** Kinds whose pods run to completion and answer no requests. */
const BATCH_KINDS = new Set(['Job', 'CronJob']);

export function serves(kind: string, metadata: Json): boolean {
  if (BATCH_KINDS.has(kind)) return false;
  const owners = Array.isArray(metadata.ownerReferences)
    ? metadata.ownerReferences.filter(isObject)
    : [];
  return !owners.some(
    (o) => typeof o.kind === 'string' && BATCH_KINDS.has(o.kind),
  );
}

export function storage(kind: string, spec: Json): Storage | undefined {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  if (kind === 'PersistentVolumeClaim') {
    return {
      type: 'pvc',
      storageClassName: str(spec.storageClassName),
      volumeName: str(spec.volumeName),
    };
  }
  if (kind === 'PersistentVolume') {
    const claim = isObject(spec.claimRef) ? spec.claimRef : undefined;
    return {
      type: 'pv',
      // The API server defaults a PV without a policy to Retain.
      reclaimPolicy: str(spec.persistentVolumeReclaimPolicy) ?? 'Retain',
      storageClassName: str(spec.storageClassName),
      claim:
        claim && typeof claim.name === 'string'
          ? { name: claim.name, namespace: str(claim.namespace) ?? '' }
          : undefined,
      source: pvSource(spec),
    };
  }
  return undefined;
}

export function storageClass(doc: Json): Storage {
  const policy =
    typeof doc.reclaimPolicy === 'string' ? doc.reclaimPolicy : 'Delete';
  return { type: 'storageclass', reclaimPolicy: policy };
}

const PV_NON_SOURCES = new Set([
  'accessModes',
  'capacity',
  'claimRef',
  'mountOptions',
  'nodeAffinity',
  'persistentVolumeReclaimPolicy',
  'storageClassName',
  'volumeMode',
  'volumeAttributesClassName',
]);

function pvSource(spec: Json): string | undefined {
  return Object.keys(spec).find((k) => !PV_NON_SOURCES.has(k));
}

export function exposure(
  kind: string,
  spec: Json,
  namespace = '',
): Exposure | undefined {
  if (kind === 'Service') {
    return {
      type: 'service',
      serviceType: typeof spec.type === 'string' ? spec.type : 'ClusterIP',
      selector: stringMap(spec.selector),
      backends: [],
      externalIPs: Array.isArray(spec.externalIPs)
        ? spec.externalIPs.filter((ip): ip is string => typeof ip === 'string')
        : [],
    };
  }
  if (kind === 'Ingress')
    return { type: 'ingress', backends: ingressBackends(spec) };
  if (kind === 'HTTPRoute' || kind === 'GRPCRoute') {
    return {
      type: 'httproute',
      backends: routeBackends(spec),
      parents: parentRefs(spec.parentRefs, namespace),
    };
  }
  return undefined;
}

function ingressBackends(spec: Json): Backend[] {
  const out: Backend[] = [];
  const add = (backend: unknown, path: string) => {
    if (!isObject(backend)) return;
    if (isObject(backend.service) && typeof backend.service.name === 'string') {
      out.push({
        path,
        kind: 'Service',
        group: '',
        name: backend.service.name,
      });
    } else if (
      isObject(backend.resource) &&
      typeof backend.resource.name === 'string'
    ) {
      const r = backend.resource;
      out.push({
        path,
        kind: String(r.kind ?? ''),
        group: String(r.apiGroup ?? ''),
        name: String(r.name),
      });
    }
  };
  add(spec.defaultBackend, 'spec.defaultBackend');
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  rules.forEach((rule, i) => {
    const paths = isObject(rule) && isObject(rule.http) ? rule.http.paths : [];
    (Array.isArray(paths) ? paths : []).forEach((p, j) => {
      if (isObject(p))
        add(p.backend, `spec.rules[${i}].http.paths[${j}].backend`);
    });
  });
  return out;
}

function routeBackends(spec: Json): Backend[] {
  const out: Backend[] = [];
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  rules.forEach((rule, i) => {
    const refs =
      isObject(rule) && Array.isArray(rule.backendRefs) ? rule.backendRefs : [];
    refs.forEach((ref, j) => {
      if (!isObject(ref) || typeof ref.name !== 'string') return;
      out.push({
        path: `spec.rules[${i}].backendRefs[${j}]`,
        kind: typeof ref.kind === 'string' ? ref.kind : 'Service',
        group: typeof ref.group === 'string' ? ref.group : '',
        name: ref.name,
      });
    });
  });
  return out;
}

export function scale(spec: Json, old: Json | undefined): Scale {
  const replicas = (s: unknown) =>
    isObject(s) && typeof s.replicas === 'number' ? s.replicas : 0;
  return {
    replicas: replicas(spec),
    oldReplicas: old ? replicas(old.spec) : 0,
  };
}

/** A parent without a namespace is in the route's own namespace. */
function parentRefs(
  refs: unknown,
  namespace: string,
): { name: string; namespace: string }[] {
  if (!Array.isArray(refs)) return [];
  return refs
    .filter(isObject)
    .filter((r) => typeof r.name === 'string')
    .map((r) => ({
      name: String(r.name),
      namespace: typeof r.namespace === 'string' ? r.namespace : namespace,
    }));
}

/**
 * Gateway and plugin kinds that can enforce a limit, and how each one says
 * that it does.
 */
const RATE_LIMITERS: Record<string, (doc: Json, spec: Json) => boolean> = {
  Middleware: (_doc, spec) => isObject(spec.rateLimit),
  KongPlugin: (doc) =>
    typeof doc.plugin === 'string' && doc.plugin.startsWith('rate-limiting'),
  KongClusterPlugin: (doc) =>
    typeof doc.plugin === 'string' && doc.plugin.startsWith('rate-limiting'),
  BackendTrafficPolicy: (_doc, spec) => isObject(spec.rateLimit),
  RateLimitPolicy: (_doc, spec) =>
    isObject(spec.limits) || isObject(spec.defaults),
};

export function trafficPolicy(
  kind: string,
  doc: Json,
): TrafficPolicy | undefined {
  const check = RATE_LIMITERS[kind];
  if (!check) return undefined;
  const spec = isObject(doc.spec) ? doc.spec : {};
  const refs = [
    ...(isObject(spec.targetRef) ? [spec.targetRef] : []),
    ...(Array.isArray(spec.targetRefs) ? spec.targetRefs.filter(isObject) : []),
  ];
  return {
    rateLimit: check(doc, spec),
    targets: refs.map((r) => ({
      kind: String(r.kind ?? ''),
      name: String(r.name ?? ''),
    })),
  };
}

/** A StatefulSet's claim templates; its claims are kept unless told. */
export function claimTemplates(spec: Json): ClaimTemplate[] | undefined {
  if (!Array.isArray(spec.volumeClaimTemplates)) return undefined;
  return spec.volumeClaimTemplates.filter(isObject).map((t, i) => {
    const meta = isObject(t.metadata) ? t.metadata : {};
    const tspec = isObject(t.spec) ? t.spec : {};
    return {
      name: typeof meta.name === 'string' ? meta.name : `#${i}`,
      path: `spec.volumeClaimTemplates[${i}]`,
      storageClassName:
        typeof tspec.storageClassName === 'string'
          ? tspec.storageClassName
          : undefined,
    };
  });
}

export function claimRetention(
  kind: string,
  spec: Json,
): { whenDeleted: string; whenScaled: string } | undefined {
  if (kind !== 'StatefulSet') return undefined;
  const p = isObject(spec.persistentVolumeClaimRetentionPolicy)
    ? spec.persistentVolumeClaimRetentionPolicy
    : {};
  const get = (v: unknown) => (typeof v === 'string' ? v : 'Retain');
  return { whenDeleted: get(p.whenDeleted), whenScaled: get(p.whenScaled) };
}
