/**
 * Container image references, normalized as container runtimes read them:
 * `nginx` is `docker.io/library/nginx:latest`, `index.docker.io` is
 * `docker.io`, a registry host keeps its port, and a digest is parsed out.
 *
 * Trust globs match the normalized name, so every spelling of one registry
 * host must normalize alike: `registry.corp:443` and `registry.corp.` are
 * `registry.corp`, and an IP literal takes the form the client connects to
 * (`127.1` is `127.0.0.1`). Other ports stay: `:80` names a plain-HTTP
 * registry.
 */
import { ModelgateError } from '../errors';

export interface ImageRef {
  /**
   * Registry host, with port when one other than 443 was given
   * (`127.0.0.1:5000`).
   */
  readonly registry: string;
  /** Repository path inside the registry (`library/nginx`). */
  readonly repository: string;
  /** `registry/repository`, the name trust policies match against. */
  readonly name: string;
  readonly tag?: string;
  /** `sha256:<hex>` when the reference is pinned. */
  readonly digest?: string;
  /** The full normalized form: `name[:tag][@digest]`. */
  readonly canonical: string;
}

const DOCKER_HUB = 'docker.io';
const HUB_ALIASES = new Set(['index.docker.io', 'registry-1.docker.io']);
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST =
  /^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/;
const HOST = /^[a-zA-Z0-9.-]+(?::[0-9]+)?$|^\[[0-9a-fA-F:]+\](?::[0-9]+)?$/;
const MAX_LENGTH = 512;

/** Parses and normalizes an image reference; throws IMAGE_REF_INVALID. */
export function parseImageRef(raw: string): ImageRef {
  const text = raw.trim();
  if (text.length === 0 || text.length > MAX_LENGTH) {
    throw invalid(raw, 'expected a non-empty reference of at most 512 chars');
  }

  const [withoutDigest, digest] = splitDigest(text, raw);
  const [registry, path] = splitRegistry(withoutDigest, raw);
  const [repoPath, tag] = splitTag(path, raw);
  const repository =
    registry === DOCKER_HUB && !repoPath.includes('/')
      ? `library/${repoPath}`
      : repoPath;

  for (const part of repository.split('/')) {
    if (!COMPONENT.test(part)) {
      throw invalid(raw, `repository component "${part}" is not valid`);
    }
  }

  const name = `${registry}/${repository}`;
  const finalTag = tag ?? (digest ? undefined : 'latest');
  const canonical =
    name + (finalTag ? `:${finalTag}` : '') + (digest ? `@${digest}` : '');
  return { registry, repository, name, tag: finalTag, digest, canonical };
}

/**
 * The canonical spelling of a registry host, as image references and
 * `registries[].host` in the config are compared: lowercase, without a
 * trailing dot or the default `:443`, Docker Hub aliases as `docker.io`.
 * A host no URL parser accepts comes back lowercased.
 *
 * @example
 * normalizeRegistryHost('Registry.Corp.:443'); // 'registry.corp'
 */
export function normalizeRegistryHost(host: string): string {
  return canonicalHost(host) ?? host.toLowerCase();
}

/** Parses without throwing; returns the error message instead. */
export function tryParseImageRef(
  raw: string,
): { ref: ImageRef } | { error: string } {
  try {
    return { ref: parseImageRef(raw) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** The same image at a digest: `name@digest`, dropping any tag. */
export function atDigest(ref: ImageRef, digest: string): ImageRef {
  return { ...ref, tag: undefined, digest, canonical: `${ref.name}@${digest}` };
}

function splitDigest(text: string, raw: string): [string, string | undefined] {
  const at = text.indexOf('@');
  if (at < 0) return [text, undefined];
  const digest = text.slice(at + 1);
  if (!DIGEST.test(digest)) {
    throw invalid(raw, `digest "${digest.slice(0, 80)}" is not valid`);
  }
  return [text.slice(0, at), digest];
}

function splitRegistry(text: string, raw: string): [string, string] {
  const slash = text.indexOf('/');
  if (slash < 0) return [DOCKER_HUB, text];
  const first = text.slice(0, slash);
  const isHost =
    first.includes('.') || first.includes(':') || first === 'localhost';
  if (!isHost || !HOST.test(first)) return [DOCKER_HUB, text];
  const host = canonicalHost(first);
  if (host === undefined) {
    throw invalid(raw, `registry host "${first.slice(0, 80)}" is not valid`);
  }
  return [host, text.slice(slash + 1)];
}

// The WHATWG URL parser is what the registry client connects with, so its
// reading of the host (default port dropped, IP literals canonical) is the
// one policies must see. It keeps a trailing dot; dropping it makes the
// client contact the very name the trust globs were matched against.
function canonicalHost(host: string): string | undefined {
  if (!HOST.test(host)) return undefined;
  let url: URL;
  try {
    url = new URL(`https://${host}`);
  } catch {
    return undefined;
  }
  const name = url.hostname.replace(/\.+$/, '');
  if (name === '') return undefined;
  const normalized = url.port === '' ? name : `${name}:${url.port}`;
  return HUB_ALIASES.has(normalized) ? DOCKER_HUB : normalized;
}

function splitTag(path: string, raw: string): [string, string | undefined] {
  const lastSlash = path.lastIndexOf('/');
  const colon = path.indexOf(':', lastSlash + 1);
  if (colon < 0) return [path, undefined];
  const tag = path.slice(colon + 1);
  if (!TAG.test(tag))
    throw invalid(raw, `tag "${tag.slice(0, 80)}" is not valid`);
  return [path.slice(0, colon), tag];
}

function invalid(raw: string, why: string): ModelgateError {
  return new ModelgateError(
    'IMAGE_REF_INVALID',
    `image reference "${raw.slice(0, 120)}": ${why}`,
  );
}
