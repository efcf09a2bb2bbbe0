/** Builds the signature verifier a config describes. */
import type { Config } from '../config';
import { createCosignVerifier, type ImageVerifier } from '../signature';

export function verifierFromConfig(config: Config): ImageVerifier {
  return createCosignVerifier({
    keys: config.trust.keys.map((k) => ({
      name: k.name,
      publicKeyPem: k.publicKey,
    })),
    registries: config.registries,
    timeoutMs: config.verification.timeoutMs,
    cacheTtlMs: config.verification.cacheTtlSeconds * 1000,
  });
}

export { staticLookup, noLookup } from './lookup';
export type { ClusterLookup, LookupQuery } from './lookup';
