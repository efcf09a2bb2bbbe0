/**
 * The core's orchestrator: normalize, gather facts, evaluate. Every gate
 * calls it; none of them decides a rule on its own.
 */
import type { Config } from '../config';
import { loadModelgatePolicy, type Policy } from '../evaluate';
import { ModelgateError, describeThrown } from '../errors';
import { parseImageRef, type ImageRef } from '../image-ref';
import type { PolicyObject } from '../normalize';
import type { ImageFact, ImageVerifier } from '../signature';
import { checkRuleNames } from './check-config';
import { modelSignals } from './detect';
import { BATCH, buildPolicyInput, safeNormalize } from './input';
import type { Engine, Finding, JudgeRequest, Target, Verdict } from './types';

export type * from './types';
export { buildPolicyInput } from './input';
export { globToRegExp, modelSignals } from './detect';

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
  checkRuleNames(options.config, policy.catalog());
  const now = options.now ?? Date.now;
  const detect = modelSignals(options.config);
  const verify = options.verifier
    ? withDeadline(options.verifier, options.config.verification.timeoutMs)
    : undefined;
  const judgeNormalized = (
    request: JudgeRequest,
    related: readonly PolicyObject[] | typeof BATCH,
  ) => judgeOne(policy, verify, now, request, related, detect);
  const batches = serial();

  return {
    catalog: policy.catalog(),
    judge: (request) =>
      judgeNormalized(
        request,
        (request.related ?? [])
          .map(safeNormalize)
          .filter(isDefined)
          .map(detect),
      ),
    // The batch goes to the policy once, not once per object: a stack of
    // a thousand resources would otherwise be re-sent a thousand times.
    judgeAll: (objects) =>
      batches(async () => {
        policy.setRelated(
          objects.map(safeNormalize).filter(isDefined).map(detect),
        );
        try {
          return await Promise.all(
            objects.map((object) =>
              judgeNormalized({ operation: 'CREATE', object }, BATCH).catch(
                (err: unknown) => asModelgateError(err),
              ),
            ),
          );
        } finally {
          policy.setRelated([]);
        }
      }),
  };
}

/** Runs one batch at a time, in call order. */
function serial(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (work) => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}

async function judgeOne(
  policy: Policy,
  verify: Verify | undefined,
  now: () => number,
  request: JudgeRequest,
  related: readonly PolicyObject[] | typeof BATCH,
  detect: (o: PolicyObject) => PolicyObject,
): Promise<Verdict> {
  const input = buildPolicyInput(request, related, now(), detect);

  // The policy is asked which images it wants only when there are any:
  // each pass through the wasm costs as much as the verdict itself.
  const wanted =
    verify && (input.object.images.length > 0 || input.object.kind === 'Scale')
      ? policy.wanted(input)
      : [];
  const facts = await gatherFacts(wanted, verify);
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

async function gatherFacts(
  refs: readonly string[],
  verify: Verify | undefined,
): Promise<Record<string, ImageFact>> {
  if (!verify || refs.length === 0) return {};
  const facts = await Promise.all(
    refs.map((ref) => verify(parseImageRef(ref))),
  );
  return Object.fromEntries(refs.map((ref, i) => [ref, facts[i]!]));
}

type Verify = (ref: ImageRef) => Promise<ImageFact>;

/**
 * Bounds every lookup by the config's deadline, whatever the verifier does,
 * and turns a thrown error into a fact. The deadline stays below the
 * webhook's timeout so modelgate answers, not the API server's
 * failurePolicy.
 */
function withDeadline(verifier: ImageVerifier, timeoutMs: number): Verify {
  // A verifier may be anyone's code. A fact the rules cannot read (no
  // signature count, an error without a code) makes them skip the image
  // without a finding, so such a fact counts as a failed lookup instead.
  const wellFormed = (fact: unknown): fact is ImageFact => {
    if (typeof fact !== 'object' || fact === null) return false;
    const { signatures, signers, digest, error } = fact as Partial<
      Record<keyof ImageFact, unknown>
    >;
    const e = error as { code?: unknown; message?: unknown } | null | undefined;
    return (
      Number.isInteger(signatures) &&
      (signatures as number) >= 0 &&
      Array.isArray(signers) &&
      signers.every((s) => typeof s === 'string') &&
      (digest === undefined || typeof digest === 'string') &&
      (e === undefined ||
        (typeof e?.code === 'string' && typeof e.message === 'string'))
    );
  };
  return async (ref) => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<ImageFact>((resolve) => {
      timer = setTimeout(
        () =>
          resolve(
            failedFact(
              ref,
              'REGISTRY_TIMEOUT',
              `verification timed out after ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      const fact = await Promise.race([verifier.verify(ref), deadline]);
      if (wellFormed(fact)) return fact;
      return failedFact(
        ref,
        'REGISTRY_PROTOCOL',
        'verifier returned a malformed fact',
      );
    } catch (err) {
      const code =
        err instanceof ModelgateError ? err.code : 'REGISTRY_PROTOCOL';
      return failedFact(ref, code, describeThrown(err));
    } finally {
      clearTimeout(timer);
    }
  };
}

function failedFact(ref: ImageRef, code: string, message: string): ImageFact {
  // A thrown message may quote a registry at length; denials stay short.
  const short = message.length > 200 ? `${message.slice(0, 199)}…` : message;
  return {
    ref: ref.canonical,
    signatures: 0,
    signers: [],
    error: { code, message: short },
  };
}

function asModelgateError(err: unknown): ModelgateError {
  if (err instanceof ModelgateError) return err;
  return new ModelgateError('POLICY_EVAL_FAILED', describeThrown(err), {
    cause: err,
  });
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
