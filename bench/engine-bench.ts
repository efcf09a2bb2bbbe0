/**
 * Section 4: the engine alone, in-process, with no HTTP: judgements per
 * second over the corpus, beside the bare wasm evaluation of the same
 * inputs, so the HTTP figures can be read against the decision's own cost.
 */
import type { Config } from '../core/config';
import { createEngine } from '../core/engine';
import { loadModelgatePolicy } from '../core/evaluate';
import type { PreparedInput } from './policy-input';
import { compareRow, fmt, printTable } from './report';
import { unsignedVerifier } from './unsigned-verifier';

export const ENGINE_RUN = { warmUp: 500, durationMs: 2_000 } as const;

export async function benchEngine(
  config: Config,
  inputs: readonly PreparedInput[],
): Promise<void> {
  const engine = await createEngine({ config, verifier: unsignedVerifier() });
  const policy = await loadModelgatePolicy(config);
  const judged = await perSecond(async (i) => {
    const o = inputs[i % inputs.length]!.object;
    await engine.judge({
      operation: 'CREATE',
      object: o.raw,
      namespace: o.namespace || undefined,
    });
  });
  const evaluated = await perSecond(async (i) => {
    policy.evaluate(inputs[i % inputs.length]!.input);
  });

  printTable(
    `Engine alone, in-process, ${inputs.length} corpus objects round-robin (warm cache)`,
    ['figure', 'engine.judge', 'wasm result only', 'ratio'],
    [
      compareRow('judgements per second', judged, evaluated, fmt.int),
      compareRow(
        'mean per judgement (us)',
        1e6 / judged,
        1e6 / evaluated,
        fmt.us,
      ),
    ],
  );
}

/** Calls `step` one after another for the run's duration; returns calls/s. */
async function perSecond(step: (i: number) => Promise<void>): Promise<number> {
  for (let i = 0; i < ENGINE_RUN.warmUp; i++) await step(i);
  const t0 = performance.now();
  let calls = 0;
  while (performance.now() - t0 < ENGINE_RUN.durationMs) await step(calls++);
  return (calls / (performance.now() - t0)) * 1000;
}
