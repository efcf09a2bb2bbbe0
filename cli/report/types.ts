import type { Decision, Finding, Target } from '../../core/engine';
import type { InputError, SourceRef } from '../input';

/** A finding with the line of its field in the manifest, when known. */
export interface ReportFinding extends Finding {
  readonly line?: number;
}

/** The verdict on one object, with where the object came from. */
export interface CheckedObject {
  readonly source: SourceRef;
  readonly target: Target;
  readonly decision: Decision;
  /** Rule ids whose findings decided a deny or warn. */
  readonly rules: readonly string[];
  readonly findings: readonly ReportFinding[];
  readonly note?: string;
  /** Set when the engine could not judge it: decideOnFault decided. */
  readonly fault?: { readonly code: string; readonly message: string };
}

export interface CheckReport {
  readonly files: readonly string[];
  readonly objects: readonly CheckedObject[];
  readonly errors: readonly InputError[];
}

export interface Summary {
  readonly files: number;
  readonly objects: number;
  readonly denied: number;
  readonly warned: number;
  readonly allowed: number;
  /** Documents or files that could not be read as Kubernetes objects. */
  readonly errors: number;
}

export interface RenderOptions {
  /** Text only: leave out objects that have no findings. */
  readonly quiet: boolean;
  /** modelgate's version, for machine-readable output. */
  readonly version: string;
}

export type OutputFormat = 'text' | 'json' | 'sarif';
