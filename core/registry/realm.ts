/**
 * Which token realms we follow. The realm URL comes from the registry, so a
 * hostile registry could point us (and our credentials) at the cloud
 * metadata service or another internal address. As in go-containerregistry,
 * realms on link-local or private IP literals are refused, except on the
 * registry's own host, or when the registry itself sits on a private IP
 * literal (an in-cluster or test registry whose token service is a peer).
 *
 * LIMITATION: host names are not resolved, so a realm whose DNS name points
 * at an internal address is followed (DNS-based SSRF needs network policy).
 */
import { isIP } from 'node:net';

type AddressClass = 'link-local' | 'private' | 'other';

/** Undefined when `realm` may be asked for a token, else why not. */
export function realmProblem(
  realm: URL,
  registryHost: string,
  insecure: boolean,
): string | undefined {
  const plainAllowed = insecure && realm.protocol === 'http:';
  if (realm.protocol !== 'https:' && !plainAllowed) {
    return `token realm ${realm.host} is not https`;
  }
  const realmName = bare(realm.hostname);
  const registryName = bare(new URL(`http://${registryHost}`).hostname);
  if (realmName === registryName) return undefined;

  const realmClass = classify(realmName);
  if (realmClass === 'link-local') {
    return `token realm ${realm.host} is a link-local address`;
  }
  if (realmClass === 'private' && classify(registryName) !== 'private') {
    return `token realm ${realm.host} is a private address`;
  }
  return undefined;
}

function bare(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

function classify(host: string): AddressClass {
  const version = isIP(host);
  if (version === 4) return classifyV4(host);
  if (version !== 6) return 'other';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  if (mapped?.[1]) return classifyV4(mapped[1]);
  if (/^fe[89ab]/.test(host)) return 'link-local';
  if (host === '::1' || host === '::' || /^f[cd]/.test(host)) return 'private';
  return 'other';
}

function classifyV4(host: string): AddressClass {
  const [a = 0, b = 0] = host.split('.').map(Number);
  if (a === 169 && b === 254) return 'link-local';
  const isPrivate =
    a === 10 ||
    a === 127 ||
    a === 0 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127);
  return isPrivate ? 'private' : 'other';
}
