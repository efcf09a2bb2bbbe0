/**
 * One error type for the whole product. Each error has a stable code that
 * callers and tests branch on, and an optional cause; messages are lowercase
 * and never carry secrets or whole objects.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_UNREADABLE'
  | 'INPUT_INVALID'
  | 'INPUT_TOO_LARGE'
  | 'IMAGE_REF_INVALID'
  | 'POLICY_LOAD_FAILED'
  | 'POLICY_EVAL_FAILED'
  | 'REGISTRY_UNREACHABLE'
  | 'REGISTRY_TIMEOUT'
  | 'REGISTRY_AUTH_FAILED'
  | 'REGISTRY_NOT_FOUND'
  | 'REGISTRY_PROTOCOL'
  | 'REGISTRY_NOT_ALLOWED'
  | 'DIGEST_MISMATCH'
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_INVALID'
  | 'KEY_INVALID'
  | 'TLS_UNAVAILABLE';

export class ModelgateError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelgateError';
    this.code = code;
  }
}

/** True when `err` is a ModelgateError, optionally with the given code. */
export function isModelgateError(
  err: unknown,
  code?: ErrorCode,
): err is ModelgateError {
  return (
    err instanceof ModelgateError && (code === undefined || err.code === code)
  );
}

/** Turns anything thrown (strings, plain objects) into a readable message. */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'string') return thrown;
  try {
    return JSON.stringify(thrown).slice(0, 200);
  } catch {
    return String(thrown);
  }
}

/**
 * The stable code of anything thrown: a ModelgateError's, or any error
 * that carries a SCREAMING_SNAKE `code` (a gate's own); else INTERNAL.
 */
export function errorCode(err: unknown): string {
  if (err instanceof ModelgateError) return err.code;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code)
    ? code
    : 'INTERNAL';
}
