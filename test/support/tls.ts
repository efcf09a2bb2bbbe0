/**
 * Throwaway PKI for suites that talk TLS: a CA and server certificates for
 * 127.0.0.1 and localhost, made with the `openssl` CLI in a temp folder.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCa {
  /** Folder holding every file of this PKI; remove it with removeTestCa. */
  readonly dir: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** The CA certificate, to trust in clients. */
  readonly certPem: string;
}

export interface TestCert {
  readonly certFile: string;
  readonly keyFile: string;
  readonly certPem: string;
  readonly keyPem: string;
  /** SHA-256 fingerprint as node's TLS sockets report it (`AB:CD:…`). */
  readonly fingerprint256: string;
}

export interface CertOptions {
  /** File name stem inside the CA folder; defaults to `server`. */
  readonly name?: string;
  /** Subject alternative names; defaults to 127.0.0.1 and localhost. */
  readonly altNames?: readonly string[];
}

const DEFAULT_ALT_NAMES = ['IP:127.0.0.1', 'IP:::1', 'DNS:localhost'];
const CURVE = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

/** Creates a CA valid for one day in a fresh temp folder. */
export function createTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-pki-'));
  const certFile = join(dir, 'ca.crt');
  const keyFile = join(dir, 'ca.key');
  openssl([
    'req',
    '-x509',
    ...CURVE,
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=modelgate test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ]);
  return { dir, certFile, keyFile, certPem: readFileSync(certFile, 'utf8') };
}

/** Issues a server certificate signed by `ca`; each call makes a new key. */
export function issueServerCert(
  ca: TestCa,
  options: CertOptions = {},
): TestCert {
  const stem = join(ca.dir, options.name ?? 'server');
  const keyFile = `${stem}.key`;
  const csrFile = `${stem}.csr`;
  const certFile = `${stem}.crt`;
  const extFile = `${stem}.ext`;
  const altNames = options.altNames ?? DEFAULT_ALT_NAMES;
  writeFileSync(
    extFile,
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=${altNames.join(',')}`,
    ].join('\n'),
  );

  openssl(
    ['req', '-new', ...CURVE, '-nodes', '-subj', '/CN=127.0.0.1'].concat([
      '-keyout',
      keyFile,
      '-out',
      csrFile,
    ]),
  );
  openssl([
    'x509',
    '-req',
    '-in',
    csrFile,
    '-CA',
    ca.certFile,
    '-CAkey',
    ca.keyFile,
    '-set_serial',
    `0x${randomBytes(8).toString('hex')}`,
    '-days',
    '1',
    '-extfile',
    extFile,
    '-out',
    certFile,
  ]);

  const certPem = readFileSync(certFile, 'utf8');
  return {
    certFile,
    keyFile,
    certPem,
    keyPem: readFileSync(keyFile, 'utf8'),
    fingerprint256: new X509Certificate(certPem).fingerprint256,
  };
}

/** Deletes the CA folder and every certificate issued into it. */
export function removeTestCa(ca: TestCa): void {
  rmSync(ca.dir, { recursive: true, force: true });
}

function openssl(args: readonly string[]): void {
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim()}`, {
      cause: err,
    });
  }
}
