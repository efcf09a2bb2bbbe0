/**
 * Reads resource properties as the Pulumi engine encodes them for an
 * analyzer: a value not known until apply is one of the engine's unknown
 * sentinel strings, and a secret is an object tagged with the secret
 * signature. The result is plain JSON with every unknown value left out,
 * and the field paths of what was unknown or secret.
 */
import { isObject } from '../walk';

type Json = Record<string, unknown>;

/** The engine's unknown sentinels, one per type (bool, number, string, …). */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  '1c4a061d-8072-4f0a-a4cb-0ff528b18fe7',
  '3eeb2bf0-c639-47a8-9e75-3b44932eb421',
  '04da6b54-80e4-46f7-96ec-b56ff0331ba9',
  '6a19a0b0-7e62-4c92-b797-7f8e31da9cc2',
  '030794c1-ac77-496b-92df-f27374a8bd58',
  'e48ece36-62e2-4504-bad9-02848725956a',
  'dd056dcd-154b-4c76-9bd3-c8f88648b5ff',
]);

/** The key that marks a special value, and the signatures it may hold. */
export const SIG_KEY = '4dabf18193072939515e22adb298388d';
export const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';
const RESOURCE_SIG = '5cf8f73096256a8f31e491e813e4eb8e';
const OUTPUT_SIG = 'd0e6a833031e9bbcd3f4e8bde6ca49a4';

/**
 * What to do with a secret: `defer` (the default) leaves its value out,
 * like an unknown one; `read` keeps it for the rules. Either way its path is
 * listed, so that no message repeats it.
 */
export type SecretHandling = 'defer' | 'read';

export interface Decoded {
  readonly value: Json;
  /** Paths whose values were left out: unknown, or secret and deferred. */
  readonly unknown: readonly string[];
  /** Paths that held secrets. */
  readonly secret: readonly string[];
  /** The strings inside secrets that were read, so messages can mask them. */
  readonly secretValues: readonly string[];
}

const MAX_DEPTH = 32;

interface State {
  readonly secrets: SecretHandling;
  readonly unknown: string[];
  readonly secret: string[];
  readonly secretValues: Set<string>;
}

export function decodeProperties(
  props: unknown,
  secrets: SecretHandling = 'defer',
): Decoded {
  const state: State = {
    secrets,
    unknown: [],
    secret: [],
    secretValues: new Set(),
  };
  const value = isObject(props) ? decodeObject(props, '', state, 0, false) : {};
  return {
    value,
    unknown: state.unknown,
    secret: state.secret,
    secretValues: [...state.secretValues],
  };
}

/** `a.b`, `a["modelgate.io/model"]`, `a[0]`: the path notation of findings. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) {
    return parent === '' ? key : `${parent}.${key}`;
  }
  return `${parent}[${JSON.stringify(key)}]`;
}

function decodeObject(
  obj: Json,
  path: string,
  state: State,
  depth: number,
  inSecret: boolean,
): Json {
  const out: Json = {};
  for (const [key, raw] of Object.entries(obj)) {
    const decoded = decodeValue(
      raw,
      childPath(path, key),
      state,
      depth + 1,
      inSecret,
    );
    if (decoded !== undefined) out[key] = decoded;
  }
  return out;
}

function decodeValue(
  raw: unknown,
  path: string,
  state: State,
  depth: number,
  inSecret: boolean,
): unknown {
  if (depth > MAX_DEPTH) return undefined;
  if (typeof raw === 'string') {
    if (UNKNOWN_SENTINELS.has(raw)) {
      state.unknown.push(path);
      return undefined;
    }
    if (inSecret) state.secretValues.add(raw);
    return raw;
  }
  if (Array.isArray(raw)) {
    return raw
      .map((item, i) =>
        decodeValue(item, childPath(path, i), state, depth + 1, inSecret),
      )
      .filter((item) => item !== undefined);
  }
  if (!isObject(raw)) return raw;
  if (typeof raw[SIG_KEY] === 'string') {
    return decodeSpecial(raw, path, state, depth, inSecret);
  }
  return decodeObject(raw, path, state, depth, inSecret);
}

function decodeSpecial(
  raw: Json,
  path: string,
  state: State,
  depth: number,
  inSecret: boolean,
): unknown {
  const sig = raw[SIG_KEY];
  if (sig === SECRET_SIG) return decodeSecret(raw.value, path, state, depth);
  if (sig === RESOURCE_SIG) {
    const ref = typeof raw.id === 'string' && raw.id !== '' ? raw.id : raw.urn;
    return decodeValue(ref, path, state, depth, inSecret);
  }
  if (sig === OUTPUT_SIG) {
    if (!('value' in raw)) {
      state.unknown.push(path);
      return undefined;
    }
    return raw.secret === true
      ? decodeSecret(raw.value, path, state, depth)
      : decodeValue(raw.value, path, state, depth, inSecret);
  }
  // Assets and archives hold nothing the rules read.
  return undefined;
}

function decodeSecret(
  inner: unknown,
  path: string,
  state: State,
  depth: number,
): unknown {
  state.secret.push(path);
  if (state.secrets === 'defer') {
    state.unknown.push(path);
    return undefined;
  }
  return decodeValue(inner, path, state, depth, true);
}
