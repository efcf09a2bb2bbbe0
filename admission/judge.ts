/**
 * Judges one admission request: gather cluster state, ask the engine, and
 * answer by the deadline. Every fault on the way, including the deadline,
 * goes to decideOnFault, the one place that chooses open or closed.
 */
import {
  ModelgateError,
  decideOnFault,
  type ClusterLookup,
  type Config,
  type Engine,
  type JudgeRequest,
  type Target,
} from '../core';
import { AdmissionError } from './errors';
import type { Judged } from './respond';
import type { ReviewRequest } from './review';

export interface JudgeContext {
  readonly config: Config;
  readonly engine: Engine;
  readonly lookup: ClusterLookup;
}

/** Never throws: a fault becomes the verdict decideOnFault gives for it. */
export async function judgeReview(
  context: JudgeContext,
  review: ReviewRequest,
  deadlineMs: number,
): Promise<Judged> {
  try {
    const verdict = await withDeadline(judge(context, review), deadlineMs);
    return { verdict };
  } catch (fault) {
    const verdict = decideOnFault(context.config, fault, {
      target: targetOf(review),
      operation: review.operation,
    });
    return { verdict, fault };
  }
}

async function judge(context: JudgeContext, review: ReviewRequest) {
  const subject = review.object ?? review.oldObject;
  if (subject === undefined) {
    throw new ModelgateError(
      'INPUT_INVALID',
      `${review.operation.toLowerCase()} request carries no object to judge`,
    );
  }

  const related = await context.lookup.related({
    namespace: review.namespace,
    object: subject,
    oldObject: review.oldObject,
  });

  const request: JudgeRequest = {
    operation: review.operation,
    object: review.object,
    oldObject: review.oldObject,
    subResource: review.subResource,
    namespace: review.namespace || undefined,
    related,
  };
  return context.engine.judge(request);
}

/**
 * Settles with `work` or rejects with DEADLINE_EXCEEDED, whichever comes
 * first.
 */
// LIMITATION: the engine takes no abort signal, so work that misses the
// deadline runs on in the background until it settles; only its answer is
// dropped. Registry lookups have their own, shorter deadline.
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AdmissionError(
            'DEADLINE_EXCEEDED',
            `judging took longer than the ${ms} ms admission deadline`,
          ),
        ),
      Math.max(0, ms),
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Who the request is about, as the API server names it. */
export function targetOf(review: ReviewRequest): Target {
  return {
    apiVersion: review.apiVersion,
    kind: review.kind,
    name: review.name,
    namespace: review.namespace,
  };
}
