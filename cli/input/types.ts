import type { ErrorCode } from '../../core/errors';

/** Where an object or an error came from. */
export interface SourceRef {
  /** The path as given or found under a directory; `<stdin>` for `-`. */
  readonly file: string;
  /** 1-based position of the YAML document in the file, empty ones included. */
  readonly document?: number;
  /** Position inside a JSON array or List document: `[2]`, `items[0]`. */
  readonly item?: string;
  /** 1-based line and column, when the parser knows them. */
  readonly line?: number;
  readonly column?: number;
}

/** One Kubernetes object read from the input. */
export interface InputObject {
  readonly source: SourceRef;
  /** The raw object, with a string `apiVersion` and `kind`. */
  readonly object: Readonly<Record<string, unknown>>;
  /** The 1-based line of a field path (`spec.template.spec`), if known. */
  lineOf(path: string): number | undefined;
}

/** A file or document that could not be read as a Kubernetes object. */
export interface InputError {
  readonly source: SourceRef;
  readonly code: ErrorCode;
  readonly message: string;
}

export interface Inputs {
  /** Every file read, in order; `<stdin>` for `-`. */
  readonly files: readonly string[];
  readonly objects: readonly InputObject[];
  readonly errors: readonly InputError[];
}

/** The label `-` gets in reports. */
export const STDIN_LABEL = '<stdin>';
