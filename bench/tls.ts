/**
 * Throwaway PKI for the benchmark: a CA and one server certificate for
 * 127.0.0.1, made with the `openssl` CLI in a temp folder. Same approach as
 * the test suites' helper; bench/ cannot import test/, which is not built.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BenchPki {
  /** Folder holding every file; `remove()` deletes it. */
  readonly dir: string;
  /** The CA certificate, for clients to trust. */
  readonly caPem: string;
  readonly certFile: string;
  readonly keyFile: string;
  remove(): void;
}

const CURVE = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

/** Creates a one-day CA and a server certificate for 127.0.0.1. */
export function createBenchPki(): BenchPki {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-bench-pki-'));
  const path = (name: string) => join(dir, name);
  try {
    makeCa(path('ca.crt'), path('ca.key'));
    makeServerCert(dir);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    dir,
    caPem: readFileSync(path('ca.crt'), 'utf8'),
    certFile: path('server.crt'),
    keyFile: path('server.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function makeCa(certFile: string, keyFile: string): void {
  openssl([
    'req',
    '-x509',
    ...CURVE,
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=modelgate bench CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ]);
}

function makeServerCert(dir: string): void {
  const extFile = join(dir, 'server.ext');
  writeFileSync(
    extFile,
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ].join('\n'),
  );
  const csr = join(dir, 'server.csr');
  openssl(['req', '-new', ...CURVE, '-nodes', '-subj', '/CN=127.0.0.1'], {
    keyout: join(dir, 'server.key'),
    out: csr,
  });
  openssl(['x509', '-req', '-in', csr, '-days', '1', '-set_serial', '1'], {
    CA: join(dir, 'ca.crt'),
    CAkey: join(dir, 'ca.key'),
    extfile: extFile,
    out: join(dir, 'server.crt'),
  });
}

function openssl(
  args: readonly string[],
  files: Readonly<Record<string, string>> = {},
): void {
  const fileArgs = Object.entries(files).flatMap(([k, v]) => [`-${k}`, v]);
  try {
    execFileSync('openssl', [...args, ...fileArgs], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim()}`, {
      cause: err,
    });
  }
}
