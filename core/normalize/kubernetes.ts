/**
 * Turns a Kubernetes object into the one policy input the rules read.
 */
import { ModelgateError } from '../errors';
import {
  claimRetention,
  claimTemplates,
  exposure,
  scale,
  serves,
  storage,
  storageClass,
  trafficPolicy,
} from './kinds';
import { podTemplate, stringMap } from './pod';
import { isObject, walk } from './walk';
import type { PolicyObject } from './types';

/** Kinds whose content holds nothing the cluster runs. */
const OPAQUE_KINDS = new Set(['ConfigMap', 'Secret', 'Event']);

/**
 * Normalizes one Kubernetes object. Throws INPUT_INVALID when it is not an
 * object with a kind and apiVersion; unknown kinds are walked generically.
 */
export function normalizeKubernetes(
  raw: unknown,
  options: { namespace?: string; old?: unknown } = {},
): PolicyObject {
  if (!isObject(raw)) throw invalid('expected an object');
  const { kind, apiVersion } = raw;
  if (typeof kind !== 'string' || kind === '') throw invalid('missing kind');
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    throw invalid(`${kind}: missing apiVersion`);
  }
  const metadata = isObject(raw.metadata) ? raw.metadata : {};
  const spec = isObject(raw.spec) ? raw.spec : {};
  const found = OPAQUE_KINDS.has(kind)
    ? { images: [], podSpecs: [], modelUris: [] }
    : walk(raw);

  return {
    apiVersion,
    group: apiVersion.includes('/') ? apiVersion.split('/')[0]! : '',
    kind,
    name: typeof metadata.name === 'string' ? metadata.name : '',
    namespace:
      typeof metadata.namespace === 'string'
        ? metadata.namespace
        : (options.namespace ?? ''),
    labels: stringMap(metadata.labels),
    annotations: stringMap(metadata.annotations),
    templates: found.podSpecs.map((p) => podTemplate(raw, p.path, p.spec)),
    images: found.images,
    modelUris: found.modelUris,
    serves: serves(kind, metadata),
    storage: kind === 'StorageClass' ? storageClass(raw) : storage(kind, spec),
    exposure: exposure(
      kind,
      spec,
      typeof metadata.namespace === 'string'
        ? metadata.namespace
        : (options.namespace ?? ''),
    ),
    scale:
      kind === 'Scale'
        ? scale(spec, isObject(options.old) ? options.old : undefined)
        : undefined,
    policy: trafficPolicy(kind, raw),
    claimTemplates: kind === 'StatefulSet' ? claimTemplates(spec) : undefined,
    claimRetention: claimRetention(kind, spec),
  };
}

function invalid(why: string): ModelgateError {
  return new ModelgateError('INPUT_INVALID', `object: ${why}`);
}
