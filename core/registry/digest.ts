/**
 * Content digests (`sha256:<hex>`). Everything fetched from a registry is
 * checked against the digest it was asked for, so a registry or a proxy in
 * between cannot swap content.
 */
import { createHash } from 'node:crypto';
import { ModelgateError } from '../errors';

const HEX_LENGTH: Readonly<Record<string, number>> = {
  sha256: 64,
  sha384: 96,
  sha512: 128,
};

/** True for `sha256:<64 hex>`, `sha384:<96 hex>` or `sha512:<128 hex>`. */
export function isDigest(value: string): boolean {
  const colon = value.indexOf(':');
  if (colon < 0) return false;
  const length = HEX_LENGTH[value.slice(0, colon)];
  const hex = value.slice(colon + 1);
  return length === hex.length && /^[a-f0-9]+$/.test(hex);
}

/** The digest of `bytes` with the algorithm `sha256`, `sha384` or `sha512`. */
export function computeDigest(algorithm: string, bytes: Uint8Array): string {
  if (HEX_LENGTH[algorithm] === undefined) {
    throw new ModelgateError(
      'DIGEST_MISMATCH',
      `digest algorithm "${algorithm.slice(0, 20)}" is not supported`,
    );
  }
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/**
 * Throws DIGEST_MISMATCH unless `bytes` hash to `expected`. `what` names the
 * content for the message (`blob sha256:… of demo/app on 127.0.0.1:5000`).
 */
export function checkDigest(
  expected: string,
  bytes: Uint8Array,
  what: string,
): void {
  if (!isDigest(expected)) {
    throw new ModelgateError(
      'DIGEST_MISMATCH',
      `${what}: "${expected.slice(0, 80)}" is not a valid digest`,
    );
  }
  const algorithm = expected.slice(0, expected.indexOf(':'));
  const actual = computeDigest(algorithm, bytes);
  if (actual !== expected) {
    throw new ModelgateError(
      'DIGEST_MISMATCH',
      `${what}: content hashes to ${actual}, expected ${expected}`,
    );
  }
}
