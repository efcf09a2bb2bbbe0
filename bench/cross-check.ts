/**
 * Before timing, one request per object to each server, to show that both
 * decide what the bundled wasm decides for the same input: the reference
 * then does the same evaluation, minus HTTP parsing and normalization.
 */
import { postOnce, type LoadTarget } from './load';
import type { PreparedInput } from './policy-input';

export interface Agreement {
  readonly total: number;
  /** OPA's `result.decision` equals the wasm's. */
  readonly opa: number;
  /** The webhook's `allowed` equals `decision !== 'deny'`. */
  readonly webhook: number;
  readonly mismatches: readonly string[];
}

export async function crossCheck(
  webhook: LoadTarget,
  opa: LoadTarget,
  inputs: readonly PreparedInput[],
): Promise<Agreement> {
  let opaAgrees = 0;
  let webhookAgrees = 0;
  const mismatches: string[] = [];
  for (const p of inputs) {
    const label = `${p.object.kind}/${p.object.name}`;
    const fromOpa = await opaDecision(opa, p);
    if (fromOpa === p.wasmDecision) opaAgrees++;
    else mismatches.push(`${label}: wasm ${p.wasmDecision}, OPA ${fromOpa}`);

    const allowed = await webhookAllowed(webhook);
    if (allowed === (p.wasmDecision !== 'deny')) webhookAgrees++;
    else
      mismatches.push(`${label}: wasm ${p.wasmDecision}, allowed ${allowed}`);
  }
  return {
    total: inputs.length,
    opa: opaAgrees,
    webhook: webhookAgrees,
    mismatches,
  };
}

async function opaDecision(opa: LoadTarget, p: PreparedInput) {
  const { text } = await postOnce(opa, JSON.stringify({ input: p.input }));
  const parsed = JSON.parse(text) as { result?: { decision?: string } };
  return parsed.result?.decision ?? 'none';
}

/** The target walks the inputs in order, so call it once per input. */
async function webhookAllowed(webhook: LoadTarget) {
  const { body } = webhook.nextRequest();
  const { text } = await postOnce(webhook, body);
  const parsed = JSON.parse(text) as { response?: { allowed?: boolean } };
  return parsed.response?.allowed;
}
