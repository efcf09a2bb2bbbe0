/**
 * A verdict → the violations a policy reports. Nothing here decides a rule:
 * the findings came from the Rego policy. This maps their modes onto
 * enforcement levels (enforce keeps the policy's level, warn is advisory,
 * audit, off and exempted findings are not reported, as at admission) and
 * applies the preview semantics the rules declared (`deferred`,
 * `conditional`).
 */
import type { PolicyObject, Verdict } from '../core';
import type { PackOptions } from './config';

export interface Violation {
  /** Rule id, or `fault` when modelgate could not judge the resource. */
  readonly rule: string;
  /** `MG-PROV`; a fault belongs to every family. */
  readonly family: string;
  /** Set to `advisory` to lower the policy's level; otherwise inherited. */
  readonly level?: 'advisory';
  /** `[MG-PROV-001] spec…image: image … has no cosign signature; …` */
  readonly text: string;
  /** Rule and path: the same finding from two analyses has one key. */
  readonly key: string;
  /** The field the finding names, as the rules name it. */
  readonly path: string;
  /** Neither deferred nor conditional: a remediation may act on it. */
  readonly fixable: boolean;
}

export interface Subject {
  readonly object: PolicyObject;
  /** Strings inside secrets the rules read; messages never repeat them. */
  readonly secretValues: readonly string[];
}

export function familyOf(rule: string): string {
  return rule.split('-').slice(0, 2).join('-');
}

export function present(
  verdict: Verdict,
  subject: Subject,
  options: PackOptions,
): Violation[] {
  const acting = verdict.findings.filter(
    (f) => !f.exemption && (f.mode === 'enforce' || f.mode === 'warn'),
  );
  const conditional = acting.some((f) => f.conditional);
  const deferredRules = new Set(
    acting.filter((f) => f.deferred).map((f) => f.rule),
  );
  const unknown = subject.object.unknown ?? [];
  return acting
    .filter((f) => f.deferred || !deferredRules.has(f.rule))
    .map((f) => {
      const deferred = f.deferred === true || overlapsAny(f.path, unknown);
      const path = displayPath(f.path, subject.object);
      let message = f.message;
      if (deferred && !f.deferred) message += deferralNote(f.path, unknown);
      if (conditional && !f.deferred) {
        message = `if ${subject.object.name} is a model workload: ${message}`;
      }
      const advisory =
        (deferred && options.unknownLevel === 'advisory') ||
        (conditional && !deferred) ||
        f.mode === 'warn';
      return {
        rule: f.rule,
        family: familyOf(f.rule),
        level: advisory ? 'advisory' : undefined,
        text: mask(`[${f.rule}] ${path}: ${message}`, subject.secretValues),
        key: `${f.rule}\u0000${f.path}`,
        path: f.path,
        fixable: !deferred && !conditional,
      };
    });
}

/** The violation a fault of modelgate's own becomes (decideOnFault). */
export function faultViolation(verdict: Verdict): Violation {
  return {
    rule: 'fault',
    family: '*',
    level: verdict.decision === 'deny' ? undefined : 'advisory',
    text: verdict.note ?? 'modelgate could not judge this resource',
    key: 'fault',
    path: '',
    fixable: false,
  };
}

/** The finding's field is, or sits inside, a value left out at preview. */
function overlapsAny(path: string, unknown: readonly string[]): boolean {
  return unknown.some((u) => within(path, u));
}

function within(path: string, prefix: string): boolean {
  return (
    path === prefix ||
    path.startsWith(`${prefix}.`) ||
    path.startsWith(`${prefix}[`)
  );
}

function deferralNote(path: string, unknown: readonly string[]): string {
  const cause = unknown.find((u) => within(path, u));
  return ` (at preview: ${cause} is not known until apply, so this is judged again at pulumi up)`;
}

/**
 * Cloud resources carry tags where Kubernetes objects carry labels and
 * annotations; the rules name the Kubernetes field, the user sees theirs.
 */
function displayPath(path: string, object: PolicyObject): string {
  const tags = object.cloud?.tagsPath;
  if (!tags) return path;
  return /(^|\.)metadata\.(labels|annotations)$/.test(path) ? tags : path;
}

/** Replaces every secret string a message would otherwise repeat. */
export function mask(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length < 2) continue;
    out = out.split(secret).join('[secret]');
  }
  return out;
}
