/**
 * Throwaway PKI for the benchmark: the suites' own helper (a one-day CA and
 * a server certificate for 127.0.0.1 made with the `openssl` CLI), shaped as
 * the bench servers take it.
 */
import {
  createTestCa,
  issueServerCert,
  removeTestCa,
} from '../test/support/tls';

export interface BenchPki {
  /** Folder holding every file; `remove()` deletes it. */
  readonly dir: string;
  /** The CA certificate, for clients to trust. */
  readonly caPem: string;
  readonly certFile: string;
  readonly keyFile: string;
  remove(): void;
}

export function createBenchPki(): BenchPki {
  const ca = createTestCa();
  try {
    const cert = issueServerCert(ca);
    return {
      dir: ca.dir,
      caPem: ca.certPem,
      certFile: cert.certFile,
      keyFile: cert.keyFile,
      remove: () => removeTestCa(ca),
    };
  } catch (err) {
    removeTestCa(ca);
    throw err;
  }
}
