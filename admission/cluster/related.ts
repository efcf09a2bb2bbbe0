/**
 * Which cached cluster objects one admission request needs beside itself.
 * Pure: it reads a store of raw objects and returns some of them, so the
 * rules (not this file) decide what the relations mean.
 */
import { normalize, type LookupQuery, type PolicyObject } from '../../core';
import { WORKLOAD_KINDS, type WatchedKind } from './kinds';

type Json = Record<string, unknown>;

/** Read access to the watched objects, as raw API objects. */
export interface ObjectStore {
  list(kind: WatchedKind, namespace?: string): readonly Json[];
  get(kind: WatchedKind, name: string, namespace?: string): Json | undefined;
}

/** The objects the rules may read across when judging `query`. */
export function relatedObjects(store: ObjectStore, query: LookupQuery): Json[] {
  const subject = asJson(query.object);
  if (!subject) return [];
  const view = new RelatedSet(store);
  const namespace = query.namespace || metaOf(subject).namespace || '';
  if (namespace) view.add(store.get('Namespace', namespace));

  const kind = String(subject.kind ?? '');
  if (kind === 'Scale') view.scaleTarget(subject, namespace);
  else if (kind === 'PersistentVolumeClaim') view.claim(subject, namespace);
  else if (kind === 'PersistentVolume') view.volume(subject);
  else if (kind === 'StorageClass') view.storageClass(subject);
  else if (kind === 'Service') view.selectedBy(subject, namespace);
  else if (kind === 'Ingress' || kind.endsWith('Route')) {
    view.routeBackends(subject, namespace);
  }
  view.podTemplates(subject, namespace);
  return view.objects();
}

/** Collects objects once each, keyed by kind, namespace and name. */
class RelatedSet {
  private readonly found = new Map<string, Json>();

  constructor(private readonly store: ObjectStore) {}

  objects(): Json[] {
    return [...this.found.values()];
  }

  add(o: Json | undefined): void {
    if (!o) return;
    const m = metaOf(o);
    this.found.set(`${String(o.kind)}/${m.namespace ?? ''}/${m.name}`, o);
  }

  /** A scale request names its workload by the uid it shares with it. */
  scaleTarget(scale: Json, namespace: string): void {
    const uid = metaOf(scale).uid;
    for (const kind of ['Deployment', 'StatefulSet', 'ReplicaSet'] as const) {
      const target = this.store
        .list(kind, namespace)
        .find((o) => uid !== undefined && metaOf(o).uid === uid);
      if (target) {
        this.add(target);
        this.podTemplates(target, namespace);
      }
    }
  }

  /** A claim with its volume, class and the workloads that mount it. */
  claim(pvc: Json, namespace: string): void {
    const name = metaOf(pvc).name;
    const spec = specOf(pvc);
    const volume = str(spec.volumeName);
    if (volume) this.add(this.store.get('PersistentVolume', volume));
    for (const pv of this.store.list('PersistentVolume')) {
      const ref = asJson(specOf(pv).claimRef);
      if (ref && ref.name === name && ref.namespace === namespace) this.add(pv);
    }
    this.classOf(spec.storageClassName);
    for (const w of this.claimUsers(namespace, name)) this.add(w);
  }

  /**
   * The class a claim is provisioned from: the one it names, or the
   * cluster's default ones when it names none (`""` means no class).
   */
  private classOf(named: unknown): void {
    if (typeof named === 'string') {
      if (named !== '') this.add(this.store.get('StorageClass', named));
      return;
    }
    for (const sc of this.store.list('StorageClass')) {
      const annotations = asJson(asJson(sc.metadata)?.annotations) ?? {};
      if (annotations[DEFAULT_CLASS] === 'true') this.add(sc);
    }
  }

  /** A volume with its claim (and through it, the workloads) and class. */
  volume(pv: Json): void {
    const spec = specOf(pv);
    const cls = str(spec.storageClassName);
    if (cls) this.add(this.store.get('StorageClass', cls));
    const ref = asJson(spec.claimRef);
    const name = str(ref?.name);
    const namespace = str(ref?.namespace);
    if (!name || !namespace) return;
    const pvc = this.store.get('PersistentVolumeClaim', name, namespace);
    this.add(pvc);
    for (const w of this.claimUsers(namespace, name)) this.add(w);
  }

