/**
 * Safe, obvious fixes for findings the rules reported: teardown settings
 * that keep model data (reclaim policies, forceDestroy, deleteOnTermination,
 * a StatefulSet's claim retention) and missing decommissioning labels, when
 * config says what to fill in. A signature or a rate limit is never added:
 * only their owner can say what they should be.
 */
import { UNKNOWN_SENTINELS, normalize } from '../core/normalize';
import type { PolicyObject } from '../core';
import type { PackOptions } from './config';
import type { Judgement } from './judge';
import type { Violation } from './present';

type Json = Record<string, unknown>;

interface SettingFix {
  readonly rule: string;
  readonly path: RegExp;
  /** The value to set; the type decides its spelling. */
  readonly value: (type: string) => unknown;
}

const SETTING_FIXES: readonly SettingFix[] = [
  {
    rule: 'MG-WIPE-003',
    path: /^spec\.persistentVolumeReclaimPolicy$/,
    value: () => 'Delete',
  },
  { rule: 'MG-WIPE-004', path: /^reclaimPolicy$/, value: () => 'Delete' },
  { rule: 'MG-WIPE-003', path: /^forceDestroy$/, value: () => true },
  {
    rule: 'MG-WIPE-001',
    path: /\.deleteOnTermination$/,
    // Launch templates spell booleans as strings.
    value: (type) => (type.includes(':ec2/launchTemplate:') ? 'true' : true),
  },
];

const LABELS: Record<string, keyof PackOptions['remediation']> = {
  'MG-DECOM-001': 'dataCustodian',
  'MG-DECOM-002': 'decommission',
};

const LABEL_KEYS: Record<keyof PackOptions['remediation'], string> = {
  dataCustodian: 'data-custodian',
  decommission: 'decommission',
};

/**
 * The remediated properties, or undefined when nothing was safe to change.
 * `props` is an editable copy of what the engine sent (secrets kept).
 */
export function remediate(
  judgement: Judgement,
  props: Json,
  familyId: string,
  options: PackOptions,
): Json | undefined {
  const { type } = judgement.resource;
  const object = normalize(judgement.resource);
  let changed = false;
  for (const v of judgement.violations) {
    if (v.family !== familyId || !v.fixable) continue;
    changed = applyOne(v, type, object, props, options) || changed;
  }
  return changed ? props : undefined;
}

function applyOne(
  v: Violation,
  type: string,
  object: PolicyObject,
  props: Json,
  options: PackOptions,
): boolean {
  if (v.rule === 'MG-WIPE-008') return retainNoClaims(props);
  const fix = SETTING_FIXES.find(
    (f) => f.rule === v.rule && f.path.test(v.path),
  );
  if (fix) return setAtPath(props, v.path, fix.value(type));
  const label = LABELS[v.rule];
  const value = label && options.remediation[label];
  if (!label || !value || hasMeta(object, LABEL_KEYS[label])) return false;
  return addLabel(props, object, LABEL_KEYS[label], value);
}

/** A StatefulSet whose claims go when it goes. */
function retainNoClaims(props: Json): boolean {
  const spec = props.spec;
  if (!isJson(spec)) return false;
  const policy = spec.persistentVolumeClaimRetentionPolicy;
  if (policy !== undefined && !isJson(policy)) return false;
  spec.persistentVolumeClaimRetentionPolicy = {
    ...(policy ?? {}),
    whenDeleted: 'Delete',
  };
  return true;
}

function hasMeta(object: PolicyObject, key: string): boolean {
  const full = `modelgate.io/${key}`;
  const maps = [
    object.labels,
    object.annotations,
    ...object.templates.flatMap((t) => [t.labels, t.annotations]),
  ];
  return maps.some((m) => full in m);
}

/**
 * Kubernetes objects get a label on the object itself (not the pod
 * template, which would restart the pods); cloud resources a tag. Keys that
 * cannot hold `/` (GCP, Azure) use the `modelgate-io_` spelling.
 */
function addLabel(
  props: Json,
  object: PolicyObject,
  key: string,
  value: string,
): boolean {
  const cloud = object.cloud;
  if (cloud && !cloud.tagsPath) return false;
  const path = cloud ? [cloud.tagsPath!] : ['metadata', 'labels'];
  const name =
    cloud && !object.kind.startsWith('aws:')
      ? `modelgate-io_${key}`
      : `modelgate.io/${key}`;
  let at: Json = props;
  for (const step of path) {
    const next = at[step];
    if (next === undefined) at[step] = {};
    else if (!isJson(next)) return false;
    at = at[step] as Json;
  }
  at[name] = value;
  return true;
}

/** Sets `a.b[0]["c.d"]`; refuses to go through unknown or secret values. */
export function setAtPath(root: Json, path: string, value: unknown): boolean {
  const steps = parsePath(path);
  if (!steps) return false;
  let at: unknown = root;
  for (const step of steps.slice(0, -1)) {
    at = (at as Record<string | number, unknown>)[step];
    if (!isJson(at) && !Array.isArray(at)) return false;
  }
  const last = steps[steps.length - 1]!;
  const current = (at as Record<string | number, unknown>)[last];
  if (typeof current === 'string' && UNKNOWN_SENTINELS.has(current)) {
    return false;
  }
  // Objects, and secrets, are not replaced by a scalar.
  if (typeof current === 'object' && current !== null) return false;
  (at as Record<string | number, unknown>)[last] = value;
  return true;
}

export function parsePath(path: string): (string | number)[] | undefined {
  const steps: (string | number)[] = [];
  const re = /([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|(\.)/y;
  let i = 0;
  while (i < path.length) {
    re.lastIndex = i;
    const m = re.exec(path);
    if (!m) return undefined;
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else if (m[3] !== undefined) steps.push(JSON.parse(m[3]) as string);
    i = re.lastIndex;
  }
  return steps.length > 0 ? steps : undefined;
}

function isJson(value: unknown): value is Json {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}
