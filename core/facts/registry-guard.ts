/**
 * Keeps the webhook from being a probe into the cluster network. Registry
 * hosts come from image references in untrusted objects, and the outcome of
 * a lookup reaches the pod author in the denial, so an unguarded verifier
 * would report whether `10.0.0.7:6443` accepts connections or speaks TLS.
 * Internal addresses are therefore contacted only when the operator listed
 * them under `registries`, and every error message is kept short.
 */
import { isIP } from 'node:net';
import { normalizeRegistryHost, type ImageRef } from '../image-ref';
import type { ImageFact, ImageVerifier } from '../signature';

/** Upstream text beyond this many characters never reaches a denial. */
export const MAX_ERROR_MESSAGE = 200;

/**
 * Wraps `verifier` so that internal registry hosts not listed in
 * `registries` are refused with REGISTRY_NOT_ALLOWED before any request,
 * and error messages are cut to MAX_ERROR_MESSAGE characters.
 *
 * @example
 * const guarded = guardRegistries(verifier, [{ host: '10.0.0.5:5000' }]);
 * await guarded.verify(parseImageRef('10.0.0.9:5000/m@sha256:…'));
 * // { …, error: { code: 'REGISTRY_NOT_ALLOWED', … } }
 */
export function guardRegistries(
  verifier: ImageVerifier,
  registries: readonly { readonly host: string }[],
): ImageVerifier {
  const listed = new Set(registries.map((r) => normalizeRegistryHost(r.host)));
  return {
    async verify(ref: ImageRef): Promise<ImageFact> {
      const host = normalizeRegistryHost(ref.registry);
      if (isInternalHost(host) && !listed.has(host)) return notAllowed(ref);
      return clipError(await verifier.verify(ref));
    },
  };
}

/**
 * True for `localhost` (and names under it) and for IP literals that are
 * loopback, private (RFC 1918, RFC 6598, fc00::/7), link-local or
 * unspecified. The host is read as the registry client's URL parser reads
 * it, so `2130706433` and `0x7f.1` are 127.0.0.1.
 */
export function isInternalHost(host: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(`https://${host}`).hostname;
  } catch {
    return false; // the client cannot build a URL for it either
  }
  const bare = hostname.replace(/^\[|\]$/g, '').replace(/\.+$/, '');
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  // LIMITATION: only IP literals are classified. Names are not resolved (no
  // DNS lookup here), so a name that resolves, or is rebound between this
  // check and the connect, to an internal address passes; so does an
  // internal https host that a registry redirects to. Egress network policy
  // for the webhook closes both gaps.
  const version = isIP(bare);
  if (version === 4) return isInternalV4(bare.split('.').map(Number));
  if (version === 6) return isInternalV6(ipv6Groups(bare));
  return false;
}

function isInternalV4([a = 0, b = 0]: readonly number[]): boolean {
  return (
    a === 0 || // unspecified, "this network"
    a === 127 || // loopback
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) || // link-local, cloud metadata
    (a === 100 && b >= 64 && b <= 127) // shared address space, pod networks
  );
}

function isInternalV6(groups: readonly number[]): boolean {
  const [g0 = 0, , , , , g5 = 0, g6 = 0, g7 = 0] = groups;
  const zeroUntil = (n: number) => groups.slice(0, n).every((g) => g === 0);
  if (zeroUntil(7) && g7 <= 1) return true; // :: and ::1
  if (zeroUntil(5) && g5 === 0xffff) {
    return isInternalV4([g6 >> 8, g6 & 0xff]); // ::ffff:a.b.c.d
  }
  return (
    (g0 & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (g0 & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (g0 & 0xffc0) === 0xfec0 // site-local fec0::/10 (deprecated)
  );
}

/** The eight 16-bit groups of an IPv6 literal as the URL parser writes it. */
function ipv6Groups(address: string): number[] {
  const [head = '', tail] = address.split('::');
  const parse = (s: string) =>
    s === '' ? [] : s.split(':').map((g) => parseInt(g, 16));
  const front = parse(head);
  const back = parse(tail ?? '');
  const gap = new Array<number>(8 - front.length - back.length).fill(0);
  return [...front, ...gap, ...back];
}

function notAllowed(ref: ImageRef): ImageFact {
  return {
    ref: ref.canonical,
    signatures: 0,
    signers: [],
    error: {
      code: 'REGISTRY_NOT_ALLOWED',
      message:
        `registry ${ref.registry} is a private address that is not listed ` +
        'under registries; list it to allow lookups',
    },
  };
}

function clipError(fact: ImageFact): ImageFact {
  const { error } = fact;
  if (!error || error.message.length <= MAX_ERROR_MESSAGE) return fact;
  const message = `${error.message.slice(0, MAX_ERROR_MESSAGE - 1)}…`;
  return { ...fact, error: { ...error, message } };
}
