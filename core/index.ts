/**
 * The shared core of modelgate. Gates (the admission webhook, the CLI, the
 * Pulumi policy pack) import from here and decide no rule themselves.
 */
export * from './errors';
export * from './config';
export * from './image-ref';
export { normalize } from './normalize';
export type * from './normalize';
export { createEngine } from './engine';
export type * from './engine';
export { decideOnFault } from './decide';
export { verifierFromConfig, staticLookup, noLookup } from './facts';
export type { ClusterLookup, LookupQuery } from './facts';
export { bundledPolicyPath } from './evaluate';
