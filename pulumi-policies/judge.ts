/**
 * Judges Pulumi resources through the shared engine, once per resource and
 * config however many policies ask, and remembers what each resource was
 * found to have so the stack analysis reports only what is new.
 */
import { createHash } from 'node:crypto';
import type { PolicyResource, ResourceValidationArgs } from '@pulumi/policy';
import { decideOnFault, type Verdict } from '../core';
import {
  decodeProperties,
  normalize,
  pulumiTypeClass,
  type PulumiResource,
} from '../core/normalize';
import type { Configured, PackOptions } from './config';
import { wireProps } from './props';
import { faultViolation, present, type Violation } from './present';

export interface Judgement {
  readonly resource: PulumiResource;
  readonly violations: readonly Violation[];
}

type Source = Pick<
  ResourceValidationArgs,
  'type' | 'name' | 'urn' | 'props' | 'provider' | 'stackTags'
> & { readonly parent?: string };

/** The resource as the core reads it, from what the engine sent. */
export function toPulumiResource(
  source: Source,
  options: PackOptions,
  graph: Pick<PulumiResource, 'dependencies' | 'propertyDependencies'> = {},
): PulumiResource {
  return {
    type: source.type,
    name: source.name,
    urn: source.urn,
    props: wireProps(source.props),
    parent: source.parent,
    provider: source.provider && {
      type: source.provider.type,
      props: wireProps(source.provider.props),
    },
    stackTags: Object.fromEntries(source.stackTags ?? []),
    secrets: options.secrets,
    ...graph,
  };
}

/** Whether the pack judges resources of this type itself. */
export function isJudged(type: string): boolean {
  return pulumiTypeClass(type) !== 'component';
}

/** The resource's violations, from its verdict or a fault. */
export function violationsOf(
  resource: PulumiResource,
  judged: Verdict | { fault: Verdict },
  options: PackOptions,
): Violation[] {
  if ('fault' in judged) return [faultViolation(judged.fault)];
  const object = normalize(resource);
  const { secretValues } = decodeProperties(resource.props, resource.secrets);
  return present(judged, { object, secretValues }, options);
}

export async function judgeResource(
  configured: Configured,
  resource: PulumiResource,
): Promise<Judgement> {
  let judged: Verdict | { fault: Verdict };
  try {
    const engine = await configured.engine;
    judged = await engine.judge({ operation: 'CREATE', object: resource });
  } catch (err) {
    judged = {
      fault: decideOnFault(configured.config, err, targetOf(resource)),
    };
  }
  return {
    resource,
    violations: violationsOf(resource, judged, configured.options),
  };
}

export function targetOf(resource: PulumiResource) {
  return {
    target: {
      apiVersion: '',
      kind: resource.type,
      name: resource.name,
      namespace: '',
    },
  };
}

/** A cache key for one resource (or stack) under one config. */
export function fingerprint(configKey: string, value: unknown): string {
  return createHash('sha256')
    .update(configKey)
    .update('\u0000')
    .update(JSON.stringify(value))
    .digest('base64url');
}

/** A map that forgets its oldest entries beyond `limit`. */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.limit) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return super.set(key, value);
  }
}

/** URNs as the dependency graph names them, from the library's objects. */
export function graphOf(
  r: PolicyResource,
): Pick<PulumiResource, 'dependencies' | 'propertyDependencies'> {
  const propertyDependencies: Record<string, string[]> = {};
  for (const [k, deps] of Object.entries(r.propertyDependencies ?? {})) {
    propertyDependencies[k] = deps.map((d) => d.urn);
  }
  return {
    dependencies: (r.dependencies ?? []).map((d) => d.urn),
    propertyDependencies,
  };
}
