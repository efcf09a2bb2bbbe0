/** What the policy input says about a cloud resource (Pulumi only). */

/** What a cloud resource is to the rules. */
export type CloudRole =
  | 'model'
  | 'task'
  | 'compute'
  | 'bucket'
  | 'volume'
  | 'filesystem'
  | 'disk'
  | 'account'
  | 'key'
  | 'encryption'
  | 'stage'
  | 'integration'
  | 'method-settings'
  | 'usage-plan'
  | 'waf-acl'
  | 'waf-association'
  | 'component'
  | 'unmapped';

/** A setting that keeps a store's data after it is destroyed. */
export interface Retention {
  readonly path: string;
  /** `object lock is enabled`, `a final snapshot is taken on delete`. */
  readonly what: string;
}

/** Storage attached to a machine or task that may outlive it. */
export interface Device {
  /** The setting that decides it, `ebsBlockDevices[0].deleteOnTermination`. */
  readonly path: string;
  readonly kind: 'ebs' | 'docker';
  readonly name: string;
  /** The setting as given; absent when not set. */
  readonly deleteOnTermination?: boolean;
  /** Whether the provider deletes it when the setting is absent. */
  readonly defaultDeletes: boolean;
}

/** API gateway wiring; references are URNs or literal names and ids. */
export interface Gateway {
  /** References to the API a stage, integration or setting belongs to. */
  readonly api?: readonly string[];
  /** Path of the stage's name, for findings. */
  readonly namePath?: string;
  /** References to the stage (method settings). */
  readonly stage?: readonly string[];
  readonly methodPath?: string;
  /** A throttle set on this resource. */
  readonly throttle?: { readonly path: string; readonly rate: number };
  /** Stages a usage plan covers, with the rate for all their methods. */
  readonly stages?: readonly {
    readonly refs: readonly string[];
    readonly rate?: number;
  }[];
  /** An integration that invokes a hosted model (SageMaker runtime). */
  readonly model?: boolean;
  /** Resources a WAF association protects, and the web ACL it attaches. */
  readonly targets?: readonly string[];
  readonly acl?: readonly string[];
  /** A web ACL with a rate-based rule. */
  readonly rateRule?: boolean;
}

export interface CloudFacts {
  readonly role: CloudRole;
  /** The field holding the resource's tags (`tags`, `labels`). */
  readonly tagsPath?: string;
  /** What other resources refer to it by: URN, physical name, ARN. */
  readonly ids: readonly string[];
  /** How URIs address a store: `s3` and the bucket name. */
  readonly address?: { readonly scheme: string; readonly name: string };
  /** Whether destroying a bucket also deletes the objects in it. */
  readonly forceDestroy?: boolean;
  readonly retention: readonly Retention[];
  /** The encryption setting, when one is given. */
  readonly encryption?: {
    readonly path: string;
    readonly customerManaged: boolean;
  };
  /** Where encryption would be set, for findings when it is not. */
  readonly encryptionPath?: string;
  /** What a settings resource applies to (a bucket's encryption). */
  readonly targets?: readonly string[];
  readonly devices: readonly Device[];
  readonly gateway?: Gateway;
}
