/** Builds the signature verifier a config describes. */
import type { Config } from '../config';
import { createCosignVerifier, type ImageVerifier } from '../signature';
import { guardRegistries } from './registry-guard';

/**
 * The cosign verifier for `config`, guarded so that internal registry hosts
 * are contacted only when listed under `registries` (see registry-guard.ts).
 */
export function verifierFromConfig(config: Config): ImageVerifier {
  const cosign = createCosignVerifier({
    keys: config.trust.keys.map((k) => ({
      name: k.name,
      publicKeyPem: k.publicKey,
    })),
    registries: config.registries,
    timeoutMs: config.verification.timeoutMs,
    cacheTtlMs: config.verification.cacheTtlSeconds * 1000,
  });
  return guardRegistries(cosign, config.registries);
}

export { guardRegistries, isInternalHost } from './registry-guard';
export { staticLookup, noLookup } from './lookup';
export type { ClusterLookup, LookupQuery } from './lookup';
