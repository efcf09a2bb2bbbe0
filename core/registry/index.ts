/**
 * Read-only OCI distribution client (`/v2/` API) used to gather signature
 * facts. Every failure is a ModelgateError with a REGISTRY_* code (or
 * DIGEST_MISMATCH) whose message names the registry, never a credential.
 *
 * @example
 * const client = new RegistryClient([{ host: '127.0.0.1:5000', insecure: true }]);
 * const digest = await client.resolveTag(ref, 'v1', startDeadline(3000));
 */
export { RegistryClient, MAX_MANIFEST_BYTES } from './client';
export type { Manifest, Repository } from './client';
export { startDeadline } from './deadline';
export type { Deadline } from './deadline';
export { checkDigest, computeDigest, isDigest } from './digest';
export { parseChallenges, pickChallenge } from './challenge';
export type { Challenge } from './challenge';
export {
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  MANIFEST_ACCEPT,
  OCI_INDEX,
  OCI_MANIFEST,
} from './media-types';
export type { RegistrySettings } from './settings';
