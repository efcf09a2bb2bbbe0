/** A Pulumi resource as the engine hands it to an analyzer. */
import type { SecretHandling } from './decode';

export interface PulumiResource {
  /** The type token, `kubernetes:apps/v1:Deployment`, `aws:s3/bucket:Bucket`. */
  readonly type: string;
  /** The logical name the program gave it. */
  readonly name: string;
  readonly urn?: string;
  /**
   * Properties as the engine encodes them: unknown values as the engine's
   * sentinel strings, secrets as objects carrying the secret signature.
   */
  readonly props: Readonly<Record<string, unknown>>;
  /** URN of the parent resource (a component such as a Helm chart). */
  readonly parent?: string;
  /** URNs this resource depends on (stack analysis only). */
  readonly dependencies?: readonly string[];
  /** URNs each top-level property depends on (stack analysis only). */
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  /** The provider's own properties (for default tags). */
  readonly provider?: {
    readonly type: string;
    readonly props: Readonly<Record<string, unknown>>;
  };
  /**
   * The stack's tags; types that cannot carry tags of their own (a Vertex
   * Model Garden deployment) read `modelgate.io/*` from them.
   */
  readonly stackTags?: Readonly<Record<string, string>>;
  /** How secrets are read; `defer` unless the gate is told otherwise. */
  readonly secrets?: SecretHandling;
}
