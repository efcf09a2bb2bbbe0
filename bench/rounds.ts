/**
 * Runs the same load against several servers in interleaved rounds, so
 * that other work on the machine, which comes and goes, weighs on each of
 * them alike instead of on whichever happened to run during a busy spell.
 */
import type { Agent } from 'node:https';
import {
  closedLoop,
  keepAliveAgent,
  openLoop,
  type LoadResult,
  type LoadTarget,
} from './load';
import type { RunningServer } from './servers';
import { withCpu, type CpuReading } from './stats';

export interface Contender {
  readonly server: RunningServer;
  readonly target: LoadTarget;
}

export interface Measured {
  readonly open: CpuReading<LoadResult>;
  readonly closed: CpuReading<LoadResult>;
}

export interface RoundSettings {
  readonly rounds: number;
  readonly ratePerSec: number;
  /** Open-loop time per server, split evenly over the rounds. */
  readonly openMs: number;
  /** Connection cap in the open loop; requests beyond it queue, measured. */
  readonly maxSockets: number;
  /** Closed-loop time per server, split evenly over the rounds. */
  readonly closedMs: number;
  readonly connections: number;
  /** Unmeasured load before a server's first open-loop slice: JIT, TLS. */
  readonly warmUpMs: number;
  /** Unmeasured load before later slices, as idle sockets may have closed. */
  readonly rewarmMs: number;
}

type Run = (t: LoadTarget, agent: Agent, ms: number) => Promise<LoadResult>;

/** The open loop, then the closed loop, each in interleaved rounds. */
export async function measureInRounds<K extends string>(
  contenders: Readonly<Record<K, Contender>>,
  caPem: string,
  s: RoundSettings,
): Promise<Record<K, Measured>> {
  const open = await measureOpen(contenders, caPem, s);
  const closed = await measureClosed(contenders, caPem, s);
  const keys = Object.keys(contenders) as K[];
  return Object.fromEntries(
    keys.map((k) => [k, { open: open.get(k)!, closed: closed.get(k)! }]),
  ) as Record<K, Measured>;
}

export function measureOpen<K extends string>(
  contenders: Readonly<Record<K, Contender>>,
  caPem: string,
  s: RoundSettings,
): Promise<Map<K, CpuReading<LoadResult>>> {
  return phase(contenders, caPem, s, {
    sockets: s.maxSockets,
    totalMs: s.openMs,
    firstWarmUpMs: s.warmUpMs,
    run: (t, a, ms) =>
      openLoop(t, a, { ratePerSec: s.ratePerSec, durationMs: ms }),
  });
}

/** Expects servers the open loop warmed up: it only re-warms sockets. */
export function measureClosed<K extends string>(
  contenders: Readonly<Record<K, Contender>>,
  caPem: string,
  s: RoundSettings,
): Promise<Map<K, CpuReading<LoadResult>>> {
  return phase(contenders, caPem, s, {
    sockets: s.connections,
    totalMs: s.closedMs,
    firstWarmUpMs: s.rewarmMs,
    run: (t, a, ms) =>
      closedLoop(t, a, { connections: s.connections, durationMs: ms }),
  });
}

interface Phase {
  readonly sockets: number;
  /** Measured time per server, split evenly over the rounds. */
  readonly totalMs: number;
  readonly firstWarmUpMs: number;
  readonly run: Run;
}

async function phase<K extends string>(
  contenders: Readonly<Record<K, Contender>>,
  caPem: string,
  s: RoundSettings,
  { sockets, totalMs, firstWarmUpMs, run }: Phase,
): Promise<Map<K, CpuReading<LoadResult>>> {
  const entries = Object.entries(contenders) as [K, Contender][];
  const agents = new Map(
    entries.map(([k]) => [k, keepAliveAgent(caPem, sockets)]),
  );
  const slices = new Map(
    entries.map(([k]) => [k, [] as CpuReading<LoadResult>[]]),
  );
  try {
    for (let round = 0; round < s.rounds; round++) {
      for (const [k, { server, target }] of entries) {
        const agent = agents.get(k)!;
        await run(target, agent, round === 0 ? firstWarmUpMs : s.rewarmMs);
        const slice = () => run(target, agent, totalMs / s.rounds);
        slices.get(k)!.push(await withCpu(server.pid, slice));
      }
    }
  } finally {
    for (const agent of agents.values()) agent.destroy();
  }
  return new Map(entries.map(([k]) => [k, mergeReadings(slices.get(k)!)]));
}

/** One reading for the rounds together; CPU figures weighted by time. */
function mergeReadings(
  parts: readonly CpuReading<LoadResult>[],
): CpuReading<LoadResult> {
  const elapsed = parts.reduce((sum, p) => sum + p.value.elapsedMs, 0);
  const weighted = (f: (p: CpuReading<LoadResult>) => number) =>
    parts.reduce((sum, p) => sum + f(p) * p.value.elapsedMs, 0) / elapsed;
  return {
    value: mergeResults(parts.map((p) => p.value)),
    serverCores: weighted((p) => p.serverCores),
    clientCores: weighted((p) => p.clientCores),
    otherCores: weighted((p) => p.otherCores),
  };
}

function mergeResults(results: readonly LoadResult[]): LoadResult {
  const latencies = new Float64Array(
    results.reduce((n, r) => n + r.latenciesMs.length, 0),
  );
  let offset = 0;
  for (const r of results) {
    latencies.set(r.latenciesMs, offset);
    offset += r.latenciesMs.length;
  }
  const lags = results.map((r) => r.maxSendLagMs ?? NaN);
  return {
    latenciesMs: latencies,
    errors: results.reduce((n, r) => n + r.errors, 0),
    firstError: results.find((r) => r.firstError)?.firstError,
    elapsedMs: results.reduce((n, r) => n + r.elapsedMs, 0),
    maxSendLagMs: lags.some(Number.isNaN) ? undefined : Math.max(...lags),
  };
}
