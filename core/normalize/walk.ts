/**
 * A bounded walk over any object that collects what policy needs wherever
 * it sits: image references, pod specs, resource names and model URIs.
 * Walking every field, not a list of known paths, is what keeps images in
 * unknown custom resources from slipping through.
 */
import { tryParseImageRef } from '../image-ref';
import type { ImageRole, ImageUse, ModelUri } from './types';

type Json = Record<string, unknown>;

export interface Found {
  readonly images: ImageUse[];
  /** Paths of objects holding a `containers` array (pod specs). */
  readonly podSpecs: { path: string; spec: Json }[];
  readonly modelUris: ModelUri[];
}

const MAX_DEPTH = 24;
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
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    const itemRole = ROLE_OF_LIST[key] ?? role;
    value.forEach((item, i) =>
      visit(item, key, `${path}[${i}]`, itemRole, found, depth + 1),
    );
    return;
  }
  if (!isObject(value)) return;
  if (Array.isArray(value.containers))
    found.podSpecs.push({ path, spec: value });
  for (const [k, v] of Object.entries(value)) {
    const childPath = `${path}.${k}`;
    if (k === 'image' && typeof v === 'string') {
      found.images.push(imageUse(v, childPath, role, value.name));
    } else if (k === 'image' && isObject(v) && key === 'volumes') {
      if (typeof v.reference === 'string') {
        found.images.push(
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
    raw,
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
    found.images.push(
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
