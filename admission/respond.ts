/**
 * Turns a verdict into the AdmissionReview response. Nothing here decides:
 * the policy's decision maps one to one onto `allowed`, and the findings
 * that acted are reported as the denial message or as warnings.
 */
import type { Finding, Target, Verdict } from '../core';
import {
  REVIEW_API_VERSION,
  REVIEW_KIND,
  type ReviewRequest,
  type ReviewResponse,
} from './review';

/** API servers truncate longer warnings; kubectl prints each on one line. */
export const MAX_WARNING_LENGTH = 250;
/** Findings listed in one response; the rest are counted, not listed. */
export const MAX_LISTED_FINDINGS = 20;

export interface Judged {
  readonly verdict: Verdict;
  /** Set when the verdict came from decideOnFault, not from the policy. */
  readonly fault?: unknown;
}

export function reviewResponse(
  request: ReviewRequest,
  { verdict, fault }: Judged,
): ReviewResponse {
  const warnings = warningsFor(verdict, fault !== undefined);
  return {
    apiVersion: REVIEW_API_VERSION,
    kind: REVIEW_KIND,
    response: {
      uid: request.uid,
      allowed: verdict.decision !== 'deny',
      ...(verdict.decision === 'deny' && {
        status: {
          code: 403,
          reason: 'Forbidden',
          message: denialMessage(request, verdict),
        },
      }),
      ...(warnings.length > 0 && { warnings }),
    },
  };
}

/** Findings that decided the verdict: enforce or warn, not exempted. */
export function actingFindings(verdict: Verdict): Finding[] {
  return verdict.findings.filter(
    (f) => !f.exemption && (f.mode === 'enforce' || f.mode === 'warn'),
  );
}

/** `[MG-RATE-001] spec.template.metadata.annotations: declares no …` */
export function describeFinding(f: Finding): string {
  return `[${f.rule}] ${f.path}: ${oneLine(f.message)}`;
}

function denialMessage(request: ReviewRequest, verdict: Verdict): string {
  const acting = actingFindings(verdict);
  const subject = nameOf(verdict.target, request);
  if (acting.length === 0) {
    return `modelgate denied ${subject}: ${oneLine(verdict.note ?? 'the policy denied it')}`;
  }
  const listed = acting.slice(0, MAX_LISTED_FINDINGS).map(describeFinding);
  const more = acting.length - listed.length;
  return [
    `modelgate denied ${subject} (${plural(acting.length, 'finding')}):`,
    ...listed,
    ...(more > 0 ? [`… and ${plural(more, 'more finding')}`] : []),
  ].join('\n');
}

/**
 * Warn-mode findings become warnings whatever the decision; a verdict that
 * a fault decided carries its reason as a warning when it lets the object in.
 */
function warningsFor(verdict: Verdict, fromFault: boolean): string[] {
  const warned = actingFindings(verdict).filter((f) => f.mode === 'warn');
  const texts = warned.slice(0, MAX_LISTED_FINDINGS).map(describeFinding);
  if (warned.length > texts.length) {
    texts.push(`modelgate: ${warned.length - texts.length} more warnings`);
  }
  if (fromFault && verdict.decision !== 'deny' && verdict.note) {
    texts.push(`modelgate: ${verdict.note}`);
  }
  return texts.map(clip);
}

/** `Deployment team-a/llm`, or `StorageClass fast` when cluster-scoped. */
function nameOf(target: Target, request: ReviewRequest): string {
  const kind = target.kind || request.kind || 'object';
  const name = target.name || request.name || '<unnamed>';
  const namespace = target.namespace || request.namespace;
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

function oneLine(text: string): string {
  return text.replace(/\p{Cc}+/gu, ' ').trim();
}

function clip(text: string): string {
  const flat = oneLine(text);
  return flat.length <= MAX_WARNING_LENGTH
    ? flat
    : `${flat.slice(0, MAX_WARNING_LENGTH - 1)}…`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
