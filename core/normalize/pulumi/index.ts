/**
 * Pulumi resources → the policy input. Kubernetes resources become the
 * object they describe; the cloud types modelgate reads are mapped to the
 * facts the cloud rules ask for; components and unknown types are kept so
 * the rules can say that nothing in them was judged.
 */
import { isObject } from '../walk';
import type { PolicyObject } from '../types';
import { kubernetesObject } from './kube';
import { cloudMappers, pulumiTypeClass } from './mappers';
import { cloudObject, normalizeTags, readInput } from './resource';
import type { PulumiResource } from './types';

export type { PulumiResource } from './types';
export type { SecretHandling, Decoded } from './decode';
export type { PulumiTypeClass } from './mappers';
export {
  decodeProperties,
  UNKNOWN_SENTINELS,
  SIG_KEY,
  SECRET_SIG,
} from './decode';
export { pulumiTypeClass, coveredTypes } from './mappers';
export { resolveStackReferences } from './references';

/** A Pulumi resource has a type token and properties, and no `kind`. */
export function isPulumiResource(raw: unknown): raw is PulumiResource {
  return (
    isObject(raw) &&
    typeof raw.type === 'string' &&
    /^[a-z][\w-]*:/.test(raw.type) &&
    typeof raw.name === 'string' &&
    isObject(raw.props) &&
    raw.kind === undefined
  );
}

/**
 * Normalizes one Pulumi resource.
 *
 * @example
 * normalizePulumi({
 *   type: 'aws:s3/bucket:Bucket',
 *   name: 'weights',
 *   urn: 'urn:pulumi:dev::ml::aws:s3/bucket:Bucket::weights',
 *   props: { bucket: 'weights', forceDestroy: true },
 * }).cloud?.role; // 'bucket'
 */
export function normalizePulumi(resource: PulumiResource): PolicyObject {
  const input = readInput(resource);
  switch (pulumiTypeClass(resource.type)) {
    case 'kubernetes':
      return kubernetesObject(input);
    case 'cloud':
      return cloudMappers[resource.type]!(input);
    case 'component':
      return cloudObject(input, { cloud: { role: 'component', ids: [] } });
    default:
      return cloudObject(input, {
        labels: normalizeTags(input.value.tags, input.value.labels),
        cloud: { role: 'unmapped', ids: [] },
      });
  }
}
