/**
 * AdmissionReview admission.k8s.io/v1: the request as the API server sends
 * it, checked field by field, and the response it expects back.
 */
import type { Operation } from '../core';
import { AdmissionError } from './errors';

export const REVIEW_API_VERSION = 'admission.k8s.io/v1';
export const REVIEW_KIND = 'AdmissionReview';

const OPERATIONS: readonly Operation[] = [
  'CREATE',
  'UPDATE',
  'DELETE',
  'CONNECT',
];
const MAX_UID_LENGTH = 128;

/** The parts of `request` the gate reads, with their types checked. */
export interface ReviewRequest {
  readonly uid: string;
  readonly operation: Operation;
  /** Kind of the object (`Deployment`), from `request.kind.kind`. */
  readonly kind: string;
  /** `apps/v1`, from `request.kind`. */
  readonly apiVersion: string;
  readonly name: string;
  readonly namespace: string;
  readonly subResource?: string;
  /** The object as it will be stored; absent on DELETE. */
  readonly object?: Record<string, unknown>;
  readonly oldObject?: Record<string, unknown>;
  readonly dryRun: boolean;
}

export interface ReviewStatus {
  readonly code: number;
  readonly reason: string;
  readonly message: string;
}

export interface ReviewResponse {
  readonly apiVersion: typeof REVIEW_API_VERSION;
  readonly kind: typeof REVIEW_KIND;
  readonly response: {
    readonly uid: string;
    readonly allowed: boolean;
    readonly status?: ReviewStatus;
    readonly warnings?: readonly string[];
  };
}

/** Checks a parsed body and picks out the request; throws REVIEW_INVALID. */
export function parseReview(body: unknown): ReviewRequest {
  if (!isRecord(body)) throw invalid('expected a JSON object');
  if (body.apiVersion !== REVIEW_API_VERSION || body.kind !== REVIEW_KIND) {
    throw invalid(
      `expected apiVersion ${REVIEW_API_VERSION} and kind ${REVIEW_KIND}, ` +
        `got ${describe(body.apiVersion)} ${describe(body.kind)}`,
    );
  }
  const request = body.request;
  if (!isRecord(request)) throw invalid('request: expected an object');

  const operation = readOperation(request.operation);
  const gvk = isRecord(request.kind) ? request.kind : {};
  const group = optionalString(gvk.group, 'request.kind.group') ?? '';
  const version = optionalString(gvk.version, 'request.kind.version') ?? '';
  return {
    uid: readUid(request.uid),
    operation,
    kind: optionalString(gvk.kind, 'request.kind.kind') ?? '',
    apiVersion: group ? `${group}/${version}` : version,
    name: optionalString(request.name, 'request.name') ?? '',
    namespace: optionalString(request.namespace, 'request.namespace') ?? '',
    subResource:
      optionalString(request.subResource, 'request.subResource') || undefined,
    ...readObjects(operation, request),
    dryRun: request.dryRun === true,
  };
}

function readUid(uid: unknown): string {
  if (typeof uid !== 'string' || uid === '') {
    throw invalid('request.uid: expected a non-empty string');
  }
  if (uid.length > MAX_UID_LENGTH) {
    throw invalid(`request.uid: longer than ${MAX_UID_LENGTH} characters`);
  }
  return uid;
}

function readOperation(operation: unknown): Operation {
  if (!OPERATIONS.includes(operation as Operation)) {
    throw invalid(
      `request.operation: expected one of ${OPERATIONS.join(', ')}, ` +
        `got ${describe(operation)}`,
    );
  }
  return operation as Operation;
}

/**
 * CREATE, UPDATE and CONNECT carry the object; DELETE carries only the old
 * one, and its `object` is null, so it is never read.
 */
function readObjects(
  operation: Operation,
  request: Record<string, unknown>,
): Pick<ReviewRequest, 'object' | 'oldObject'> {
  const oldObject = optionalObject(request.oldObject, 'request.oldObject');
  if (operation === 'DELETE') return { oldObject };
  if (!isRecord(request.object)) {
    throw invalid(`request.object: expected an object on ${operation}`);
  }
  return { object: request.object, oldObject };
}

function optionalObject(
  value: unknown,
  field: string,
): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw invalid(`${field}: expected an object or null`);
  return value;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`${field}: expected a string`);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Names a wrong value without echoing what may be a large blob. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 64));
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}

function invalid(why: string): AdmissionError {
  return new AdmissionError('REVIEW_INVALID', `admission review: ${why}`);
}
