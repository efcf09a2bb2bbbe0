import { writeFileSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { RegistryClient, startDeadline } from '../../core/registry';
import {
  registryToolsMissing,
  startRegistry,
  type PushedImage,
  type TestRegistry,
} from '../support/oci-registry';
import { failureOf } from './failure';
import { closedHost, startHangingServer } from './loopback';

const missing = registryToolsMissing();
const withRegistry = missing ? describe.skip : describe;
const repo = (host: string) => ({ registry: host, repository: 'demo/app' });
const insecure = (host: string) =>
  new RegistryClient([{ host, insecure: true }]);

describe('RegistryClient', () => {
  withRegistry(
    `against docker-registry${missing ? ` (skipped: ${missing})` : ''}`,
    () => {
      let registry: TestRegistry;
      let image: PushedImage;
      let client: RegistryClient;
      beforeAll(async () => {
        registry = await startRegistry();
        image = await registry.pushRandomImage('demo/app', 'v1');
        client = insecure(registry.host);
      });
      afterAll(() => registry?.stop());

      describe('when a tag is resolved', () => {
        it('returns the digest crane pushed', async () => {
          const digest = await client.resolveTag(
            repo(registry.host),
            'v1',
            startDeadline(3000),
          );
          expect(digest).toBe(image.digest);
        });
      });

      describe('when a manifest is fetched by digest', () => {
        it('returns bytes that hash to the digest, with the media type', async () => {
          const m = await client.fetchManifest(
            repo(registry.host),
            image.digest,
            startDeadline(3000),
          );
          const hash = createHash('sha256').update(m.bytes).digest('hex');
          expect(`sha256:${hash}`).toBe(image.digest);
          expect(m.mediaType).toMatch(/manifest/);
          expect(Array.isArray(m.json.layers)).toBe(true);
        });
      });

      describe('when a blob is fetched', () => {
        it('returns its verified bytes', async () => {
          const m = await client.fetchManifest(
            repo(registry.host),
            image.digest,
            startDeadline(3000),
          );
          const config = (m.json.config as { digest: string }).digest;
          const blob = await client.fetchBlob(
            repo(registry.host),
            config,
            1 << 20,
            startDeadline(3000),
          );
          expect(JSON.parse(blob.toString()).rootfs).toBeDefined();
        });
      });

      describe('when the tag does not exist', () => {
        it('fails with REGISTRY_NOT_FOUND naming the tag and registry', async () => {
          const err = await failureOf(
            client.resolveTag(repo(registry.host), 'nope', startDeadline(3000)),
          );
          expect(err.code).toBe('REGISTRY_NOT_FOUND');
          expect(err.message).toContain('demo/app:nope');
          expect(err.message).toContain(registry.host);
        });
      });

      describe('when a stored blob was altered on disk', () => {
        it('fails with DIGEST_MISMATCH', async () => {
          const pushed = await registry.pushRandomImage('demo/tamper', 'v1');
          const where = { registry: registry.host, repository: 'demo/tamper' };
          const m = await client.fetchManifest(
            where,
            pushed.digest,
            startDeadline(3000),
          );
          const config = (m.json.config as { digest: string }).digest;
          const file = registry.blobFile(config);
          const bytes = readFileSync(file);
          bytes[bytes.length - 2] = (bytes[bytes.length - 2] as number) ^ 1;
          writeFileSync(file, bytes);
          const err = await failureOf(
            client.fetchBlob(where, config, 1 << 20, startDeadline(3000)),
          );
          expect(err.code).toBe('DIGEST_MISMATCH');
          expect(err.message).toContain(config);
        });
      });
    },
  );

  describe('when the registry cannot be reached', () => {
    it('fails fast with REGISTRY_UNREACHABLE when nothing listens', async () => {
      const host = await closedHost();
      const started = Date.now();
      const err = await failureOf(
        insecure(host).resolveTag(repo(host), 'v1', startDeadline(3000)),
      );
      expect(err.code).toBe('REGISTRY_UNREACHABLE');
      expect(err.message).toBe(
        `registry ${host} is unreachable: connection refused`,
      );
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('fails with REGISTRY_TIMEOUT at the deadline when it never answers', async () => {
      const hanging = await startHangingServer();
      try {
        const started = Date.now();
        const err = await failureOf(
          insecure(hanging.host).resolveTag(
            repo(hanging.host),
            'v1',
            startDeadline(300),
          ),
        );
        const elapsed = Date.now() - started;
        expect(err.code).toBe('REGISTRY_TIMEOUT');
        expect(err.message).toBe(
          `registry ${hanging.host} did not answer within 300 ms`,
        );
        expect(elapsed).toBeGreaterThanOrEqual(250);
        expect(elapsed).toBeLessThan(1500);
      } finally {
        await hanging.stop();
      }
    });
  });
});
