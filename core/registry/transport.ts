/**
 * One HTTP exchange with a size bound and a deadline. Every failure leaves
 * here as a ModelgateError that names the registry host and the cause.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { ModelgateError, describeThrown } from '../errors';
import type { Deadline } from './deadline';

export interface HttpRequest {
  readonly url: URL;
  readonly method: 'GET' | 'HEAD';
  readonly headers: Readonly<Record<string, string>>;
  /** Bodies larger than this are refused with REGISTRY_PROTOCOL. */
  readonly maxBytes: number;
  readonly deadline: Deadline;
  /** The registry named in error messages (never the full URL). */
  readonly host: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

// Keep-alive agents shared by all clients: a cold lookup makes several
// requests to one registry, and reusing the connection saves a handshake.
// Idle sockets are unref'd by Node, so they do not hold the process open.
const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 32 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 32 }),
};

const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
};

/** Errors from a kept-alive socket the server had already closed. */
const staleSockets = new WeakSet<ModelgateError>();

/**
 * Sends one request and reads the whole bounded body. A request that failed
 * only because it reused a socket the server had just closed is sent once
 * more (all our requests are idempotent GETs and HEADs).
 */
export async function send(request: HttpRequest): Promise<HttpResponse> {
  try {
    return await attempt(request);
  } catch (err) {
    if (err instanceof ModelgateError && staleSockets.has(err)) {
      return attempt(request);
    }
    throw err;
  }
}

function attempt(request: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    if (request.deadline.signal.aborted) {
      reject(networkError(undefined, request));
      return;
    }
    const secure = request.url.protocol === 'https:';
    const req = (secure ? https : http).request(request.url, {
      method: request.method,
      headers: request.headers,
      agent: secure ? agents.https : agents.http,
      signal: request.deadline.signal,
    });
    // The first outcome wins: destroying the request on a size overrun
    // also fires socket errors, which must not replace the real reason.
    let settled = false;
    const outcome: Outcome = {
      fail(err) {
        if (settled) return;
        settled = true;
        req.destroy();
        reject(err);
      },
      succeed(res) {
        if (settled) return;
        settled = true;
        resolve(res);
      },
    };
    req.on('error', (err: NodeJS.ErrnoException) => {
      const error = networkError(err, request);
      const reset = err.code === 'ECONNRESET' || err.code === 'EPIPE';
      if (reset && req.reusedSocket && !request.deadline.signal.aborted) {
        staleSockets.add(error);
      }
      outcome.fail(error);
    });
    req.on('response', (res) => readBody(res, request, outcome));
    req.end();
  });
}

interface Outcome {
  fail(err: ModelgateError): void;
  succeed(res: HttpResponse): void;
}

function readBody(
  res: http.IncomingMessage,
  request: HttpRequest,
  outcome: Outcome,
): void {
  const declared = Number(res.headers['content-length'] ?? 0);
  if (request.method === 'GET' && declared > request.maxBytes) {
    outcome.fail(tooLarge(request));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > request.maxBytes) outcome.fail(tooLarge(request));
    else chunks.push(chunk);
  });
  res.on('end', () =>
    outcome.succeed({
      status: res.statusCode ?? 0,
      headers: res.headers,
      body: Buffer.concat(chunks, size),
    }),
  );
  res.on('error', (err) => outcome.fail(networkError(err, request)));
  res.on('aborted', () => outcome.fail(networkError(undefined, request)));
}

function tooLarge(request: HttpRequest): ModelgateError {
  return new ModelgateError(
    'REGISTRY_PROTOCOL',
    `registry ${request.host} sent a response larger than ` +
      `${request.maxBytes} bytes`,
  );
}

/** Maps a socket, TLS, parser or abort failure to a registry error. */
export function networkError(
  err: unknown,
  request: Pick<HttpRequest, 'host' | 'deadline'>,
): ModelgateError {
  const { host, deadline } = request;
  if (deadline.signal.aborted) {
    return new ModelgateError(
      'REGISTRY_TIMEOUT',
      `registry ${host} did not answer within ${deadline.ms} ms`,
      { cause: err },
    );
  }
  const code = String((err as NodeJS.ErrnoException | undefined)?.code ?? '');
  if (code.startsWith('HPE_')) {
    return new ModelgateError(
      'REGISTRY_PROTOCOL',
      `registry ${host} sent a malformed http response (${code})`,
      { cause: err },
    );
  }
  const reason =
    REASONS[code] ??
    (isTlsFailure(code)
      ? `tls handshake failed (${code}); if it serves plain http, list it ` +
        'under registries with insecure: true'
      : code || describeThrown(err ?? 'connection closed'));
  return new ModelgateError(
    'REGISTRY_UNREACHABLE',
    `registry ${host} is unreachable: ${reason}`,
    { cause: err },
  );
}

function isTlsFailure(code: string): boolean {
  return (
    code === 'EPROTO' ||
    code.startsWith('ERR_SSL') ||
    code.startsWith('ERR_TLS') ||
    code.startsWith('CERT_') ||
    code.includes('CERT') ||
    code.startsWith('UNABLE_TO_') ||
    code.startsWith('DEPTH_ZERO')
  );
}
