/**
 * Resource properties as the Pulumi engine puts them on the wire to an
 * analyzer: a value not known until apply is one of the engine's unknown
 * sentinels, and a secret is an object carrying the secret signature. Test
 * and benchmark inputs write `{"$unknown": true}` and `{"$secret": value}`.
 */
import { SECRET_SIG, SIG_KEY } from '../../core/normalize';

/** What the engine sends for an unknown value of each type. */
export const UNKNOWN = {
  string: '04da6b54-80e4-46f7-96ec-b56ff0331ba9',
  bool: '1c4a061d-8072-4f0a-a4cb-0ff528b18fe7',
  number: '3eeb2bf0-c639-47a8-9e75-3b44932eb421',
  array: '6a19a0b0-7e62-4c92-b797-7f8e31da9cc2',
  object: 'dd056dcd-154b-4c76-9bd3-c8f88648b5ff',
} as const;

export type UnknownKind = keyof typeof UNKNOWN;

/**
 * `{"$unknown": true}` becomes the string sentinel: an unknown output of a
 * Node.js program reaches the engine untyped, and the engine passes it on
 * as an unknown string whatever its shape. `{"$unknown": "object"}` picks
 * another sentinel.
 */
export function toWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toWire);
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  if ('$unknown' in o) {
    const kind = o.$unknown === true ? 'string' : (o.$unknown as UnknownKind);
    return UNKNOWN[kind];
  }
  if ('$secret' in o)
    return { [SIG_KEY]: SECRET_SIG, value: toWire(o.$secret) };
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, toWire(v)]));
}

/** Wire values back to test notation, for reading remediated properties. */
export function fromWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromWire);
  if (typeof value === 'string') {
    const kind = (Object.keys(UNKNOWN) as UnknownKind[]).find(
      (k) => UNKNOWN[k] === value,
    );
    return kind ? { $unknown: kind === 'string' ? true : kind } : value;
  }
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  if (o[SIG_KEY] === SECRET_SIG) return { $secret: fromWire(o.value) };
  return Object.fromEntries(
    Object.entries(o).map(([k, v]) => [k, fromWire(v)]),
  );
}
