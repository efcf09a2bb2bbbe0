/**
 * Reading resource properties as the engine sent them. @pulumi/policy hands
 * policies a proxy that throws on the first unknown value it meets and, in
 * validation, has already unwrapped secrets. The pack reads the values under
 * the proxy instead, and re-encodes secrets the way the engine does, so the
 * core sees every unknown and every secret and decides what they mean.
 */
import { Secret } from '@pulumi/policy';
import { SECRET_SIG, SIG_KEY } from '../core/normalize';

type Json = Record<string, unknown>;

const IS_PROXY = '__isSpecialProxy';
const PROXY_TARGET = '__getSpecialProxyTarget';

/** The object under @pulumi/policy's proxies (two at most). */
export function underProxies(value: unknown): unknown {
  let current = value;
  for (let i = 0; i < 3; i++) {
    if (!isRecord(current) || current[IS_PROXY] !== true) break;
    current = current[PROXY_TARGET];
  }
  return current;
}

/** Properties in the engine's wire form: secrets signed, unknowns as sent. */
export function wireProps(props: unknown): Json {
  const raw = underProxies(props);
  return isRecord(raw) ? (encode(raw, 0) as Json) : {};
}

function encode(value: unknown, depth: number): unknown {
  if (depth > 32) return null;
  if (value instanceof Secret) {
    return { [SIG_KEY]: SECRET_SIG, value: encode(value.value, depth + 1) };
  }
  if (Array.isArray(value)) return value.map((v) => encode(v, depth + 1));
  if (isRecord(value)) {
    // Assets and archives are class instances; they hold nothing we read.
    if (Object.getPrototypeOf(value) !== Object.prototype) return null;
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) out[k] = encode(v, depth + 1);
    return out;
  }
  return value;
}

/** A deep copy that keeps Secret instances, for remediations to edit. */
export function editableProps(props: unknown): Json {
  const raw = underProxies(props);
  return isRecord(raw) ? (copy(raw, 0) as Json) : {};
}

function copy(value: unknown, depth: number): unknown {
  if (depth > 32 || value instanceof Secret) return value;
  if (Array.isArray(value)) return value.map((v) => copy(v, depth + 1));
  if (isRecord(value) && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) out[k] = copy(v, depth + 1);
    return out;
  }
  return value;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface DeserializeModule {
  deserializeProperties: (struct: unknown, proxySecrets: boolean) => unknown;
}

let marking: boolean | undefined;

/**
 * Keeps secrets marked in validation as they are in remediation, so the
 * pack can tell a secret label from a plain one. Policies still read plain
 * values through the proxy, as before.
 *
 * LIMITATION: @pulumi/policy (1.21) unwraps secrets before validation and
 * offers no public way to see which values were secret. This wraps its
 * internal `deserializeProperties`; when a later release moves it, the wrap
 * is skipped, the pack reports so on stderr, and secrets count as plain
 * values.
 */
export function installSecretMarking(): boolean {
  if (marking !== undefined) return marking;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('@pulumi/policy/deserialize') as DeserializeModule;
    const original = mod.deserializeProperties;
    if (typeof original !== 'function' || original.length !== 2) {
      throw new Error('deserializeProperties has changed');
    }
    mod.deserializeProperties = (struct) => original(struct, true);
    marking = true;
  } catch (err) {
    process.stderr.write(
      `modelgate: secrets cannot be told apart in this @pulumi/policy (${String(err)}); they are judged as plain values\n`,
    );
    marking = false;
  }
  return marking;
}
