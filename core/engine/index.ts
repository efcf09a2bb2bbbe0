/**
 * The core's orchestrator: normalize, gather facts, evaluate. Every gate
 * calls it; none of them decides a rule on its own.
 */
import type { Config } from '../config';
import {
  loadModelgatePolicy,
  type Policy,
  type PolicyInput,
} from '../evaluate';
import { ModelgateError, describeThrown } from '../errors';
import { parseImageRef } from '../image-ref';
import { normalize, type PolicyObject } from '../normalize';
import type { ImageFact, ImageVerifier } from '../signature';
import type { Engine, Finding, JudgeRequest, Target, Verdict } from './types';

export type * from './types';

export interface EngineOptions {
  readonly config: Config;
  /** Looks up signatures; without one, every wanted image is unverified. */
  readonly verifier?: ImageVerifier;
  /** Path of a compiled policy other than the bundled one. */
  readonly policyPath?: string;
  /** Clock for exemption expiry; defaults to Date.now. */
  readonly now?: () => number;
}

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const policy = await loadModelgatePolicy(options.config, options.policyPath);
  const now = options.now ?? Date.now;
  const judgeNormalized = (
    request: JudgeRequest,
    related: readonly PolicyObject[],
  ) => judgeOne(policy, options.verifier, now, request, related);

  return {
    judge: (request) =>
      judgeNormalized(
        request,
        (request.related ?? []).map(safeNormalize).filter(isDefined),
      ),
    judgeAll: async (objects) => {
      const normalized = objects.map(safeNormalize);
      const related = normalized.filter(isDefined);
      return Promise.all(
        objects.map((object) =>
          judgeNormalized({ operation: 'CREATE', object }, related).catch(
            (err: unknown) => asModelgateError(err),
          ),
        ),
      );
    },
  };
}

async function judgeOne(
  policy: Policy,
  verifier: ImageVerifier | undefined,
  now: () => number,
  request: JudgeRequest,
  related: readonly PolicyObject[],
): Promise<Verdict> {
  const input = buildInput(request, related, now());

  const wanted = policy.wanted(input);
  const facts = await gatherFacts(wanted, verifier);
  const result = policy.evaluate({ ...input, facts: { images: facts } });

  const findings = sortFindings(result.findings);
  return {
    decision: result.decision,
    target: targetOf(input.object),
    findings,
    rules: actingRules(findings),
    note: result.judged
      ? undefined
      : 'not a model workload or model-data store',
  };
}

function buildInput(
  request: JudgeRequest,
  related: readonly PolicyObject[],
  now: number,
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
  const object = normalize(raw, nsOption);
  const old =
    request.operation === 'UPDATE' && request.oldObject
      ? (safeNormalize(request.oldObject) ?? null)
      : null;
  const others = related.filter(
    (o) =>
      !(
        o.kind === object.kind &&
        o.name === object.name &&
        o.namespace === object.namespace
      ),
  );
  return {
    operation: request.operation,
    subResource: request.subResource ?? '',
    object,
    old,
    related: [object, ...others],
    facts: { images: {} },
    now,
  };
}

async function gatherFacts(
  refs: readonly string[],
  verifier: ImageVerifier | undefined,
): Promise<Record<string, ImageFact>> {
  if (!verifier || refs.length === 0) return {};
  const facts = await Promise.all(
    refs.map((ref) => verifier.verify(parseImageRef(ref))),
  );
  return Object.fromEntries(refs.map((ref, i) => [ref, facts[i]!]));
}

function asModelgateError(err: unknown): ModelgateError {
  if (err instanceof ModelgateError) return err;
  return new ModelgateError('POLICY_EVAL_FAILED', describeThrown(err), {
    cause: err,
  });
}

function safeNormalize(raw: unknown): PolicyObject | undefined {
  try {
    return normalize(raw);
  } catch {
    return undefined;
  }
}

function isDefined<T>(v: T | undefined): v is T {
  return v !== undefined;
}

function targetOf(o: PolicyObject): Target {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.name,
    namespace: o.namespace,
  };
}

const MODE_ORDER = { enforce: 0, warn: 1, audit: 2, off: 3 } as const;

function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      MODE_ORDER[a.mode] - MODE_ORDER[b.mode] ||
      a.rule.localeCompare(b.rule) ||
      a.path.localeCompare(b.path),
  );
}

function actingRules(findings: readonly Finding[]): string[] {
  const acting = findings.filter(
    (f) => !f.exemption && (f.mode === 'enforce' || f.mode === 'warn'),
  );
  return [...new Set(acting.map((f) => f.rule))];
}
