/**
 * A bounded walk over any object that collects what policy needs wherever
 * it sits: image references, pod specs, resource names and model URIs.
 * Walking every field, not a list of known paths, is what keeps images in
 * unknown custom resources from slipping through.
 */
import { ModelgateError } from '../errors';
import { tryParseImageRef } from '../image-ref';
import type { ImageRole, ImageUse, ModelUri } from './types';

type Json = Record<string, unknown>;

export interface Found {
  readonly images: ImageUse[];
  /** Paths of objects holding a `containers` array (pod specs). */
  readonly podSpecs: { path: string; spec: Json }[];
  readonly modelUris: ModelUri[];
}

/** Deeper than any real manifest; beyond it the object is refused whole. */
const MAX_DEPTH = 48;
/** Bounds on what one object may hold, so one review cannot stall a gate. */
export const MAX_IMAGES = 256;
const MAX_POD_SPECS = 64;
/** Raw references are quoted in messages; longer ones are cut. */
const MAX_RAW = 200;
const MODEL_URI_KEYS = new Set(['storageUri', 'modelUri']);
const ROLE_OF_LIST: Record<string, ImageRole> = {
  containers: 'container',
  initContainers: 'init',
  ephemeralContainers: 'ephemeral',
};
/** Top-level fields that never hold what the cluster will run. */
const SKIPPED_ROOT = new Set(['status', 'metadata']);

export function walk(root: Json): Found {
  const found: Found = { images: [], podSpecs: [], modelUris: [] };
  for (const [key, value] of Object.entries(root)) {
    if (!SKIPPED_ROOT.has(key)) visit(value, key, key, 'other', found, 1);
  }
  return found;
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function visit(
  value: unknown,
  key: string,
  path: string,
  role: ImageRole,
  found: Found,
  depth: number,
): void {
  if (depth > MAX_DEPTH) {
    throw new ModelgateError(
      'INPUT_TOO_LARGE',
      `object: nested deeper than ${MAX_DEPTH} levels at ${path.slice(0, 120)}`,
    );
  }
  if (Array.isArray(value)) {
    const itemRole = ROLE_OF_LIST[key] ?? role;
    value.forEach((item, i) =>
      visit(item, key, `${path}[${i}]`, itemRole, found, depth + 1),
    );
    return;
  }
  if (!isObject(value)) return;
  // A pod spec, or a spec that mounts volumes for its steps (Argo, Tekton).
  if (Array.isArray(value.containers) || Array.isArray(value.volumes)) {
    found.podSpecs.push({ path, spec: value });
    bound(found.podSpecs.length, MAX_POD_SPECS, 'pod specs');
  }
  for (const [k, v] of Object.entries(value)) {
    const childPath = `${path}.${k}`;
    if (k === 'image' && typeof v === 'string') {
      addImage(found, imageUse(v, childPath, role, value.name));
    } else if (
      k === 'image' &&
      isObject(v) &&
      typeof v.repository === 'string'
    ) {
      addImage(found, imageUse(composeImage(v), childPath, role, value.name));
    } else if (k === 'image' && isObject(v) && key === 'volumes') {
      if (typeof v.reference === 'string') {
        addImage(
          found,
          imageUse(v.reference, `${childPath}.reference`, 'volume', value.name),
        );
      }
    } else if (isModelUriField(k, key) && typeof v === 'string') {
      addModelUri(found, v, childPath);
    } else {
      visit(v, k, childPath, role, found, depth + 1);
    }
  }
}

export function imageUse(
  raw: string,
  path: string,
  role: ImageRole,
  container: unknown,
): ImageUse {
  const parsed = tryParseImageRef(raw);
  const base = {
    path,
    role,
    raw: raw.length > MAX_RAW ? `${raw.slice(0, MAX_RAW)}…` : raw,
    container: typeof container === 'string' ? container : undefined,
  };
  if ('error' in parsed) return { ...base, error: parsed.error };
  const { ref } = parsed;
  return {
    ...base,
    ref: ref.canonical,
    name: ref.name,
    tag: ref.tag,
    digest: ref.digest,
  };
}

function isModelUriField(key: string, parentKey: string): boolean {
  return MODEL_URI_KEYS.has(key) || (key === 'uri' && parentKey === 'model');
}

/** An `oci://` model is an image like any other and is checked as one. */
function addModelUri(found: Found, uri: string, path: string): void {
  const entry = modelUri(uri, path);
  if (entry.scheme === 'oci') {
    addImage(
      found,
      imageUse(uri.slice('oci://'.length), path, 'model-uri', undefined),
    );
  } else {
    found.modelUris.push(entry);
  }
}

function modelUri(uri: string, path: string): ModelUri {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(uri);
  return { path, uri, scheme: match?.[1]?.toLowerCase() ?? '' };
}

function addImage(found: Found, image: ImageUse): void {
  found.images.push(image);
  bound(found.images.length, MAX_IMAGES, 'images');
}

function bound(count: number, max: number, what: string): void {
  if (count > max) {
    throw new ModelgateError(
      'INPUT_TOO_LARGE',
      `object: more than ${max} ${what}; split the object`,
    );
  }
}

/**
 * Operators that take `image: {registry?, repository, tag | digest}`
 * (NVIDIA NIM and others) name the same image in parts.
 */
function composeImage(parts: Record<string, unknown>): string {
  const str = (v: unknown) =>
    typeof v === 'string' && v !== '' ? v : undefined;
  const registry = str(parts.registry);
  const name = registry
    ? `${registry}/${String(parts.repository)}`
    : String(parts.repository);
  const digest = str(parts.digest);
  const tag = str(parts.tag);
  return name + (tag ? `:${tag}` : '') + (digest ? `@${digest}` : '');
}
