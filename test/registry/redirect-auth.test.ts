import { createHash } from 'node:crypto';
import { RegistryClient, startDeadline } from '../../core/registry';
import { failureOf } from './failure';
import { startScriptedServer, type ScriptedServer } from './loopback';

const ROBOT = { username: 'robot', password: 'robot-secret-3141' };
const BLOB = Buffer.from('payload');
const BLOB_DIGEST = `sha256:${createHash('sha256').update(BLOB).digest('hex')}`;

describe('RegistryClient', () => {
  describe('when a redirect target answers 401 with a bearer challenge', () => {
    let realm: ScriptedServer;
    let storage: ScriptedServer;
    let registry: ScriptedServer;
    let registryAuth: (string | undefined)[];
    let storageAuth: (string | undefined)[];
    let realmAuth: (string | undefined)[];

    beforeEach(async () => {
      registryAuth = [];
      storageAuth = [];
      realmAuth = [];
      // The realm would hand out a token to anyone: it only records who
      // came, and with which credentials.
      realm = await startScriptedServer((q, s) => {
        realmAuth.push(q.headers.authorization);
        s.writeHead(200, { 'Content-Type': 'application/json' });
        s.end(JSON.stringify({ token: 'realm-token' }));
      });
      storage = await startScriptedServer((q, s) => {
        storageAuth.push(q.headers.authorization);
        const challenge = `Bearer realm="http://${realm.host}/token"`;
        s.writeHead(401, { 'WWW-Authenticate': challenge }).end();
      });
      registry = await startScriptedServer((q, s) => {
        registryAuth.push(q.headers.authorization);
        if (q.url?.includes('/blobs/')) {
          s.writeHead(307, { Location: `http://${storage.host}/b` }).end();
        } else {
          s.writeHead(200, { 'Docker-Content-Digest': BLOB_DIGEST }).end();
        }
      });
    });
    afterEach(() =>
      Promise.all([realm.stop(), storage.stop(), registry.stop()]),
    );

    const client = () =>
      new RegistryClient([{ host: registry.host, insecure: true, ...ROBOT }]);
    const where = () => ({ registry: registry.host, repository: 'demo/app' });

    it('fails with REGISTRY_AUTH_FAILED naming the target, sending no credentials anywhere else', async () => {
      const err = await failureOf(
        client().fetchBlob(where(), BLOB_DIGEST, 1024, startDeadline(3000)),
      );

      expect(realmAuth).toEqual([]);
      expect(storageAuth).toEqual([undefined]);
      expect(err.code).toBe('REGISTRY_AUTH_FAILED');
      expect(err.message).toContain(storage.host);
      expect(err.message).not.toContain(ROBOT.password);
    });

    it('does not remember the challenge for later requests', async () => {
      const shared = client();
      await failureOf(
        shared.fetchBlob(where(), BLOB_DIGEST, 1024, startDeadline(3000)),
      );
      const digest = await shared.resolveTag(
        where(),
        'v1',
        startDeadline(3000),
      );

      expect(digest).toBe(BLOB_DIGEST);
      expect(registryAuth).toEqual([undefined, undefined]);
      expect(realmAuth).toEqual([]);
    });
  });
});
