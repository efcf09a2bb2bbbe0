/**
 * The signature-facts contract the rest of the core calls. The verifier
 * reports what is cryptographically true; the Rego policy decides which
 * signers it trusts for which image.
 */
import type { ImageRef } from '../image-ref';
import type { RegistrySettings } from '../registry';

/** A public key allowed to sign images, under a name policies refer to. */
export interface TrustedKey {
  readonly name: string;
  /** PEM `PUBLIC KEY` (SubjectPublicKeyInfo), as `cosign.pub` holds it. */
  readonly publicKeyPem: string;
}

export interface ImageFact {
  /** `ref.canonical` as asked. */
  readonly ref: string;
  /** The pinned digest, or the one the tag resolved to. */
  readonly digest?: string;
  /** Signature entries found under the `.sig` tag (0 = unsigned). */
  readonly signatures: number;
  /** Names of trusted keys that verified a signature over this digest. */
  readonly signers: readonly string[];
  /**
   * Keyless signers (certificate issuer and subject) that verified. The
   * policy reads this; the cosign key verifier never sets it, since keyless
   * verification is not implemented (see the LIMITATION in cosign.ts).
   */
  readonly identities?: readonly {
    readonly issuer: string;
    readonly subject: string;
  }[];
  /**
   * Why signature entries did not verify, one line each
   * (`signature 1: payload names digest sha256:…`). Absent when none failed.
   */
  readonly rejected?: readonly string[];
  /** The lookup failed: timeout, unreachable, auth, protocol. */
  readonly error?: { readonly code: string; readonly message: string };
}

export interface ImageVerifier {
  /** Never throws for registry trouble: it returns a fact with `error`. */
  verify(ref: ImageRef): Promise<ImageFact>;
}

export interface CosignVerifierOptions {
  readonly keys: readonly TrustedKey[];
  readonly registries?: readonly RegistrySettings[];
  /** Total deadline per image lookup. Default 3000 ms. */
  readonly timeoutMs?: number;
  /** How long a verified result (at least one signer) is reused. Default 10 min. */
  readonly cacheTtlMs?: number;
  /**
   * How long an unsigned or unverified result is reused, so a newly signed
   * image is seen soon. Default 30 s, never more than `cacheTtlMs`.
   */
  readonly unverifiedTtlMs?: number;
  /** How long a tag is taken to point at the digest it resolved to. Default 5 s. */
  readonly tagTtlMs?: number;
  /** Most results kept (least recently used are dropped). Default 1000. */
  readonly cacheMax?: number;
}
