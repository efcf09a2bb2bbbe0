import { normalizeRegistryHost } from '../image-ref';

/** How to reach one registry. Registries not configured get the defaults. */
export interface RegistrySettings {
  /** Registry host as image references name it (`ghcr.io`, `10.0.0.5:5000`). */
  readonly host: string;
  /** Talk plain HTTP instead of HTTPS. Only for registries you control. */
  readonly insecure?: boolean;
  /** Basic credentials, sent to the registry or to its token service. */
  readonly username?: string;
  readonly password?: string;
  /**
   * A registry bearer token sent as it is on every request. Takes precedence
   * over username and password.
   *
   * LIMITATION: it is not exchanged as an OAuth2 refresh token, and HTTPS
   * trusts Node's CA store (add private CAs with NODE_EXTRA_CA_CERTS); there
   * is no per-registry CA or client certificate.
   */
  readonly token?: string;
}

const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_API = 'registry-1.docker.io';

/** The host that serves the distribution API for a registry name. */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
}

/**
 * The settings for `registry`, or the defaults. Hosts compare as image
 * references normalize them, so `registry.corp:443` configures
 * `registry.corp`.
 */
export function settingsFor(
  registries: readonly RegistrySettings[],
  registry: string,
): RegistrySettings {
  const wanted = normalizeRegistryHost(registry);
  return (
    registries.find((r) => normalizeRegistryHost(r.host) === wanted) ?? {
      host: registry,
    }
  );
}
