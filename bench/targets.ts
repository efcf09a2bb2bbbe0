/**
 * What each server is sent: the webhook gets every object wrapped as an
 * AdmissionReview with a unique uid; OPA gets the policy input the engine
 * would build for the same object.
 */
import { reviewTemplate } from './corpus';
import type { LoadTarget } from './load';
import type { PreparedInput } from './policy-input';
import type { RunningServer } from './servers';

export function webhookTarget(
  server: RunningServer,
  caPem: string,
  inputs: readonly PreparedInput[],
): LoadTarget {
  const templates = inputs.map((p) => reviewTemplate(p.object));
  let sequence = 0;
  return {
    port: server.port,
    path: server.path,
    caPem,
    nextRequest: () => {
      const n = sequence++;
      const uid = `modelgate-bench-${n}`;
      return {
        body: templates[n % templates.length]!(uid),
        isAnswer: (text) => text.includes(`"uid":"${uid}"`),
      };
    },
  };
}

export function opaTarget(
  server: RunningServer,
  caPem: string,
  inputs: readonly PreparedInput[],
): LoadTarget {
  const bodies = inputs.map((p) => JSON.stringify({ input: p.input }));
  let sequence = 0;
  return {
    port: server.port,
    path: server.path,
    caPem,
    nextRequest: () => ({
      body: bodies[sequence++ % bodies.length]!,
      isAnswer: (text) => text.includes('"decision"'),
    }),
  };
}

/** The webhook's requests, for a server that answers without reading. */
export function echoTarget(
  server: RunningServer,
  caPem: string,
  inputs: readonly PreparedInput[],
): LoadTarget {
  const reviews = webhookTarget(server, caPem, inputs);
  return {
    ...reviews,
    nextRequest: () => ({
      body: reviews.nextRequest().body,
      isAnswer: () => true,
    }),
  };
}
