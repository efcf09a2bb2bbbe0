/**
 * Registry authentication: anonymous, basic, a static bearer token, or the
 * distribution token flow (a 401 with `Bearer realm=…,service=…` sends us to
 * a token service, anonymously or with basic credentials).
 *
 * Credentials and tokens never appear in a message: errors name the registry
 * host, the token service host and the repository only.
 */
import { ModelgateError } from '../errors';
import { parseChallenges, pickChallenge, type Challenge } from './challenge';
import type { Deadline } from './deadline';
import { realmProblem } from './realm';
import type { RegistrySettings } from './settings';
import { send } from './transport';

const MAX_TOKEN_RESPONSE = 64 * 1024;
const MAX_TOKEN_LENGTH = 16 * 1024;
const DEFAULT_TOKEN_SECONDS = 60;
const EXPIRY_MARGIN_MS = 5_000;
const MAX_CACHED_TOKENS = 128;

interface CachedToken {
  readonly header: string;
  readonly expiresAt: number;
}

/** Answers authentication challenges for one registry. */
export class Authenticator {
  private challenge: Challenge | undefined;
  private readonly tokens = new Map<string, CachedToken>();

  constructor(
    private readonly settings: RegistrySettings,
    /** The registry host named in messages. */
    private readonly host: string,
    /** The registry's own origin: the only one whose challenges count. */
    private readonly origin: string,
  ) {}

  /** True when a static token is configured: a 401 is then final. */
  get hasStaticToken(): boolean {
    return this.settings.token !== undefined;
  }

  /**
   * The Authorization header to send for `scope` before any 401, when this
   * registry has challenged us before (saves a round trip per request).
   */
  async header(scope: string, deadline: Deadline): Promise<string | undefined> {
    if (this.settings.token !== undefined) {
      return `Bearer ${this.settings.token}`;
    }
    const challenge = this.challenge;
    if (challenge === undefined) return undefined;
    if (challenge.scheme === 'basic') return this.basicHeader(scope);
    return this.bearerHeader(challenge, scope, deadline);
  }

  /**
   * Learns the challenge of a 401 and returns the header to retry with.
   * `challenger` is the URL that answered 401; `sent` is the header the
   * refused request carried, if any.
   */
  async answer(
    challenger: URL,
    wwwAuthenticate: string | string[] | undefined,
    scope: string,
    sent: string | undefined,
    deadline: Deadline,
  ): Promise<string> {
    // Another origin (blob storage behind a redirect) must not pick the
    // realm our credentials go to, nor leave a challenge for later requests.
    if (challenger.origin !== this.origin) {
      throw this.failed('redirected to a host that asked for credentials');
    }
    const challenge = pickChallenge(parseChallenges(wwwAuthenticate));
    if (challenge === undefined) {
      throw this.failed(`answered 401 without a basic or bearer challenge`);
    }
    this.challenge = challenge;
    if (challenge.scheme === 'basic') {
      if (sent?.startsWith('Basic ')) throw this.rejected(scope);
      return this.basicHeader(scope);
    }
    this.tokens.delete(scope);
    return this.bearerHeader(challenge, scope, deadline);
  }

  /** The error for a request refused even with our best header. */
  rejected(scope: string): ModelgateError {
    const who = this.hasCredentials() ? 'the credentials' : 'anonymous access';
    return this.failed(`rejected ${who} for ${describeScope(scope)}`);
  }

  private basicHeader(scope: string): string {
    const { username, password } = this.settings;
    if (username === undefined || password === undefined) {
      throw this.failed(
        `requires credentials for ${describeScope(scope)} and none are configured`,
      );
    }
    return basic(username, password);
  }

  private async bearerHeader(
    challenge: Challenge,
    scope: string,
    deadline: Deadline,
  ): Promise<string> {
    const cached = this.tokens.get(scope);
    if (cached && cached.expiresAt > Date.now()) return cached.header;

    const token = await this.fetchToken(challenge, scope, deadline);
    if (this.tokens.size >= MAX_CACHED_TOKENS) {
      const oldest = this.tokens.keys().next().value;
      if (oldest !== undefined) this.tokens.delete(oldest);
    }
    this.tokens.set(scope, token);
    return token.header;
  }

  private async fetchToken(
    challenge: Challenge,
    scope: string,
    deadline: Deadline,
  ): Promise<CachedToken> {
    const url = this.realmUrl(challenge, scope);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': 'modelgate',
    };
    const { username, password } = this.settings;
    if (username !== undefined && password !== undefined) {
      headers.Authorization = basic(username, password);
    }
    const res = await send({
      url,
      method: 'GET',
      headers,
      maxBytes: MAX_TOKEN_RESPONSE,
      deadline,
      host: this.host,
    });

    const service = `token service ${url.host} of registry ${this.host}`;
    if (res.status === 401 || res.status === 403) {
      const who = headers.Authorization
        ? 'the credentials'
        : 'anonymous access';
      throw new ModelgateError(
        'REGISTRY_AUTH_FAILED',
        `${service} refused ${who} for ${describeScope(scope)}`,
      );
    }
    if (res.status !== 200) {
      const code =
        res.status >= 500 ? 'REGISTRY_UNREACHABLE' : 'REGISTRY_AUTH_FAILED';
      throw new ModelgateError(code, `${service} answered ${res.status}`);
    }
    return this.readToken(res.body, url.host);
  }

  private realmUrl(challenge: Challenge, scope: string): URL {
    const realm = challenge.params.realm ?? '';
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw this.failed('sent a bearer challenge without a valid realm');
    }
    const insecure = this.settings.insecure === true;
    const problem = realmProblem(url, this.host, insecure);
    if (problem) throw this.failed(`sent a bad challenge: ${problem}`);
    if (challenge.params.service !== undefined) {
      url.searchParams.set('service', challenge.params.service);
    }
    url.searchParams.set('scope', scope);
    return url;
  }

  private readToken(body: Buffer, tokenHost: string): CachedToken {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const fields = (parsed ?? {}) as Record<string, unknown>;
    const token = fields.token ?? fields.access_token;
    if (
      typeof token !== 'string' ||
      token.length === 0 ||
      token.length > MAX_TOKEN_LENGTH ||
      !/^[\x21-\x7e]+$/.test(token)
    ) {
      throw new ModelgateError(
        'REGISTRY_PROTOCOL',
        `token service ${tokenHost} of registry ${this.host} sent no usable token`,
      );
    }
    const seconds =
      typeof fields.expires_in === 'number' && fields.expires_in > 0
        ? fields.expires_in
        : DEFAULT_TOKEN_SECONDS;
    const ttl = Math.max(seconds * 1000 - EXPIRY_MARGIN_MS, 1_000);
    return { header: `Bearer ${token}`, expiresAt: Date.now() + ttl };
  }

  private hasCredentials(): boolean {
    const { username, password, token } = this.settings;
    return (
      token !== undefined || (username !== undefined && password !== undefined)
    );
  }

  private failed(what: string): ModelgateError {
    return new ModelgateError(
      'REGISTRY_AUTH_FAILED',
      `registry ${this.host} ${what}`,
    );
  }
}

/** The pull scope for a repository, as the token flow names it. */
export function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

function describeScope(scope: string): string {
  const match = /^repository:(.+):[a-z,*]+$/.exec(scope);
  return match ? `repository ${match[1]}` : scope;
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
