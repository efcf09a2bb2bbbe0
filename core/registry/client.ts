/**
 * A read-only OCI distribution client: resolves tags to digests and fetches
 * manifests and blobs, each checked against its digest before it is used.
 */
import { ModelgateError } from '../errors';
import type { Deadline } from './deadline';
import { checkDigest, computeDigest, isDigest } from './digest';
import { Endpoint } from './endpoint';
import { MANIFEST_ACCEPT } from './media-types';
import { settingsFor, type RegistrySettings } from './settings';

/** Manifests are small JSON documents; anything bigger is hostile. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_ENDPOINTS = 256;

/** The part of an image reference the client needs. */
export interface Repository {
  readonly registry: string;
  readonly repository: string;
}

export interface Manifest {
  /** The digest the bytes hash to (checked). */
  readonly digest: string;
  /** From the Content-Type header, else the document's `mediaType`. */
  readonly mediaType: string;
  readonly bytes: Buffer;
  /** The parsed document; always a JSON object. */
  readonly json: Readonly<Record<string, unknown>>;
}

export class RegistryClient {
  private readonly endpoints = new Map<string, Endpoint>();

  constructor(private readonly registries: readonly RegistrySettings[] = []) {}

  /** The digest `tag` points to now (HEAD, falling back to GET). */
  async resolveTag(
    repo: Repository,
    tag: string,
    deadline: Deadline,
  ): Promise<string> {
    const endpoint = this.endpoint(repo.registry);
    const res = await endpoint.request(
      {
        repository: repo.repository,
        path: `manifests/${tag}`,
        method: 'HEAD',
        accept: MANIFEST_ACCEPT,
        maxBytes: 0,
        what: `manifest ${repo.repository}:${tag}`,
      },
      deadline,
    );
    const header = res.headers['docker-content-digest'];
    if (typeof header === 'string' && isDigest(header)) return header;
    return (await this.fetchManifest(repo, tag, deadline)).digest;
  }

  /** Fetches a manifest by tag or digest and checks its digest. */
  async fetchManifest(
    repo: Repository,
    reference: string,
    deadline: Deadline,
  ): Promise<Manifest> {
    const endpoint = this.endpoint(repo.registry);
    const name = `${repo.repository}${isDigest(reference) ? '@' : ':'}${reference}`;
    const what = `manifest ${name} on registry ${endpoint.host}`;
    const res = await endpoint.request(
      {
        repository: repo.repository,
        path: `manifests/${reference}`,
        method: 'GET',
        accept: MANIFEST_ACCEPT,
        maxBytes: MAX_MANIFEST_BYTES,
        what: `manifest ${name}`,
      },
      deadline,
    );

    const header = res.headers['docker-content-digest'];
    const expected = isDigest(reference)
      ? reference
      : typeof header === 'string'
        ? header
        : computeDigest('sha256', res.body);
    checkDigest(expected, res.body, what);

    const json = parseObject(res.body, what);
    const contentType = String(res.headers['content-type'] ?? '');
    const mediaType =
      contentType.split(';')[0]?.trim() ||
      (typeof json.mediaType === 'string' ? json.mediaType : '');
    return { digest: expected, mediaType, bytes: res.body, json };
  }

  /** Fetches a blob of at most `maxBytes` and checks its digest. */
  async fetchBlob(
    repo: Repository,
    digest: string,
    maxBytes: number,
    deadline: Deadline,
  ): Promise<Buffer> {
    const endpoint = this.endpoint(repo.registry);
    if (!isDigest(digest)) {
      throw new ModelgateError(
        'REGISTRY_PROTOCOL',
        `blob digest "${digest.slice(0, 80)}" in ${repo.repository} is not valid`,
      );
    }
    const res = await endpoint.request(
      {
        repository: repo.repository,
        path: `blobs/${digest}`,
        method: 'GET',
        accept: '*/*',
        maxBytes,
        what: `blob ${digest} of ${repo.repository}`,
      },
      deadline,
    );
    checkDigest(
      digest,
      res.body,
      `blob ${digest} of ${repo.repository} on registry ${endpoint.host}`,
    );
    return res.body;
  }

  private endpoint(registry: string): Endpoint {
    const key = registry.toLowerCase();
    const known = this.endpoints.get(key);
    if (known) return known;
    // Image references come from untrusted objects, so the set of
    // registries is bounded; an evicted endpoint only loses cached tokens.
    if (this.endpoints.size >= MAX_ENDPOINTS) {
      const oldest = this.endpoints.keys().next().value;
      if (oldest !== undefined) this.endpoints.delete(oldest);
    }
    const endpoint = new Endpoint(settingsFor(this.registries, registry));
    this.endpoints.set(key, endpoint);
    return endpoint;
  }
}

function parseObject(
  bytes: Buffer,
  what: string,
): Readonly<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new ModelgateError('REGISTRY_PROTOCOL', `${what} is not json`, {
      cause: err,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ModelgateError(
      'REGISTRY_PROTOCOL',
      `${what} is not a json object`,
    );
  }
  return parsed as Record<string, unknown>;
}
