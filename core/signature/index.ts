/**
 * Image signature facts: which trusted keys signed an image digest, found
 * in a real OCI registry with cosign's key-based `.sig` layout.
 */
export { createCosignVerifier, VERIFIER_DEFAULTS } from './verifier';
export type {
  CosignVerifierOptions,
  ImageFact,
  ImageVerifier,
  TrustedKey,
} from './types';
export type { RegistrySettings } from '../registry';
export { loadTrustedKeys, keySetFingerprint } from './keys';
export type { LoadedKey } from './keys';
export { signatureTag } from './cosign';
export { verifyEd25519 } from './ed25519';
export {
  SIGNATURE_ANNOTATION,
  SIMPLE_SIGNING_MEDIA_TYPE,
} from './simple-signing';
