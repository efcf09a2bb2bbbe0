/**
 * The Kubernetes admission gate: a validating webhook over HTTPS that
 * answers AdmissionReview admission.k8s.io/v1 with the core's verdicts.
 */
export { startAdmissionServer } from './server';
export type { AdmissionServer } from './server';
export { ADMISSION_DEFAULTS } from './options';
export type { AdmissionServerOptions } from './options';
export { AdmissionError } from './errors';
export type { AdmissionErrorCode } from './errors';
export type { ReviewResponse, ReviewStatus } from './review';
