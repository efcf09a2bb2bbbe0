/**
 * Trusted public keys, parsed once and checked at construction so a bad key
 * fails at startup (KEY_INVALID), not on the first admission request.
 *
 * Accepted: the key types cosign signs with. ECDSA P-256 (SHA-256), P-384
 * (SHA-384, or SHA-256 as cosign verifies by default), P-521 (SHA-512 or
 * SHA-256); Ed25519 (Ed25519ph as cosign signs, or pure); RSA of 2048 bits
 * or more with PKCS#1 v1.5 or PSS over SHA-256.
 */
import {
  constants,
  createHash,
  createPublicKey,
  verify,
  type KeyObject,
} from 'node:crypto';
import { ModelgateError } from '../errors';
import { verifyEd25519 } from './ed25519';
import type { TrustedKey } from './types';

export interface LoadedKey {
  readonly name: string;
  /** `sha256:<hex>` of the key's SubjectPublicKeyInfo. */
  readonly fingerprint: string;
  /** True when `signature` verifies over exactly `payload`. */
  verify(payload: Buffer, signature: Buffer): boolean;
}

type Check = (payload: Buffer, signature: Buffer) => boolean;

const MAX_NAME = 128;
const MIN_RSA_BITS = 2048;
const EC_HASHES: Readonly<Record<string, readonly string[]>> = {
  prime256v1: ['sha256'],
  secp384r1: ['sha384', 'sha256'],
  secp521r1: ['sha512', 'sha256'],
};
const PEM_PUBLIC = /-----BEGIN (RSA )?PUBLIC KEY-----/;

/** Parses every key; throws KEY_INVALID naming the first bad one. */
export function loadTrustedKeys(keys: readonly TrustedKey[]): LoadedKey[] {
  const seen = new Set<string>();
  return keys.map((key, index) => {
    const loaded = loadTrustedKey(key, index);
    if (seen.has(loaded.name)) {
      throw invalid(loaded.name, 'is listed twice');
    }
    seen.add(loaded.name);
    return loaded;
  });
}

/** A stable fingerprint of a key set, independent of its order. */
export function keySetFingerprint(keys: readonly LoadedKey[]): string {
  const lines = keys.map((k) => `${k.name}\n${k.fingerprint}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

function loadTrustedKey(key: TrustedKey, index: number): LoadedKey {
  const name = typeof key?.name === 'string' ? key.name : '';
  if (name.length === 0 || name.length > MAX_NAME) {
    throw invalid(`#${index}`, `needs a name of 1 to ${MAX_NAME} characters`);
  }
  const pem = typeof key.publicKeyPem === 'string' ? key.publicKeyPem : '';
  if (!PEM_PUBLIC.test(pem)) {
    throw invalid(name, 'is not a PEM public key (BEGIN PUBLIC KEY)');
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey(pem);
  } catch (err) {
    throw invalid(name, 'could not be parsed as a public key', err);
  }
  const der = keyObject.export({ type: 'spki', format: 'der' });
  const fingerprint = `sha256:${createHash('sha256').update(der).digest('hex')}`;
  const check = checkFor(keyObject, name);
  return {
    name,
    fingerprint,
    verify: (payload, signature) => {
      try {
        return check(payload, signature);
      } catch {
        // OpenSSL throws on some malformed signatures; that is a "no".
        return false;
      }
    },
  };
}

function checkFor(key: KeyObject, name: string): Check {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'ec') {
    const hashes = EC_HASHES[details.namedCurve ?? ''];
    if (!hashes) {
      throw invalid(name, `uses unsupported curve ${details.namedCurve}`);
    }
    return (payload, sig) =>
      hashes.some((hash) =>
        verify(hash, payload, { key, dsaEncoding: 'der' }, sig),
      );
  }
  if (type === 'ed25519') return ed25519Check(key);
  if (type === 'rsa' || type === 'rsa-pss') {
    const bits = details.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) {
      throw invalid(name, `is a ${bits}-bit rsa key; at least 2048 required`);
    }
    return rsaCheck(key, type === 'rsa');
  }
  throw invalid(name, `has unsupported key type ${type ?? 'unknown'}`);
}

function ed25519Check(key: KeyObject): Check {
  const jwk = key.export({ format: 'jwk' });
  const raw = Buffer.from(jwk.x ?? '', 'base64url');
  return (payload, sig) =>
    verify(null, payload, key, sig) || verifyEd25519(raw, payload, sig, true);
}

function rsaCheck(key: KeyObject, allowPkcs1: boolean): Check {
  const pss = {
    key,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: constants.RSA_PSS_SALTLEN_AUTO,
  };
  return (payload, sig) =>
    (allowPkcs1 &&
      verify(
        'sha256',
        payload,
        { key, padding: constants.RSA_PKCS1_PADDING },
        sig,
      )) ||
    verify('sha256', payload, pss, sig);
}

function invalid(name: string, why: string, cause?: unknown): ModelgateError {
  const label = name.startsWith('#') ? name : JSON.stringify(name);
  return new ModelgateError('KEY_INVALID', `trusted key ${label} ${why}`, {
    cause,
  });
}
