/**
 * A loopback token service for docker-registry's `auth.token` mode: it
 * issues ES256 JWTs whose `x5c` header carries a self-signed certificate
 * that the registry trusts through `rootcertbundle`. Basic credentials get
 * the actions they ask for; anonymous callers get pull only, and only when
 * allowed.
 */
import { execFile } from 'node:child_process';
import { createPrivateKey, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { onPath, type RegistryAuth } from '../support/oci-registry';
import { startScriptedServer } from './loopback';

const run = promisify(execFile);
const SERVICE = 'modelgate-test-registry';
const ISSUER = 'modelgate-test-token-issuer';

export interface TokenServer {
  /** The registry `auth` options that trust this service. */
  readonly auth: Extract<RegistryAuth, { kind: 'token' }>;
  /** Token requests served so far, with the scopes asked for. */
  readonly issued: { readonly user?: string; readonly scope: string }[];
  stop(): Promise<void>;
}

export interface TokenServerOptions {
  readonly username: string;
  readonly password: string;
  readonly allowAnonymousPull?: boolean;
}

/** Why the token service cannot run here (it needs openssl), or undefined. */
export function tokenServerMissing(): string | undefined {
  return onPath('openssl')
    ? undefined
    : 'needs openssl for the token certificate';
}

export async function startTokenServer(
  options: TokenServerOptions,
): Promise<TokenServer> {
  const { keyPem, certPem, certDer } = await signingCertificate();
  const key = createPrivateKey(keyPem);
  const issued: { user?: string; scope: string }[] = [];

  const server = await startScriptedServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token');
    const user = basicUser(req.headers.authorization, options);
    if (user === null || (user === undefined && !options.allowAnonymousPull)) {
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{}');
      return;
    }
    const scopes = url.searchParams.getAll('scope');
    issued.push({ user, scope: scopes.join(' ') });
    const access = scopes.map((s) => grant(s, user !== undefined));
    const token = jwt(key, certDer, user ?? '', access);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
  });

  return {
    auth: {
      kind: 'token',
      realm: `http://${server.host}/token`,
      service: SERVICE,
      issuer: ISSUER,
      rootCertBundle: certPem,
    },
    issued,
    stop: () => server.stop(),
  };
}

/** undefined: anonymous; null: wrong credentials; else the user name. */
function basicUser(
  header: string | undefined,
  options: TokenServerOptions,
): string | undefined | null {
  if (!header?.startsWith('Basic ')) return undefined;
  const pair = Buffer.from(header.slice(6), 'base64').toString('utf8');
  return pair === `${options.username}:${options.password}`
    ? options.username
    : null;
}

function grant(scope: string, authenticated: boolean) {
  const [type = '', name = '', actions = ''] = scope.split(':');
  const asked = actions.split(',').filter(Boolean);
  const allowed = authenticated ? asked : asked.filter((a) => a === 'pull');
  return { type, name, actions: allowed };
}

function jwt(
  key: ReturnType<typeof createPrivateKey>,
  certDer: Buffer,
  subject: string,
  access: unknown[],
): string {
  const now = Math.floor(Date.now() / 1000);
  const header = {
    typ: 'JWT',
    alg: 'ES256',
    x5c: [certDer.toString('base64')],
  };
  const claims = {
    iss: ISSUER,
    sub: subject,
    aud: SERVICE,
    exp: now + 300,
    nbf: now - 10,
    iat: now,
    jti: randomBytes(8).toString('hex'),
    access,
  };
  const encode = (v: unknown) =>
    Buffer.from(JSON.stringify(v)).toString('base64url');
  const signed = `${encode(header)}.${encode(claims)}`;
  const signature = sign('sha256', Buffer.from(signed), {
    key,
    dsaEncoding: 'ieee-p1363',
  });
  return `${signed}.${signature.toString('base64url')}`;
}

async function signingCertificate(): Promise<{
  keyPem: string;
  certPem: string;
  certDer: Buffer;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-token-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    await run('openssl', [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt'],
      ...['ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'],
      ...['-subj', '/CN=modelgate test token issuer'],
      ...['-keyout', key, '-out', cert],
    ]);
    const certPem = readFileSync(cert, 'utf8');
    const body = certPem.replace(/-----[A-Z ]+-----|\s/g, '');
    return {
      keyPem: readFileSync(key, 'utf8'),
      certPem,
      certDer: Buffer.from(body, 'base64'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
