/**
 * The one place that decides what a fault of modelgate's own means for the
 * object in hand. The default, `failurePolicy: closed`, is to deny.
 */
import type { Config } from '../config';
import { describeThrown, errorCode } from '../errors';
import type { Operation, Target, Verdict } from '../engine/types';

const UNKNOWN_TARGET: Target = {
  apiVersion: '',
  kind: '',
  name: '',
  namespace: '',
};

/**
 * The verdict for an object that could not be judged because of `fault`.
 * A delete is never refused for a fault of ours: a blocked teardown strands
 * the cluster, and decommissioning is what the rules ask for.
 */
export function decideOnFault(
  config: Pick<Config, 'failurePolicy'>,
  fault: unknown,
  context: { target?: Target; operation?: Operation } = {},
): Verdict {
  const code = errorCode(fault);
  // Only the first line: stack-like detail (require stacks, paths) stays out.
  const why = describeThrown(fault).split('\n')[0]!.slice(0, 300);
  const target = context.target ?? UNKNOWN_TARGET;
  if (context.operation === 'DELETE') {
    return {
      decision: 'allow',
      target,
      findings: [],
      rules: [],
      note: `modelgate could not judge this delete (${code}: ${why}); deletes are never refused for a fault`,
    };
  }
  const open = config.failurePolicy === 'open';
  const note = `modelgate could not judge this object (${code}: ${why}); ${
    open
      ? 'allowed because failurePolicy is open'
      : 'denied because failurePolicy is closed'
  }`;
  return {
    decision: open ? 'warn' : 'deny',
    target,
    findings: [],
    rules: [],
    note,
  };
}
