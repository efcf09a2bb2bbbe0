/**
 * What the pack keeps for one Pulumi run (one process): the engines per
 * config, each resource's judgement, the stack's, and which findings the
 * per-resource analysis already reported.
 */
import type {
  ResourceValidationArgs,
  StackValidationArgs,
} from '@pulumi/policy';
import { resolveStackReferences, type PulumiResource } from '../core/normalize';
import type { Verdict } from '../core';
import { decideOnFault } from '../core';
import {
  createConfigCache,
  type ConfigSources,
  type Configured,
} from './config';
import {
  BoundedMap,
  fingerprint,
  graphOf,
  isJudged,
  judgeResource,
  targetOf,
  toPulumiResource,
  violationsOf,
  type Judgement,
} from './judge';

export interface StackJudgement {
  readonly entries: readonly Judgement[];
}

export interface PackState {
  configured(args: { getConfig<T extends object>(): T }): Configured;
  resource(args: ResourceValidationArgs): Promise<Judgement>;
  stack(args: StackValidationArgs): Promise<StackJudgement>;
  /** Whether the per-resource analysis already reported this finding. */
  reported(urn: string, key: string): boolean;
  /** True the first time a resource's fault is claimed by a policy. */
  claimFault(urn: string): boolean;
}

export function createPackState(sources: ConfigSources = {}): PackState {
  const configs = createConfigCache(sources);
  const resources = new BoundedMap<string, Promise<Judgement>>(4096);
  const stacks = new BoundedMap<string, Promise<StackJudgement>>(4);
  const analyzed = new Map<string, Set<string>>();
  const faults = new Set<string>();

  const configured = (args: { getConfig<T extends object>(): T }) =>
    configs(args.getConfig<Record<string, unknown>>());

  return {
    configured,
    resource(args) {
      const config = configured(args);
      const resource = toPulumiResource(
        { ...args, parent: args.opts?.parent },
        config.options,
      );
      const key = fingerprint(config.key, resource);
      let hit = resources.get(key);
      if (!hit) {
        hit = judgeResource(config, resource).then((j) => {
          remember(analyzed, j);
          return j;
        });
        resources.set(key, hit);
      }
      return hit;
    },
    stack(args) {
      const config = configured(args);
      const all = args.resources.map((r) =>
        toPulumiResource(
          { ...r, parent: r.parent?.urn, stackTags: args.stackTags },
          config.options,
          graphOf(r),
        ),
      );
      const key = fingerprint(config.key, all);
      let hit = stacks.get(key);
      if (!hit) {
        hit = judgeStack(config, all);
        stacks.set(key, hit);
      }
      return hit;
    },
    reported: (urn, key) => analyzed.get(urn)?.has(key) ?? false,
    claimFault(urn) {
      if (faults.has(urn)) return false;
      faults.add(urn);
      return true;
    },
  };
}

function remember(analyzed: Map<string, Set<string>>, j: Judgement): void {
  const urn = j.resource.urn ?? '';
  const keys = analyzed.get(urn) ?? new Set<string>();
  for (const v of j.violations) keys.add(v.key);
  analyzed.set(urn, keys);
}

/** Every resource judged against all the others, references resolved. */
async function judgeStack(
  config: Configured,
  resources: readonly PulumiResource[],
): Promise<StackJudgement> {
  const resolved = resolveStackReferences(resources);
  let verdicts: (Verdict | Error)[];
  try {
    const engine = await config.engine;
    verdicts = await engine.judgeAll(resolved);
  } catch (err) {
    verdicts = resolved.map(() => err as Error);
  }
  const entries = resolved.flatMap((resource, i): Judgement[] => {
    if (!isJudged(resource.type)) return [];
    const v = verdicts[i]!;
    const judged =
      v instanceof Error
        ? { fault: decideOnFault(config.config, v, targetOf(resource)) }
        : v;
    return [
      { resource, violations: violationsOf(resource, judged, config.options) },
    ];
  });
  return { entries };
}
