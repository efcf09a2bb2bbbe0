/**
 * The exact policy input and data the engine hands the wasm, rebuilt here
 * so OPA's server can evaluate the same thing: normalized object, no old
 * object, the object as its only relation, and unsigned image facts.
 */
import type { Config } from '../core/config';
import { buildPolicyInput, modelSignals } from '../core/engine';
import {
  loadModelgatePolicy,
  type Policy,
  type PolicyInput,
} from '../core/evaluate';
import { parseImageRef } from '../core/image-ref';
import type { PolicyObject } from '../core/normalize';
import type { BenchObject } from './corpus';

type Detect = (o: PolicyObject) => PolicyObject;
import { unsignedFact } from './unsigned-verifier';

export interface PreparedInput {
  readonly object: BenchObject;
  readonly input: PolicyInput;
  /** The decision the bundled wasm gives for `input`, to cross-check OPA. */
  readonly wasmDecision: string;
}

/**
 * Builds each object's input as the engine's buildInput does for a CREATE
 * review, with the facts the unsigned verifier would give for the images
 * the policy asks about. Objects that do not normalize are left out.
 */
export async function preparePolicyInputs(
  config: Config,
  objects: readonly BenchObject[],
  now: number,
): Promise<PreparedInput[]> {
  const policy = await loadModelgatePolicy(config);
  const detect = modelSignals(config);
  const prepared: PreparedInput[] = [];
  for (const object of objects) {
    const input = inputFor(policy, detect, object, now);
    if (input === undefined) continue;
    const wasmDecision = policy.evaluate(input).decision;
    prepared.push({ object, input, wasmDecision });
  }
  return prepared;
}

function inputFor(
  policy: Policy,
  detect: Detect,
  o: BenchObject,
  now: number,
): PolicyInput | undefined {
  try {
    return unsignedInput(policy, detect, o, now);
  } catch {
    return undefined;
  }
}

function unsignedInput(
  policy: Policy,
  detect: Detect,
  o: BenchObject,
  now: number,
) {
  const request = {
    operation: 'CREATE' as const,
    object: o.raw,
    namespace: o.namespace || undefined,
  };
  const base = buildPolicyInput(request, [], now, detect);
  const images = Object.fromEntries(
    policy.wanted(base).map((ref) => [ref, unsignedFact(parseImageRef(ref))]),
  );
  return { ...base, facts: { images } };
}