  /** Every claim provisioned from a class, and who mounts each one. */
  storageClass(sc: Json): void {
    const name = metaOf(sc).name;
    for (const pvc of this.store.list('PersistentVolumeClaim')) {
      if (specOf(pvc).storageClassName !== name) continue;
      const pvcNs = metaOf(pvc).namespace ?? '';
      this.add(pvc);
      for (const w of this.claimUsers(pvcNs, metaOf(pvc).name)) this.add(w);
    }
  }

  /** The workloads (and their pods) a Service's selector picks. */
  selectedBy(service: Json, namespace: string): void {
    const selector = asJson(specOf(service).selector);
    if (!selector || Object.keys(selector).length === 0) return;
    for (const w of this.workloads(namespace)) {
      if (templatesOf(w).some((t) => matches(selector, t.labels))) this.add(w);
    }
  }

  /** The Services a route sends to, and what each of them selects. */
  routeBackends(route: Json, namespace: string): void {
    const backends = policyOf(route)?.exposure?.backends ?? [];
    for (const b of backends) {
      if (b.kind !== 'Service' || b.group !== '') continue;
      const service = this.store.get('Service', b.name, namespace);
      if (!service) continue;
      this.add(service);
      this.selectedBy(service, namespace);
    }
  }

  /**
   * For any object with pod templates: the claims its volumes name (with
   * their volumes and classes), the classes of its claim templates, and the
   * Services that select its pods.
   */
  podTemplates(o: Json, namespace: string): void {
    const templates = templatesOf(o);
    if (templates.length === 0) return;
    for (const t of templates) {
      for (const v of t.volumes) {
        if (v.source === 'ephemeral') this.classOf(v.storageClassName);
        if (!v.claimName) continue;
        const pvc = this.store.get(
          'PersistentVolumeClaim',
          v.claimName,
          namespace,
        );
        if (!pvc) continue;
        this.add(pvc);
        this.claim(pvc, namespace);
      }
    }
    for (const cls of claimTemplateClasses(o)) this.classOf(cls);
    for (const service of this.store.list('Service', namespace)) {
      const selector = asJson(specOf(service).selector);
      if (!selector || Object.keys(selector).length === 0) continue;
      if (templates.some((t) => matches(selector, t.labels))) this.add(service);
    }
  }

  private workloads(namespace: string): Json[] {
    return WORKLOAD_KINDS.flatMap((k) => [...this.store.list(k, namespace)]);
  }

  private claimUsers(namespace: string, claim: string): Json[] {
    return this.workloads(namespace).filter((w) =>
      templatesOf(w).some((t) => t.volumes.some((v) => v.claimName === claim)),
    );
  }
}

/**
 * Normalized forms of cached objects. An informer replaces an object on
 * every change, so keying by identity never serves a stale form.
 */
const normalized = new WeakMap<Json, PolicyObject | null>();

function policyOf(o: Json): PolicyObject | undefined {
  let p = normalized.get(o);
  if (p === undefined) {
    try {
      p = normalize(o);
    } catch {
      // An object the normalizer refuses relates to nothing.
      p = null;
    }
    normalized.set(o, p);
  }
  return p ?? undefined;
}

function templatesOf(o: Json): PolicyObject['templates'] {
  return policyOf(o)?.templates ?? [];
}

/** The class each claim template names (undefined: the default). */
function claimTemplateClasses(o: Json): unknown[] {
  const templates = specOf(o).volumeClaimTemplates;
  if (!Array.isArray(templates)) return [];
  return templates.map((t) => specOf(asJson(t) ?? {}).storageClassName);
}

const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';

function matches(
  selector: Json,
  labels: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function asJson(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Json)
    : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function metaOf(o: Json): { name: string; namespace?: string; uid?: string } {
  const m = asJson(o.metadata) ?? {};
  return {
    name: str(m.name) ?? '',
    namespace: str(m.namespace),
    uid: str(m.uid),
  };
}

function specOf(o: Json): Json {
  return asJson(o.spec) ?? {};
}
