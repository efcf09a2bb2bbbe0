/**
 * A small HTTPS load generator on node's own client with keep-alive
 * connections: open-loop at a fixed rate (requests leave on schedule,
 * whether or not earlier ones were answered, so server queueing shows in
 * the latency) and closed-loop with N connections for peak throughput.
 */
import { Agent, request } from 'node:https';
import { performance } from 'node:perf_hooks';

export interface LoadTarget {
  readonly port: number;
  readonly path: string;
  readonly caPem: string;
  /** The next request body and a check that a reply answers it. */
  nextRequest(): { body: string; isAnswer(text: string): boolean };
}

export interface LoadResult {
  /**
   * Latency of every request, failed ones included, from the moment it was
   * handed to the agent: waiting for a free socket counts, the client's own
   * lateness against the schedule does not (see maxSendLagMs).
   */
  readonly latenciesMs: Float64Array;
  readonly errors: number;
  readonly firstError?: string;
  readonly elapsedMs: number;
  /** Open loop: how late the client sent against its schedule, worst case. */
  readonly maxSendLagMs?: number;
}

export interface OpenLoopOptions {
  readonly ratePerSec: number;
  readonly durationMs: number;
}

export interface ClosedLoopOptions {
  readonly connections: number;
  readonly durationMs: number;
}

const REQUEST_TIMEOUT_MS = 10_000;
/** Scheduler tick; requests due since the last tick leave together. */
const TICK_MS = 1;

/**
 * Keep-alive connections to one server, as the API server keeps them to a
 * webhook; share one across a warm-up and the run it warms up for.
 */
export function keepAliveAgent(caPem: string, maxSockets: number): Agent {
  return new Agent({
    keepAlive: true,
    maxSockets,
    maxFreeSockets: maxSockets,
    ca: caPem,
  });
}

/** Requests leave on schedule; more than the agent's sockets queue. */
export async function openLoop(
  target: LoadTarget,
  agent: Agent,
  o: OpenLoopOptions,
): Promise<LoadResult> {
  const total = Math.round((o.ratePerSec * o.durationMs) / 1000);
  const intervalMs = 1000 / o.ratePerSec;
  const tally = createTally(total);
  const inFlight: Promise<void>[] = [];
  let maxSendLagMs = 0;

  const start = performance.now();
  await new Promise<void>((resolve) => {
    let sent = 0;
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor((now - start) / intervalMs) + 1);
      for (; sent < due; sent++) {
        maxSendLagMs = Math.max(maxSendLagMs, now - start - sent * intervalMs);
        inFlight.push(timed(agent, target).then(tally.add));
      }
      if (sent < total) setTimeout(tick, TICK_MS);
      else resolve();
    };
    tick();
  });
  await Promise.all(inFlight);
  return { ...tally.result(performance.now() - start), maxSendLagMs };
}

/** `connections` requests in flight at all times; give the agent as many. */
export async function closedLoop(
  target: LoadTarget,
  agent: Agent,
  o: ClosedLoopOptions,
): Promise<LoadResult> {
  const tally = createTally(0);
  const start = performance.now();
  const end = start + o.durationMs;
  const connection = async () => {
    while (performance.now() < end) tally.add(await timed(agent, target));
  };
  await Promise.all(Array.from({ length: o.connections }, connection));
  return tally.result(performance.now() - start);
}

interface Outcome {
  readonly ms: number;
  readonly error?: string;
}

function createTally(expected: number) {
  let latencies = new Float64Array(Math.max(expected, 1024));
  let count = 0;
  let errors = 0;
  let firstError: string | undefined;
  return {
    add: (o: Outcome) => {
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count++] = o.ms;
      if (o.error === undefined) return;
      errors++;
      firstError ??= o.error;
    },
    result: (elapsedMs: number): LoadResult => ({
      latenciesMs: latencies.slice(0, count),
      errors,
      firstError,
      elapsedMs,
    }),
  };
}

/** Sends one request; never rejects, a failure is an outcome. */
function timed(agent: Agent, target: LoadTarget): Promise<Outcome> {
  const { body, isAnswer } = target.nextRequest();
  const started = performance.now();
  const done = (error?: string): Outcome => ({
    ms: performance.now() - started,
    error,
  });
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port: target.port,
        path: target.path,
        method: 'POST',
        timeout: REQUEST_TIMEOUT_MS,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('error', (err) => resolve(done(err.message)));
        res.on('end', () =>
          resolve(done(replyError(res.statusCode, text, isAnswer))),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', (err) => resolve(done(err.message)));
    req.end(body);
  });
}

/** Why a reply does not count as an answer, or undefined when it does. */
function replyError(
  status: number | undefined,
  text: string,
  isAnswer: (text: string) => boolean,
): string | undefined {
  if (status !== 200) return `HTTP ${status}: ${text.slice(0, 120)}`;
  return isAnswer(text) ? undefined : `unexpected reply ${text.slice(0, 120)}`;
}

/** One POST on a fresh connection, for set-up checks outside the timing. */
export function postOnce(
  target: Pick<LoadTarget, 'port' | 'path' | 'caPem'>,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: target.path,
        method: 'POST',
        ca: target.caPem,
        agent: false,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}
