/** Percentiles and CPU accounting for the figures the benchmark prints. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { LoadResult } from './load';

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly count: number;
}

/** Nearest-rank percentiles over the latencies, in ms. */
export function summarize(latenciesMs: Float64Array): LatencySummary {
  const sorted = Float64Array.from(latenciesMs).sort();
  const rank = (p: number) =>
    sorted.length === 0
      ? NaN
      : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return {
    p50: rank(0.5),
    p90: rank(0.9),
    p99: rank(0.99),
    max: sorted.length === 0 ? NaN : sorted[sorted.length - 1]!,
    count: sorted.length,
  };
}

export function throughput(r: LoadResult): number {
  return (r.latenciesMs.length / r.elapsedMs) * 1000;
}

export interface CpuReading<T> {
  readonly value: T;
  /** Server process CPU over the run, in cores (1 = one core busy). */
  readonly serverCores: number;
  /** This process's CPU over the run, in cores. */
  readonly clientCores: number;
  /**
   * CPU everything else on the machine used meanwhile, in cores: other
   * people's builds and tests, which make the figures noisy.
   */
  readonly otherCores: number;
}

/** Runs `work` and reports how busy `pid` and this process were meanwhile. */
export async function withCpu<T>(
  pid: number,
  work: () => Promise<T>,
): Promise<CpuReading<T>> {
  const server0 = processCpuMs(pid);
  const machine0 = machineCpuMs();
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await work();
  const wallMs = performance.now() - t0;
  const client = process.cpuUsage(client0);
  const serverCores = (processCpuMs(pid) - server0) / wallMs;
  const clientCores = (client.user + client.system) / 1000 / wallMs;
  const machineCores = (machineCpuMs() - machine0) / wallMs;
  return {
    value,
    serverCores,
    clientCores,
    otherCores: Math.max(0, machineCores - serverCores - clientCores),
  };
}

/** Busy time of all CPUs together from /proc/stat, in ms; NaN off Linux. */
export function machineCpuMs(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    // cpu user nice system idle iowait irq softirq steal ...
    const [, user, nice, system, , , irq, softirq, steal] = line
      .split(/\s+/)
      .map(Number);
    const busy = [user, nice, system, irq, softirq, steal].reduce(
      (a: number, b) => a + (b ?? 0),
      0,
    );
    return (busy * 1000) / ticks();
  } catch {
    return NaN;
  }
}

let ticksPerSecond: number | undefined;

/** utime + stime of a process from /proc, in ms; NaN off Linux. */
function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces; fields count from after its ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks();
  } catch {
    return NaN;
  }
}

function ticks(): number {
  ticksPerSecond ??= clockTicks();
  return ticksPerSecond;
}

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100;
  } catch {
    return 100;
  }
}
