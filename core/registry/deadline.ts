import { setMaxListeners } from 'node:events';

const MAX_PARALLEL_REQUESTS = 100;

/**
 * One total deadline shared by every request made for one lookup, so a slow
 * registry cannot stretch a lookup by answering each request just in time.
 */
export interface Deadline {
  readonly signal: AbortSignal;
  /** The budget in milliseconds, quoted in timeout messages. */
  readonly ms: number;
}

/** Starts a deadline that aborts after `ms` (the timer does not hold Node). */
export function startDeadline(ms: number): Deadline {
  const signal = AbortSignal.timeout(ms);
  // Each request in flight listens on the signal; a lookup may run dozens
  // in parallel, which is expected, not a listener leak.
  setMaxListeners(MAX_PARALLEL_REQUESTS, signal);
  return { signal, ms };
}
