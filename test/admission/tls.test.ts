import {
  copyFileSync,
  mkdirSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:tls';
import { join } from 'node:path';
import { startAdmissionServer, type AdmissionServer } from '../../admission';
import { createEngine } from '../../core/engine';
import type { Engine } from '../../core/engine/types';
import {
  createTestCa,
  issueServerCert,
  removeTestCa,
  type TestCa,
  type TestCert,
} from '../support/tls';
import { captureLogs, httpsSend, LEVEL, type LogLine } from './harness';
import { configs } from './fixtures';

/** The SHA-256 fingerprint the server presents to a fresh connection. */
function servedFingerprint(port: number, caPem: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca: caPem }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.on('error', reject);
  });
}

async function eventually<T>(
  read: () => Promise<T>,
  wanted: T,
  timeoutMs = 5000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last = await read();
  while (last !== wanted && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  return last;
}

function install(cert: TestCert, certFile: string, keyFile: string): void {
  copyFileSync(cert.certFile, certFile);
  copyFileSync(cert.keyFile, keyFile);
}

describe('admission TLS', () => {
  let ca: TestCa;
  let certA: TestCert;
  let certB: TestCert;
  let engine: Engine;
  let server: AdmissionServer | undefined;
  let logs: LogLine[];

  const start = async (
    certFile: string,
    keyFile: string,
    certPollMs = 60_000,
  ) => {
    const capture = captureLogs();
    logs = capture.logs;
    server = await startAdmissionServer({
      config: configs.clean,
      engine,
      host: '127.0.0.1',
      port: 0,
      tlsCertFile: certFile,
      tlsKeyFile: keyFile,
      logger: capture.logger,
      certPollMs,
    });
    return server;
  };
  const served = () => servedFingerprint(server!.port, ca.certPem);

  beforeAll(async () => {
    ca = createTestCa();
    certA = issueServerCert(ca, { name: 'a' });
    certB = issueServerCert(ca, { name: 'b' });
    engine = await createEngine({ config: configs.clean });
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  afterAll(() => removeTestCa(ca));

  describe('when the certificate files are rewritten in place', () => {
    it('serves the new certificate to new connections', async () => {
      const dir = join(ca.dir, 'in-place');
      mkdirSync(dir);
      const [certFile, keyFile] = [join(dir, 'tls.crt'), join(dir, 'tls.key')];
      install(certA, certFile, keyFile);
      await start(certFile, keyFile);

      expect(await served()).toBe(certA.fingerprint256);
      install(certB, certFile, keyFile);
      expect(await eventually(served, certB.fingerprint256)).toBe(
        certB.fingerprint256,
      );
      expect(logs).toContainEqual(
        expect.objectContaining({ msg: 'reloaded serving certificate' }),
      );
    });
  });

  describe('when a Secret volume swaps its ..data symlink', () => {
    it('serves the certificate of the new generation', async () => {
      const dir = join(ca.dir, 'secret-volume');
      const generation = (name: string, cert: TestCert) => {
        mkdirSync(join(dir, name), { recursive: true });
        install(cert, join(dir, name, 'tls.crt'), join(dir, name, 'tls.key'));
      };
      generation('..2024_01', certA);
      symlinkSync('..2024_01', join(dir, '..data'));
      symlinkSync(join('..data', 'tls.crt'), join(dir, 'tls.crt'));
      symlinkSync(join('..data', 'tls.key'), join(dir, 'tls.key'));
      await start(join(dir, 'tls.crt'), join(dir, 'tls.key'));

      expect(await served()).toBe(certA.fingerprint256);
      generation('..2024_02', certB);
      symlinkSync('..2024_02', join(dir, '..data_tmp'));
      renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
      expect(await eventually(served, certB.fingerprint256)).toBe(
        certB.fingerprint256,
      );
    });
  });

  describe('when the files change where no folder watch can see', () => {
    it('picks the change up by polling', async () => {
      const watched = join(ca.dir, 'links');
      const elsewhere = join(ca.dir, 'elsewhere');
      mkdirSync(watched);
      mkdirSync(elsewhere);
      install(certA, join(elsewhere, 'tls.crt'), join(elsewhere, 'tls.key'));
      symlinkSync(join(elsewhere, 'tls.crt'), join(watched, 'tls.crt'));
      symlinkSync(join(elsewhere, 'tls.key'), join(watched, 'tls.key'));
      await start(join(watched, 'tls.crt'), join(watched, 'tls.key'), 100);

      install(certB, join(elsewhere, 'tls.crt'), join(elsewhere, 'tls.key'));
      expect(await eventually(served, certB.fingerprint256)).toBe(
        certB.fingerprint256,
      );
    });
  });

  describe('when the new pair does not load', () => {
    it('keeps serving the previous certificate and logs an error', async () => {
      const dir = join(ca.dir, 'mismatch');
      mkdirSync(dir);
      const [certFile, keyFile] = [join(dir, 'tls.crt'), join(dir, 'tls.key')];
      install(certA, certFile, keyFile);
      await start(certFile, keyFile);

      copyFileSync(certB.certFile, certFile);
      const failed = () =>
        Promise.resolve(
          logs.some(
            (l) => l.level === LEVEL.error && l.code === 'TLS_UNAVAILABLE',
          ),
        );
      expect(await eventually(failed, true)).toBe(true);
      expect(await served()).toBe(certA.fingerprint256);

      copyFileSync(certB.keyFile, keyFile);
      expect(await eventually(served, certB.fingerprint256)).toBe(
        certB.fingerprint256,
      );
    });
  });

  describe('when the pair does not load at start', () => {
    it('rejects with TLS_UNAVAILABLE', async () => {
      const keyFile = join(ca.dir, 'garbage.key');
      writeFileSync(keyFile, 'not a key');

      await expect(start(certA.certFile, keyFile)).rejects.toMatchObject({
        code: 'TLS_UNAVAILABLE',
      });
    });
  });

  describe('when a client speaks plain HTTP', () => {
    it('gets no HTTP answer, while HTTPS answers', async () => {
      const { port } = await start(certA.certFile, certA.keyFile);
      const plain = new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/healthz' });
        req.on('response', (res) => resolve(res.statusCode ?? 0));
        req.on('error', reject);
        req.end();
      });

      await expect(plain).rejects.toThrow();
      expect((await httpsSend(port, ca.certPem, '/healthz')).status).toBe(200);
    });
  });
});
