/**
 * Prometheus metrics of one admission server, in a registry of its own so
 * that two servers in one process (tests, a bench) never share counters.
 */
import { Counter, Histogram, Registry } from 'prom-client';
import type { Verdict } from '../core';

/** From a warm-cache decision (~0.5 ms) to the API server's 10 s timeout. */
export const DURATION_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
  10,
];

export interface AdmissionMetrics {
  readonly registry: Registry;
  /** Counts one decided request. */
  recordDecision(
    verdict: Verdict,
    labels: { operation: string; dryRun: boolean },
    seconds: number,
  ): void;
  /** Counts a fault or a refused request by its stable code. */
  recordError(code: string): void;
}

export function createMetrics(): AdmissionMetrics {
  const registry = new Registry();
  const decisions = new Counter({
    name: 'modelgate_admission_decisions_total',
    help: 'Requests in which a rule acted, by rule id and what it did (deny, warn, audit, allow when exempted); rule "none" when no rule fired',
    labelNames: ['rule', 'verdict', 'dry_run'],
    registers: [registry],
  });
  const requests = new Counter({
    name: 'modelgate_admission_requests_total',
    help: 'Admission reviews answered, by operation and decision',
    labelNames: ['operation', 'decision', 'dry_run'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'modelgate_admission_duration_seconds',
    help: 'Time from receiving an admission review to answering it',
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'modelgate_admission_errors_total',
    help: 'Refused requests and faults while judging, by error code',
    labelNames: ['code'],
    registers: [registry],
  });

  return {
    registry,
    recordDecision(verdict, { operation, dryRun }, seconds) {
      const dry_run = String(dryRun);
      for (const [rule, effect] of ruleEffects(verdict)) {
        decisions.inc({ rule, verdict: effect, dry_run });
      }
      requests.inc({ operation, decision: verdict.decision, dry_run });
      duration.observe(seconds);
    },
    recordError(code) {
      errors.inc({ code });
    },
  };
}

const EFFECT_OF_MODE = {
  enforce: 'deny',
  warn: 'warn',
  audit: 'audit',
  off: 'allow',
} as const;

/**
 * Each rule that fired, once per request, with what it did. This labels
 * what the policy already decided; it decides nothing.
 */
function ruleEffects(verdict: Verdict): [rule: string, effect: string][] {
  const seen = new Set<string>();
  const pairs: [string, string][] = [];
  for (const f of verdict.findings) {
    const effect = f.exemption ? 'allow' : EFFECT_OF_MODE[f.mode];
    const key = `${f.rule} ${effect}`;
    if (!seen.has(key)) pairs.push([f.rule, effect]);
    seen.add(key);
  }
  return pairs.length > 0 ? pairs : [['none', verdict.decision]];
}
