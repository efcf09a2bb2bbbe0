/**
 * One registry's distribution API: builds URLs, authenticates, follows a few
 * redirects (blob storage often lives elsewhere) and turns statuses into
 * errors that name the registry and the thing asked for.
 *
 * Credentials belong to the registry's own origin. A host it redirects to
 * gets no Authorization header, and its 401 is an error, never a challenge
 * to answer: a hostile storage host could otherwise name a token realm of
 * its choosing and receive the registry's basic credentials.
 */
import { ModelgateError } from '../errors';
import { Authenticator, pullScope } from './auth';
import type { Deadline } from './deadline';
import { apiHost, type RegistrySettings } from './settings';
import { send, type HttpResponse } from './transport';

const MAX_REDIRECTS = 3;
const MAX_HOST_IN_MESSAGE = 100;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface ApiRequest {
  readonly repository: string;
  /** Path under `/v2/<repository>/`: `manifests/<ref>` or `blobs/<digest>`. */
  readonly path: string;
  readonly method: 'GET' | 'HEAD';
  readonly accept: string;
  readonly maxBytes: number;
  /** Names the content in messages: `manifest demo/app:v1`. */
  readonly what: string;
}

/** A response and the URL that answered it, after any redirects. */
interface Answered extends HttpResponse {
  readonly url: URL;
}

export class Endpoint {
  readonly host: string;
  private readonly origin: string;
  private readonly auth: Authenticator;

  constructor(private readonly settings: RegistrySettings) {
    this.host = settings.host;
    const scheme = settings.insecure === true ? 'http' : 'https';
    this.origin = new URL(`${scheme}://${apiHost(settings.host)}`).origin;
    this.auth = new Authenticator(settings, settings.host, this.origin);
  }

  /** Sends an authenticated request; resolves only on 200. */
  async request(req: ApiRequest, deadline: Deadline): Promise<HttpResponse> {
    const url = new URL(`/v2/${req.repository}/${req.path}`, this.origin);
    const scope = pullScope(req.repository);

    let authorization = await this.auth.header(scope, deadline);
    let res = await this.follow(url, req, authorization, deadline);
    if (res.status === 401 && !this.auth.hasStaticToken) {
      this.checkChallenger(res.url, req);
      authorization = await this.auth.answer(
        res.url,
        res.headers['www-authenticate'],
        scope,
        authorization,
        deadline,
      );
      res = await this.follow(url, req, authorization, deadline);
    }

    if (res.status === 200) return res;
    if (res.status === 401) this.checkChallenger(res.url, req);
    throw this.statusError(res.status, req, scope);
  }

  /** Throws unless a 401 came from the registry's own origin. */
  private checkChallenger(url: URL, req: ApiRequest): void {
    if (url.origin === this.origin) return;
    throw new ModelgateError(
      'REGISTRY_AUTH_FAILED',
      `registry ${this.host} redirected ${req.what} to ` +
        `${url.host.slice(0, MAX_HOST_IN_MESSAGE)}, which asked for ` +
        'credentials; registry credentials are sent only to the registry',
    );
  }

  private async follow(
    start: URL,
    req: ApiRequest,
    authorization: string | undefined,
    deadline: Deadline,
  ): Promise<Answered> {
    let url = start;
    for (let hop = 0; ; hop += 1) {
      const headers: Record<string, string> = {
        Accept: req.accept,
        'User-Agent': 'modelgate',
      };
      // Credentials go to the registry's own origin only, never to a
      // storage host it redirects to.
      if (authorization && url.origin === start.origin) {
        headers.Authorization = authorization;
      }
      const res = await send({
        url,
        method: req.method,
        headers,
        maxBytes: req.maxBytes,
        deadline,
        host: this.host,
      });
      const location = res.headers.location;
      if (!REDIRECTS.has(res.status) || !location) return { ...res, url };
      if (hop >= MAX_REDIRECTS) {
        throw this.protocol(`redirected ${req.what} too many times`);
      }
      url = this.redirectTarget(location, url, req);
    }
  }

  private redirectTarget(location: string, from: URL, req: ApiRequest): URL {
    let next: URL;
    try {
      next = new URL(location, from);
    } catch {
      throw this.protocol(`redirected ${req.what} to an invalid location`);
    }
    const plainAllowed = this.settings.insecure === true;
    if (
      next.protocol !== 'https:' &&
      !(plainAllowed && next.protocol === 'http:')
    ) {
      throw this.protocol(`redirected ${req.what} to a non-https location`);
    }
    return next;
  }

  private statusError(
    status: number,
    req: ApiRequest,
    scope: string,
  ): ModelgateError {
    const host = this.host;
    if (status === 404) {
      return new ModelgateError(
        'REGISTRY_NOT_FOUND',
        `${req.what} not found on registry ${host}`,
      );
    }
    if (status === 401) return this.auth.rejected(scope);
    if (status === 403) {
      return new ModelgateError(
        'REGISTRY_AUTH_FAILED',
        `registry ${host} denied access to ${req.what}`,
      );
    }
    if (status === 429 || status >= 500) {
      return new ModelgateError(
        'REGISTRY_UNREACHABLE',
        `registry ${host} answered ${status} for ${req.what}`,
      );
    }
    return this.protocol(`answered ${status} for ${req.what}`);
  }

  private protocol(what: string): ModelgateError {
    return new ModelgateError(
      'REGISTRY_PROTOCOL',
      `registry ${this.host} ${what}`,
    );
  }
}
