/** Which normalizer reads which Pulumi resource type. */
import type { PolicyObject } from '../types';
import { computeMappers } from './compute';
import { gatewayMappers } from './gateway';
import { isKubernetesComponent, isKubernetesObjectType } from './kube';
import { modelMappers } from './models';
import type { Input } from './resource';
import { storageMappers } from './storage';

/** Maps one cloud resource type's properties onto the policy input. */
export type Mapper = (input: Input) => PolicyObject;

/**
 * How modelgate reads a type: as a Kubernetes object, as a cloud resource
 * it knows, as a component whose children are judged instead, or not at all.
 */
export type PulumiTypeClass = 'kubernetes' | 'cloud' | 'component' | 'unmapped';

export const cloudMappers: Readonly<Record<string, Mapper>> = {
  ...modelMappers,
  ...storageMappers,
  ...computeMappers,
  ...gatewayMappers,
};

export function pulumiTypeClass(type: string): PulumiTypeClass {
  if (isKubernetesObjectType(type)) return 'kubernetes';
  if (Object.hasOwn(cloudMappers, type)) return 'cloud';
  if (
    isKubernetesComponent(type) ||
    type === 'pulumi:pulumi:Stack' ||
    type.startsWith('pulumi:providers:')
  ) {
    return 'component';
  }
  return 'unmapped';
}

/** Every type modelgate reads, for documentation and coverage tests. */
export function coveredTypes(): string[] {
  return Object.keys(cloudMappers).sort();
}
