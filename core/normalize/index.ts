/**
 * Turns any Kubernetes object or Pulumi resource into the one policy input
 * the rules read.
 */
import { normalizeKubernetes } from './kubernetes';
import { isPulumiResource, normalizePulumi } from './pulumi';
import type { PolicyObject } from './types';

export type * from './types';
export { at } from './pod';
export {
  SECRET_SIG,
  SIG_KEY,
  UNKNOWN_SENTINELS,
  coveredTypes,
  decodeProperties,
  isPulumiResource,
  normalizePulumi,
  pulumiTypeClass,
  resolveStackReferences,
} from './pulumi';
export type { PulumiResource, PulumiTypeClass, SecretHandling } from './pulumi';

/**
 * Normalizes one raw object: a Kubernetes object, or a Pulumi resource
 * (`{type, name, props}`) as the engine hands it to a policy pack. Throws
 * INPUT_INVALID when it is neither.
 */
export function normalize(
  raw: unknown,
  options: { namespace?: string; old?: unknown } = {},
): PolicyObject {
  if (isPulumiResource(raw)) return normalizePulumi(raw);
  return normalizeKubernetes(raw, options);
}
