/**
 * The policy input for one request: the object to judge, normalized, with
 * the old object on UPDATE and the related objects the rules read across.
 */
import type { PolicyInput } from '../evaluate';
import { ModelgateError } from '../errors';
import { normalize, type PolicyObject } from '../normalize';
import type { JudgeRequest } from './types';

/** Marks a judgement whose related objects were set on the policy. */
export const BATCH = Symbol('batch');

export function buildPolicyInput(
  request: JudgeRequest,
  related: readonly PolicyObject[] | typeof BATCH,
  now: number,
  detect: (o: PolicyObject) => PolicyObject = (o) => o,
): PolicyInput {
  const isDelete = request.operation === 'DELETE';
  const raw = isDelete ? request.oldObject : request.object;
  if (raw === undefined || raw === null) {
    throw new ModelgateError(
      'INPUT_INVALID',
      isDelete
        ? 'delete request carries no oldObject'
        : 'request carries no object',
    );
  }
  const nsOption = { namespace: request.namespace, old: request.oldObject };
  const object = detect(normalize(raw, nsOption));
  const oldObject =
    request.operation === 'UPDATE' && request.oldObject
      ? safeNormalize(request.oldObject)
      : undefined;
  const old = oldObject ? detect(oldObject) : null;
  const base = {
    operation: request.operation,
    subResource: request.subResource ?? '',
    object,
    old,
    facts: { images: {} },
    now,
  };
  if (related === BATCH) return base;
  const others = related.filter(
    (o) =>
      !(
        o.kind === object.kind &&
        o.name === object.name &&
        o.namespace === object.namespace
      ),
  );
  return { ...base, related: [object, ...others] };
}

export function safeNormalize(raw: unknown): PolicyObject | undefined {
  try {
    return normalize(raw);
  } catch {
    return undefined;
  }
}
