/**
 * Cosign key-based signature lookup for one digest: read the `.sig` tag in
 * the image's repository, fetch each signed payload (digest-checked), check
 * it names the digest, and verify its signature with every trusted key.
 *
 * LIMITATION: only the `.sig` tag layout is read (cosign v2 default); the
 * OCI referrers API and sigstore bundles (cosign v3 default) are not, nor
 * keyless (certificate) signatures or Rekor inclusion proofs, which is
 * `cosign verify --key … --insecure-ignore-tlog` behaviour.
 */
import { isModelgateError, ModelgateError } from '../errors';
import type { ImageRef } from '../image-ref';
import { isDigest, type Deadline, type RegistryClient } from '../registry';
import type { LoadedKey } from './keys';
import {
  payloadProblem,
  SIGNATURE_ANNOTATION,
  SIMPLE_SIGNING_MEDIA_TYPE,
} from './simple-signing';

/** What the `.sig` tag says about one digest, before it becomes a fact. */
export interface SignatureFacts {
  readonly signatures: number;
  readonly signers: readonly string[];
  readonly rejected: readonly string[];
}

interface Entry {
  readonly index: number;
  readonly payloadDigest: string;
  readonly signature: Buffer;
}

/** Payloads are a few hundred bytes; the bound keeps hostile ones cheap. */
const MAX_PAYLOAD_BYTES = 64 * 1024;
const MAX_SIGNATURE_CHARS = 4096;
// LIMITATION: at most this many signature entries are checked per digest;
// more are counted but not verified, so a registry cannot make us fetch
// and verify without bound.
const MAX_CHECKED_ENTRIES = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The tag cosign stores signatures under: `sha256-<hex>.sig`. */
export function signatureTag(digest: string): string {
  return `${digest.replace(':', '-')}.sig`;
}

export async function lookupSignatures(
  client: RegistryClient,
  ref: ImageRef,
  digest: string,
  keys: readonly LoadedKey[],
  deadline: Deadline,
): Promise<SignatureFacts> {
  const manifest = await fetchSignatureManifest(client, ref, digest, deadline);
  if (manifest === undefined) {
    return { signatures: 0, signers: [], rejected: [] };
  }

  const rejected: string[] = [];
  const entries = readEntries(manifest, rejected);
  const checked = entries.slice(0, MAX_CHECKED_ENTRIES);
  const payloads = await fetchPayloads(client, ref, checked, deadline);

  const signers = new Set<string>();
  for (const entry of checked) {
    const problem = judgeEntry(entry, payloads, digest, keys, signers);
    if (problem) rejected.push(`signature ${entry.index}: ${problem}`);
  }
  return {
    signatures: entries.length,
    signers: keys.map((k) => k.name).filter((name) => signers.has(name)),
    rejected,
  };
}

async function fetchSignatureManifest(
  client: RegistryClient,
  ref: ImageRef,
  digest: string,
  deadline: Deadline,
): Promise<Readonly<Record<string, unknown>> | undefined> {
  try {
    const tag = signatureTag(digest);
    return (await client.fetchManifest(ref, tag, deadline)).json;
  } catch (err) {
    if (isModelgateError(err, 'REGISTRY_NOT_FOUND')) return undefined;
    throw err;
  }
}

/** Signature layers of the manifest; malformed ones are noted in `rejected`. */
function readEntries(
  manifest: Readonly<Record<string, unknown>>,
  rejected: string[],
): Entry[] {
  const layers = manifest.layers;
  if (!Array.isArray(layers)) {
    throw new ModelgateError(
      'REGISTRY_PROTOCOL',
      'signature manifest has no layers list',
    );
  }
  const entries: Entry[] = [];
  for (const layer of layers as unknown[]) {
    const l = (layer ?? {}) as Record<string, unknown>;
    const annotations = (l.annotations ?? {}) as Record<string, unknown>;
    const encoded = annotations[SIGNATURE_ANNOTATION];
    if (l.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE || encoded === undefined) {
      continue;
    }
    const index = entries.length;
    const problem = entryProblem(l, encoded);
    if (problem) {
      rejected.push(`signature ${index}: ${problem}`);
      entries.push({ index, payloadDigest: '', signature: Buffer.alloc(0) });
      continue;
    }
    const signature = Buffer.from(encoded as string, 'base64');
    entries.push({ index, payloadDigest: l.digest as string, signature });
  }
  return entries;
}

function entryProblem(layer: Record<string, unknown>, encoded: unknown) {
  if (typeof layer.digest !== 'string' || !isDigest(layer.digest)) {
    return 'layer has no valid payload digest';
  }
  if (typeof layer.size === 'number' && layer.size > MAX_PAYLOAD_BYTES) {
    return `payload of ${layer.size} bytes is larger than ${MAX_PAYLOAD_BYTES}`;
  }
  if (
    typeof encoded !== 'string' ||
    encoded.length > MAX_SIGNATURE_CHARS ||
    !BASE64.test(encoded)
  ) {
    return 'signature annotation is not base64';
  }
  return undefined;
}

/** Each distinct payload once; a missing or tampered one becomes a reason. */
async function fetchPayloads(
  client: RegistryClient,
  ref: ImageRef,
  entries: readonly Entry[],
  deadline: Deadline,
): Promise<Map<string, Buffer | string>> {
  const digests = [...new Set(entries.map((e) => e.payloadDigest))].filter(
    (d) => d !== '',
  );
  const results = await Promise.all(
    digests.map(async (d): Promise<Buffer | string> => {
      try {
        return await client.fetchBlob(ref, d, MAX_PAYLOAD_BYTES, deadline);
      } catch (err) {
        if (isModelgateError(err, 'DIGEST_MISMATCH')) {
          return `payload does not match its digest ${d}`;
        }
        if (isModelgateError(err, 'REGISTRY_NOT_FOUND')) {
          return `payload blob ${d} is missing`;
        }
        throw err;
      }
    }),
  );
  return new Map(digests.map((d, i) => [d, results[i] as Buffer | string]));
}

function judgeEntry(
  entry: Entry,
  payloads: ReadonlyMap<string, Buffer | string>,
  digest: string,
  keys: readonly LoadedKey[],
  signers: Set<string>,
): string | undefined {
  if (entry.payloadDigest === '') return undefined; // already rejected
  const payload = payloads.get(entry.payloadDigest);
  if (typeof payload === 'string' || payload === undefined) {
    return payload ?? 'payload was not fetched';
  }
  const problem = payloadProblem(payload, digest);
  if (problem) return problem;

  let verified = false;
  for (const key of keys) {
    if (key.verify(payload, entry.signature)) {
      signers.add(key.name);
      verified = true;
    }
  }
  return verified ? undefined : 'no trusted key verified it';
}
