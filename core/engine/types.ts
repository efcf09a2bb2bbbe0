/**
 * The gate-facing contract of the core: a gate hands over raw objects and
 * gets back a verdict whose findings came from the Rego policy.
 */
import type { ModelgateError } from '../errors';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
export type Mode = 'enforce' | 'warn' | 'audit' | 'off';
export type Decision = 'allow' | 'warn' | 'deny';
export type Severity = 'high' | 'medium' | 'low';

export interface JudgeRequest {
  readonly operation: Operation;
  /** The object as it will be stored; absent on DELETE. */
  readonly object?: unknown;
  /** The object as stored before; set on UPDATE and DELETE. */
  readonly oldObject?: unknown;
  /** `ephemeralcontainers`, `scale`, `status`, … when a subresource. */
  readonly subResource?: string;
  /** Namespace of the request, used when the object omits it. */
  readonly namespace?: string;
  /**
   * Other raw objects the rules may read across: the rest of a directory
   * given to the CLI, or cluster state from lookups.
   */
  readonly related?: readonly unknown[];
}

export interface Finding {
  /** Stable rule id, `MG-PROV-001`. */
  readonly rule: string;
  /** What the rule asks for, from the policy's catalog. */
  readonly title?: string;
  /** EN 304 223 provisions the rule implements, `5.2.3-1`. */
  readonly provisions: readonly string[];
  readonly severity: Severity;
  /** What is wrong and what to change. */
  readonly message: string;
  /** Field path in the judged object, `spec.template.spec.containers[0].image`. */
  readonly path: string;
  /** The mode in force for this rule in this namespace. */
  readonly mode: Mode;
  /** Name of the valid exemption that waives this finding, if any. */
  readonly exemption?: string;
  /**
   * Pulumi preview: the rule could not be judged, because a value it reads
   * is not known until apply or is a secret; the message says which.
   */
  readonly deferred?: boolean;
  /**
   * Pulumi preview: the object was judged as a model workload only because
   * the labels that would say whether it is one are not known yet.
   */
  readonly conditional?: boolean;
}

export interface Target {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

export interface Verdict {
  readonly decision: Decision;
  readonly target: Target;
  /** Every finding, including audit-only and exempted ones. */
  readonly findings: readonly Finding[];
  /** Rule ids whose findings decided a deny or warn. */
  readonly rules: readonly string[];
  /** Why the object was not judged (`not a model workload`), if it was not. */
  readonly note?: string;
}

/** A rule as the policy's catalog describes it. */
export interface RuleInfo {
  readonly title: string;
  readonly provisions: readonly string[];
  readonly severity: Severity;
  /** The rule's own default mode, or null for the config's defaultMode. */
  readonly default_mode: string | null;
}

export interface Engine {
  /** Every rule id the policy enforces, with its title and provisions. */
  readonly catalog: Readonly<Record<string, RuleInfo>>;
  /** Judges one object, as an admission request would present it. */
  judge(request: JudgeRequest): Promise<Verdict>;
  /**
   * Judges each object as a CREATE, reading across all of them (a directory
   * of manifests, a Pulumi stack). An object that cannot be judged yields its
   * error in its place; the others are still judged.
   */
  judgeAll(objects: readonly unknown[]): Promise<(Verdict | ModelgateError)[]>;
}
