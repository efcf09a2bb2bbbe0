/**
 * The cosign verifier: image reference in, signature fact out.
 *
 * Results are cached per repository, digest and key set: verified results
 * for long, unsigned or unverified ones briefly (a fresh signature should be
 * seen soon), errors never. A tag's digest is remembered only for seconds,
 * because tags move. Concurrent calls for one digest share one lookup.
 */
import { describeThrown, isModelgateError } from '../errors';
import type { ImageRef } from '../image-ref';
import {
  RegistryClient,
  startDeadline,
  type Deadline,
  type RegistrySettings,
} from '../registry';
import { lookupSignatures, type SignatureFacts } from './cosign';
import { keySetFingerprint, loadTrustedKeys, type LoadedKey } from './keys';
import { SharedLookups, TtlCache } from './ttl-cache';
import type { CosignVerifierOptions, ImageFact, ImageVerifier } from './types';

export const VERIFIER_DEFAULTS = {
  timeoutMs: 3_000,
  cacheTtlMs: 10 * 60_000,
  unverifiedTtlMs: 30_000,
  tagTtlMs: 5_000,
  cacheMax: 1_000,
} as const;

interface Settings {
  readonly keys: readonly LoadedKey[];
  readonly registries: readonly RegistrySettings[];
  readonly timeoutMs: number;
  readonly cacheTtlMs: number;
  readonly unverifiedTtlMs: number;
  readonly tagTtlMs: number;
  readonly cacheMax: number;
}

/**
 * Creates a verifier that checks cosign key-based signatures against the
 * given trusted keys. Throws KEY_INVALID for a malformed key.
 *
 * @example
 * const verifier = createCosignVerifier({
 *   keys: [{ name: 'release', publicKeyPem: readFileSync('cosign.pub', 'utf8') }],
 *   registries: [{ host: '127.0.0.1:5000', insecure: true }],
 * });
 * const fact = await verifier.verify(parseImageRef('127.0.0.1:5000/m@sha256:…'));
 * // fact.signers: ['release'] when a trusted key signed that digest
 */
export function createCosignVerifier(
  options: CosignVerifierOptions,
): ImageVerifier {
  return new CosignVerifier(resolveSettings(options));
}

function resolveSettings(options: CosignVerifierOptions): Settings {
  const d = VERIFIER_DEFAULTS;
  const positive = (v: number | undefined, fallback: number): number =>
    typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback;
  const cacheTtlMs = positive(options.cacheTtlMs, d.cacheTtlMs);
  return Object.freeze({
    keys: loadTrustedKeys(options.keys ?? []),
    registries: [...(options.registries ?? [])],
    timeoutMs: Math.max(1, positive(options.timeoutMs, d.timeoutMs)),
    cacheTtlMs,
    unverifiedTtlMs: Math.min(
      cacheTtlMs,
      positive(options.unverifiedTtlMs, d.unverifiedTtlMs),
    ),
    tagTtlMs: positive(options.tagTtlMs, d.tagTtlMs),
    cacheMax: Math.floor(positive(options.cacheMax, d.cacheMax)),
  });
}

class CosignVerifier implements ImageVerifier {
  private readonly client: RegistryClient;
  private readonly fingerprint: string;
  private readonly facts: TtlCache<SignatureFacts>;
  private readonly tags: TtlCache<string>;
  private readonly factLookups = new SharedLookups<SignatureFacts>();
  private readonly tagLookups = new SharedLookups<string>();

  constructor(private readonly settings: Settings) {
    this.client = new RegistryClient(settings.registries);
    this.fingerprint = keySetFingerprint(settings.keys);
    this.facts = new TtlCache(settings.cacheMax);
    this.tags = new TtlCache(settings.cacheMax);
  }

  async verify(ref: ImageRef): Promise<ImageFact> {
    // Fast path: a cached verdict needs no deadline, timer or promise chain.
    const known = ref.digest ?? this.tags.get(tagKey(ref));
    const hit = known && this.facts.get(this.factKey(ref, known));
    if (known && hit) return toFact(ref, known, hit);

    const deadline = startDeadline(this.settings.timeoutMs);
    let digest = known || undefined;
    try {
      digest ??= await this.resolve(ref, deadline);
      const facts = await this.lookup(ref, digest, deadline);
      return toFact(ref, digest, facts);
    } catch (err) {
      return errorFact(ref, digest, err);
    }
  }

  private resolve(ref: ImageRef, deadline: Deadline): Promise<string> {
    const key = tagKey(ref);
    return this.tagLookups.run(key, async () => {
      const digest = await this.client.resolveTag(
        ref,
        ref.tag ?? 'latest',
        deadline,
      );
      this.tags.set(key, digest, this.settings.tagTtlMs);
      return digest;
    });
  }

  private lookup(
    ref: ImageRef,
    digest: string,
    deadline: Deadline,
  ): Promise<SignatureFacts> {
    const key = this.factKey(ref, digest);
    return this.factLookups.run(key, async () => {
      const facts = await lookupSignatures(
        this.client,
        ref,
        digest,
        this.settings.keys,
        deadline,
      );
      const ttl =
        facts.signers.length > 0
          ? this.settings.cacheTtlMs
          : this.settings.unverifiedTtlMs;
      this.facts.set(key, facts, ttl);
      return facts;
    });
  }

  // Signatures live next to the image, so the repository is part of the key.
  private factKey(ref: ImageRef, digest: string): string {
    return `${ref.name}@${digest}|${this.fingerprint}`;
  }
}

function tagKey(ref: ImageRef): string {
  return `${ref.name}:${ref.tag ?? 'latest'}`;
}

function toFact(
  ref: ImageRef,
  digest: string,
  facts: SignatureFacts,
): ImageFact {
  return {
    ref: ref.canonical,
    digest,
    signatures: facts.signatures,
    signers: facts.signers,
    ...(facts.rejected.length > 0 ? { rejected: facts.rejected } : {}),
  };
}

function errorFact(
  ref: ImageRef,
  digest: string | undefined,
  err: unknown,
): ImageFact {
  // Anything unexpected while reading registry data is still reported as a
  // failed lookup, so callers fail closed instead of crashing.
  const error = isModelgateError(err)
    ? { code: err.code, message: err.message }
    : {
        code: 'REGISTRY_PROTOCOL',
        message: `lookup of ${ref.name} failed unexpectedly: ${describeThrown(err)}`,
      };
  return {
    ref: ref.canonical,
    ...(digest ? { digest } : {}),
    signatures: 0,
    signers: [],
    error,
  };
}
