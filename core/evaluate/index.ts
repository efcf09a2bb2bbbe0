/**
 * The one adapter around @open-policy-agent/opa-wasm. The module is loaded
 * once; anything it throws (it throws strings and plain objects) becomes a
 * ModelgateError with a code and the original as cause.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import type { Config } from '../config';
import { ModelgateError, describeThrown } from '../errors';
import type { PolicyObject } from '../normalize';
import type { ImageFact } from '../signature';
import type { Decision, Finding, Operation, RuleInfo } from '../engine/types';

export interface PolicyInput {
  readonly operation: Operation;
  readonly subResource: string;
  readonly object: PolicyObject;
  readonly old: PolicyObject | null;
  /** Absent when the batch was handed over with `setRelated`. */
  readonly related?: readonly PolicyObject[];
  readonly facts: { readonly images: Readonly<Record<string, ImageFact>> };
  /** Milliseconds since the epoch; exemptions expire against it. */
  readonly now: number;
}

export interface PolicyResult {
  readonly decision: Decision;
  readonly findings: readonly Finding[];
  /** False when no rule applied to the object (not a model workload). */
  readonly judged: boolean;
}

export interface Policy {
  /**
   * Hands the policy the objects a whole batch reads across, once, for
   * inputs that carry no `related` of their own.
   */
  setRelated(objects: readonly PolicyObject[]): void;
  /** Every rule the policy enforces, by id. */
  catalog(): Readonly<Record<string, RuleInfo>>;
  /** Image references whose signature facts the evaluation will read. */
  wanted(input: PolicyInput): string[];
  evaluate(input: PolicyInput): PolicyResult;
}

/** The compiled policy shipped with the package. */
export const bundledPolicyPath = join(
  __dirname,
  '..',
  '..',
  ...(__dirname.includes(`${join('dist', 'core')}`) ? ['..'] : []),
  'policies',
  'dist',
  'modelgate.wasm',
);

/** Loads the wasm module once and gives it the config as data. */
export async function loadModelgatePolicy(
  config: Config,
  wasmPath: string = bundledPolicyPath,
): Promise<Policy> {
  let loaded: Awaited<ReturnType<typeof loadPolicy>>;
  try {
    loaded = await loadPolicy(readFileSync(wasmPath));
    loaded.setData({ config: policyData(config), related: [] });
  } catch (err) {
    throw new ModelgateError(
      'POLICY_LOAD_FAILED',
      `policy ${wasmPath}: ${describeThrown(err)}`,
      { cause: err },
    );
  }
  const run = (input: PolicyInput | object, entrypoint: string): unknown => {
    try {
      const out = loaded.evaluate(input, entrypoint) as { result?: unknown }[];
      return out[0]?.result;
    } catch (err) {
      throw new ModelgateError(
        'POLICY_EVAL_FAILED',
        `policy evaluation failed: ${describeThrown(err)}`,
        { cause: err },
      );
    }
  };
  const data = policyData(config);
  return {
    setRelated: (objects) => {
      try {
        loaded.setData({ config: data, related: objects });
      } catch (err) {
        throw new ModelgateError(
          'POLICY_EVAL_FAILED',
          `policy data could not be set: ${describeThrown(err)}`,
          { cause: err },
        );
      }
    },
    catalog: () =>
      run({}, 'modelgate/rule_catalog') as Record<string, RuleInfo>,
    wanted: (input) => (run(input, 'modelgate/wanted') as string[]) ?? [],
    evaluate: (input) => checkResult(run(input, 'modelgate/result')),
  };
}

/** The config as the policy reads it: no secrets, no file paths. */
export function policyData(config: Config): unknown {
  return {
    defaultMode: config.defaultMode,
    rules: config.rules,
    namespaces: config.namespaces,
    modelDetection: config.modelDetection,
    trust: {
      keys: config.trust.keys.map((k) => k.name),
      authorities: config.trust.authorities,
    },
    decommissionProcedures: config.decommissionProcedures,
    exemptions: config.exemptions,
  };
}

function checkResult(value: unknown): PolicyResult {
  const r = value as PolicyResult | undefined;
  if (!r || !Array.isArray(r.findings) || typeof r.decision !== 'string') {
    throw new ModelgateError(
      'POLICY_EVAL_FAILED',
      'policy returned no decision (the object may not fit the policy input)',
    );
  }
  return r;
}
