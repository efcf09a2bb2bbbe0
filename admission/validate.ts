/**
 * The `/validate` route: read the review, judge it, answer it, and leave
 * one log line and one set of metrics behind per request.
 */
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Verdict } from '../core';
import { readJsonBody, type BodyLimits } from './body';
import { codeOf, isAdmissionError } from './errors';
import { judgeReview, type JudgeContext } from './judge';
import type { AdmissionMetrics } from './metrics';
import { reviewResponse, type Judged } from './respond';
import { parseReview, type ReviewRequest } from './review';

export interface ValidateContext extends JudgeContext {
  readonly logger: Logger;
  readonly metrics: AdmissionMetrics;
  readonly limits: BodyLimits;
  readonly requestTimeoutMs: number;
}

/** Input errors the engine reports about the object, not about itself. */
const INPUT_CODES = new Set(['INPUT_INVALID', 'INPUT_TOO_LARGE']);

export function validateHandler(context: ValidateContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const started = performance.now();

    let review: ReviewRequest;
    try {
      review = parseReview(await readJsonBody(req, context.limits));
    } catch (err) {
      if (!isAdmissionError(err)) throw err;
      context.metrics.recordError(err.code);
      context.logger.warn(
        {
          code: err.code,
          status: err.status,
          reason: err.message,
          remoteAddress: req.socket.remoteAddress,
        },
        'refused an unreadable admission request',
      );
      res.status(err.status).json({ error: err.code, message: err.message });
      return;
    }

    const remainingMs =
      context.requestTimeoutMs - (performance.now() - started);
    const judged = await judgeReview(context, review, remainingMs);
    res.json(reviewResponse(review, judged));

    const seconds = (performance.now() - started) / 1000;
    context.metrics.recordDecision(judged.verdict, review, seconds);
    if (judged.fault !== undefined) {
      context.metrics.recordError(codeOf(judged.fault));
    }
    logDecision(requestLogger(context.logger, review), judged, seconds);
  };
}

/** The one child logger of a request, carrying its fixed fields. */
function requestLogger(logger: Logger, review: ReviewRequest): Logger {
  return logger.child({
    uid: review.uid,
    kind: review.kind,
    namespace: review.namespace,
    name: review.name,
    operation: review.operation,
    dryRun: review.dryRun,
  });
}

function logDecision(log: Logger, { verdict, fault }: Judged, seconds: number) {
  const fields = {
    rules: verdict.rules,
    decision: verdict.decision,
    durationMs: Math.round(seconds * 1e6) / 1e3,
    ...findingFields(verdict),
  };
  if (fault === undefined) {
    log.info(fields, 'admission decision');
    return;
  }

  const code = codeOf(fault);
  const faultFields = { ...fields, code };
  if (INPUT_CODES.has(code)) {
    log.warn(faultFields, 'admission decided without judging the object');
  } else {
    log.error(faultFields, 'admission decided on a fault of modelgate');
  }
}

/**
 * Audit findings exist only in the log; exempted ones are named so that a
 * waiver stays visible. Messages name fields and images, never values of
 * secrets, and the object itself is never logged.
 */
function findingFields(verdict: Verdict) {
  const audit = verdict.findings
    .filter((f) => f.mode === 'audit' && !f.exemption)
    .map((f) => ({ rule: f.rule, path: f.path, message: f.message }));
  const exempted = verdict.findings
    .filter((f) => f.exemption)
    .map((f) => ({ rule: f.rule, path: f.path, exemption: f.exemption }));
  return {
    ...(audit.length > 0 && { audit }),
    ...(exempted.length > 0 && { exempted }),
    ...(verdict.note && { note: verdict.note }),
  };
}
