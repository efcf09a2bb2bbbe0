/**
 * Hands every object to the engine in one judgeAll call, so rules read
 * across files, and maps anything the engine could not judge through
 * decideOnFault: the CLI and the webhook make the same fail-closed choice.
 */
import type { Config } from '../../core/config';
import { decideOnFault } from '../../core/decide';
import { createEngine, type Target, type Verdict } from '../../core/engine';
import { ModelgateError, describeThrown } from '../../core/errors';
import { isConfigError } from '../config';
import type { InputObject } from '../input';
import type { CheckedObject } from '../report';

export interface JudgeOptions {
  readonly config: Config;
  /** Look up no signatures: the engine gets no verifier. */
  readonly offline: boolean;
  /** Reports a diagnostic (one line) on stderr. */
  readonly warn: (line: string) => void;
}

/** A verdict, or whatever stopped the engine from reaching one. */
type Outcome = Verdict | { readonly fault: unknown };

export async function judgeInputs(
  inputs: readonly InputObject[],
  options: JudgeOptions,
): Promise<CheckedObject[]> {
  if (inputs.length === 0) return [];
  const outcomes = await judgeAllOrFault(inputs, options);
  return inputs.map((input, i) => checked(input, outcomes[i]!, options.config));
}

async function judgeAllOrFault(
  inputs: readonly InputObject[],
  options: JudgeOptions,
): Promise<Outcome[]> {
  try {
    const verifier = options.offline
      ? undefined
      : await loadVerifier(options.config);
    const engine = await createEngine({ config: options.config, verifier });
    const results = await engine.judgeAll(inputs.map((i) => i.object));
    return results.map((r) => (r instanceof ModelgateError ? { fault: r } : r));
  } catch (err) {
    if (isConfigError(err)) throw err;
    options.warn(
      `cannot judge any object: ${describeThrown(err)}` +
        (options.offline ? '' : ' (--offline skips registry lookups)'),
    );
    return inputs.map(() => ({ fault: err }));
  }
}

/**
 * Loaded on demand: offline runs never load the registry client.
 */
async function loadVerifier(config: Config) {
  const { verifierFromConfig } = await import('../../core/facts');
  return verifierFromConfig(config);
}

function checked(
  input: InputObject,
  outcome: Outcome,
  config: Config,
): CheckedObject {
  if ('fault' in outcome) {
    const target = rawTarget(input.object);
    const verdict = decideOnFault(config, outcome.fault, { target });
    return {
      ...fromVerdict(input, verdict),
      fault: {
        code:
          outcome.fault instanceof ModelgateError
            ? outcome.fault.code
            : 'INTERNAL',
        message: describeThrown(outcome.fault),
      },
    };
  }
  return fromVerdict(input, outcome);
}

function fromVerdict(input: InputObject, verdict: Verdict): CheckedObject {
  return {
    source: input.source,
    target: verdict.target,
    decision: verdict.decision,
    rules: verdict.rules,
    findings: verdict.findings.map((f) => ({
      ...f,
      line: input.lineOf(f.path),
    })),
    note: verdict.note,
  };
}

/** What the report names when the engine could not normalize the object. */
function rawTarget(object: Readonly<Record<string, unknown>>): Target {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    apiVersion: text(object.apiVersion),
    kind: text(object.kind),
    name: text(metadata.name),
    namespace: text(metadata.namespace),
  };
}
