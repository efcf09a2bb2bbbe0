import type { Mode } from '../engine/types';

/** A public key that may sign images. */
export interface KeyConfig {
  readonly name: string;
  /** PEM text; `publicKeyFile` in the document is read into this on load. */
  readonly publicKey: string;
}

/** Which signers an image needs: the first authority whose globs match wins. */
export interface AuthorityConfig {
  readonly name: string;
  /** Globs on the normalized name, `docker.io/ollama/**`. */
  readonly images: readonly string[];
  /** Names of keys, any one of which is enough. */
  readonly keys: readonly string[];
  /** Keyless identities (issuer and subject), any one of which is enough. */
  readonly identities: readonly { issuer: string; subject: string }[];
}

export interface RegistryConfig {
  readonly host: string;
  /** Plain HTTP instead of HTTPS. */
  readonly insecure: boolean;
  readonly username?: string;
  readonly password?: string;
  readonly token?: string;
}

export interface ExemptionConfig {
  readonly name: string;
  readonly justification: string;
  readonly approver: string;
  /** Expiry instant, milliseconds since the epoch. */
  readonly expiresAt: number;
  /** The expiry as written, for messages. */
  readonly expires: string;
  /** Rule ids or families it waives; empty means every rule. */
  readonly rules: readonly string[];
  /** Namespaces it is valid in; empty means every namespace. */
  readonly namespaces: readonly string[];
}

export interface NamespaceConfig {
  readonly modes: Readonly<Record<string, Mode>>;
  /** Custodian recorded for every model workload in the namespace. */
  readonly dataCustodian?: string;
}

export interface Config {
  /** What an internal fault decides: deny (`closed`) or allow (`open`). */
  readonly failurePolicy: 'closed' | 'open';
  /** Mode for rules that no other setting names. */
  readonly defaultMode: Mode;
  /** Mode per rule id (`MG-PROV-002`) or family (`MG-PROV`). */
  readonly rules: Readonly<Record<string, Mode>>;
  readonly namespaces: Readonly<Record<string, NamespaceConfig>>;
  readonly modelDetection: {
    /** Globs on normalized image names that mark a model server. */
    readonly images: readonly string[];
    /** Extended resource names (globs) that mark an accelerator. */
    readonly accelerators: readonly string[];
    /** Globs on container environment variable names, `VLLM_*`. */
    readonly env: readonly string[];
    /** Kinds that always serve models, `InferenceService`. */
    readonly kinds: readonly string[];
  };
  readonly trust: {
    readonly keys: readonly KeyConfig[];
    readonly authorities: readonly AuthorityConfig[];
  };
  readonly registries: readonly RegistryConfig[];
  readonly verification: {
    /** Total deadline for one image's signature lookup. */
    readonly timeoutMs: number;
    readonly cacheTtlSeconds: number;
  };
  /** Accepted values of `modelgate.io/decommission`. */
  readonly decommissionProcedures: readonly string[];
  readonly exemptions: readonly ExemptionConfig[];
}
