/**
 * What every normalized Pulumi resource shares: its identity, its place in
 * the dependency graph, its tags and the values left out at preview.
 */
import { isObject } from '../walk';
import type { CloudFacts, PolicyObject } from '../types';
import { decodeProperties, type Decoded } from './decode';
import type { PulumiResource } from './types';

type Json = Record<string, unknown>;

/** A resource with its properties read, handed to each type's mapper. */
export interface Input {
  readonly resource: PulumiResource;
  /** The properties with unknown (and deferred secret) values left out. */
  readonly value: Json;
  readonly decoded: Decoded;
}

export function readInput(resource: PulumiResource): Input {
  const decoded = decodeProperties(resource.props, resource.secrets);
  return { resource, value: decoded.value, decoded };
}

/** The URNs a resource depends on, through any property or explicitly. */
export function usesOf(resource: PulumiResource): string[] {
  const urns = new Set(resource.dependencies ?? []);
  for (const list of Object.values(resource.propertyDependencies ?? {})) {
    for (const urn of list) urns.add(urn);
  }
  return [...urns].sort();
}

/**
 * A property that refers to another resource, as every reference it has: its
 * literal value when known, and the URNs the property depends on.
 */
export function refs(input: Input, property: string): string[] {
  const out = new Set<string>();
  const literal = input.value[property];
  if (typeof literal === 'string' && literal !== '') out.add(literal);
  for (const urn of input.resource.propertyDependencies?.[property] ?? []) {
    out.add(urn);
  }
  return [...out];
}

/** `urn:pulumi:<stack>::<project>::…` gives the namespace `pulumi:<stack>`. */
export function stackNamespace(urn: string | undefined): string {
  const match = /^urn:pulumi:([^:]+)::/.exec(urn ?? '');
  return match ? `pulumi:${match[1]}` : '';
}

/**
 * Tag keys that cannot hold `.` or `/` (GCP labels, Azure tags) spell
 * `modelgate.io/model` as `modelgate-io_model`; both mean the same.
 */
const ALTERNATE_PREFIX = 'modelgate-io_';

export function normalizeTags(
  ...maps: readonly unknown[]
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const map of maps) {
    if (!isObject(map)) continue;
    for (const [key, value] of Object.entries(map)) {
      if (typeof value !== 'string') continue;
      const name = key.startsWith(ALTERNATE_PREFIX)
        ? `modelgate.io/${key.slice(ALTERNATE_PREFIX.length)}`
        : key;
      out[name] = value;
    }
  }
  return out;
}

/** Default tags a provider adds to every resource (AWS, GCP). */
export function providerTags(resource: PulumiResource): unknown[] {
  const props = resource.provider?.props;
  if (!props) return [];
  const { value } = decodeProperties(props, 'read');
  const aws = isObject(value.defaultTags) ? value.defaultTags.tags : undefined;
  return [aws, value.defaultLabels];
}

export function awsTags(input: Input): Record<string, string> {
  const { value, resource } = input;
  return normalizeTags(...providerTags(resource), value.tagsAll, value.tags);
}

/** Names and ARNs other resources may refer to this one by. */
export function named(input: Input, ...keys: string[]): string[] {
  return ['name', 'arn', ...keys]
    .map((k) => str(input.value[k]))
    .filter((s): s is string => s !== undefined);
}

export type CloudShape = Partial<
  Omit<PolicyObject, 'cloud' | 'apiVersion' | 'group' | 'kind'>
> & {
  readonly cloud: Partial<CloudFacts> & Pick<CloudFacts, 'role'>;
};

/** A cloud resource in the policy input's shape. */
export function cloudObject(input: Input, shape: CloudShape): PolicyObject {
  const { resource, decoded } = input;
  const provider = resource.type.split(':')[0] ?? '';
  const { cloud, ...rest } = shape;
  return {
    apiVersion: provider,
    group: provider,
    kind: resource.type,
    name: resource.name,
    namespace: stackNamespace(resource.urn),
    labels: {},
    annotations: {},
    templates: [],
    images: [],
    modelUris: [],
    serves: false,
    ...rest,
    urn: resource.urn,
    uses: usesOf(resource),
    unknown: decoded.unknown,
    secret: decoded.secret,
    cloud: {
      retention: [],
      devices: [],
      ...cloud,
      ids: [...new Set([resource.urn ?? '', ...(cloud.ids ?? [])])].filter(
        (id) => id !== '',
      ),
    },
  };
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) {
    return Number(value);
  }
  return undefined;
}

/** `true`, `"true"`: launch templates spell booleans as strings. */
export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

export function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

export function obj(value: unknown): Json {
  return isObject(value) ? value : {};
}
