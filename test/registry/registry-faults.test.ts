import { createHash } from 'node:crypto';
import {
  MAX_MANIFEST_BYTES,
  OCI_MANIFEST,
  RegistryClient,
  startDeadline,
} from '../../core/registry';
import { failureOf } from './failure';
import { startScriptedServer, type ScriptedServer } from './loopback';

const repo = (host: string) => ({ registry: host, repository: 'demo/app' });
const insecure = (host: string) =>
  new RegistryClient([{ host, insecure: true }]);

describe('RegistryClient', () => {
  describe('when the registry misbehaves', () => {
    let server: ScriptedServer;
    let reply: Parameters<typeof startScriptedServer>[0];
    beforeAll(async () => {
      server = await startScriptedServer((req, res) => reply(req, res));
    });
    afterAll(() => server.stop());

    const body = Buffer.from('{"schemaVersion":2,"layers":[]}');
    const bodyDigest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    const otherDigest = `sha256:${'0'.repeat(64)}`;

    it.each([
      [
        'a manifest larger than the bound',
        () => {
          reply = (_q, s) => {
            s.writeHead(200, { 'Content-Length': MAX_MANIFEST_BYTES + 1 });
            s.end();
          };
        },
        'REGISTRY_PROTOCOL',
        /larger than/,
      ],
      [
        'an endless chunked manifest',
        () => {
          reply = (_q, s) => {
            s.writeHead(200, { 'Content-Type': OCI_MANIFEST });
            const chunk = Buffer.alloc(64 * 1024, 0x20);
            const pump = () => {
              while (s.write(chunk));
              s.once('drain', pump);
            };
            s.on('error', () => undefined);
            pump();
          };
        },
        'REGISTRY_PROTOCOL',
        /larger than/,
      ],
      [
        'bytes that do not match Docker-Content-Digest',
        () => {
          reply = (_q, s) =>
            s
              .writeHead(200, { 'Docker-Content-Digest': otherDigest })
              .end(body);
        },
        'DIGEST_MISMATCH',
        /expected sha256:0000/,
      ],
      [
        'a manifest that is not json',
        () => {
          const junk = Buffer.from('<html>');
          const d = createHash('sha256').update(junk).digest('hex');
          reply = (_q, s) =>
            s
              .writeHead(200, { 'Docker-Content-Digest': `sha256:${d}` })
              .end(junk);
        },
        'REGISTRY_PROTOCOL',
        /not json/,
      ],
      [
        'a server error',
        () => {
          reply = (_q, s) => s.writeHead(503).end();
        },
        'REGISTRY_UNREACHABLE',
        /answered 503/,
      ],
      [
        'rate limiting',
        () => {
          reply = (_q, s) => s.writeHead(429).end();
        },
        'REGISTRY_UNREACHABLE',
        /answered 429/,
      ],
      [
        'an unexpected status',
        () => {
          reply = (_q, s) => s.writeHead(418).end();
        },
        'REGISTRY_PROTOCOL',
        /answered 418/,
      ],
      [
        'a redirect loop',
        () => {
          reply = (q, s) => s.writeHead(307, { Location: q.url }).end();
        },
        'REGISTRY_PROTOCOL',
        /too many times/,
      ],
    ])('refuses %s', async (_label, arrange, code, message) => {
      arrange();
      const err = await failureOf(
        insecure(server.host).fetchManifest(
          repo(server.host),
          'v1',
          startDeadline(3000),
        ),
      );
      expect(err.code).toBe(code);
      expect(err.message).toMatch(message);
      expect(err.message).toContain(server.host);
    });

    it('accepts a manifest whose bytes match its digest', async () => {
      reply = (_q, s) =>
        s
          .writeHead(200, {
            'Content-Type': OCI_MANIFEST,
            'Docker-Content-Digest': bodyDigest,
          })
          .end(body);
      const m = await insecure(server.host).fetchManifest(
        repo(server.host),
        'v1',
        startDeadline(3000),
      );
      expect(m).toMatchObject({ digest: bodyDigest, mediaType: OCI_MANIFEST });
    });
  });

  describe('when a blob is redirected to storage on another host', () => {
    it('follows it without sending the registry credentials along', async () => {
      const blob = Buffer.from('payload');
      const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
      const seen: (string | undefined)[] = [];
      const storage = await startScriptedServer((q, s) => {
        seen.push(q.headers.authorization);
        s.end(blob);
      });
      const registry = await startScriptedServer((_q, s) =>
        s.writeHead(307, { Location: `http://${storage.host}/b` }).end(),
      );
      try {
        const client = new RegistryClient([
          { host: registry.host, insecure: true, token: 'registry-only' },
        ]);
        const got = await client.fetchBlob(
          repo(registry.host),
          digest,
          1024,
          startDeadline(3000),
        );
        expect(got.equals(blob)).toBe(true);
        expect(seen).toEqual([undefined]);
      } finally {
        await Promise.all([storage.stop(), registry.stop()]);
      }
    });
  });

  describe('when the registry drops a kept-alive connection', () => {
    it('sends the request again on a fresh connection', async () => {
      const perSocket = new Map<unknown, number>();
      const server = await startScriptedServer((req, res) => {
        const count = (perSocket.get(req.socket) ?? 0) + 1;
        perSocket.set(req.socket, count);
        if (count > 1) {
          req.socket.destroy();
          return;
        }
        res.writeHead(200, {
          'Content-Length': 0,
          'Docker-Content-Digest': `sha256:${'b'.repeat(64)}`,
        });
        res.end();
      });
      try {
        const client = insecure(server.host);
        const where = repo(server.host);
        await client.resolveTag(where, 'v1', startDeadline(3000));
        const digest = await client.resolveTag(
          where,
          'v2',
          startDeadline(3000),
        );
        expect(digest).toBe(`sha256:${'b'.repeat(64)}`);
        expect(server.requests).toHaveLength(3);
        expect(perSocket.size).toBe(2);
      } finally {
        await server.stop();
      }
    });
  });

  describe('when a registry is not marked insecure', () => {
    it('speaks only TLS to it, never plain HTTP', async () => {
      const plain = await startScriptedServer((_q, s) => s.end('{}'));
      try {
        const err = await failureOf(
          new RegistryClient().resolveTag(
            repo(plain.host),
            'v1',
            startDeadline(3000),
          ),
        );
        expect(err.code).toBe('REGISTRY_UNREACHABLE');
        expect(err.message).toMatch(/tls|reset/);
        expect(plain.requests).toEqual([]);
      } finally {
        await plain.stop();
      }
    });
  });
});
