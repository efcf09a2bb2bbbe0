/**
 * Ed25519 signature verification (RFC 8032), pure and pre-hashed.
 *
 * cosign signs with Ed25519ph (SHA-512 pre-hash, `dom2` prefix) by default,
 * which Node's crypto cannot verify, so this module does the curve
 * arithmetic with BigInt. It only verifies (no secrets, so variable-time
 * arithmetic is fine) and follows Go's crypto/ed25519: canonical S, and
 * R compared byte for byte with [S]B - [k]A.
 *
 * LIMITATION: BigInt arithmetic takes a few milliseconds per signature;
 * pure Ed25519 therefore goes through Node's native crypto in keys.ts and
 * this module is used for Ed25519ph only.
 */
import { createHash } from 'node:crypto';

interface Point {
  readonly x: bigint;
  readonly y: bigint;
  readonly z: bigint;
  readonly t: bigint;
}

const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const D = mod(-121665n * invert(121666n));
const D2 = mod(2n * D);
const SQRT_M1 = power(2n, (P - 1n) / 4n);
const IDENTITY: Point = { x: 0n, y: 1n, z: 1n, t: 0n };
const BASE = decodePoint(
  Buffer.from(
    '5866666666666666666666666666666666666666666666666666666666666666',
    'hex',
  ),
) as Point;
/** dom2(phflag = 1, context = empty), RFC 8032 section 5.1. */
const DOM2_PH = Buffer.concat([
  Buffer.from('SigEd25519 no Ed25519 collisions', 'ascii'),
  Buffer.from([1, 0]),
]);

/**
 * True when `signature` is a valid Ed25519 signature of `message` by the
 * 32-byte `publicKey`; with `prehash`, an Ed25519ph signature.
 */
export function verifyEd25519(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  prehash: boolean,
): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const a = decodePoint(publicKey);
  if (a === undefined) return false;
  const rBytes = signature.subarray(0, 32);
  const s = fromLittleEndian(signature.subarray(32));
  if (s >= L) return false;

  const hash = createHash('sha512');
  if (prehash) hash.update(DOM2_PH);
  hash.update(rBytes).update(publicKey);
  hash.update(
    prehash ? createHash('sha512').update(message).digest() : message,
  );
  const k = fromLittleEndian(hash.digest()) % L;

  const minusA: Point = { x: mod(-a.x), y: a.y, z: a.z, t: mod(-a.t) };
  const r = doubleScalarMultiply(s, BASE, k, minusA);
  return Buffer.from(encodePoint(r)).equals(Buffer.from(rBytes));
}

/** [s1]P1 + [s2]P2 by one shared double-and-add pass. */
function doubleScalarMultiply(
  s1: bigint,
  p1: Point,
  s2: bigint,
  p2: Point,
): Point {
  const both = add(p1, p2);
  let acc = IDENTITY;
  for (let bit = 255n; bit >= 0n; bit -= 1n) {
    acc = add(acc, acc);
    const b1 = (s1 >> bit) & 1n;
    const b2 = (s2 >> bit) & 1n;
    if (b1 && b2) acc = add(acc, both);
    else if (b1) acc = add(acc, p1);
    else if (b2) acc = add(acc, p2);
  }
  return acc;
}

/** Unified addition in extended coordinates (a = -1; also doubles). */
function add(p: Point, q: Point): Point {
  const a = mod((p.y - p.x) * (q.y - q.x));
  const b = mod((p.y + p.x) * (q.y + q.x));
  const c = mod(p.t * D2 * q.t);
  const d = mod(2n * p.z * q.z);
  const e = b - a;
  const f = d - c;
  const g = d + c;
  const h = b + a;
  return { x: mod(e * f), y: mod(g * h), z: mod(f * g), t: mod(e * h) };
}

function decodePoint(bytes: Uint8Array): Point | undefined {
  if (bytes.length !== 32) return undefined;
  const copy = Buffer.from(bytes);
  const sign = (copy[31] as number) >> 7;
  copy[31] = (copy[31] as number) & 0x7f;
  const y = fromLittleEndian(copy);
  if (y >= P) return undefined;

  const y2 = mod(y * y);
  const u = mod(y2 - 1n);
  const v = mod(D * y2 + 1n);
  const v3 = mod(v * v * v);
  let x = mod(u * v3 * power(mod(u * v3 * v3 * v), (P - 5n) / 8n));
  const vx2 = mod(v * x * x);
  if (vx2 !== u) {
    if (vx2 !== mod(-u)) return undefined;
    x = mod(x * SQRT_M1);
  }
  if (x === 0n && sign === 1) return undefined;
  if (Number(x & 1n) !== sign) x = P - x;
  return { x, y, z: 1n, t: mod(x * y) };
}

function encodePoint(p: Point): Uint8Array {
  const zInverse = invert(p.z);
  const x = mod(p.x * zInverse);
  const y = mod(p.y * zInverse);
  const out = new Uint8Array(32);
  let rest = y;
  for (let i = 0; i < 32; i += 1) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  out[31] = (out[31] as number) | (Number(x & 1n) << 7);
  return out;
}

function fromLittleEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i -= 1) {
    value = (value << 8n) | BigInt(bytes[i] as number);
  }
  return value;
}

function mod(a: bigint): bigint {
  const r = a % P;
  return r >= 0n ? r : r + P;
}

function power(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = mod(result * b);
    b = mod(b * b);
    e >>= 1n;
  }
  return result;
}

function invert(a: bigint): bigint {
  return power(a, P - 2n);
}
