/**
 * Errors of the admission gate itself: requests it refuses to read, and the
 * deadline it answers by. Each code maps to one HTTP status.
 */
export type AdmissionErrorCode =
  | 'BODY_NOT_JSON'
  | 'BODY_TOO_LARGE'
  | 'BODY_TOO_DEEP'
  | 'BODY_UNREADABLE'
  | 'MEDIA_TYPE_UNSUPPORTED'
  | 'REVIEW_INVALID'
  | 'DEADLINE_EXCEEDED';

const STATUS: Record<AdmissionErrorCode, number> = {
  BODY_NOT_JSON: 400,
  BODY_TOO_LARGE: 413,
  BODY_TOO_DEEP: 400,
  BODY_UNREADABLE: 400,
  MEDIA_TYPE_UNSUPPORTED: 415,
  REVIEW_INVALID: 400,
  DEADLINE_EXCEEDED: 500,
};

export class AdmissionError extends Error {
  readonly code: AdmissionErrorCode;
  /** HTTP status the gate answers with when this error ends a request. */
  readonly status: number;

  constructor(
    code: AdmissionErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AdmissionError';
    this.code = code;
    this.status = STATUS[code];
  }
}

export function isAdmissionError(err: unknown): err is AdmissionError {
  return err instanceof AdmissionError;
}

/** The stable code of anything thrown, for logs and metrics. */
export { errorCode as codeOf } from '../core/errors';
